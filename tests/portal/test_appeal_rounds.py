"""Issue 10.1 through the investor's pages: each approved answer is a round that the investor rates on its own,
and after a reworked answer is approved the rating form and the letter's #action-rate link work again."""

import re
from html import unescape
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from core.choices import AppealChannel, AppealStatus
from core.models import Appeal, AppealAnswer, Notification
from core.workflows.appeals import appeal_submit
from tests.portal.test_appeals_page import PDF, act, action_url, page_url, version_in
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db

FIRST = "Встреча по ВКС назначена на 03.03.2025."
SECOND = "Встреча по ВКС назначена на 03.03.2025 в 11:00, ссылка направлена на почту."
THIRD = "Администрация района подтвердила встречу и направила повестку."
REASON = "Не указано время встречи."
INTERNAL = "Служебно: уточнить у администрации время"


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


def answer(appeal, manager, head, text, *, file_name=None):
    files = [SimpleUploadedFile(file_name, PDF)] if file_name else []
    appeal = act(appeal, "submit_for_approval", manager, answer_text=text, files=files)
    return act(appeal, "approve", head)


@pytest.fixture
def answered(file_appeal, coordinator, manager, head):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    appeal = act(appeal, "take_into_work", manager)
    return answer(appeal, manager, head, FIRST, file_name="Ответ 1.pdf")


def post_action(client, appeal, name, **data):
    page = client.get(page_url(appeal)).text
    return client.post(action_url(appeal, name), {"version": version_in(page, name), **data}, follow=True)


def rate_link(appeal) -> str:
    """The letter's «Оценить ответ» link of the newest answer, as the notification row holds it."""
    letter = Notification.objects.filter(event="appeal_answered", channel="email", object_id=appeal.pk).latest("pk")
    link = re.search(r"(\S+#action-rate)\b", letter.body_text).group(1)
    return link


def section(html: str, anchor: str) -> str:
    """The HTML of one answer round (its <article>)."""
    start = html.index(f'id="{anchor}"')
    return html[start:html.index("</article>", start)]


def test_rework_round_trip_keeps_both_ratings(logged_in, answered, manager, head):
    response = post_action(logged_in, answered, "rate", rating="3", comment="Не хватает времени встречи",
                           round_number="1")
    assert "Спасибо за оценку ответа." in response.text
    response = post_action(logged_in, answered, "send_back_for_rework", reason=REASON)
    assert "Обращение отправлено на доработку." in response.text
    assert "Ответ дорабатывается" in response.text

    appeal = answer(Appeal.objects.get(pk=answered.pk), manager, head, SECOND, file_name="Ответ 2.pdf")
    link = rate_link(appeal)
    path, anchor = urlsplit(link).path, urlsplit(link).fragment
    assert (path, anchor) == (page_url(appeal), "action-rate")

    html = logged_in.get(path).text
    assert_russian(html)
    round_1, round_2 = section(html, "round-1"), section(html, "round-2")
    assert "Ответ 1" in round_1 and FIRST in round_1 and "Ответ 1.pdf" in round_1
    assert "Ваша оценка: 3 из 5" in round_1 and "Не хватает времени встречи" in round_1
    assert REASON in round_1 and "Отправлен на доработку" in round_1
    assert 'name="rating"' not in round_1
    assert "Ответ 2" in round_2 and SECOND in round_2 and "Ответ 2.pdf" in round_2
    assert 'id="action-rate"' in round_2 and 'name="round_number" value="2"' in round_2  # the letter lands here
    assert 'id="action-send_back_for_rework"' in round_2
    assert "Ответ дорабатывается" not in html

    response = logged_in.post(
        action_url(appeal, "rate"), {"version": version_in(html, "rate"), "rating": "5", "round_number": "2"},
        follow=True,
    )

    appeal.refresh_from_db()
    assert (appeal.rating, appeal.rework_count, appeal.status) == (5, 1, AppealStatus.ANSWERED)
    assert list(appeal.answers.values_list("number", "rating")) == [(1, 3), (2, 5)]
    html = response.text
    assert "Ваша оценка: 3 из 5" in section(html, "round-1") and "Ваша оценка: 5 из 5" in section(html, "round-2")
    assert 'id="action-rate"' not in html  # both rated
    assert 'id="action-send_back_for_rework"' in html  # the newest answer may still be sent back


def test_an_unrated_sent_back_answer_keeps_its_own_form_and_the_letter_goes_to_the_newest(logged_in, answered,
                                                                                            manager, head):
    post_action(logged_in, answered, "send_back_for_rework", reason=REASON)
    appeal = answer(Appeal.objects.get(pk=answered.pk), manager, head, SECOND)

    html = logged_in.get(page_url(appeal)).text

    assert 'id="action-rate-1"' in section(html, "round-1")
    assert 'id="action-rate"' in section(html, "round-2")
    response = logged_in.post(
        action_url(appeal, "rate"), {"version": version_in(html, "rate"), "rating": "2", "round_number": "1"},
        follow=True,
    )
    appeal.refresh_from_db()
    assert list(appeal.answers.values_list("number", "rating")) == [(1, 2), (2, None)]
    assert appeal.rating is None  # the appeal's rating is its last round's
    assert 'id="action-rate"' in section(response.text, "round-2")


def test_the_files_of_a_draft_the_head_returned_never_reach_the_investor(logged_in, file_appeal, coordinator,
                                                                           manager, head):
    """The head returns a draft with two files; the executor sends a new one with only one of them again. The
    investor gets the approved draft's file — not the returned draft's — on the page, in the DOCX and by address;
    staff still find the returned files on the returned draft's history line."""
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    appeal = act(appeal, "take_into_work", manager)
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Первый вариант",
                 files=[SimpleUploadedFile("План.pdf", PDF), SimpleUploadedFile("Письмо в администрацию.pdf", PDF)])
    appeal = act(appeal, "return_to_executor", head, comment="Письмо администрации не прикладывайте")
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Второй вариант",
                 files=[SimpleUploadedFile("План.pdf", PDF)])
    appeal = act(appeal, "approve", head)

    approved = appeal.answers.get()
    assert sorted(approved.files.values_list("original_name", flat=True)) == ["План.pdf"]
    returned = appeal.files.exclude(answer=approved)
    assert sorted(returned.values_list("original_name", "is_public")) == [
        ("Письмо в администрацию.pdf", False), ("План.pdf", False)]
    html = logged_in.get(page_url(appeal)).text
    assert "Второй вариант" in html and html.count("План.pdf") == 1 and "Письмо в администрацию" not in html
    text = docx_text(logged_in.get(reverse("portal:appeal_docx", args=[appeal.pk])).content)
    assert "Письмо в администрацию" not in text and text.count("План.pdf") == 1
    for file in returned:
        assert logged_in.get(reverse("portal:appeal_file", args=[file.pk])).status_code == 404


def test_two_reworks_show_three_rounds(logged_in, answered, manager, head):
    appeal = answered
    for number, text in ((2, SECOND), (3, THIRD)):
        post_action(logged_in, appeal, "send_back_for_rework", reason=f"Замечание к ответу {number - 1}")
        appeal = answer(Appeal.objects.get(pk=appeal.pk), manager, head, text)

    html = logged_in.get(page_url(appeal)).text

    assert "Ответы" in html
    for number, text in ((1, FIRST), (2, SECOND), (3, THIRD)):
        assert f"Ответ {number}" in section(html, f"round-{number}") and text in section(html, f"round-{number}")
    assert "Замечание к ответу 1" in section(html, "round-1") and "Замечание к ответу 2" in section(html, "round-2")
    assert 'id="action-rate"' in section(html, "round-3")
    assert Appeal.objects.get(pk=appeal.pk).rework_count == 2


@pytest.mark.parametrize("rating", ["7", "", "пять"])
def test_a_bad_rating_is_refused_in_russian_and_nothing_changes(logged_in, answered, rating):
    html = logged_in.get(page_url(answered)).text
    data = {"version": version_in(html, "rate"), "round_number": "1"}
    if rating:
        data["rating"] = rating

    response = logged_in.post(action_url(answered, "rate"), data)

    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.text or "Обязательное поле" in response.text
    assert 'id="action-rate"' in response.text  # the form is shown again under its round
    assert_russian(response.text)
    assert Appeal.objects.get(pk=answered.pk).rating is None
    assert AppealAnswer.objects.get(appeal=answered).rating is None


def test_a_rated_round_cannot_be_rated_again(logged_in, answered):
    html = logged_in.get(page_url(answered)).text
    version = version_in(html, "rate")
    post_action(logged_in, answered, "rate", rating="4", round_number="1")

    answered.refresh_from_db()
    response = logged_in.post(
        action_url(answered, "rate"), {"version": answered.updated_at.isoformat(), "rating": "1", "round_number": "1"},
        follow=True,
    )

    assert version  # the first page offered the form
    assert AppealAnswer.objects.get(appeal=answered).rating == 4
    assert "Спасибо за оценку" not in response.text


def test_another_investor_gets_404(client, answered, other_investor):
    client.force_login(other_investor)

    assert client.get(page_url(answered)).status_code == 404
    assert client.post(action_url(answered, "rate"), {"version": "x", "rating": "1"}).status_code == 404
    assert client.get(reverse("portal:appeal_docx", args=[answered.pk])).status_code == 404
    assert AppealAnswer.objects.get(appeal=answered).rating is None


def test_the_page_queries_do_not_grow_with_the_rounds(logged_in, answered, manager, head):
    with CaptureQueriesContext(connection) as one:
        assert logged_in.get(page_url(answered)).status_code == 200
    appeal = answered
    for text in (SECOND, THIRD):
        post_action(logged_in, appeal, "rate", rating="3")
        post_action(logged_in, appeal, "send_back_for_rework", reason=REASON)
        appeal = answer(Appeal.objects.get(pk=appeal.pk), manager, head, text, file_name=f"{text[:5]}.pdf")
    assert appeal.answers.count() == 3

    with CaptureQueriesContext(connection) as three:
        assert logged_in.get(page_url(appeal)).status_code == 200

    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]


# --- the investor's DOCX ------------------------------------------------------------------------------------------
def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_investor_downloads_the_public_docx_with_the_rounds(logged_in, answered, manager, head):
    act(answered, "comment", manager, text=INTERNAL, is_public=False)
    post_action(logged_in, answered, "rate", rating="3", round_number="1")
    post_action(logged_in, answered, "send_back_for_rework", reason=REASON)
    appeal = Appeal.objects.get(pk=answered.pk)
    # the executor's instruction to themselves is internal; the new draft waits for the head
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Черновик второго ответа",
                 files=[SimpleUploadedFile("Черновик.pdf", PDF)])

    html = logged_in.get(page_url(appeal)).text
    assert reverse("portal:appeal_docx", args=[appeal.pk]) in html and "Скачать обращение" in html
    assert "Черновик второго ответа" not in html
    response = logged_in.get(reverse("portal:appeal_docx", args=[appeal.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="obrashchenie-{appeal.number}.docx"'
    text = docx_text(response.content)
    for expected in (f"Обращение №{appeal.number}", appeal.description, "Канал поступления", "Портал", "Ответ 1",
                     FIRST, "Ответ 1.pdf", "Оценка инвестора: 3 из 5", REASON, "Обращение подано"):
        assert expected in text, expected
    for hidden in (INTERNAL, "Черновик второго ответа", "Черновик.pdf", "Служебное", "Проект ответа"):
        assert hidden not in text, hidden


def test_the_page_names_who_works_on_the_appeal_as_its_docx_does(logged_in, answered, manager, head):
    """The three roles with their contacts, on the page as in the DOCX the investor downloads; one not yet given
    says so."""
    Appeal.objects.filter(pk=answered.pk).update(coordinator=None)
    html = logged_in.get(page_url(answered)).text
    roles = html[html.index('id="roles-title"'):]
    people = {role: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(part))).strip()
              for role, part in re.findall(r'data-role="(\w+)">(.*?)</section>', roles, re.S)}
    assert list(people) == ["head", "coordinator", "manager"]
    assert people["head"].startswith("Руководитель Согласовывает ответы на обращения")
    for role, person in (("head", head), ("manager", manager)):
        for shown in (person.polite_name, person.email, person.organisation.short_name):
            assert shown in people[role], (role, shown)
    assert people["coordinator"].endswith("Ещё не назначен.")
    text = docx_text(logged_in.get(reverse("portal:appeal_docx", args=[answered.pk])).content)
    for person in (head, manager):
        assert person.full_name in text and person.email in text
    assert "не назначен" in text


def test_a_staff_registered_appeal_shows_the_channel_instead_of_the_applicant(logged_in, coordinator, company,
                                                                              problem_fact):
    appeal = appeal_submit(
        actor=coordinator, organisation=company, channel=AppealChannel.PHONE, received_at=timezone.now(),
        fact=problem_fact, subject="Звонок о подключении к сетям", description="Инвестор просит помочь с ТУ.",
        contact_name="Петров Пётр", contact_phone="+7 900 000-00-00",
    )

    listing = logged_in.get(reverse("portal:appeal_list")).text
    page = logged_in.get(page_url(appeal))
    docx = docx_text(logged_in.get(reverse("portal:appeal_docx", args=[appeal.pk])).content)

    assert "Зарегистрировано сотрудником агентства (Телефон)" in listing
    assert page.status_code == 200
    assert "Канал поступления" in page.text and "Телефон" in page.text
    assert "Зарегистрировано сотрудником агентства (Телефон)" in page.text and "Петров Пётр" in page.text
    assert_russian(page.text)
    assert "Зарегистрировано сотрудником агентства (Телефон)" in docx
