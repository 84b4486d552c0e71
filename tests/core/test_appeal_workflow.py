"""The appeal's door: the seed's «Ятэк Рус» case end to end, and what it refuses."""

from datetime import date

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from core.choices import AppealEventKind, AppealStatus
from core.models import Appeal, CalendarOverride, Fact
from core.workflows.appeals import AppealConflict, appeal_actions_for, appeal_transition


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


@time_machine.travel("2025-02-21 12:47 +03:00", tick=False)
def test_the_seed_case_from_filing_to_rating(file_appeal, investor, coordinator, manager, omsu, executor, head,
                                             make_user):
    from core.roles import Role

    omsu_head = make_user(Role.HEAD, organisation=omsu)
    appeal = file_appeal()
    assert appeal.number >= 1 and appeal.status == AppealStatus.MODERATION
    assert appeal.deadline == date(2025, 3, 13)  # «Проблема»: 20 calendar days, as #368 in the seed
    assert appeal.organisation_inn == investor.organisation.inn

    appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    assert (appeal.status, appeal.manager, appeal.coordinator) == (AppealStatus.ASSIGNED, manager, coordinator)
    appeal = act(appeal, "redirect", manager, executor_organisation=omsu, comment="Просим принять участие в ВКС")
    assert appeal.status == AppealStatus.REDIRECTED and appeal.executor_organisation == omsu
    # seed #737: the agency's head stays and approves, the coordinator keeps control, no manager until the body
    # names one
    assert (appeal.head, appeal.coordinator, appeal.manager) == (head, coordinator, None)
    appeal = act(appeal, "take_into_work", executor)
    assert appeal.manager == executor  # the receiving body's person who took it is now its manager
    appeal = act(appeal, "submit_for_approval", executor, answer_text="Проект примыкания согласован.")
    assert appeal.status == AppealStatus.APPROVAL
    assert "approve" not in {a.name for a in appeal_actions_for(appeal=appeal, user=executor)}
    assert "approve" not in {a.name for a in appeal_actions_for(appeal=appeal, user=omsu_head)}
    with pytest.raises(PermissionDenied):
        act(appeal, "approve", omsu_head)
    appeal = act(appeal, "approve", head)
    assert appeal.status == AppealStatus.ANSWERED and appeal.answered_by == executor and appeal.answered_at
    appeal = act(appeal, "close", coordinator, outcome=AppealStatus.RESOLVED)  # the coordinator kept control
    appeal = act(appeal, "rate", investor, rating=5, comment="Спасибо!")
    assert (appeal.status, appeal.rating) == (AppealStatus.RESOLVED, 5)

    names = list(appeal.events.values_list("name", flat=True))
    assert names == ["submit", "assign", "redirect", "redirect_note", "take_into_work", "submit_for_approval",
                     "approve", "close", "rate"]
    # what the manager typed for the executor is an internal line; the investor's line only says where it went
    redirect, note = appeal.events.filter(name__in=["redirect", "redirect_note"]).order_by("pk")
    assert (redirect.is_public, redirect.text) == (True, "")
    assert (note.is_public, note.text) == (False, "Просим принять участие в ВКС")
    assert LogEntry.objects.get_for_object(appeal).filter(actor=head).exists()  # auditlog knows who
    # the coordinator still sees the appeal after the redirect
    from core.selectors.visibility import appeals_visible_to

    assert appeals_visible_to(coordinator).filter(pk=appeal.pk).exists()


def test_numbers_are_sequential_and_never_reused(file_appeal):
    first, second = file_appeal(), file_appeal()
    assert second.number == first.number + 1
    second.delete()
    assert file_appeal().number == first.number + 2


def test_rejection_needs_a_reason_and_changes_nothing_without_it(file_appeal, coordinator):
    appeal = file_appeal()
    with pytest.raises(ValidationError) as error:
        act(appeal, "reject", coordinator, reason="  ")
    assert "причину" in error.value.message_dict["reason"][0]
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.MODERATION
    assert appeal.events.count() == 1
    appeal = act(appeal, "reject", coordinator, reason="Вопрос не относится к инвестиционной деятельности")
    assert appeal.status == AppealStatus.REJECTED and appeal.rejection_reason


def test_people_without_the_right_are_refused(file_appeal, investor, executor, other_investor):
    appeal = file_appeal()
    for person in (investor, executor, other_investor):
        with pytest.raises(PermissionDenied):
            act(appeal, "assign", person, executor_organisation=executor.organisation, manager=executor)
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.MODERATION


def test_a_stale_view_is_refused_and_nothing_is_written(file_appeal, coordinator, manager):
    appeal = file_appeal()
    seen_by_two = Appeal.objects.get(pk=appeal.pk)
    appeal_transition(appeal=seen_by_two, name="reject", actor=coordinator, reason="Дубль")
    with pytest.raises(AppealConflict) as error:
        appeal_transition(appeal=seen_by_two, name="assign", actor=coordinator,
                          executor_organisation=manager.organisation, manager=manager)
    assert "уже изменено другим пользователем" in str(error.value)
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.REJECTED
    assert appeal.events.count() == 2


def test_rework_returns_to_work_and_counts(file_appeal, coordinator, manager, investor, head):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    appeal = act(appeal, "take_into_work", manager)
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Ответ")
    appeal = act(appeal, "return_to_executor", head, comment="Уточните сроки")
    assert appeal.status == AppealStatus.IN_WORK
    assert not appeal.events.last().is_public  # the head's remark is internal
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Ответ со сроками")
    appeal = act(appeal, "approve", head)
    appeal = act(appeal, "send_back_for_rework", investor, reason="Не указан порядок действий")
    assert (appeal.status, appeal.rework_count) == (AppealStatus.IN_WORK, 1)


def test_clarification_round_trip(file_appeal, coordinator, manager, investor):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    appeal = act(appeal, "request_clarification", manager, comment="Уточните кадастровый номер участка")
    assert appeal.status == AppealStatus.CLARIFICATION
    appeal = act(appeal, "provide_clarification", investor, comment="47:20:0112015:226")
    assert appeal.status == AppealStatus.IN_WORK


@time_machine.travel("2025-08-18 10:54 +03:00", tick=False)
def test_deadline_extension_and_reclassification_keep_the_status(file_appeal, coordinator, classifier):
    appeal = file_appeal()
    assert appeal.deadline == date(2025, 9, 7)  # #724 in the seed
    with pytest.raises(ValidationError):
        act(appeal, "extend_deadline", coordinator, new_deadline=date(2025, 9, 1), reason="Раньше нельзя")
    appeal = act(appeal, "extend_deadline", coordinator, new_deadline=date(2025, 9, 20), reason="Ждём ответа РСО")
    assert (appeal.status, appeal.deadline) == (AppealStatus.MODERATION, date(2025, 9, 20))
    assert appeal.events.last().kind == AppealEventKind.DEADLINE_EXTENDED

    consultation = Fact.objects.get(code="06.01.001")
    CalendarOverride.objects.create(date=date(2025, 8, 23), kind=CalendarOverride.Kind.DAY_OFF)
    appeal = act(appeal, "reclassify", coordinator, fact=consultation)
    assert appeal.appeal_type.code == "consultation" and appeal.deadline == date(2025, 8, 23)
    event = appeal.events.last()
    assert event.kind == AppealEventKind.RECLASSIFIED and event.data["new_deadline"] == "2025-08-23"


def test_comments_public_and_internal(file_appeal, manager, coordinator, investor):
    appeal = file_appeal()
    appeal = act(appeal, "comment", coordinator, text="Внутренняя заметка", is_public=False)
    appeal = act(appeal, "comment", investor, text="Добавляю сведения", is_public=False)
    texts = {e.text: e.is_public for e in appeal.events.filter(kind=AppealEventKind.COMMENT)}
    assert texts == {"Внутренняя заметка": False, "Добавляю сведения": True}


def test_only_confirmed_investors_file_appeals(investor, problem_fact):
    from core.workflows.appeals import appeal_submit

    investor.membership_confirmed_at = None
    with pytest.raises(PermissionDenied):
        appeal_submit(applicant=investor, fact=problem_fact, subject="Тема", description="Текст")
    assert not Appeal.objects.exists()


def test_an_appeal_is_linked_to_a_project_of_the_same_investor(file_appeal, apply_project, coordinator,
                                                                other_company):
    from core.models import Project
    from core.selectors.projects import project_history_for

    project = apply_project()
    appeal = file_appeal(project=project)
    assert appeal.project == project
    foreign = Project.objects.create(registry_number="ИП-2024-09999", name="Чужой", investor=other_company)
    with pytest.raises(ValidationError):
        act(appeal, "link_project", coordinator, project=foreign)
    appeal = act(appeal, "link_project", coordinator, project=None)
    assert appeal.project is None
    appeal = act(appeal, "link_project", coordinator, project=project)
    assert any("Связано с проектом" in row.text for row in project_history_for(project=project, user=coordinator))


def test_a_public_body_does_not_move_its_own_deadline_the_agency_does(file_appeal, coordinator, manager, omsu,
                                                                      executor, head, make_user, classifier):
    """The bodies' rating counts answers in time: after a redirect the receiving body's manager and head may neither
    extend the deadline nor change the fact (which recomputes it); the coordinator, the agency's head and manager
    may."""
    from core.roles import Role

    omsu_head = make_user(Role.HEAD, organisation=omsu)
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    appeal = act(act(appeal, "redirect", manager, executor_organisation=omsu, comment="Просим ответить"),
                 "take_into_work", executor)
    assert appeal.manager == executor
    later = appeal.deadline.replace(year=appeal.deadline.year + 1)
    other_fact = Fact.objects.exclude(pk=appeal.fact_id).filter(is_active=True).first()
    for person in (executor, omsu_head):
        assert not {"extend_deadline", "reclassify"} & {a.name for a in appeal_actions_for(appeal=appeal, user=person)}
        with pytest.raises(PermissionDenied):
            act(appeal, "extend_deadline", person, new_deadline=later, reason="Не успеваем")
        with pytest.raises(PermissionDenied):
            act(appeal, "reclassify", person, fact=other_fact)
    assert Appeal.objects.get(pk=appeal.pk).deadline == appeal.deadline
    for person in (coordinator, head):
        assert "extend_deadline" in {a.name for a in appeal_actions_for(appeal=appeal, user=person)}
    appeal = act(appeal, "extend_deadline", coordinator, new_deadline=later, reason="Ждём ответа РСО")
    assert appeal.deadline == later
