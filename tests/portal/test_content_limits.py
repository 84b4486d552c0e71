"""Limits on what an investor writes (issue 11): the length of typed text, in the door and in the forms (with the
hint and the counter script), and the company's daily limits on filing appeals and writing comments."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.choices import AppealChannel, AppealEventKind
from core.models import Appeal, AppealEvent
from core.roles import Role
from core.workflows.appeals import appeal_submit, appeal_transition
from tests.portal.test_appeals import create_data

pytestmark = pytest.mark.django_db

TOO_LONG = "Ж" * 20_001
NOW = "2025-03-12 18:30 +03:00"  # a Wednesday evening in Moscow


@pytest.fixture
def portal(client, investor):
    client.force_login(investor)
    return client


def comment_url(appeal) -> str:
    return reverse("portal:appeal_action", args=[appeal.pk, "comment"])


def comments(appeal):
    return appeal.events.filter(kind=AppealEventKind.COMMENT)


# --- length of typed text ------------------------------------------------------------------------------------
def test_the_door_refuses_a_description_over_20_000_characters(file_appeal):
    with pytest.raises(ValidationError) as refused:
        file_appeal(description=TOO_LONG)

    assert refused.value.message_dict["description"] == [
        "Не больше 20\u00a0000 символов, сейчас 20\u00a0001: сократите текст или приложите его файлом."]
    assert not Appeal.objects.exists()
    assert len(file_appeal(description="Ж" * 20_000).description) == 20_000


def test_the_door_refuses_a_comment_over_10_000_characters_from_anyone(file_appeal, investor, coordinator):
    appeal = file_appeal()

    for actor in (investor, coordinator):
        appeal.refresh_from_db()
        with pytest.raises(ValidationError) as refused:
            appeal_transition(appeal=appeal, name="comment", actor=actor, text="Ж" * 10_001)
        assert refused.value.message_dict["text"][0].startswith("Не больше 10\u00a0000 символов")
    with pytest.raises(ValidationError) as refused:
        appeal_transition(appeal=appeal, name="reject", actor=coordinator, reason="Ж" * 10_001)
    assert "reason" in refused.value.message_dict
    assert not comments(appeal).exists() and appeal.events.count() == 1


def test_the_form_refuses_20_001_characters_in_russian_and_writes_nothing(portal, problem_fact):
    response = portal.post(reverse("portal:appeal_create"), create_data(problem_fact, description=TOO_LONG))

    assert response.status_code == 200
    assert "не более 20000 символов (сейчас 20001)" in response.text
    assert not Appeal.objects.exists()


def test_the_forms_carry_the_limit_the_hint_and_the_counter_script(portal, problem_fact, file_appeal):
    form_page = portal.get(reverse("portal:appeal_create")).text
    appeal_page = portal.get(reverse("portal:appeal_detail", args=[file_appeal().pk])).text

    # the limit for the counter, not the browser's maxlength, which cut a pasted text at the limit without a word
    assert 'data-maxlength="20000"' in form_page and "До 20\u00a0000 символов." in form_page
    assert 'data-maxlength="10000"' in appeal_page and "До 10\u00a0000 символов." in appeal_page
    assert ' maxlength="20000"' not in form_page and ' maxlength="10000"' not in appeal_page
    for page in (form_page, appeal_page):
        assert 'data-counter="{used} из {limit} — осталось {left}"' in page
        assert '<script src="/static/portal/counter.js" defer></script>' in page


def test_line_breaks_count_once_as_the_browser_counts_them(portal, file_appeal):
    appeal = file_appeal()
    typed = ("Ж" * 999 + "\n") * 10  # 10 000 characters in the textarea; the browser sends CR LF: 10 010

    response = portal.post(comment_url(appeal), {"version": appeal.updated_at.isoformat(),
                                                 "text": typed.replace("\n", "\r\n")})

    assert response.status_code == 302
    assert len(comments(appeal).get().text) == 10_000 - 1  # the last line break is trimmed


# --- the company's daily limits --------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_the_company_files_at_most_20_appeals_a_day_then_the_page_says_so(
    portal, settings, file_appeal, problem_fact, other_investor, make_user, company
):
    settings.COMPANY_APPEALS_PER_DAY = 20  # the production default (the test settings lift it for bulk fixtures)
    colleague = make_user(Role.INVESTOR, organisation=company, email="colleague@test.zk.example")
    for n in range(19):
        file_appeal(subject=f"Обращение {n}")
    file_appeal(applicant=colleague, subject="Обращение коллеги")  # the colleague's count for the company too
    file_appeal(applicant=other_investor, subject="Другая компания")  # another company's do not

    response = portal.post(reverse("portal:appeal_create"), create_data(problem_fact, subject="Двадцать первое"))

    assert response.status_code == 200
    assert ("Сегодня от вашей компании уже подано 20 обращений — это предел в сутки. Завтра можно будет подать "
            "снова; срочный вопрос — позвоните персональному менеджеру.") in response.text
    assert not Appeal.objects.filter(subject="Двадцать первое").exists()

    with time_machine.travel("2025-03-13 00:05 +03:00", tick=False):  # the next Moscow day
        response = portal.post(reverse("portal:appeal_create"), create_data(problem_fact, subject="Назавтра"))
    assert response.status_code == 302 and Appeal.objects.filter(subject="Назавтра").exists()


@time_machine.travel(NOW, tick=False)
def test_staff_registrations_are_not_limited_by_the_company_quota(settings, file_appeal, coordinator, company,
                                                                  problem_fact):
    settings.COMPANY_APPEALS_PER_DAY = 2
    file_appeal(), file_appeal()

    registered = [appeal_submit(
        actor=coordinator, organisation=company, channel=AppealChannel.PHONE, received_at=timezone.now(),
        contact_phone="+7 921 555-01-02", fact=problem_fact, subject=f"Звонок {n}", description="Звонок директора.",
    ) for n in range(3)]

    assert len(registered) == 3
    with pytest.raises(ValidationError, match="уже подано 2 обращения"):
        file_appeal()


@time_machine.travel(NOW, tick=False)
def test_the_company_writes_at_most_its_daily_comments_staff_are_not_limited(
    portal, settings, file_appeal, coordinator
):
    settings.COMPANY_COMMENTS_PER_DAY = 3
    appeal = file_appeal()
    for n in range(3):
        appeal.refresh_from_db()
        assert portal.post(comment_url(appeal), {"version": appeal.updated_at.isoformat(),
                                                 "text": f"Комментарий {n}"}).status_code == 302

    appeal.refresh_from_db()
    response = portal.post(comment_url(appeal), {"version": appeal.updated_at.isoformat(), "text": "Четвёртый"})

    assert response.status_code == 200
    assert "Сегодня от вашей компании уже написано 3 комментария — это предел в сутки." in response.text
    assert comments(appeal).count() == 3
    appeal_transition(appeal=appeal, name="comment", actor=coordinator, text="Ответ сотрудника", is_public=True)
    assert comments(appeal).count() == 4
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        appeal.refresh_from_db()
        appeal_transition(appeal=appeal, name="comment", actor=appeal.applicant, text="Назавтра можно")
    assert AppealEvent.objects.filter(text="Назавтра можно").exists()


def test_the_cabinet_comment_box_has_the_limit_and_refuses_more_in_russian(client, file_appeal, coordinator):
    """The same limits on the staff face: the comment box carries the limit and the counter; more is refused."""
    from tests.admin_site.appeals.helpers import card_url, post_action

    appeal = file_appeal()
    client.force_login(coordinator)
    card = client.get(card_url(appeal)).content.decode()

    assert 'data-maxlength="10000"' in card and "До 10\u00a0000 символов." in card
    assert '<script src="/static/portal/counter.js" defer></script>' in card
    response = post_action(client, appeal, "comment", text="Ж" * 10_001, is_public="on")
    assert "не более 10000 символов (сейчас 10001)" in response.content.decode()
    assert not comments(appeal).exists()
