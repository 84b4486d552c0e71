"""The rate-limit helper on Django's cache: the window, atomic counting, and the three backends it runs on
(the database cache by default, Redis when CACHE_URL says so, locmem)."""

import os
import threading
import uuid
from datetime import UTC, datetime
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from core.services.throttle import Rate, throttle_hit, throttle_reset

HOUR = Rate(limit=3, period=3600)
START = datetime(2026, 3, 2, 10, 1, tzinfo=UTC).timestamp()  # a minute into an hour window
REDIS_URL = "redis://127.0.0.1:6379/15"


def _hits(count: int, *, subject: str = "lena@test.zk.example", rate: Rate = HOUR, now: float = START) -> list:
    return [throttle_hit(purpose="test", subject=subject, rate=rate, now=now) for _ in range(count)]


@pytest.mark.django_db
def test_counts_up_to_the_limit_per_subject():
    assert _hits(5) == [True, True, True, False, False]
    assert _hits(1, subject="other@test.zk.example") == [True]
    assert throttle_hit(purpose="another", subject="lena@test.zk.example", rate=HOUR, now=START)


@pytest.mark.django_db
def test_the_window_slides():
    """The previous hour counts by the part of it still inside the last hour: no double burst at the edge."""
    _hits(3)
    ten_minutes_into_next = START + 59 * 60 + 10 * 60  # the old window still weighs 50/60 · 3 = 2.5: one fits
    assert _hits(2, now=ten_minutes_into_next) == [True, False]
    forty_five_into_next = START + 59 * 60 + 45 * 60  # it weighs 0.75 now: 0.75 + 1 + 1 < 3, two more fit
    assert _hits(3, now=forty_five_into_next) == [True, True, False]
    three_hours_later = START + 3 * 3600
    assert _hits(4, now=three_hours_later) == [True, True, True, False]


@pytest.mark.django_db
def test_reset_and_a_zero_limit():
    _hits(3)
    throttle_reset(purpose="test", subject="lena@test.zk.example", rate=HOUR, now=START)
    assert _hits(1) == [True]
    assert _hits(1, rate=Rate(limit=0, period=60)) == [False]


@pytest.mark.django_db
def test_the_database_cache_end_to_end_stores_no_personal_data():
    """The default cache (CACHE_URL unset: dbcache://zk_cache) holds the counters in its table, keyed by hash."""
    assert caches["default"].__class__.__name__ == "DatabaseCache"
    _hits(2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM zk_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert len([key for key in keys if ":test:" in key]) == 2
    assert not any("lena" in key for key in keys)
    assert _hits(2, now=START + 5 * 60) == [True, False]


@pytest.mark.django_db(transaction=True)
def test_the_migration_creates_the_cache_table():
    """A production install gets the table from `manage.py migrate` (core.0011_cache_table)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE zk_cache")
    assert "zk_cache" not in connection.introspection.table_names()
    migration = import_module("core.migrations.0011_cache_table")
    migration.create_cache_tables(None, SimpleNamespace(connection=connection))
    assert "zk_cache" in connection.introspection.table_names()


def _parallel_hits(rate: Rate, subject: str, threads: int = 12) -> list[bool]:
    results: list[bool] = []
    barrier = threading.Barrier(threads)

    def hit():
        barrier.wait()
        results.append(throttle_hit(purpose="parallel", subject=subject, rate=rate, now=START))

    workers = [threading.Thread(target=hit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_parallel_hits_never_pass_the_limit_in_locmem():
    assert sorted(_parallel_hits(Rate(limit=5, period=3600), uuid.uuid4().hex)).count(True) == 5


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"Redis is not reachable at {REDIS_URL} ({error})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must test the throttle on Redis.", pytrace=False)
        pytest.skip(reason)
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    ):
        yield caches["default"]


def test_the_throttle_works_on_redis(redis_cache):
    subject = uuid.uuid4().hex  # a fresh subject: the Redis database outlives the test
    assert redis_cache.__class__.__name__ == "RedisCache"
    assert _hits(4, subject=subject) == [True, True, True, False]
    assert _parallel_hits(Rate(limit=5, period=3600), subject).count(True) == 5
    throttle_reset(purpose="test", subject=subject, rate=HOUR, now=START)
    assert _hits(1, subject=subject) == [True]


def test_a_failing_cache_lets_the_request_through_and_logs_it(monkeypatch, caplog):
    """Redis down must not turn password reset and registration into 500 pages; the outage is logged."""
    from core.services import throttle as module

    class Broken:
        def get_many(self, keys):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(module, "caches", {module.CACHE_ALIAS: Broken()})
    with caplog.at_level("ERROR", logger="core.services.throttle"):
        assert module.throttle_hit(purpose="reset", subject="a@b.example", rate=module.Rate(3, 3600)) is True
    assert "not checked" in caplog.text
