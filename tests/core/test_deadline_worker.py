"""The deadline sweep in a real django-q2 worker (`manage.py qcluster` in a subprocess, ORM broker, not the
suite's inline mode) over a few thousand appeals and tasks already past their 50 %, 80 % and 100 % points.

Each notice the sweep writes queues its letter after the commit, and the ORM broker closes the worker's
database connection before it writes the queue row (django-q2 calls `close_old_connections`). A sweep that
held a queryset cursor open across that — `.iterator()` — died on the next fetch («Cannot operate on a closed
database» on SQLite), on every scheduled run.

On SQLite the test database is in memory, which no other process can open: the test copies it into a file
(SQLite's backup API), runs the worker on that file, and copies the file back to check the result with the
ORM. On PostgreSQL (CI's second run, REQUIRE_POSTGRES=1) the worker opens the test database itself, with
CONN_MAX_AGE=1: the broker closes the connection once it is a second old, as it does in production once a
sweep has run longer than CONN_MAX_AGE (and the server-side cursor of `.iterator()` went with it).
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import Failure, Success
from django_q.models import Task as QTask
from django_q.tasks import async_task

from core.choices import AppealStatus, TaskStatus
from core.models import Appeal, Notification, Task
from core.services.deadlines import appeal_next_alert_at

pytestmark = pytest.mark.django_db(transaction=True)  # the worker must see the rows: they are committed

PER_STEP = 200  # appeals past each of 50 %, 80 % and the deadline, and as many overdue tasks
QUIET = 500  # rows of each kind that must stay quiet: not due yet, closed, legacy, already warned
TIMEOUT = 120  # seconds for the worker to finish the sweep
BASE_DIR = Path(settings.BASE_DIR)
SQLITE = connection.vendor == "sqlite"
SWEEP = "core.tasks.deadline_sweep"
APPEAL_EVENTS = {"50": "appeal_deadline_50", "80": "appeal_deadline_80", "overdue": "appeal_overdue"}


def appeals(*, first: int, count: int, days_ago: int, deadline, base: dict, **fields) -> list[Appeal]:
    created = timezone.now() - timedelta(days=days_ago)
    # the period counts from the receipt once appeals have a `received_at`; until then from `created_at`
    received = {"received_at": created} if any(f.name == "received_at" for f in Appeal._meta.fields) else {}
    rows = [
        Appeal(number=first + i, created_at=created, deadline=deadline, **received, **base, **fields)
        for i in range(count)
    ]
    for row in rows:  # as every writer of an appeal does: the moment the sweep reads
        row.next_alert_at = appeal_next_alert_at(row)
    return rows


@pytest.fixture
def backlog(investor, problem_fact, manager, coordinator, head):
    """Open appeals past each step of the ladder and overdue tasks, and more rows that must stay quiet, all by
    bulk inserts. Returns the notices the sweep must give: {(event, object id, recipient id)}."""
    today = timezone.localdate()
    base = {
        "applicant": investor, "organisation": investor.organisation, "organisation_name": "ООО «Инвестор»",
        "organisation_inn": investor.organisation.inn, "fact": problem_fact,
        "appeal_type": problem_fact.appeal_type, "subject": "Подключение к сетям", "description": "Просим помочь",
        "status": AppealStatus.IN_WORK, "manager": manager, "coordinator": coordinator, "head": head,
        "executor_organisation": manager.organisation,  # the agency's own: the executor side is the manager
    }
    # created 30 days ago: due in 20 days (~59 % gone), in 2 days (~91 %), or 2 days ago (overdue)
    due = {"50": today + timedelta(days=20), "80": today + timedelta(days=2), "overdue": today - timedelta(days=2)}
    rows = {
        step: appeals(first=900_000 + n * PER_STEP, count=PER_STEP, days_ago=30, deadline=day, base=base)
        for n, (step, day) in enumerate(due.items())
    }
    quiet = [
        *appeals(first=800_000, count=QUIET, days_ago=1, deadline=today + timedelta(days=40), base=base),
        *appeals(first=810_000, count=QUIET, days_ago=30, deadline=due["overdue"],
                 base={**base, "status": AppealStatus.RESOLVED}),
        *appeals(first=820_000, count=QUIET, days_ago=30, deadline=due["overdue"], base=base, is_legacy=True),
        *appeals(first=830_000, count=QUIET, days_ago=30, deadline=due["overdue"], base=base,
                 alert_level=f"{due['overdue'].isoformat()}:overdue"),
    ]
    shuffle = random.Random(10).shuffle  # quiet and due rows mixed in every batch the sweep loads
    everything = [*quiet, *(a for step in rows.values() for a in step)]
    shuffle(everything)
    Appeal.objects.bulk_create(everything, batch_size=1000)
    task = {"author": manager, "assignee": coordinator, "title": "Подготовить ТУ", "status": TaskStatus.IN_WORK}
    overdue = today - timedelta(days=1)
    everything = [
        *(Task(due_date=overdue, **task) for _ in range(PER_STEP)),
        *(Task(due_date=today + timedelta(days=5), **task) for _ in range(QUIET)),
        *(Task(due_date=overdue, **{**task, "status": TaskStatus.DONE}) for _ in range(QUIET)),
        *(Task(due_date=overdue, alert_level=f"{overdue.isoformat()}:overdue", **task) for _ in range(QUIET)),
    ]
    shuffle(everything)
    Task.objects.bulk_create(everything, batch_size=1000)

    assert manager.is_staff  # so the author hears of the overdue task too
    recipients = {"50": [manager], "80": [manager], "overdue": [manager, coordinator, head]}
    expected = set()
    for step, batch in rows.items():
        for pk in Appeal.objects.filter(number__in=[a.number for a in batch]).values_list("pk", flat=True):
            expected |= {(APPEAL_EVENTS[step], pk, person.pk) for person in recipients[step]}
    for pk in Task.objects.filter(due_date=overdue, status=TaskStatus.IN_WORK, alert_level="").values_list(
            "pk", flat=True):
        expected |= {("task_overdue", pk, person.pk) for person in (coordinator, manager)}
    return expected


def worker_database(tmp_path: Path) -> tuple[str, Path | None]:
    """The DATABASE_URL the worker opens, and the SQLite file it writes (None on PostgreSQL)."""
    db = connection.settings_dict
    if SQLITE:
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}", path
    credentials = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}", None


def sweeps_done(path: Path | None) -> int:
    """Runs of the sweep the worker has recorded, successful or not (django-q2's Success and Failure)."""
    if path is None:
        return QTask.objects.filter(func=SWEEP).count()
    with closing(sqlite3.connect(path, timeout=20)) as db:
        return db.execute("SELECT COUNT(*) FROM django_q_task WHERE func = ?", [SWEEP]).fetchone()[0]


def stop(worker: subprocess.Popen) -> None:
    """The cluster and its child processes (one process group): politely, then for good."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)  # to qcluster itself, which stops its children
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def test_the_sweep_in_a_real_worker_warns_each_person_once(backlog, tmp_path, monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", False)  # queue it as production does: a row for the ORM broker
    async_task(SWEEP)
    url, path = worker_database(tmp_path)
    env = {
        **{key: value for key, value in os.environ.items() if key != "Q_REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "core.settings", "DEBUG": "true", "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": url, "CONN_MAX_AGE": "1", "Q_WORKERS": "1", "EMAIL_URL": "dummymail://",
    }
    log = tmp_path / "qcluster.log"
    with log.open("wb") as output:
        worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=BASE_DIR, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not sweeps_done(path):
            assert worker.poll() is None, f"qcluster exited:\n{log.read_text()[-5000:]}"
            assert time.monotonic() < deadline, f"no sweep result in {TIMEOUT} s:\n{log.read_text()[-5000:]}"
            time.sleep(0.5)
    finally:
        stop(worker)
    if path is not None:  # the worker's file back into the test database, to check it with the ORM
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as source:
            source.backup(connection.connection)

    failures = list(Failure.objects.values_list("func", "result"))
    assert not failures, failures
    run = Success.objects.get(func=SWEEP)
    assert run.result == {"appeals": 3 * PER_STEP, "tasks": PER_STEP, "roadmap": 0, "requests": 0}

    given = Counter(
        Notification.objects.filter(event__in=[*APPEAL_EVENTS.values(), "task_overdue"])
        .values_list("event", "object_id", "recipient_id", "channel")
    )
    assert [(notice, n) for notice, n in given.items() if n > 1] == []
    expected = {(*notice, channel) for notice in backlog for channel in ("site", "email")}
    assert set(given) == expected
    assert len(expected) == 2 * PER_STEP * (1 + 1 + 3 + 2)  # 50 % and 80 %: the manager; overdue: three; tasks: two
