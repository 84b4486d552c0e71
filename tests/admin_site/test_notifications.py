"""The cabinet's face of notifications: the bell, the notices list, the email preferences, the outbox."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, NotificationOptOut, WebhookDelivery, WebhookSubscription
from core.models.notifications import Channel, OutboxStatus
from core.services.notifications import notification_preferences
from core.workflows.appeals import appeal_transition
from core.workflows.tasks import task_create
from tests.admin_site.helpers import page_text, sidebar_text

MANDATORY = "task_overdue"  # staff, mandatory
OPTIONAL = "task_assigned"  # staff, may be switched off


def notice(user, number: int, *, read: bool = False, event: str = OPTIONAL) -> Notification:
    now = timezone.now()
    return Notification.objects.create(
        recipient=user, channel=Channel.SITE, event=event, object_kind="task", object_id=number,
        subject=f"Поставлена задача №{number}", body_text=f"Вам поставлена задача №{number}. Срок — завтра.",
        link=f"{settings.SITE_URL}/admin/core/task/{number}/change/", status=OutboxStatus.SENT, sent_at=now,
        read_at=now if read else None,
    )


def letter(user, number: int = 1, *, status: str = OutboxStatus.FAILED) -> Notification:
    return Notification.objects.create(
        recipient=user, channel=Channel.EMAIL, event=OPTIONAL, object_kind="task", object_id=number,
        email=user.email, subject=f"Письмо о задаче №{number}", body_text="Вам поставлена задача.",
        status=status, attempts=7 if status == OutboxStatus.FAILED else 1,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed" if status == OutboxStatus.FAILED else "",
        sent_at=timezone.now() if status == OutboxStatus.SENT else None,
    )


def bell(response) -> str:
    html = response.content.decode()
    start = html.index('id="notices-bell"')
    return html[start : html.index("</a>", start)]


# --- the bell and the sidebar -----------------------------------------------------------------------------------
def test_bell_and_sidebar_show_the_unread_count(login, manager, head):
    for number in range(3):
        notice(manager, number)
    notice(manager, 10, read=True)
    notice(head, 20)  # someone else's
    Notification.objects.create(  # a letter is not a notice
        recipient=manager, channel=Channel.EMAIL, event=OPTIONAL, object_kind="task", object_id=0,
        email=manager.email, subject="Письмо", body_text="Письмо",
    )

    response = login(manager).get(reverse("admin:index"))

    assert 'aria-label="Уведомления: 3 непрочитанных"' in bell(response)
    assert f'href="{reverse("admin:notifications")}"' in bell(response)
    html = response.content.decode()
    assert 'aria-label="Уведомления: 3 непрочитанных"' in html[html.index('id="nav-sidebar-apps"'):]
    assert "Уведомления 3" in sidebar_text(response)


def test_bell_with_nothing_unread_has_no_number(login, manager):
    notice(manager, 1, read=True)
    response = login(manager).get(reverse("admin:my_calendar"))
    assert 'aria-label="Уведомления: 0 непрочитанных"' in bell(response)
    assert "Уведомления 0" not in sidebar_text(response)


def test_the_unread_count_costs_one_query_per_page(login, manager):
    notice(manager, 1)
    client = login(manager)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    counts = [query["sql"] for query in captured if '"core_notification"' in query["sql"]]
    assert len(counts) == 1, counts


def test_the_bell_and_the_failed_badges_are_counted_together_on_every_page(login, administrator, company):
    """An administrator's frame shows three numbers: unread notices, letters and webhook deliveries that gave up.
    One query counts them all, and the next page counts again."""
    for number in range(2):
        notice(administrator, number)
    letter(administrator, 1)
    letter(administrator, 2, status=OutboxStatus.SENT)
    hook = WebhookSubscription.objects.create(organisation=company, name="CRM", url="https://crm.example.ru/h",
                                              secret="s", events=["appeal.created"])
    for number, status in enumerate([OutboxStatus.FAILED] * 3 + [OutboxStatus.SENT]):
        WebhookDelivery.objects.create(subscription=hook, event="appeal.created", object_kind="appeal",
                                       object_id=number, body="{}", status=status)
    client = login(administrator)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:index"))
    assert 'aria-label="Уведомления: 2 непрочитанных"' in bell(response)
    text = sidebar_text(response)
    assert "Уведомления 2" in text and "Исходящие письма 1" in text and "Доставки событий 3" in text
    counted = [query["sql"] for query in captured
               if '"core_notification"' in query["sql"] or '"core_webhookdelivery"' in query["sql"]]
    assert len(counted) == 1, counted
    notice(administrator, 3)
    letter(administrator, 3)
    text = sidebar_text(response := client.get(reverse("admin:index")))
    assert "Уведомления 3" in text and "Исходящие письма 2" in text and "Уведомления: 3" in bell(response)


# --- the list of notices ---------------------------------------------------------------------------------------
def test_list_shows_only_own_notices_newest_first_unread_highlighted(login, manager, head):
    old = notice(manager, 1, read=True)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=1))
    notice(manager, 2)
    notice(head, 3)

    response = login(manager).get(reverse("admin:notifications"))

    assert response.status_code == 200
    text = page_text(response)
    assert "Поставлена задача №2" in text and "Поставлена задача №1" in text
    assert "Поставлена задача №3" not in text
    assert text.index("№2") < text.index("№1")
    html = response.content.decode()
    assert html.count('class="zk-notice zk-notice-unread') == 1
    assert html.count('class="zk-notice ') == 2
    assert timezone.localtime(old.created_at).strftime("%d.%m.%Y") in text
    assert reverse("admin:notification_preferences") in html

    only_unread = page_text(login(manager).get(reverse("admin:notifications") + "?unread=1"))
    assert "Поставлена задача №2" in only_unread and "Поставлена задача №1" not in only_unread


def test_list_is_paginated_by_fifty(login, manager):
    for number in range(51):
        notice(manager, number)
    client = login(manager)
    first = client.get(reverse("admin:notifications"))
    assert len(first.context["rows"]) == 50
    assert len(client.get(reverse("admin:notifications") + "?page=2").context["rows"]) == 1


def test_mark_one_read_leaves_others_and_strangers_alone(login, manager, head):
    mine, other_mine, theirs = notice(manager, 1), notice(manager, 2), notice(head, 3)
    client = login(manager)

    response = client.post(reverse("admin:notifications"), {"mark": mine.pk}, follow=True)
    assert "Уведомление отмечено прочитанным." in page_text(response)
    client.post(reverse("admin:notifications"), {"mark": theirs.pk})

    for row in (mine, other_mine, theirs):
        row.refresh_from_db()
    assert mine.read_at is not None
    assert other_mine.read_at is None
    assert theirs.read_at is None


def test_mark_all_read(login, manager, head):
    notice(manager, 1), notice(manager, 2)
    theirs = notice(head, 3)
    response = login(manager).post(reverse("admin:notifications"), {"mark_all": "1"}, follow=True)
    assert "Отмечено прочитанными: 2." in page_text(response)
    assert not Notification.objects.filter(recipient=manager, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert 'aria-label="Уведомления: 0 непрочитанных"' in bell(response)


def test_opening_a_notice_marks_it_read_and_leads_to_its_object(login, manager, head):
    mine, theirs = notice(manager, 7), notice(head, 8)
    client = login(manager)

    response = client.get(reverse("admin:notifications") + f"?open={mine.pk}")
    assert response.status_code == 302
    assert response.url == mine.link
    mine.refresh_from_db()
    assert mine.read_at is not None

    assert client.get(reverse("admin:notifications") + f"?open={theirs.pk}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_an_appeal_or_a_project_directly_reads_their_notices(login, director, file_appeal, apply_project):
    """From a letter's link, a list or the search, not the bell: the card's own notices are read and the bell counts
    the rest; the notices of other objects stay new."""
    appeal, project = file_appeal(), apply_project()
    about_appeal = Notification.objects.create(
        recipient=director, channel=Channel.SITE, event="appeal_submitted", object_kind="appeal", object_id=appeal.pk,
        subject=f"Новое обращение №{appeal.number}", body_text="Поступило обращение.", status=OutboxStatus.SENT)
    about_project = Notification.objects.create(
        recipient=director, channel=Channel.SITE, event="project_stage_changed", object_kind="project",
        object_id=project.pk, subject="Проект перешёл на этап", body_text="Этап сменился.", status=OutboxStatus.SENT)
    about_a_task = notice(director, appeal.pk)  # a task whose id equals the appeal's: another object
    client = login(director)

    response = client.get(reverse("admin:core_appeal_change", args=[appeal.pk]))
    about_appeal.refresh_from_db()
    assert about_appeal.read_at is not None
    assert 'aria-label="Уведомления: 2 непрочитанных"' in bell(response)  # counted after the reading
    response = client.get(reverse("admin:core_project_change", args=[project.pk]))
    assert 'aria-label="Уведомления: 1 непрочитанное"' in bell(response)
    for row in (about_project, about_a_task):
        row.refresh_from_db()
    assert about_project.read_at is not None and about_a_task.read_at is None
    assert 'aria-label="Уведомления: 1 непрочитанное"' in bell(client.get(reverse("admin:core_appeal_change",
                                                                                 args=[appeal.pk])))


def test_opening_a_task_directly_reads_its_notices(login, manager, apply_project):
    task = task_create(project=apply_project(), author=manager, title="Подготовить ТУ", assignee=manager,
                       due_date=timezone.localdate())
    about_task = notice(manager, task.pk)
    response = login(manager).get(reverse("admin:core_task_change", args=[task.pk]))
    assert response.status_code == 200
    about_task.refresh_from_db()
    assert about_task.read_at is not None
    assert 'aria-label="Уведомления: 0 непрочитанных"' in bell(response)


def test_a_notice_shows_its_line_its_time_its_state_and_a_button_to_the_object(login, file_appeal, coordinator,
                                                                               manager, agency):
    appeal = file_appeal()
    appeal_transition(appeal=appeal, name="assign", actor=coordinator, executor_organisation=agency, manager=manager,
                      comment="Служебно: подготовить ответ к пятнице")
    row = Notification.objects.get(channel=Channel.SITE, event="appeal_assigned", recipient=manager)

    response = login(manager).get(reverse("admin:notifications"))

    text, html = page_text(response), response.content.decode()
    assert f"Вам назначено обращение №{appeal.number}" in text
    assert timezone.localtime(row.created_at).strftime("%d.%m.%Y %H:%M") in text and "не прочитано" in text
    assert f'href="?open={row.pk}" aria-describedby="notice-{row.pk}-line">Открыть обращение</a>' in html
    for letter_part in ("Здравствуйте", "Служебно", "http"):  # the letter's greeting, its note, its raw link
        assert letter_part not in text, letter_part


def test_a_notice_written_before_notices_had_their_own_line_shows_its_subject_only(login, manager):
    old = notice(manager, 5, read=True)  # subject and the letter's text, as such rows were written

    response = login(manager).get(reverse("admin:notifications"))

    text = page_text(response)
    assert old.subject in text and old.body_text not in text and "не прочитано" not in text
    assert f'href="?open={old.pk}" aria-describedby="notice-{old.pk}-line">Открыть задачу</a>' in (
        response.content.decode()
    )


def test_list_page_queries_do_not_grow_with_notices(login, manager):
    client = login(manager)
    url = reverse("admin:notifications")

    def queries_on_page(rows_expected: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["rows"]) == rows_expected
        return len(captured)

    for number in range(2):
        notice(manager, number)
    client.get(url)  # warm the process-wide caches
    few = queries_on_page(2)
    for number in range(2, 20):
        notice(manager, number, read=number % 2 == 0)
    assert queries_on_page(20) == few


def test_investors_have_no_cabinet_notices(login, investor):
    response = login(investor).get(reverse("admin:notifications"))
    assert response.status_code == 302 and "/login/" in response.url


# --- preferences -----------------------------------------------------------------------------------------------
def test_preferences_page_shows_mandatory_events_checked_and_disabled(login, manager):
    response = login(manager).get(reverse("admin:notification_preferences"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="pref-{MANDATORY}" checked disabled' in html
    assert f'name="email" value="{OPTIONAL}" checked' in html
    assert "обязательное — отключить нельзя" in page_text(response)
    assert "appeal_registered" not in html  # an investor's event


def test_preferences_save_switches_optional_letters_off_and_on(login, manager):
    client = login(manager)
    response = client.post(reverse("admin:notification_preferences"), {"email": ["appeal_new"]}, follow=True)
    assert "Настройки уведомлений сохранены." in page_text(response)
    email_on = {spec.code: on for spec, on in notification_preferences(manager)}
    assert email_on["appeal_new"] is True
    assert email_on[OPTIONAL] is False
    assert email_on[MANDATORY] is True

    client.post(reverse("admin:notification_preferences"), {"email": ["appeal_new", OPTIONAL]})
    assert not NotificationOptOut.objects.filter(user=manager, event=OPTIONAL).exists()


def test_mandatory_letters_cannot_be_switched_off_even_by_a_forged_post(login, manager):
    client = login(manager)
    client.post(reverse("admin:notification_preferences"), {})  # every box cleared, the disabled ones too
    email_on = {spec.code: on for spec, on in notification_preferences(manager)}
    assert email_on[MANDATORY] is True
    assert not NotificationOptOut.objects.filter(user=manager, event=MANDATORY).exists()

    response = client.post(reverse("admin:notification_preferences"), {"email": ["no_such_event"]}, follow=True)
    assert "Неизвестные события: no_such_event" in page_text(response)


# --- the outbox ------------------------------------------------------------------------------------------------
def test_outbox_lists_letters_only_for_administrators(login, administrator, manager):
    failed = letter(manager, 1)
    letter(manager, 2, status=OutboxStatus.SENT)
    notice(manager, 3)
    client = login(administrator)

    response = client.get(reverse("admin:core_notification_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2  # the in-app notice is not a letter
    text = page_text(response)
    assert manager.email in text and "Не отправлено" in text and "Поставлена задача" in text
    assert "Исходящие письма" in sidebar_text(response)

    only_failed = client.get(reverse("admin:core_notification_changelist") + "?status__exact=failed")
    assert list(only_failed.context["cl"].result_list) == [failed]
    assert client.get(reverse("admin:core_notification_change", args=[failed.pk])).status_code == 200


def test_outbox_is_closed_to_a_manager(login, manager):
    failed = letter(manager)
    client = login(manager)
    assert client.get(reverse("admin:core_notification_changelist")).status_code == 403
    assert client.get(reverse("admin:core_notification_change", args=[failed.pk])).status_code in (403, 404)
    assert client.post(reverse("admin:core_notification_resend", args=[failed.pk])).status_code in (403, 404)
    assert "Исходящие письма" not in sidebar_text(client.get(reverse("admin:index")))
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.FAILED


def test_resend_puts_a_failed_letter_back_in_the_queue_and_sends_it(
    login, administrator, manager, django_capture_on_commit_callbacks
):
    failed = letter(manager)
    client = login(administrator)
    url = reverse("admin:core_notification_resend", args=[failed.pk])
    assert "Отправить повторно" in page_text(client.get(url))  # the confirmation

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.PENDING
    assert failed.attempts == 0
    assert len(callbacks) == 1

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT
    assert [message.subject for message in mail.outbox] == ["Письмо о задаче №1"]
    assert mail.outbox[0].to == [manager.email]
    assert "снова поставлено в очередь" in page_text(client.get(response.url))


def test_a_letter_that_did_not_fail_cannot_be_resent(login, administrator, manager, django_capture_on_commit_callbacks):
    sent = letter(manager, status=OutboxStatus.SENT)
    client = login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:core_notification_resend", args=[sent.pk]), follow=True)

    assert "Повторно отправить можно только неотправленное письмо." in page_text(response)
    sent.refresh_from_db()
    assert sent.status == OutboxStatus.SENT
    assert mail.outbox == []


def test_detail_button_only_on_a_failed_letter(login, administrator, manager):
    failed, sent = letter(manager, 1), letter(manager, 2, status=OutboxStatus.SENT)
    client = login(administrator)
    resend = reverse("admin:core_notification_resend", args=[failed.pk])
    assert resend in client.get(reverse("admin:core_notification_change", args=[failed.pk])).content.decode()
    sent_page = client.get(reverse("admin:core_notification_change", args=[sent.pk])).content.decode()
    assert reverse("admin:core_notification_resend", args=[sent.pk]) not in sent_page


def test_bulk_resend_queues_failed_letters_and_refuses_the_rest(
    login, administrator, manager, django_capture_on_commit_callbacks
):
    failed, sent = letter(manager, 1), letter(manager, 2, status=OutboxStatus.SENT)
    client = login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:core_notification_changelist"),
            {"action": "resend_selected", "_selected_action": [failed.pk, sent.pk], "index": 0},
            follow=True,
        )

    text = page_text(response)
    assert "Снова поставлено в очередь на отправку: 1." in text
    assert "Не поставлено в очередь: 1" in text
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("url_name", ["admin:notifications", "admin:notification_preferences"])
def test_pages_open_for_every_staff_member(login, administrator, head, url_name):
    for user in (administrator, head):
        assert login(user).get(reverse(url_name)).status_code == 200
