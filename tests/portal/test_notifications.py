"""«Уведомления» in the investor portal: the bell, the list, opening a notice, email preferences."""

from datetime import timedelta
from functools import partial

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, NotificationOptOut
from core.notifications.events import EVENTS
from core.workflows.appeals import appeal_transition
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db

LIST = reverse("portal:notifications")
PREFERENCES = reverse("portal:notification_preferences")
APPEAL_PATH = "/cabinet/appeals/1/"


def notice(recipient, n: int = 1, **fields) -> Notification:
    defaults = {
        "recipient": recipient,
        "channel": "site",
        "event": "appeal_registered",
        "object_kind": "appeal",
        "object_id": n,
        "subject": f"Обращение №{n} зарегистрировано",
        "body_text": f"Ваше обращение №{n} зарегистрировано. Ответ будет дан в срок.",
        "link": settings.SITE_URL + APPEAL_PATH,
        "status": "sent",
        "created_at": timezone.now() - timedelta(minutes=100 - n),
    }
    return Notification.objects.create(**{**defaults, **fields})


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


# --- access ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, args", [
    ("portal:notifications", []), ("portal:notification_preferences", []), ("portal:notification_open", [1]),
])
def test_guest_is_sent_to_the_login(client, name, args):
    url = reverse(name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_guest_has_no_bell(client):
    response = client.get(reverse("portal:landing"))

    assert "unread_notifications" not in response.context
    assert LIST not in response.text


# --- the bell --------------------------------------------------------------------------------------------
def test_bell_shows_the_unread_count_in_the_header(logged_in, investor, other_investor):
    for n in range(3):
        notice(investor, n)
    notice(investor, 9, read_at=timezone.now())
    notice(other_investor, 10)
    notice(investor, 11, channel="email", email=investor.email)  # a letter is not an in-app notice

    response = logged_in.get(reverse("portal:profile"))

    assert response.context["unread_notifications"] == 3
    assert 'aria-label="Уведомления: 3 непрочитанных"' in response.text
    assert '<span class="bell-count" aria-hidden="true">3</span>' in response.text
    assert f'href="{LIST}"' in response.text


def test_bell_without_unread_has_no_badge(logged_in):
    response = logged_in.get(reverse("portal:profile"))

    assert f'href="{LIST}"' in response.text
    assert "bell-count" not in response.text
    assert "непрочитанных" not in response.text


def test_bell_counts_with_a_single_query(rf, investor):
    from core.portal.context_processors import notifications

    request = rf.get("/")
    request.user = investor
    with CaptureQueriesContext(connection) as queries:
        context = notifications(request)
        assert queries.captured_queries == []  # lazy: pages that do not show the bell pay nothing
        assert int(context["unread_notifications"]) == 0
        assert str(context["unread_notifications"]) == "0"

    assert len(queries) == 1
    assert "COUNT" in queries[0]["sql"].upper()


# --- the list --------------------------------------------------------------------------------------------
def test_list_shows_own_notices_newest_first(logged_in, investor, other_investor):
    old = notice(investor, 1, subject="Обращение №1 зарегистрировано")
    new = notice(investor, 2, subject="Получен ответ на обращение №2", read_at=timezone.now())
    notice(other_investor, 3, subject="Чужое уведомление о встрече")

    response = logged_in.get(LIST)

    text = response.text
    assert response.status_code == 200
    assert text.index(new.subject) < text.index(old.subject)
    assert "Чужое уведомление" not in text
    assert timezone.localtime(old.created_at).strftime("%d.%m.%Y %H:%M") in text
    assert "Ответ будет дан в срок" not in text, "a row written with the letter's text shows its subject only"
    opener = reverse("portal:notification_open", args=[old.pk])
    assert f'href="{opener}" aria-describedby="notice-{old.pk}-line">Открыть обращение</a>' in text
    assert f'id="notice-{old.pk}"' in text and f'class="notice is-unread" id="notice-{old.pk}"' in text
    assert f'class="notice" id="notice-{new.pk}"' in text
    assert PREFERENCES in text
    assert_russian(text)


def test_notices_written_by_the_doors_show_their_line_and_a_button_never_internal_text(
    logged_in, investor, file_appeal, coordinator, manager
):
    appeal = file_appeal()
    act = partial(appeal_transition, actor=coordinator)
    appeal = act(appeal=appeal, name="assign", executor_organisation=manager.organisation, manager=manager,
                 comment="Служебно: ответ согласовать с комитетом")
    appeal = act(appeal=appeal, name="extend_deadline", new_deadline=appeal.deadline + timedelta(days=10),
                 reason="Служебно: ждём заключение", text_public=False)

    response = logged_in.get(LIST)

    text = response.text
    assert f"Обращение №{appeal.number} зарегистрировано, срок ответа" in text
    assert f"Срок ответа на обращение №{appeal.number} перенесён на {appeal.deadline:%d.%m.%Y}" in text
    assert "Служебно" not in text and "Здравствуйте" not in text
    rows = Notification.objects.filter(recipient=investor, channel="site")
    assert rows.count() == 2
    for row in rows:
        opener = reverse("portal:notification_open", args=[row.pk])
        assert f'href="{opener}" aria-describedby="notice-{row.pk}-line">Открыть обращение</a>' in text
    assert_russian(text)


def test_only_unread_filter(logged_in, investor):
    unread = notice(investor, 1, subject="Непрочитанное уведомление")
    notice(investor, 2, subject="Прочитанное уведомление", read_at=timezone.now())

    text = logged_in.get(LIST + "?unread=1").text

    assert unread.subject in text
    assert "Прочитанное уведомление" not in text


def test_empty_list(logged_in):
    response = logged_in.get(LIST)

    assert "Уведомлений пока нет" in response.text
    assert "Отметить все прочитанными" not in response.text
    assert_russian(response.text)


def test_list_is_paginated_and_keeps_the_filter(logged_in, investor):
    notices = [notice(investor, n) for n in range(22)]

    first = logged_in.get(LIST + "?unread=1").text
    second = logged_in.get(LIST + "?unread=1&page=2").text

    assert "Страница 1 из 2" in first
    assert "?unread=1&amp;page=2" in first
    assert f'id="notice-{notices[-1].pk}"' in first and f'id="notice-{notices[0].pk}"' not in first
    assert f'id="notice-{notices[0].pk}"' in second


def test_list_queries_do_not_grow(logged_in, investor):
    for n in range(2):
        notice(investor, n)
    with CaptureQueriesContext(connection) as two:
        assert logged_in.get(LIST).status_code == 200
    for n in range(2, 20):
        notice(investor, n)
    with CaptureQueriesContext(connection) as twenty:
        assert logged_in.get(LIST).status_code == 200

    assert len(twenty) == len(two)


# --- marking read ----------------------------------------------------------------------------------------
def test_mark_one_read(logged_in, investor):
    first, second = notice(investor, 1), notice(investor, 2)

    response = logged_in.post(LIST + "?unread=1", {"read": first.pk}, follow=True)

    assert response.redirect_chain[-1][0] == LIST + "?unread=1"
    assert "Уведомление отмечено прочитанным" in response.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert 'aria-label="Уведомления: 1 непрочитанное"' in response.text


def test_mark_all_read(logged_in, investor, other_investor):
    mine = [notice(investor, n) for n in range(3)]
    theirs = notice(other_investor, 9)

    response = logged_in.post(LIST, {"read_all": "1"}, follow=True)

    assert "Все уведомления отмечены прочитанными" in response.text
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "bell-count" not in response.text


def test_someone_elses_notice_cannot_be_marked_read(logged_in, other_investor):
    theirs = notice(other_investor, 1)

    response = logged_in.post(LIST, {"read": theirs.pk}, follow=True)

    assert response.status_code == 200
    assert "отмечено прочитанным" not in response.text
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_garbage_id_changes_nothing(logged_in, investor):
    mine = notice(investor, 1)

    response = logged_in.post(LIST, {"read": "1 OR 1=1"})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is None


# --- opening a notice ------------------------------------------------------------------------------------
def test_opening_marks_read_and_goes_to_the_object(logged_in, investor):
    mine = notice(investor, 1)

    response = logged_in.get(reverse("portal:notification_open", args=[mine.pk]))

    assert response.status_code == 302
    assert response.url == APPEAL_PATH
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_someone_elses_notice_cannot_be_opened(logged_in, other_investor):
    theirs = notice(other_investor, 1)

    response = logged_in.get(reverse("portal:notification_open", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_letter_row_is_not_a_notice(logged_in, investor):
    letter = notice(investor, 1, channel="email", email=investor.email)

    assert logged_in.get(reverse("portal:notification_open", args=[letter.pk])).status_code == 404


@pytest.mark.parametrize("link", [
    "https://evil.example/cabinet/appeals/1/",
    settings.SITE_URL + ".evil.example/cabinet/",
    settings.SITE_URL + "//evil.example/",
    settings.SITE_URL + "/\\evil.example/",
    "javascript:alert(1)",
    "",
])
def test_open_redirect_is_refused(logged_in, investor, link):
    mine = notice(investor, 1, link=link)

    response = logged_in.get(reverse("portal:notification_open", args=[mine.pk]))

    assert response.status_code == 302
    assert response.url == LIST
    mine.refresh_from_db()
    assert mine.read_at is not None


# --- preferences -----------------------------------------------------------------------------------------
def test_preferences_page_lists_investor_events(logged_in):
    response = logged_in.get(PREFERENCES)

    text = response.text
    assert response.status_code == 200
    assert str(EVENTS["meeting_scheduled"].label) in text
    assert str(EVENTS["appeal_new"].label) not in text  # a staff event
    assert 'name="email_events" value="appeal_answered" id="event-appeal_answered" checked disabled' in text
    assert "обязательное уведомление — отключить нельзя" in text
    assert 'value="meeting_scheduled" id="event-meeting_scheduled" checked>' in text
    assert_russian(text)


def test_preferences_are_linked_from_the_profile_and_the_list(logged_in):
    assert PREFERENCES in logged_in.get(reverse("portal:profile")).text
    assert PREFERENCES in logged_in.get(LIST).text


def test_preferences_save(logged_in, investor):
    response = logged_in.post(PREFERENCES, {"email_events": ["meeting_scheduled"]}, follow=True)

    assert "Настройки уведомлений сохранены" in response.text
    off = set(NotificationOptOut.objects.filter(user=investor).values_list("event", flat=True))
    assert "meeting_scheduled" not in off
    assert {"meeting_changed", "meeting_cancelled", "project_stage_changed"} <= off
    assert 'value="meeting_changed" id="event-meeting_changed">' in response.text

    logged_in.post(PREFERENCES, {"email_events": ["meeting_scheduled", "meeting_changed"]})

    assert not NotificationOptOut.objects.filter(user=investor, event="meeting_changed").exists()


def test_mandatory_cannot_be_switched_off_by_a_forged_post(logged_in, investor):
    logged_in.post(PREFERENCES, {})  # nothing ticked, as if the disabled boxes were unticked too

    off = set(NotificationOptOut.objects.filter(user=investor).values_list("event", flat=True))
    assert not any(EVENTS[code].mandatory for code in off)
    assert "appeal_answered" not in off
    text = logged_in.get(PREFERENCES).text
    assert 'value="appeal_answered" id="event-appeal_answered" checked disabled' in text


def test_unknown_or_staff_event_is_refused(logged_in, investor):
    response = logged_in.post(PREFERENCES, {"email_events": ["appeal_new", "no_such_event"]})

    assert response.status_code == 200
    assert "Неизвестные события" in response.text
    assert not NotificationOptOut.objects.filter(user=investor).exists()


# --- opening the object itself -------------------------------------------------------------------------------
def test_opening_the_appeal_or_the_project_directly_reads_their_notices(logged_in, investor, file_appeal,
                                                                         apply_project):
    """From a letter's link or the list, not the bell: the page's own notices are read, the others stay new."""
    appeal, project = file_appeal(), apply_project()
    about_appeal = notice(investor, appeal.pk)
    about_project = notice(investor, project.pk, object_kind="project", event="project_stage_changed",
                           subject="Проект перешёл на этап")
    about_another = notice(investor, appeal.pk + 1000)

    page = logged_in.get(reverse("portal:appeal_detail", args=[appeal.pk])).content.decode()
    about_appeal.refresh_from_db()
    assert about_appeal.read_at is not None
    assert '<span class="bell-count" aria-hidden="true">2</span>' in page  # the bell counts the two still new
    logged_in.get(reverse("portal:project_passport", args=[project.pk]))

    for row in (about_project, about_another):
        row.refresh_from_db()
    assert about_project.read_at is not None and about_another.read_at is None
