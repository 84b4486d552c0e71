"""The staff calendar's entries: what a person answers for, on Moscow dates, within what the viewer may see, at a
constant number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.choices import RoadmapStatus
from core.models import Appeal, Task
from core.roles import Role
from core.selectors.personal_calendar import EntryKind, calendar_entries_for, calendar_people_for
from core.services.projects import meeting_save, request_send, roadmap_item_save
from core.workflows.appeals import appeal_transition
from core.workflows.tasks import task_create, task_transition

MOSCOW = ZoneInfo("Europe/Moscow")


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def window():
    today = timezone.localdate()
    return today - timedelta(days=10), today + timedelta(days=30)


def entries(viewer, people):
    start, end = window()
    return calendar_entries_for(viewer=viewer, people=people, start=start, end=end)


def kinds(rows):
    return {(row.kind, row.title) for row in rows}


@pytest.fixture
def project(apply_project):
    return apply_project()


@pytest.fixture
def assign(file_appeal, coordinator, head):
    """assign(executor_organisation, manager) -> an appeal filed by the ready investor and assigned."""

    def make(organisation, manager, subject="Согласование съезда"):
        appeal = file_appeal(subject=subject)
        return act(appeal, "assign", coordinator, executor_organisation=organisation, manager=manager, head=head)

    return make


def fill(project, manager, omsu, *, number: int = 1, suffix: str = "") -> None:
    """`number` of each kind of entry for the manager: meetings, tasks (one overdue), milestones, requests."""
    today = timezone.localdate()
    for index in range(number):
        meeting_save(project=project, actor=manager, title=f"Встреча{suffix}{index}", format="video",
                     link="https://vks.zk.example/room", starts_at=timezone.now() + timedelta(days=index + 1))
        task = task_create(author=manager, assignee=manager, title=f"Задача{suffix}{index}", project=project,
                           due_date=today)
        Task.objects.filter(pk=task.pk).update(due_date=today - timedelta(days=index + 1))  # days went by
        roadmap_item_save(project=project, actor=manager, title=f"Пункт{suffix}{index}", planned_start=today,
                          planned_end=today + timedelta(days=index + 2))
        request_send(project=project, actor=manager, organisation=omsu, subject=f"Запрос{suffix}{index}",
                     text="Сообщите о возможности подключения.", due_date=today + timedelta(days=index + 3))


def test_a_manager_sees_everything_they_answer_for_and_not_done_work(project, manager, omsu, agency, assign):
    today = timezone.localdate()
    fill(project, manager, omsu)
    appeal = assign(agency, manager)
    done = task_create(author=manager, assignee=manager, title="Сделана", project=project, due_date=today)
    task_transition(task=done, name="finish", actor=manager)
    roadmap_item_save(project=project, actor=manager, title="Готовый пункт", planned_start=today, planned_end=today,
                      actual_end=today, status=RoadmapStatus.DONE)

    rows = entries(manager, [manager])

    assert kinds(rows) == {
        (EntryKind.MEETING, "Встреча0"), (EntryKind.TASK, "Задача0"), (EntryKind.MILESTONE, "Пункт0"),
        (EntryKind.REQUEST, "Запрос0"), (EntryKind.APPEAL, f"Обращение №{appeal.number}: Согласование съезда"),
    }
    by_kind = {row.kind: row for row in rows}
    assert by_kind[EntryKind.TASK].overdue and by_kind[EntryKind.TASK].day == today - timedelta(days=1)
    assert not by_kind[EntryKind.MILESTONE].overdue and by_kind[EntryKind.APPEAL].day == appeal.deadline
    assert by_kind[EntryKind.MILESTONE].object_id == project.pk  # a milestone opens its project's roadmap
    assert [row.day for row in rows] == sorted(row.day for row in rows)


def test_days_are_moscow_dates(project, manager):
    """A meeting at 00:30 Moscow time (21:30 UTC the day before) is on the Moscow day."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 30, tzinfo=MOSCOW)
    meeting_save(project=project, actor=manager, title="Ранняя", format="video", link="https://vks.zk.example/r",
                 starts_at=start)

    [row] = calendar_entries_for(viewer=manager, people=[manager], start=tomorrow, end=tomorrow)

    assert (row.day, row.time) == (tomorrow, "00:30")
    assert calendar_entries_for(viewer=manager, people=[manager], start=tomorrow - timedelta(days=1),
                                end=tomorrow - timedelta(days=1)) == []


def test_other_bodies_and_investors_never_get_appeals_outside_their_scope(
    manager, executor, agency, omsu, assign, other_investor
):
    ours = assign(agency, manager, subject="Агентству")
    theirs = assign(omsu, executor, subject="Району")

    assert {row.object_id for row in entries(executor, [executor])} == {theirs.pk}
    assert entries(executor, [manager]) == []  # the agency's appeal is not the district's to see
    assert entries(other_investor, [manager]) == [] and entries(other_investor, [executor]) == []
    assert {row.object_id for row in entries(manager, [manager])} == {ours.pk}


def test_a_head_sees_their_people_but_not_another_organisation(make_user, head, manager, executor, agency, omsu,
                                                               assign):
    district_head = make_user(Role.HEAD, organisation=omsu, email="district-head@test.zk.example")
    assign(agency, manager, subject="Агентству")
    assign(omsu, executor, subject="Району")

    assert manager in calendar_people_for(head) and executor not in calendar_people_for(head)
    director = make_user(Role.DIRECTOR, organisation=agency, email="director-cal@test.zk.example")
    assert director not in calendar_people_for(head)  # a head plans for their people, not for the director
    assert set(calendar_people_for(district_head)) == {district_head, executor}
    assert calendar_people_for(manager) == [manager]

    assert {row.title.split(": ")[1] for row in entries(head, [manager])} == {"Агентству"}
    district = entries(district_head, calendar_people_for(district_head))
    assert {row.title.split(": ")[1] for row in district} == {"Району"}
    assert {row.people for row in district} == {(executor.full_name,)}
    assert entries(district_head, [manager]) == []


def test_the_cost_does_not_grow_with_the_entries(project, manager, omsu, agency, assign, head):
    def queries(viewer, people) -> int:
        with CaptureQueriesContext(connection) as captured:
            entries(viewer, people)
        return len(captured)

    people = calendar_people_for(head)
    fill(project, manager, omsu, number=1)
    assign(agency, manager)
    few, few_for_head = queries(manager, [manager]), queries(head, people)
    fill(project, manager, omsu, number=4, suffix="+")
    for _ in range(3):
        assign(agency, manager)

    assert len(entries(manager, [manager])) >= 5 * 4
    assert queries(manager, [manager]) == few and queries(head, people) == few_for_head


def test_a_range_longer_than_six_weeks_is_refused(manager):
    today = timezone.localdate()
    with pytest.raises(ValueError):
        calendar_entries_for(viewer=manager, people=[manager], start=today, end=today + timedelta(days=42))
