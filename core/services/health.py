"""Readiness checks for /readyz (core/probes.py): is this node able to serve, and is the background work alive?

Each check answers ok or not with a short detail that never holds a secret: a failure is named by its exception's
class only (a database or Redis error message may carry a host, a user or a URL with a password), and the full
error goes to the log.

Two of the checks read moments the worker records in Django's cache (shared by every node: the database cache, or
Redis with CACHE_URL; the same with the ORM and the Redis broker):
* the worker's heartbeat — written when a q2 worker starts a task (core/q2_signals.py; the outbox flush runs every
  minute, so a live worker beats at least that often), at most every HEARTBEAT_EVERY per worker process;
* the last deadline sweep that finished without an error (core/tasks.py; scheduled every 15 minutes).
django-q2's own cluster stats (`Stat`) live only 3 seconds and are rewritten by the cluster's guard loop, which also
runs the scheduler: one slow scheduler pass on a busy SQLite file and a healthy cluster would look stopped.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "health:worker-heartbeat"
SWEEP_KEY = "health:deadline-sweep-finished"
HEARTBEAT_MAX_AGE = timedelta(minutes=5)
HEARTBEAT_EVERY = timedelta(seconds=30)
SWEEP_MAX_AGE = timedelta(minutes=30)
PROBE = b"zk-readiness-probe"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


# --- what the worker records --------------------------------------------------------------------------------------
def _record(key: str, now: datetime | None) -> None:
    """Never fails the task that records it: a cache outage is /readyz's to report."""
    try:
        cache.set(key, now or timezone.now(), timeout=None)
    except Exception:
        log.warning("could not record %s in the cache", key, exc_info=True)


def worker_heartbeat_record(now: datetime | None = None) -> None:
    _record(HEARTBEAT_KEY, now)


def sweep_finished_record(now: datetime | None = None) -> None:
    _record(SWEEP_KEY, now)


# --- the checks ------------------------------------------------------------------------------------------------
def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return ""


def _cache() -> str:
    key, value = f"health:probe:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=60)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was written")
    finally:
        cache.delete(key)
    return ""


def _storage() -> str:
    """The private media storage writes, reads back and deletes a probe file."""
    storage = storages["default"]
    name = storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(PROBE))
    try:
        with storage.open(name) as probe:
            if probe.read() != PROBE:
                raise RuntimeError("the storage did not return what was written")
    finally:
        storage.delete(name)
    return ""


class Stale(Exception):
    """A recorded moment is missing or too old; its message is safe to show."""


def _recent(key: str, max_age: timedelta, now: datetime, missing: str) -> str:
    moment = cache.get(key)
    if moment is None:
        raise Stale(missing)
    age = now - moment
    if age > max_age:
        raise Stale(f"последний раз {int(age.total_seconds() // 60)} мин назад ({moment.isoformat()})")
    return f"{int(age.total_seconds())} с назад"


def readiness(now: datetime | None = None) -> list[Check]:
    now = now or timezone.now()
    checks: list[tuple[str, Callable[[], str]]] = [
        ("database", _database),
        ("cache", _cache),
        ("storage", _storage),
        ("worker", lambda: _recent(HEARTBEAT_KEY, HEARTBEAT_MAX_AGE, now, "фоновый обработчик не отмечался")),
        ("deadline_sweep", lambda: _recent(SWEEP_KEY, SWEEP_MAX_AGE, now, "контроль сроков ещё не завершался")),
    ]
    results = []
    for name, check in checks:
        try:
            results.append(Check(name, True, check()))
        except Stale as stale:
            results.append(Check(name, False, str(stale)))
        except Exception as error:
            log.warning("readiness check %s failed", name, exc_info=True)
            results.append(Check(name, False, type(error).__name__))
    return results
