"""The appeal card in the cabinet: what it shows, which buttons each person gets, and every action through it."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.choices import AppealEventKind, AppealStatus
from core.models import Appeal, AppealFile, Fact
from core.roles import Role
from tests.admin_site.appeals.helpers import act, action_url, card_url, pdf, post_action
from tests.admin_site.helpers import page_text

S = AppealStatus


def buttons(response) -> set[str]:
    """The labels of the detail actions unfold shows at the top of the card, also those in the «Ещё» dropdown."""
    items = [item for action in response.context["actions_detail"] for item in action.get("items", [action])]
    return {item["title"] for item in items}


def test_card_shows_request_roles_history_and_comment_box(login, coordinator, manager, assigned):
    act(assigned, "comment", coordinator, text="Проверить кадастровый номер", is_public=False)
    text = page_text(login(coordinator).get(card_url(assigned)))
    for expected in (
        f"Обращение #{assigned.number}", assigned.subject, "Проблема",  # the request and its type
        "Вопросы примыкания к автомобильным дорогам →",  # the classifier path
        "осталось 20 дн.",  # deadline with the days left
        "Руководитель", "Координатор", "Менеджер", manager.email, "Агентство (тест)",  # roles with contacts
        "ИНН " + assigned.organisation_inn, "ОГРН",  # the applicant
        "Было: Обращение поступило на модерацию → Стало: Обращение передано на исполнение",  # the timeline
        "Проверить кадастровый номер", "Служебное",  # an internal comment, marked
        "Добавить комментарий", "Видно инвестору",  # the comment box
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("who", "expected", "absent"),
    [
        ("coordinator", {"Назначить менеджера", "Отклонить", "Скачать DOCX"}, {"Взять в работу"}),
        ("director", {"Назначить менеджера", "Отклонить", "Перенести срок"}, {"Согласовать ответ"}),
        ("manager", {"Перенести срок"}, {"Назначить менеджера", "Отклонить"}),
    ],
)
def test_buttons_in_moderation_follow_the_role(request, login, appeal, who, expected, absent):
    user = request.getfixturevalue(who)
    if who == "manager":
        Appeal.objects.filter(pk=appeal.pk).update(manager=user)  # a manager sees an appeal once it is theirs
    names = buttons(login(user).get(card_url(appeal)))
    assert expected <= names
    assert not absent & names


def test_only_the_head_gets_approve_and_return(login, assigned, manager, head):
    answered = act(act(assigned, "take_into_work", manager), "submit_for_approval", manager, answer_text="Ответ")
    assert {"Согласовать ответ", "Вернуть исполнителю"} <= buttons(login(head).get(card_url(answered)))
    names = buttons(login(manager).get(card_url(answered)))
    assert "Согласовать ответ" not in names and "Взять в работу" not in names


def test_the_head_approving_sees_the_approval_first_and_the_appointment_plain(login, assigned, manager, head):
    """«Назначить ответственного» moves no status: on an answer waiting for approval it was the first green button,
    before «Согласовать ответ». The status's own steps come first and coloured; the appointment after them, plain."""
    appeal = act(act(assigned, "take_into_work", manager), "submit_for_approval", manager, answer_text="Ответ")
    shown = [action for action in login(head).get(card_url(appeal)).context["actions_detail"] if "items" not in action]
    titles = [action["title"] for action in shown]
    assert titles.index("Согласовать ответ") < titles.index("Назначить ответственного")
    assert titles[0] == "Согласовать ответ"
    variants = {action["title"]: str(action.get("variant", "")) for action in shown}
    assert "default" in variants["Назначить ответственного"].lower()
    assert "success" in variants["Согласовать ответ"].lower()


def test_executor_takes_into_work_what_was_redirected_to_its_organisation(login, assigned, manager, executor, omsu):
    redirected = act(assigned, "redirect", manager, executor_organisation=omsu, comment="Просим принять участие")
    names = buttons(login(executor).get(card_url(redirected)))
    assert "Взять в работу" in names and "Назначить менеджера" not in names


# --- every action posted through the cabinet ------------------------------------------------------------------
def status_of(appeal) -> str:
    return Appeal.objects.get(pk=appeal.pk).status


def test_assign_through_the_form(login, coordinator, appeal, manager, head):
    client = login(coordinator)
    assert client.get(action_url(appeal, "assign")).status_code == 200
    response = post_action(client, appeal, "assign", executor_organisation=manager.organisation.pk,
                           manager=manager.pk, head=head.pk, comment="Прошу подготовить ответ")
    assert "«Назначить менеджера»: готово." in page_text(response)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.manager, appeal.head) == (S.ASSIGNED, manager, head)


def test_the_door_checks_the_manager_and_the_form_keeps_what_was_typed(login, coordinator, appeal, omsu):
    response = post_action(login(coordinator), appeal, "assign", executor_organisation=omsu.pk, manager=coordinator.pk,
                           comment="Набранный текст")
    text = page_text(response)
    assert "Сотрудник должен работать в организации-исполнителе." in text
    assert "Набранный текст" in response.content.decode()
    assert status_of(appeal) == S.MODERATION


def test_reject_needs_a_reason_then_rejects(login, coordinator, appeal):
    client = login(coordinator)
    assert "Укажите причину отклонения" in page_text(post_action(client, appeal, "reject", reason=" "))
    post_action(client, appeal, "reject", reason="Вопрос не относится к инвестиционной деятельности")
    assert status_of(appeal) == S.REJECTED


def test_the_whole_way_from_redirect_to_close(login, assigned, manager, executor, omsu, make_user, coordinator,
                                              head):
    make_user(Role.HEAD, organisation=omsu)
    post_action(login(manager), assigned, "redirect", executor_organisation=omsu.pk, comment="Просим принять участие")
    assert status_of(assigned) == S.REDIRECTED
    post_action(login(executor), assigned, "take_into_work")
    assert status_of(assigned) == S.IN_WORK
    post_action(login(executor), assigned, "submit_for_approval", answer_text="Проект согласован.",
                files=[pdf("Ответ администрации.pdf")])
    assert status_of(assigned) == S.APPROVAL
    assert AppealFile.objects.get(appeal=assigned).original_name == "Ответ администрации.pdf"
    # seed #737: the agency's head approves what the ОМСУ prepared
    post_action(login(head), assigned, "return_to_executor", comment="Укажите сроки")
    assert status_of(assigned) == S.IN_WORK
    post_action(login(executor), assigned, "submit_for_approval", answer_text="Проект согласован, срок — 5 дней.")
    post_action(login(head), assigned, "approve")
    assert status_of(assigned) == S.ANSWERED
    post_action(login(coordinator), assigned, "close", outcome=S.RESOLVED, comment="Вопрос решён")
    assert status_of(assigned) == S.RESOLVED


def draft_panel(html: str) -> str:
    """The card's «Проект ответа» panel: its text and files, up to who prepared it."""
    start = html.index("zk-draft")
    return html[start:html.index("Подготовил:", start)]


def test_a_resubmitted_draft_shows_its_own_files_and_the_returned_ones_stay_on_their_line(login, assigned, manager,
                                                                                            head):
    appeal = act(assigned, "take_into_work", manager)
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Первый вариант",
                 files=[pdf("Письмо в администрацию.pdf")])
    appeal = act(appeal, "return_to_executor", head, comment="Письмо не прикладывайте")
    returned = draft_panel(login(manager).get(card_url(appeal)).content.decode())
    assert "Письмо в администрацию.pdf" in returned
    assert "Замечание при возврате" in returned and "Письмо не прикладывайте" in returned  # not only in the history
    dialog = page_text(login(manager).get(action_url(appeal, "submit_for_approval")))
    assert ("Файлы возвращённого проекта ответа к новому не переносятся — приложите заново те, что нужны: "
            "«Письмо в администрацию.pdf».") in dialog
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Второй вариант", files=[pdf("План.pdf")])

    html = login(head).get(card_url(appeal)).content.decode()
    panel = draft_panel(html)
    assert "Второй вариант" in panel and "План.pdf" in panel and "Письмо в администрацию.pdf" not in panel
    assert "Письмо в администрацию.pdf" in html  # still in the history, on the returned draft's line


def test_clarification_and_deadline_extension(login, assigned, manager):
    client = login(manager)
    post_action(client, assigned, "request_clarification", comment="Уточните кадастровый номер")
    assert status_of(assigned) == S.CLARIFICATION
    new_deadline = assigned.deadline + timedelta(days=10)
    response = post_action(client, assigned, "extend_deadline", new_deadline=new_deadline.isoformat(),
                           reason="Ждём ответа РСО")
    assert "«Перенести срок»: готово." in page_text(response)
    assigned.refresh_from_db()
    assert (assigned.status, assigned.deadline) == (S.CLARIFICATION, new_deadline)


def test_reclassify_through_the_form(login, coordinator, appeal, classifier):
    consultation = Fact.objects.get(code="06.01.001")
    post_action(login(coordinator), appeal, "reclassify", fact=consultation.pk)
    appeal.refresh_from_db()
    assert appeal.fact == consultation and appeal.events.last().kind == AppealEventKind.RECLASSIFIED


def test_comment_box_posts_public_or_internal_comments_with_files(login, coordinator, appeal):
    client = login(coordinator)
    post_action(client, appeal, "comment", text="Для инвестора", is_public="on", files=[pdf("Письмо №1.pdf")])
    post_action(client, appeal, "comment", text="Только для своих")
    comments = {e.text: e.is_public for e in appeal.events.filter(kind=AppealEventKind.COMMENT)}
    assert comments == {"Для инвестора": True, "Только для своих": False}
    assert appeal.files.get().original_name == "Письмо №1.pdf"
    assert "Напишите комментарий." in page_text(post_action(client, appeal, "comment", text=""))


def test_a_stale_page_is_refused_and_changes_nothing(login, coordinator, director, appeal):
    client = login(coordinator)
    seen = Appeal.objects.get(pk=appeal.pk).updated_at.isoformat()  # the coordinator opened the page…
    act(appeal, "extend_deadline", director, new_deadline=appeal.deadline + timedelta(days=3), reason="Ждём РСО")
    response = post_action(client, appeal, "reject", version=seen, reason="Дубль обращения №17")
    text = page_text(response)
    assert "Пока вы заполняли форму, обращение изменил другой пользователь. Введённое вами сохранено" in text
    assert "Дубль обращения №17" in text  # what was typed is on the form shown again
    assert status_of(appeal) == S.MODERATION
    assert not appeal.events.filter(name="reject").exists()
    current = unescape(re.search(r'name="version" value="([^"]+)"', response.content.decode()).group(1))
    assert current == Appeal.objects.get(pk=appeal.pk).updated_at.isoformat()  # sending again is a choice
    response = post_action(client, appeal, "reject", version="вчера", reason="Дубль")  # a garbled page
    assert "Обращение уже изменено другим пользователем" in page_text(response)
    assert status_of(appeal) == S.MODERATION
    post_action(client, appeal, "reject", version=current, reason="Дубль обращения №17")
    assert status_of(appeal) == S.REJECTED


def test_closing_an_answer_sent_back_meanwhile_says_what_happened(login, assigned, manager, head, coordinator,
                                                                   investor):
    """The investor sent the answer back while the coordinator was closing the appeal: the form is not offered
    again (closing is no longer possible) — the card says what the appeal is now, and nothing changed."""
    answered = act(act(act(assigned, "take_into_work", manager), "submit_for_approval", manager,
                       answer_text="Ответ"), "approve", head)
    client = login(coordinator)
    seen = Appeal.objects.get(pk=answered.pk).updated_at.isoformat()  # the close dialog is open…
    act(answered, "send_back_for_rework", investor, reason="Не указан срок")
    response = post_action(client, answered, "close", version=seen, outcome=S.RESOLVED, comment="Вопрос решён")
    text = page_text(response)
    assert response.redirect_chain[-1][0] == card_url(answered)
    assert ("Пока вы заполняли форму, обращение изменилось: теперь его статус — «Обращение взято в работу», и "
            "действие «Закрыть с итогом» больше недоступно. Ничего не сохранено.") in text
    assert status_of(answered) == S.IN_WORK
    assert not answered.events.filter(name="close").exists()


def test_an_action_not_allowed_now_is_not_offered(login, coordinator, manager, assigned):
    client = login(coordinator)
    response = client.get(action_url(assigned, "approve"), follow=True)
    assert "вам сейчас недоступно" in page_text(response)
    response = post_action(client, assigned, "approve")
    assert "Действие «Согласовать ответ» недоступно" in page_text(response)
    assert status_of(assigned) == S.ASSIGNED


def test_someone_who_does_not_see_the_appeal_gets_404(login, executor, appeal):
    client = login(executor)
    assert client.get(action_url(appeal, "reject")).status_code == 404
    assert post_action(client, appeal, "comment", text="Чужое").status_code == 404
    assert not appeal.events.filter(kind=AppealEventKind.COMMENT).exists()


def test_the_card_of_an_appeal_one_does_not_see_is_not_shown(login, executor, appeal):
    response = login(executor).get(card_url(appeal))
    assert response.status_code == 403 and appeal.subject not in page_text(response)
    assert "нет к ней доступа" in page_text(response)  # it exists: «Нет доступа», not «не найдена»


def test_without_the_view_permission_every_appeal_page_is_closed(login, coordinator, appeal, problem_fact):
    for group in coordinator.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_appeal"))
    client = login(coordinator)
    for url in (
        reverse("admin:core_appeal_changelist"), card_url(appeal), action_url(appeal, "reject"),
        action_url(appeal, "comment"), reverse("admin:core_appeal_stream", args=[problem_fact.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert post_action(client, appeal, "comment", text="Без права").status_code == 403
