"""The moment of an appeal's next deadline warning, stored in `Appeal.next_alert_at` (issue 13): every door that
moves the status or the deadline keeps it, the sweep reads only the appeals whose moment has come (an index on
PostgreSQL), and migration 0014 fills it for the appeals already in the database."""

import datetime
import importlib
import time
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.choices import AppealStatus
from core.models import Appeal, Notification
from core.services.dataset import dataset_generate
from core.services.deadlines import appeal_next_alert_at, appeal_step, appeals_due, sweep_appeals
from core.services.legacy import legacy_appeal_build, legacy_appeal_save
from core.workflows.appeals import appeal_transition

MSK = datetime.timezone(datetime.timedelta(hours=3))
FILED = "2025-02-21 12:47 +03:00"  # «Проблема», 20 calendar days: answer by 13.03.2025 (over at 14.03 00:00 MSK)
# the period is 21.02 12:47 → 14.03 00:00 (29 473 minutes); its half and 80 % are gone at
HALF = datetime.datetime(2025, 3, 3, 18, 23, 30, tzinfo=MSK)
EIGHTY = datetime.datetime(2025, 3, 9, 21, 45, 24, tzinfo=MSK)
OVER = datetime.datetime(2025, 3, 14, tzinfo=MSK)
fill_module = importlib.import_module("core.migrations.0014_appeal_next_alert_at")


@pytest.fixture(autouse=True)
def process_in_utc(monkeypatch):
    """The server's own clock zone is UTC; the moments must still be Moscow's."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def stored(appeal: Appeal) -> datetime.datetime | None:
    return Appeal.objects.values_list("next_alert_at", flat=True).get(pk=appeal.pk)


def act(appeal: Appeal, name: str, actor, **data) -> Appeal:
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def sweep_at(moment: str | datetime.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return sweep_appeals()


def warnings(appeal: Appeal) -> list[str]:
    """The deadline warnings staff got about the appeal, each kind once."""
    return sorted(set(Notification.objects.filter(
        object_kind="appeal", object_id=appeal.pk, channel="email",
        event__in=["appeal_deadline_50", "appeal_deadline_80", "appeal_overdue"],
    ).values_list("event", flat=True)))


@pytest.fixture
def assigned(file_appeal, coordinator, manager, head):
    with time_machine.travel(FILED, tick=False):
        appeal = file_appeal()
        assert stored(appeal) == HALF  # filed: the first step is half the period
        return act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                   head=head)


def test_filing_and_routing_keep_the_first_step(assigned, manager, omsu):
    assert stored(assigned) == HALF
    with time_machine.travel("2025-02-22 10:00 +03:00", tick=False):
        act(assigned, "redirect", manager, executor_organisation=omsu, comment="Подготовьте ответ")
    assert stored(assigned) == HALF  # another body, the same deadline
    assert appeal_step(Appeal.objects.get(pk=assigned.pk), HALF - datetime.timedelta(microseconds=1)) is None
    assert appeal_step(Appeal.objects.get(pk=assigned.pk), HALF) == "50"


def test_a_staff_registered_letter_counts_from_its_receipt(coordinator, company, problem_fact):
    from core.workflows.appeals import appeal_submit

    with time_machine.travel(FILED, tick=False):
        letter = appeal_submit(
            actor=coordinator, organisation=company, channel="letter",
            received_at=datetime.datetime(2025, 2, 11, 12, 47, tzinfo=MSK), contact_phone="+7 900 000-00-00",
            fact=problem_fact, subject="Письмо о съезде", description="Просим помочь с согласованием съезда.",
        )
    # 11.02 12:47 → 04.03 00:00: half of it is gone on 21.02 at 18:23:30, hours after the registration
    assert letter.deadline == datetime.date(2025, 3, 3)
    assert stored(letter) == datetime.datetime(2025, 2, 21, 18, 23, 30, tzinfo=MSK)


def test_the_sweep_gives_each_step_at_its_moment_and_stores_the_next(assigned):
    assert sweep_at(HALF - datetime.timedelta(seconds=1)) == 0
    assert sweep_at(HALF) == 1
    assert warnings(assigned) == ["appeal_deadline_50"] and stored(assigned) == EIGHTY
    assert sweep_at(EIGHTY - datetime.timedelta(seconds=1)) == 0
    assert sweep_at(EIGHTY) == 1
    assert stored(assigned) == OVER
    # across midnight in Moscow (21:00 UTC): the deadline day is over only when Moscow's day is
    assert sweep_at("2025-03-13 20:59:59 +00:00") == 0
    assert sweep_at("2025-03-13 21:00 +00:00") == 1
    assert warnings(assigned) == ["appeal_deadline_50", "appeal_deadline_80", "appeal_overdue"]
    appeal = Appeal.objects.get(pk=assigned.pk)
    assert appeal.alert_level == "2025-03-13:overdue" and appeal.next_alert_at is None  # nothing more to give
    assert sweep_at("2025-04-20 10:00 +03:00") == 0


def test_a_late_sweep_gives_the_step_reached_and_waits_for_the_next(assigned):
    assert sweep_at("2025-03-10 09:00 +03:00") == 1  # past 80 %: only that one
    assert warnings(assigned) == ["appeal_deadline_80"] and stored(assigned) == OVER


def test_an_extended_deadline_restarts_the_steps(assigned, coordinator):
    assert sweep_at("2025-03-14 09:00 +03:00") == 1
    assert stored(assigned) is None
    with time_machine.travel("2025-03-14 10:00 +03:00", tick=False):
        act(assigned, "extend_deadline", coordinator, new_deadline=datetime.date(2025, 3, 24), reason="Экспертиза")
    # the new ladder (21.02 12:47 → 25.03 00:00) starts at its half, already gone: the next sweep gives its step
    assert stored(assigned) == datetime.datetime(2025, 3, 9, 6, 23, 30, tzinfo=MSK)
    assert sweep_at("2025-03-14 10:15 +03:00") == 1
    appeal = Appeal.objects.get(pk=assigned.pk)
    assert appeal.alert_level == "2025-03-24:50"
    assert appeal.next_alert_at == datetime.datetime(2025, 3, 18, 16, 57, 24, tzinfo=MSK)  # its 80 %


def test_answering_clears_the_moment_and_rework_restores_it(assigned, manager, head, investor, coordinator):
    with time_machine.travel("2025-02-25 10:00 +03:00", tick=False):
        act(assigned, "take_into_work", manager)
        act(assigned, "submit_for_approval", manager, answer_text="Съезд согласован.")
        assert stored(assigned) == HALF  # still open while the head reads it
        act(assigned, "approve", head)
    assert stored(assigned) is None  # answered: the deadline no longer runs
    assert sweep_at("2025-03-20 10:00 +03:00") == 0
    with time_machine.travel("2025-03-20 11:00 +03:00", tick=False):
        act(assigned, "send_back_for_rework", investor, reason="Не указан срок")
    assert stored(assigned) == HALF  # open again, overdue and not yet warned
    assert sweep_at("2025-03-20 11:15 +03:00") == 1
    assert warnings(assigned) == ["appeal_overdue"] and stored(assigned) is None
    with time_machine.travel("2025-03-21 10:00 +03:00", tick=False):
        act(assigned, "submit_for_approval", manager, answer_text="Съезд согласован до 01.04.")
        act(assigned, "approve", head)
        act(assigned, "close", coordinator, outcome=AppealStatus.RESOLVED)
    assert stored(assigned) is None


def test_a_rejected_appeal_and_a_legacy_one_have_no_moment(file_appeal, coordinator, problem_fact, investor,
                                                            data_clerk):
    rejected = act(file_appeal(), "reject", coordinator, reason="Не относится к компетенции агентства")
    assert rejected.status == AppealStatus.REJECTED and stored(rejected) is None
    legacy = legacy_appeal_save(appeal=legacy_appeal_build(
        number=368, created_at=datetime.datetime(2025, 2, 21, 0, 30, tzinfo=MSK), organisation=investor.organisation,
        fact=problem_fact, subject="Съезд", status=AppealStatus.IN_WORK,
    ), actor=data_clerk)
    assert stored(legacy) is None
    assert sweep_at("2025-04-01 10:00 +03:00") == 0


def test_the_sweep_reads_only_the_appeals_whose_moment_has_come(assigned, file_appeal):
    with time_machine.travel(FILED, tick=False):
        quiet = [file_appeal() for _ in range(20)]
        assert sweep_appeals() == 0  # (the system user exists from now on)
    # one of them is made overdue behind the doors' back: the sweep trusts the column and never loads it
    Appeal.objects.filter(pk=quiet[0].pk).update(deadline=datetime.date(2025, 2, 22))
    Appeal.objects.filter(pk__in=[a.pk for a in quiet]).update(next_alert_at=datetime.datetime(2025, 4, 1, tzinfo=MSK))
    with time_machine.travel(HALF - datetime.timedelta(seconds=1), tick=False), \
            CaptureQueriesContext(connection) as nothing_due:
        assert sweep_appeals() == 0
    # the system user, then the primary keys of the due appeals: none, so no appeal row is read
    assert len(nothing_due) == 2, [q["sql"] for q in nothing_due]
    assert "next_alert_at" in nothing_due[1]["sql"]
    with time_machine.travel(HALF, tick=False):
        assert list(appeals_due(HALF).values_list("pk", flat=True)) == [assigned.pk]
        assert sweep_appeals() == 1
    assert warnings(quiet[0]) == []


def test_a_wrong_moment_is_corrected_without_a_warning(assigned, file_appeal, coordinator):
    with time_machine.travel(FILED, tick=False):
        rejected = act(file_appeal(), "reject", coordinator, reason="Не по адресу")
    wrong = datetime.datetime(2025, 2, 22, tzinfo=MSK)  # written by hand: too early, and on a closed appeal
    Appeal.objects.filter(pk__in=[assigned.pk, rejected.pk]).update(next_alert_at=wrong)
    assert sweep_at("2025-02-25 10:00 +03:00") == 0
    assert warnings(assigned) == [] and stored(assigned) == HALF
    assert warnings(rejected) == [] and stored(rejected) is None


# --- the data migration ---------------------------------------------------------------------------------------
def test_the_migration_fills_the_open_appeals_of_the_current_system(assigned, file_appeal, coordinator, manager,
                                                                      head, problem_fact, investor, data_clerk):
    sweep_at("2025-03-05 09:00 +03:00")  # the first appeal warned at 50 %: its next step is 80 %
    with time_machine.travel("2025-03-01 10:00 +03:00", tick=False):
        fresh = file_appeal()  # nothing given yet
        rejected = act(file_appeal(), "reject", coordinator, reason="Не по адресу")
        extended = act(act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation,
                           manager=manager, head=head), "extend_deadline", coordinator,
                       new_deadline=datetime.date(2025, 4, 30), reason="Экспертиза")
    Appeal.objects.filter(pk=extended.pk).update(alert_level="2025-03-21:overdue")  # the old deadline's ladder
    done = file_appeal()
    Appeal.objects.filter(pk=done.pk).update(alert_level=f"{done.deadline.isoformat()}:overdue")
    legacy = legacy_appeal_save(appeal=legacy_appeal_build(
        number=368, created_at=datetime.datetime(2025, 2, 21, 0, 30, tzinfo=MSK), organisation=investor.organisation,
        fact=problem_fact, subject="Съезд", status=AppealStatus.ASSIGNED,
    ), actor=data_clerk)
    expected = {a.pk: appeal_next_alert_at(a) for a in Appeal.objects.all()}
    assert expected[assigned.pk] == EIGHTY and expected[extended.pk] is not None
    assert expected[rejected.pk] is expected[legacy.pk] is expected[done.pk] is None
    Appeal.objects.update(next_alert_at=None)  # the column as migration 0014 adds it

    fill_module.BATCH, batch = 1, fill_module.BATCH  # a batch a row: the last one has nothing to write
    try:
        fill_module.fill_next_alert_at(apps, SimpleNamespace(connection=connection))
    finally:
        fill_module.BATCH = batch
    assert dict(Appeal.objects.values_list("pk", "next_alert_at")) == expected
    assert len(expected) == 6 and fresh.pk in expected


def test_the_migrations_copy_of_the_rule_agrees_with_the_core_one(assigned):
    appeal = Appeal.objects.get(pk=assigned.pk)
    received = appeal.received_at
    for deadline, level in [
        (appeal.deadline, ""), (appeal.deadline, "2025-03-13:50"), (appeal.deadline, "2025-03-13:80"),
        (appeal.deadline, "2025-03-13:overdue"), (datetime.date(2025, 3, 24), "2025-03-13:overdue"),
        (datetime.date(2025, 2, 20), ""),  # a deadline before the receipt: only «overdue», at once
        (datetime.date(2025, 2, 20), "2025-02-20:overdue"),
    ]:
        appeal.deadline, appeal.alert_level = deadline, level
        assert fill_module.next_alert_at(received_at=received, deadline=deadline, alert_level=level) == (
            appeal_next_alert_at(appeal)), (deadline, level)


# --- the data set generator -----------------------------------------------------------------------------------
def test_generated_appeals_carry_their_moment(db):
    dataset_generate(projects=3, appeals=80, seed=11, today=datetime.date(2025, 6, 16), force=True)
    appeals = list(Appeal.objects.all())
    assert any(a.status in AppealStatus.open() for a in appeals) and any(
        a.status not in AppealStatus.open() for a in appeals)
    assert [a.number for a in appeals if a.next_alert_at != appeal_next_alert_at(a)] == []
    assert all((a.next_alert_at is None) == (a.status not in AppealStatus.open()) for a in appeals)


# --- the index ------------------------------------------------------------------------------------------------
def test_the_sweeps_query_reads_the_partial_index(assigned):
    """Twelve thousand appeals: most closed (no moment), a thousand open with their next step weeks ahead, one
    due; analysed on PostgreSQL, so the planner weighs real sizes (SQLite keeps no statistics, as in production).
    On SQLite the query must not ask the status (the planner would take appeal_status_number and walk every
    open appeal) nor order by the key (it would walk the table in its order)."""
    model = Appeal.objects.get(pk=assigned.pk)
    fields = {f.attname: getattr(model, f.attname) for f in Appeal._meta.concrete_fields
              if not f.generated and not f.primary_key and f.attname != "number"}
    later = datetime.datetime(2025, 6, 1, tzinfo=MSK)
    rows = [Appeal(**{**fields, "number": 100_000 + n, "status": AppealStatus.RESOLVED, "next_alert_at": None})
            for n in range(11_000)]
    rows += [Appeal(**{**fields, "number": 200_000 + n, "next_alert_at": later + datetime.timedelta(minutes=n)})
             for n in range(1_000)]
    Appeal.objects.bulk_create(rows, batch_size=2_000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_appeal")
    now = datetime.datetime(2025, 3, 5, 9, 0, tzinfo=MSK)
    plan = appeals_due(now).order_by().values_list("pk", flat=True).explain()  # what _one_by_one asks first
    assert "appeal_next_alert_due" in plan, plan
    assert "Seq Scan" not in plan and "SCAN core_appeal" not in plan, plan
    assert sweep_at(now) == 1
