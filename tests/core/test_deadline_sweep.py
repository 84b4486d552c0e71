"""The deadline ladder on a schedule: 50 %, 80 % and overdue, each once, in Moscow time; overdue tasks, roadmap
items and requests; the heads' daily digest; the schedules themselves."""

import time
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from auditlog.models import LogEntry
from django_q.models import Schedule

from core.choices import AppealEventKind
from core.models import Appeal, AppealEvent, Notification, ProjectEvent, Task
from core.roles import Role
from core.services.deadlines import deadline_sweep, head_digest, sweep_appeals
from core.services.schedules import schedules_setup
from core.services.system import SYSTEM_EMAIL
from core.workflows.appeals import appeal_transition
from core.workflows.tasks import task_create

FILED = "2025-02-21 12:47 +03:00"  # «Проблема», 20 calendar days: answer by 13.03.2025 (end: 14.03 00:00 MSK)


@pytest.fixture(autouse=True)
def process_in_utc(monkeypatch):
    """The server's own clock zone is UTC; the product must still count Moscow days."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def warnings(appeal) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(object_kind="appeal", object_id=appeal.pk, channel="email",
                                    event__in=["appeal_deadline_50", "appeal_deadline_80", "appeal_overdue"])
        .values_list("event", "recipient__email")
    )


@pytest.fixture
def assigned(file_appeal, coordinator, manager, head):
    with time_machine.travel(FILED, tick=False):
        appeal = file_appeal()
        assert appeal.deadline == date(2025, 3, 13)
        return appeal_transition(appeal=appeal, name="assign", actor=coordinator,
                                 executor_organisation=manager.organisation, manager=manager, head=head)


def sweep_at(moment: str) -> int:
    with time_machine.travel(moment, tick=False):
        return sweep_appeals()


def test_the_ladder_half_eighty_and_overdue_each_once(assigned, manager, coordinator, head):
    m = manager.email
    assert sweep_at("2025-03-03 18:20 +03:00") == 0  # 49.9 % of the period
    assert sweep_at("2025-03-03 18:30 +03:00") == 1  # 50 %
    assert warnings(assigned) == [("appeal_deadline_50", m)]
    assert sweep_at("2025-03-05 10:00 +03:00") == 0
    assert sweep_at("2025-03-09 21:40 +03:00") == 0  # 79.9 %
    assert sweep_at("2025-03-09 21:50 +03:00") == 1
    assert warnings(assigned) == [("appeal_deadline_50", m), ("appeal_deadline_80", m)]
    # across midnight in Moscow (21:00 UTC): the deadline day is over only when Moscow's day is
    assert sweep_at("2025-03-13 20:59 +00:00") == 0
    assert sweep_at("2025-03-13 21:01 +00:00") == 1
    assert warnings(assigned) == sorted([
        ("appeal_deadline_50", m), ("appeal_deadline_80", m),
        ("appeal_overdue", m), ("appeal_overdue", coordinator.email), ("appeal_overdue", head.email),
    ])
    assert sweep_at("2025-03-20 10:00 +03:00") == 0  # nothing more, however often it runs


def test_a_late_first_sweep_gives_only_the_step_reached(assigned, manager):
    assert sweep_at("2025-03-15 09:00 +03:00") == 1
    assert {event for event, _ in warnings(assigned)} == {"appeal_overdue"}


def test_running_the_sweep_twice_sends_nothing_twice(assigned):
    with time_machine.travel("2025-03-10 09:00 +03:00", tick=False):
        deadline_sweep()
        first = Notification.objects.count()
        deadline_sweep()
        assert Notification.objects.count() == first


def test_a_moved_deadline_starts_a_new_ladder(assigned, coordinator, manager):
    sweep_at("2025-03-14 09:00 +03:00")
    with time_machine.travel("2025-03-14 10:00 +03:00", tick=False):
        appeal_transition(appeal=Appeal.objects.get(pk=assigned.pk), name="extend_deadline", actor=coordinator,
                          new_deadline=date(2025, 3, 24), reason="Нужна экспертиза")
    # the period still counts from filing: on 20.03 85 % of it (21.02 – 24.03) is gone
    assert sweep_at("2025-03-20 10:00 +03:00") == 1
    assert sweep_at("2025-03-24 23:59 +03:00") == 0
    assert sweep_at("2025-03-25 00:05 +03:00") == 1
    new_ladder = Notification.objects.filter(channel="email", level__startswith="2025-03-24:", recipient=manager)
    assert sorted(new_ladder.values_list("event", flat=True)) == ["appeal_deadline_80", "appeal_overdue"]


def test_the_coordinator_of_a_redirected_appeal_hears_before_the_deadline(
    file_appeal, coordinator, manager, omsu, make_user
):
    omsu_head = make_user(Role.HEAD, organisation=omsu, email="omsu-head@test.zk.example")
    with time_machine.travel(FILED, tick=False):
        appeal = appeal_transition(appeal=file_appeal(), name="assign", actor=coordinator,
                                   executor_organisation=manager.organisation, manager=manager)
        appeal_transition(appeal=appeal, name="redirect", actor=manager, executor_organisation=omsu,
                          comment="Подготовьте ответ")
    sweep_at("2025-03-04 09:00 +03:00")
    assert warnings(appeal) == [("appeal_deadline_50", omsu_head.email)]
    sweep_at("2025-03-11 09:00 +03:00")
    assert ("appeal_deadline_80", coordinator.email) in warnings(appeal)
    assert ("appeal_deadline_80", omsu_head.email) in warnings(appeal)


def test_background_changes_are_signed_by_the_system(assigned):
    sweep_at("2025-03-14 09:00 +03:00")
    event = AppealEvent.objects.get(appeal=assigned, kind=AppealEventKind.DEADLINE_WARNING)
    assert event.actor.email == SYSTEM_EMAIL and not event.is_public
    entry = LogEntry.objects.get_for_object(assigned).filter(changes__icontains="alert_level").latest("timestamp")
    assert entry.actor.email == SYSTEM_EMAIL
    assert not entry.actor.is_active  # nobody can log in as the system


def test_overdue_tasks_roadmap_items_and_requests(apply_project, manager, executor, investor):
    from core.services.projects import request_send, roadmap_item_save

    with time_machine.travel("2025-06-02 10:00 +03:00", tick=False):
        project = apply_project()
        task = task_create(author=manager, assignee=executor, title="Подготовить ТУ", due_date=date(2025, 6, 5),
                           project=project)
        roadmap_item_save(project=project, actor=manager, title="Получение ГПЗУ", planned_start=date(2025, 6, 2),
                          planned_end=date(2025, 6, 6))
        request_send(project=project, actor=manager, organisation=executor.organisation,
                     subject="Подключение к сетям", text="Сообщите о возможности", due_date=date(2025, 6, 4))
    with time_machine.travel("2025-06-04 23:59 +03:00", tick=False):
        assert deadline_sweep() == {"appeals": 0, "tasks": 0, "roadmap": 0, "requests": 0}
    with time_machine.travel("2025-06-05 00:01 +03:00", tick=False):
        assert deadline_sweep()["requests"] == 1
    with time_machine.travel("2025-06-07 08:00 +03:00", tick=False):
        assert deadline_sweep() == {"appeals": 0, "tasks": 1, "roadmap": 1, "requests": 0}
        assert deadline_sweep() == {"appeals": 0, "tasks": 0, "roadmap": 0, "requests": 0}
    assert {n.recipient.email for n in Notification.objects.filter(event="task_overdue", channel="email")} == {
        executor.email, manager.email}
    assert Notification.objects.filter(event="roadmap_overdue", recipient=manager).exists()
    assert Notification.objects.filter(event="request_overdue", recipient=executor).exists()
    history = ProjectEvent.objects.filter(project=project, kind="deadline")
    assert history.count() == 3 and {e.actor.email for e in history} == {SYSTEM_EMAIL}
    # a task whose date moves later is watched again
    Task.objects.filter(pk=task.pk).update(due_date=date(2025, 6, 10))
    with time_machine.travel("2025-06-11 08:00 +03:00", tick=False):
        assert deadline_sweep()["tasks"] == 1


def test_the_daily_digest_reaches_each_head_once(assigned, head, manager, make_user, agency):
    other_head = make_user(Role.HEAD, organisation=agency, email="head2@test.zk.example")
    with time_machine.travel("2025-03-12 08:00 +03:00", tick=False):  # deadline tomorrow: due soon
        assert head_digest() == 2
        assert head_digest() == 0
    letter = Notification.objects.get(event="head_digest", recipient=head, channel="email")
    assert f"{assigned.number}" in letter.body_text and "13.03.2025" in letter.body_text
    assert Notification.objects.filter(event="head_digest", recipient=other_head).exists()
    with time_machine.travel("2025-03-13 08:00 +03:00", tick=False):
        assert head_digest() == 2  # a new day, a new digest


def test_a_head_with_nothing_due_gets_no_digest(head):
    assert head_digest(date(2025, 1, 10)) == 0


def test_schedules_are_registered_once(db):
    first = schedules_setup()
    assert all(created for _, created in first)
    Schedule.objects.filter(func="core.tasks.outbox_flush").update(minutes=60)  # changed by hand by mistake
    second = schedules_setup()
    assert not any(created for _, created in second)
    assert Schedule.objects.count() == 5  # letters, webhooks, deadline sweep, digest, housekeeping
    assert Schedule.objects.get(func="core.tasks.outbox_flush").minutes == 1
    digest = Schedule.objects.get(func="core.tasks.head_digest")
    from django.utils import timezone

    assert timezone.localtime(digest.next_run).hour == 8


def test_the_setup_command_is_in_make_run():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    assert "manage.py setup_schedules" in makefile


def test_the_ladder_counts_from_when_the_appeal_was_received(file_appeal, company, coordinator, manager, head,
                                                             problem_fact):
    """A letter received ten days before staff registered it: half its period is gone the day after registration,
    whereas an appeal filed on the portal at the same moment is nowhere near 50 %."""
    from datetime import datetime

    from core.workflows.appeals import appeal_submit

    received = datetime.fromisoformat("2025-02-11 12:47 +03:00")
    with time_machine.travel(FILED, tick=False):
        letter = appeal_submit(
            actor=coordinator, organisation=company, channel="letter", received_at=received,
            contact_name="Иванов Иван", contact_phone="+7 900 000-00-00", fact=problem_fact,
            subject="Письмо о съезде", description="Просим помочь с согласованием съезда.",
        )
        portal = file_appeal()
        assert letter.deadline == date(2025, 3, 3) and portal.deadline == date(2025, 3, 13)
        for appeal in (letter, portal):
            appeal_transition(appeal=appeal, name="assign", actor=coordinator,
                              executor_organisation=manager.organisation, manager=manager, head=head)

    # 50 % of 11.02 12:47 → 04.03 00:00 is 21.02 at 18:23, hours after the registration
    assert sweep_at("2025-02-21 18:20 +03:00") == 0
    assert sweep_at("2025-02-21 18:30 +03:00") == 1
    assert warnings(letter) == [("appeal_deadline_50", manager.email)]
    assert warnings(portal) == []


@pytest.mark.parametrize("seeded_at, warned_at", [
    ("2025-03-15 12:00 +03:00", "2025-03-14 09:00 +03:00"),  # the morning after the deadline
    ("2025-03-14 00:30 +03:00", "2025-03-14 00:30 +03:00"),  # that morning is still to come: the sweep's moment
])
def test_the_demo_dates_its_overdue_warning_the_morning_after_never_later_than_now(assigned, seeded_at, warned_at):
    """seed_demo's closing sweep (core/services/demo_history.py): its history line may not lie in the future."""
    from core.services.demo_history import _Clock, _settle_sweep

    with time_machine.travel(seeded_at, tick=False):
        _settle_sweep(_Clock())
    event = AppealEvent.objects.get(appeal=assigned, kind=AppealEventKind.DEADLINE_WARNING)
    assert event.created_at == datetime.fromisoformat(warned_at)
    assert set(Notification.objects.filter(object_id=assigned.pk, event="appeal_overdue")
               .values_list("created_at", flat=True)) == {datetime.fromisoformat(warned_at)}
