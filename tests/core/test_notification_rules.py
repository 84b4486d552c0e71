"""Who is told what when an appeal, a project, a task, a meeting or a request changes (through the doors)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.choices import AppealStatus
from core.models import Appeal, Notification
from core.roles import Role
from core.services.notifications import notification_preferences_set
from core.workflows.appeals import appeal_transition
from core.workflows.projects import project_transition
from core.workflows.tasks import task_create


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def told(event: str, channel: str = "site") -> set[str]:
    return set(Notification.objects.filter(event=event, channel=channel).values_list("recipient__email", flat=True))


@pytest.fixture
def omsu_head(make_user, omsu):
    return make_user(Role.HEAD, organisation=omsu, email="omsu-head@test.zk.example")


def test_the_appeal_journey_tells_each_side_what_concerns_it(
    file_appeal, investor, coordinator, manager, head, omsu, executor, omsu_head
):
    company = investor.organisation
    company.personal_manager = coordinator
    company.save()
    appeal = file_appeal()
    assert told("appeal_registered") == {investor.email}
    assert told("appeal_registered", "email") == {investor.email}
    assert told("appeal_new") == {coordinator.email}

    appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    assert told("appeal_assigned") == {manager.email}  # the coordinator did it: not told about their own act
    appeal = act(appeal, "redirect", manager, executor_organisation=omsu, comment="Просим подготовить ответ")
    assert told("appeal_redirected") == {omsu_head.email, coordinator.email}
    appeal = act(appeal, "take_into_work", executor)
    appeal = act(appeal, "request_clarification", executor, comment="Уточните кадастровый номер участка")
    assert told("appeal_clarification_requested") == {investor.email}
    appeal = act(appeal, "provide_clarification", investor, comment="47:26:0000000:1")
    # the ОМСУ's person who took it into work became its manager (seed #737)
    assert told("appeal_clarification_provided") == {executor.email}
    appeal = act(appeal, "submit_for_approval", executor, answer_text="Согласование выдано.")
    assert told("appeal_awaiting_approval") == {head.email}  # the agency's head approves
    appeal = act(appeal, "return_to_executor", head, comment="Приложите письмо")
    assert told("appeal_returned_to_executor") == {executor.email}
    appeal = act(appeal, "submit_for_approval", executor, answer_text="Согласование выдано, письмо приложено.")
    appeal = act(appeal, "approve", head)
    answered = Notification.objects.get(event="appeal_answered", channel="email")
    assert answered.recipient == investor
    assert f"/cabinet/appeals/{appeal.pk}/#action-rate" in answered.body_text
    assert f"/cabinet/appeals/{appeal.pk}/#action-send_back_for_rework" in answered.body_text
    appeal = act(appeal, "send_back_for_rework", investor, reason="Нет сроков выполнения работ")
    assert told("appeal_rework") == {executor.email, head.email, coordinator.email}
    appeal = act(appeal, "extend_deadline", coordinator, new_deadline=appeal.deadline + timedelta(days=10),
                 reason="Нужна экспертиза")
    assert told("appeal_deadline_extended") == {investor.email, executor.email}


def test_links_lead_to_the_right_face(file_appeal, investor, coordinator, manager):
    appeal = file_appeal()
    act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    to_investor = Notification.objects.get(event="appeal_registered", channel="site")
    to_manager = Notification.objects.get(event="appeal_assigned", channel="site")
    assert to_investor.link.endswith(f"/cabinet/appeals/{appeal.pk}/")
    assert to_manager.link.endswith(f"/admin/core/appeal/{appeal.pk}/change/")


def test_a_rejection_tells_the_investor_the_reason(file_appeal, investor, coordinator):
    appeal = file_appeal()
    act(appeal, "reject", coordinator, reason="Вопрос не относится к компетенции агентства")
    letter = Notification.objects.get(event="appeal_rejected", channel="email")
    assert letter.recipient == investor and "не относится к компетенции" in letter.body_text
    # by name and patronymic, as a Russian business letter greets (not «Имя Отчество Фамилия»)
    assert investor.middle_name
    assert letter.body_text.splitlines()[0] == f"Здравствуйте, {investor.first_name} {investor.middle_name}!"


def test_comments_reach_the_other_side_only_when_public(file_appeal, investor, coordinator, manager, head):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    act(appeal, "comment", manager, text="Служебно: ждём позицию комитета", is_public=False)
    assert told("appeal_comment") == set()
    act(appeal, "comment", manager, text="Документы получены, изучаем", is_public=True)
    assert told("appeal_comment") == {investor.email}
    letter = Notification.objects.get(event="appeal_comment", channel="email")
    assert "Документы получены, изучаем" in letter.body_text and "Служебно" not in letter.body_text
    act(appeal, "comment", investor, text="Прилагаем уточнённую схему")
    assert told("appeal_comment") == {investor.email, manager.email, coordinator.email}


def test_closing_tells_the_investor_the_outcome_and_only_a_public_comment(file_appeal, investor, coordinator,
                                                                         manager, head):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    appeal = act(act(appeal, "take_into_work", manager), "submit_for_approval", manager, answer_text="Ответ")
    appeal = act(appeal, "approve", head)
    act(appeal, "close", coordinator, outcome="resolved", comment="Служебно: закрыто по звонку", text_public=False)
    letter = Notification.objects.get(event="appeal_closed", channel="email")
    assert letter.recipient == investor and "закрыто: Решено" in letter.subject
    assert "Итог: Решено" in letter.body_text and "Служебно" not in letter.body_text


def test_a_failed_change_tells_nobody(file_appeal, coordinator):
    appeal = file_appeal()
    before = Notification.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - the door refuses an empty reason
        act(appeal, "reject", coordinator, reason="")
    assert Notification.objects.count() == before
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.MODERATION


def test_optional_letters_follow_preferences_but_mandatory_ones_always_come(
    file_appeal, investor, coordinator, manager
):
    notification_preferences_set(user=manager, email_events=[])  # switch off everything optional
    appeal = file_appeal()
    act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    assert told("appeal_assigned") == {manager.email}  # the in-app notice still arrives
    assert told("appeal_assigned", "email") == set()
    notification_preferences_set(user=investor, email_events=[])
    file_appeal()
    assert investor.email in told("appeal_registered", "email")  # mandatory: number and deadline


def test_project_stage_task_meeting_and_request(apply_project, investor, manager, executor, make_user, company):
    from core.services.projects import meeting_save, meeting_set_status, request_send

    colleague = make_user(Role.INVESTOR, organisation=company, email="colleague@test.zk.example")
    project = apply_project()
    project = project_transition(project=project, name="start_review", actor=manager)
    assert told("project_stage_changed") == {investor.email, colleague.email}

    task_create(author=manager, assignee=executor, title="Подготовить ТУ", due_date=date.today() + timedelta(5),
                project=project)
    assert told("task_assigned") == {executor.email}

    starts = timezone.now() + timedelta(days=3)
    meeting = meeting_save(project=project, actor=manager, participants=[investor, executor], title="Рабочая встреча",
                           starts_at=starts, duration_minutes=60, format="video", link="https://vks.example/room")
    scheduled = Notification.objects.filter(event="meeting_scheduled", channel="email")
    assert {n.recipient for n in scheduled} == {investor, executor}  # the manager scheduled it
    assert all(b"BEGIN:VCALENDAR" in bytes(n.attachment) and n.attachment_type == "text/calendar" for n in scheduled)
    meeting = meeting_save(project=project, actor=manager, meeting=meeting, participants=[investor, executor],
                           starts_at=starts + timedelta(hours=2))
    changed = Notification.objects.filter(event="meeting_changed", channel="email")
    assert {n.recipient for n in changed} == {investor, executor}
    assert all(b"SEQUENCE:1" in bytes(n.attachment) for n in changed)
    meeting_set_status(meeting=meeting, actor=manager, status="cancelled")
    assert told("meeting_cancelled") == {investor.email, executor.email}

    request_send(project=project, actor=manager, organisation=executor.organisation, subject="Подключение к сетям",
                 text="Сообщите о возможности подключения")
    assert told("request_sent") == {executor.email}
