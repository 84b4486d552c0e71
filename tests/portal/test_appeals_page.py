"""The appeal page in the investor portal: request, history, answer, the investor's actions, stale pages, legacy."""

import re
from datetime import datetime
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.choices import AppealEventKind, AppealStatus
from core.models import Appeal, AppealEvent
from core.services.legacy import legacy_appeal_build, legacy_appeal_save
from core.workflows.appeals import appeal_transition
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def page_url(appeal) -> str:
    return reverse("portal:appeal_detail", args=[appeal.pk])


def action_url(appeal, name) -> str:
    return reverse("portal:appeal_action", args=[appeal.pk, name])


def version_in(html: str, action: str) -> str:
    form = html.split('action="/cabinet/appeals/')[1:]
    chunk = next(part for part in form if part.split('"')[0].split("#")[0].endswith(f"/{action}/"))
    return unescape(re.search(r'name="version" value="([^"]+)"', chunk).group(1))


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


@pytest.fixture
def in_work(file_appeal, coordinator, manager, head):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    return act(appeal, "take_into_work", manager)


@pytest.fixture
def answered(in_work, manager, head):
    appeal = act(
        in_work, "submit_for_approval", manager, answer_text="Встреча по ВКС назначена на 03.03.2025.",
        files=[SimpleUploadedFile("Ответ агентства.pdf", PDF)],
    )
    return act(appeal, "approve", head)


@time_machine.travel("2025-02-21 12:47 +03:00", tick=False)
def test_the_page_shows_the_request_its_deadline_and_public_history(logged_in, file_appeal, coordinator, manager,
                                                                    head):
    appeal = file_appeal(files=[SimpleUploadedFile("Схема.pdf", PDF)])
    appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    act(appeal, "comment", manager, text="Служебная заметка для коллег", is_public=False)

    response = logged_in.get(page_url(appeal))

    text = response.text
    assert response.status_code == 200
    assert f"Обращение №{appeal.number}" in text
    assert "21.02.2025 12:47" in text
    assert "ответ до 13.03.2025" in text
    assert "Обращение передано на исполнение" in text  # the status badge and the history row
    assert appeal.description in text
    assert "Схема.pdf" in text
    assert "Обращение подано" in text and "Срок ответа — до 13.03.2025" in text
    assert f"{coordinator.full_name}, Агентство (тест)" in text  # staff: name and organisation
    assert "Обращение поступило на модерацию" in text  # from … → to …
    assert "Служебная заметка" not in text  # internal comments stay with the staff
    assert "Добавить комментарий" in text
    assert "Оценить ответ" not in text and "Отправить на доработку" not in text
    assert_russian(text)


def test_the_investor_comments_with_a_file(logged_in, investor, file_appeal):
    appeal = file_appeal()
    version = version_in(logged_in.get(page_url(appeal)).text, "comment")

    response = logged_in.post(
        action_url(appeal, "comment"),
        {"version": version, "text": "Прикладываем схему съезда.", "files": [SimpleUploadedFile("Съезд.pdf", PDF)]},
        follow=True,
    )

    assert "Комментарий добавлен." in response.text
    event = appeal.events.get(kind=AppealEventKind.COMMENT)
    assert (event.actor, event.text, event.is_public) == (investor, "Прикладываем схему съезда.", True)
    assert event.files.get().original_name == "Съезд.pdf"
    assert "Прикладываем схему съезда." in response.text
    assert f"{investor.full_name} (вы)" in response.text
    assert reverse("portal:appeal_file", args=[event.files.get().pk]) in response.text


def test_an_empty_comment_is_refused_in_russian(logged_in, file_appeal):
    appeal = file_appeal()
    version = version_in(logged_in.get(page_url(appeal)).text, "comment")

    response = logged_in.post(action_url(appeal, "comment"), {"version": version, "text": "  "})

    assert response.status_code == 200
    assert "Обязательное поле" in response.text
    assert not appeal.events.filter(kind=AppealEventKind.COMMENT).exists()


def test_the_investor_answers_a_clarification_request(logged_in, in_work, manager):
    appeal = act(in_work, "request_clarification", manager, comment="Приложите схему участка с координатами.")
    page = logged_in.get(page_url(appeal)).text
    assert "Ответить на уточнение" in page
    assert "Приложите схему участка с координатами." in page

    response = logged_in.post(
        action_url(appeal, "provide_clarification"),
        {"version": version_in(page, "provide_clarification"), "comment": "Схема во вложении.",
         "files": [SimpleUploadedFile("Схема участка.pdf", PDF)]},
        follow=True,
    )

    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_WORK
    assert "Ответ на уточнение отправлен исполнителю." in response.text
    assert "Ответ инвестора на уточнение" in response.text
    assert "Схема участка.pdf" in response.text
    assert "Ответить на уточнение" not in response.text


def test_the_answer_is_shown_after_approval_only(logged_in, in_work, manager, head):
    appeal = act(in_work, "submit_for_approval", manager, answer_text="Черновик ответа инвестору.",
                 files=[SimpleUploadedFile("Черновик.pdf", PDF)])
    draft = logged_in.get(page_url(appeal)).text
    assert "Черновик ответа" not in draft and "Черновик.pdf" not in draft

    act(appeal, "approve", head)
    text = logged_in.get(page_url(appeal)).text

    assert "Черновик ответа инвестору." in text and "Черновик.pdf" in text
    assert "Оценить ответ" in text and "Отправить на доработку" in text


def test_the_investor_rates_the_answer(logged_in, answered):
    page = logged_in.get(page_url(answered)).text
    assert "Встреча по ВКС назначена на 03.03.2025." in page
    assert "Ответ агентства.pdf" in page

    response = logged_in.post(
        action_url(answered, "rate"),
        {"version": version_in(page, "rate"), "rating": "5", "comment": "Спасибо, быстро и по делу."},
        follow=True,
    )

    answered.refresh_from_db()
    assert (answered.rating, answered.rating_comment) == (5, "Спасибо, быстро и по делу.")
    assert "Спасибо за оценку ответа." in response.text
    assert "Ваша оценка: 5 из 5" in response.text
    assert "Оценка: 5 из 5" in response.text  # the history row
    assert 'name="rating"' not in response.text  # rated once


def test_a_rating_outside_one_to_five_is_refused(logged_in, answered):
    page = logged_in.get(page_url(answered)).text

    response = logged_in.post(action_url(answered, "rate"), {"version": version_in(page, "rate"), "rating": "7"})

    assert "Выберите корректный вариант" in response.text
    answered.refresh_from_db()
    assert answered.rating is None


def test_the_investor_sends_the_answer_back_for_rework(logged_in, answered):
    page = logged_in.get(page_url(answered)).text

    response = logged_in.post(
        action_url(answered, "send_back_for_rework"),
        {"version": version_in(page, "send_back_for_rework"), "reason": "Не указано время встречи."},
        follow=True,
    )

    answered.refresh_from_db()
    assert (answered.status, answered.rework_count) == (AppealStatus.IN_WORK, 1)
    assert "Обращение отправлено на доработку." in response.text
    assert "Не указано время встречи." in response.text


def test_a_stale_page_is_refused_and_the_typed_text_kept(logged_in, file_appeal, coordinator, manager):
    appeal = file_appeal()
    version = version_in(logged_in.get(page_url(appeal)).text, "comment")
    act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    events = AppealEvent.objects.count()

    response = logged_in.post(action_url(appeal, "comment"), {"version": version, "text": "Есть ли новости?"})

    assert response.status_code == 409
    html = response.text
    form = html[html.index('id="action-comment"'):]  # the form the page opens at: its action carries #action-comment
    assert "Обращение изменилось, пока вы писали" in form[:form.index("</form>")]
    assert "Есть ли новости?" in form[:form.index("</form>")]
    assert AppealEvent.objects.count() == events
    fresh = Appeal.objects.get(pk=appeal.pk).updated_at.isoformat()
    assert version_in(response.text, "comment") == fresh  # sending again now is a conscious choice


def test_each_form_posts_to_its_own_anchor_so_an_error_opens_where_it_is(logged_in, file_appeal):
    """The page comes back with the error: the form's address carries its section's #anchor, so the browser opens
    the page at the form and its error, not at the top with the error three screens below."""
    appeal = file_appeal()
    html = logged_in.get(page_url(appeal)).text
    assert f'action="{action_url(appeal, "comment")}#action-comment"' in html
    response = logged_in.post(action_url(appeal, "comment"), {"version": version_in(html, "comment"), "text": ""})
    section = response.text[response.text.index('id="action-comment"'):]
    assert "Проверьте форму" in section[:section.index("</form>")]


def test_a_forged_version_is_a_conflict(logged_in, file_appeal):
    appeal = file_appeal()

    response = logged_in.post(action_url(appeal, "comment"), {"version": "вчера", "text": "Есть ли новости?"})

    assert response.status_code == 409
    assert not appeal.events.filter(kind=AppealEventKind.COMMENT).exists()


def test_an_action_the_status_does_not_allow_is_refused(logged_in, file_appeal):
    appeal = file_appeal()
    version = version_in(logged_in.get(page_url(appeal)).text, "comment")

    response = logged_in.post(action_url(appeal, "rate"), {"version": version, "rating": "5"}, follow=True)

    assert "недоступно в статусе" in response.text
    assert Appeal.objects.get(pk=appeal.pk).rating is None


# --- «Мои обращения (Старые)» ------------------------------------------------------------------------------------
def test_legacy_appeals_are_listed_and_shown_read_only(logged_in, file_appeal):
    current = file_appeal(subject="Текущее обращение")
    legacy = file_appeal(subject="Обращение из прежней системы")
    Appeal.objects.filter(pk=legacy.pk).update(is_legacy=True)

    listing = logged_in.get(reverse("portal:legacy_appeal_list")).text
    current_list = logged_in.get(reverse("portal:appeal_list")).text
    page = logged_in.get(reverse("portal:legacy_appeal_detail", args=[legacy.pk]))

    assert "Обращение из прежней системы" in listing and "Текущее обращение" not in listing
    assert reverse("portal:legacy_appeal_detail", args=[legacy.pk]) in listing
    assert "Обращение из прежней системы" not in current_list
    assert page.status_code == 200
    assert "только для просмотра" in page.text
    assert "<form" not in page.text.split('id="main"')[1]
    assert logged_in.get(page_url(legacy)).status_code == 404
    assert logged_in.get(reverse("portal:legacy_appeal_detail", args=[current.pk])).status_code == 404
    version = legacy.updated_at.isoformat()
    assert logged_in.post(action_url(legacy, "comment"), {"version": version, "text": "Да"}).status_code == 404


def test_no_legacy_appeals_says_so(logged_in):
    assert "Обращений из прежней системы у вашей компании нет" in logged_in.get(
        reverse("portal:legacy_appeal_list")
    ).text


def test_a_legacy_answer_is_shown_as_answer_1_with_its_rating(logged_in, investor, problem_fact, data_clerk):
    legacy = legacy_appeal_save(appeal=legacy_appeal_build(
        number=368, created_at=datetime.fromisoformat("2025-02-21T00:30:00+03:00"),
        organisation=investor.organisation, fact=problem_fact, subject="Съезд", status="resolved",
        answer_text="Проект примыкания согласован.", answered_at=datetime.fromisoformat("2025-03-10T10:00:00+03:00"),
        rating=4,
    ), actor=data_clerk)

    text = logged_in.get(reverse("portal:legacy_appeal_detail", args=[legacy.pk])).text

    assert "Ответ 1" in text and "Проект примыкания согласован." in text and "Ваша оценка: 4 из 5" in text
    assert "<form" not in text.split('id="main"')[1]
    assert reverse("portal:appeal_docx", args=[legacy.pk]) in text


def test_the_appeal_page_and_the_list_explain_the_statuses_and_the_mrg(logged_in, file_appeal):
    """An investor reads «Обращение поступило на модерацию» or «МРГ» without knowing what they mean."""
    appeal = file_appeal()
    for url in (reverse("portal:appeal_detail", args=[appeal.pk]), reverse("portal:appeal_list")):
        page = logged_in.get(url).content.decode()
        assert "<summary>Что означают статусы</summary>" in page, url
        assert "Агентство проверяет обращение перед передачей исполнителю." in page
        assert "МРГ — межведомственная рабочая группа" in page
