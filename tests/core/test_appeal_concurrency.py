"""Two people act on one appeal at the same moment (PostgreSQL: real concurrent transactions in two threads).

A barrier starts both threads together, and a signal receiver forces the race at the worst moment: the first
thread to reach the change waits, inside its transaction, until the other one either reaches the change too
or is blocked by the first one's lock. So without the row lock both threads would pass the version check and
both write, and the tests below fail every time instead of now and then.
"""

import threading
import time

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.db.models.signals import pre_save
from django_fsm.signals import pre_transition

from core.choices import AppealStatus
from core.models import Appeal, AppealEvent, Counter, User
from core.workflows.appeals import NUMBER_COUNTER, AppealConflict, appeal_transition

WAIT = 10  # seconds; far more than either thread needs

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class FirstWaitsForSecond:
    """Signal receiver: the first thread to arrive waits until the second arrives or is blocked by it."""

    def __init__(self) -> None:
        self.backends: dict[int, int] = {}  # thread -> PostgreSQL backend pid
        self.arrived: set[int] = set()
        self.guard = threading.Lock()

    def enter(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backends[threading.get_ident()] = cursor.fetchone()[0]

    def __call__(self, sender, **kwargs) -> None:
        me = threading.get_ident()
        with self.guard:
            first = not self.arrived
            self.arrived.add(me)
        if not first:
            return
        (other,) = [pid for thread, pid in self.backends.items() if thread != me]
        deadline = time.monotonic() + WAIT
        while len(self.arrived) < 2 and not self._blocks(other):
            if time.monotonic() > deadline:
                raise AssertionError("the other thread neither reached the change nor waited for a lock")
            time.sleep(0.01)

    @staticmethod
    def _blocks(pid: int) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid() = ANY(pg_blocking_pids(%s))", [pid])
            return cursor.fetchone()[0]


def race(signal, sender, *jobs) -> list:
    """Run the jobs in threads that start together and meet at `signal`; their results or exceptions."""
    rendezvous, barrier = FirstWaitsForSecond(), threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index: int, job) -> None:
        try:
            rendezvous.enter()
            barrier.wait(timeout=WAIT)
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    signal.connect(rendezvous, sender=sender, weak=False)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=6 * WAIT)
    finally:
        signal.disconnect(rendezvous, sender=sender)
    assert not any(thread.is_alive() for thread in threads)
    return results


REASON = "Вопрос не относится к инвестиционной деятельности"
SCENARIOS = {
    # two leads assign the same appeal to different executors
    "assign-vs-assign": lambda f: [
        (f("coordinator"), "assign", {"executor_organisation": f("agency"), "manager": f("manager")}),
        (f("head"), "assign", {"executor_organisation": f("omsu"), "manager": f("executor")}),
    ],
    # one rejects while the other assigns
    "reject-vs-assign": lambda f: [
        (f("coordinator"), "reject", {"reason": REASON}),
        (f("director"), "assign", {"executor_organisation": f("omsu"), "manager": f("executor")}),
    ],
}


def _expected(name: str, data: dict) -> dict:
    if name == "reject":
        return {"status": AppealStatus.REJECTED, "rejection_reason": REASON, "manager_id": None}
    return {
        "status": AppealStatus.ASSIGNED,
        "rejection_reason": "",
        "manager_id": data["manager"].pk,
        "executor_organisation_id": data["executor_organisation"].pk,
    }


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_two_people_at_once_one_wins_the_other_is_told_nothing_half_written(scenario, request, file_appeal):
    appeal = file_appeal()
    moves = SCENARIOS[scenario](request.getfixturevalue)
    events_before = set(appeal.events.values_list("pk", flat=True))
    log_before = set(LogEntry.objects.get_for_object(appeal).values_list("pk", flat=True))
    seen = [Appeal.objects.get(pk=appeal.pk) for _move in moves]  # both people opened the same version

    def act(version: Appeal, actor: User, name: str, data: dict):
        return lambda: appeal_transition(appeal=version, name=name, actor=User.objects.get(pk=actor.pk), **data)

    results = race(pre_transition, Appeal, *(act(v, *move) for v, move in zip(seen, moves, strict=True)))

    won = [index for index, result in enumerate(results) if isinstance(result, Appeal)]
    lost = [index for index, result in enumerate(results) if isinstance(result, AppealConflict)]
    assert (len(won), len(lost)) == (1, 1), results
    assert str(results[lost[0]]).startswith("Обращение уже изменено другим пользователем")
    winner, name, data = moves[won[0]]

    appeal.refresh_from_db()
    for field, value in _expected(name, data).items():
        assert getattr(appeal, field) == value, field
    (event,) = appeal.events.exclude(pk__in=events_before)
    assert (event.name, event.actor, event.from_status) == (name, winner, AppealStatus.MODERATION)
    assert event.to_status == appeal.status
    new_log = LogEntry.objects.get_for_object(appeal).exclude(pk__in=log_before)
    assert list(new_log.values_list("actor_id", flat=True)) == [winner.pk]


# the first filing ever also races to create the counter row
@pytest.mark.parametrize("counter", ["first-appeal-ever", "counter-exists"])
def test_simultaneous_filings_get_distinct_consecutive_numbers(counter, file_appeal, investor):
    if counter == "counter-exists":
        file_appeal()
    else:
        Counter.objects.filter(name=NUMBER_COUNTER).delete()
    start = Counter.objects.filter(name=NUMBER_COUNTER).values_list("value", flat=True).first() or 0
    before = set(Appeal.objects.values_list("pk", flat=True))

    def submit():
        return file_appeal(applicant=User.objects.get(pk=investor.pk))

    results = race(pre_save, Appeal, submit, submit)

    assert all(isinstance(result, Appeal) for result in results), results
    assert sorted(result.number for result in results) == [start + 1, start + 2]
    filed = Appeal.objects.exclude(pk__in=before)
    assert sorted(filed.values_list("number", flat=True)) == [start + 1, start + 2]
    assert AppealEvent.objects.filter(appeal__in=filed).count() == 2
    assert Counter.objects.get(name=NUMBER_COUNTER).value == start + 2
