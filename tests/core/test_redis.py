"""The Redis settings production uses (README): CACHE_URL=redis://… for the cache that counts the abuse limits, and
Q_REDIS_URL=redis://… for django-q2's broker — each exercised as a real node would, with a second process.

Redis runs on 127.0.0.1:6379 here and in CI. Each test claims a database of its own (2–14; the claims are keys in
database 0), so parallel test workers and runs never share a queue or a counter; the claimed database is emptied
before and after the test. Without Redis the tests skip locally and fail in CI (`CI` set).
"""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing, contextmanager

import environ
import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_q.brokers.redis_broker import Redis as RedisBroker
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.models import Task as QTask
from django_q.tasks import async_task

from core.portal.views import ACCOUNT_LIMIT_MESSAGE
from tests.core.test_deadline_worker import BASE_DIR, stop, worker_database
from tests.factories import UserFactory

REDIS = "redis://127.0.0.1:6379"
DATABASES = range(2, 15)  # 0 keeps the claims, 1 is README's CACHE_URL example, 15 is test_throttle.py's
CLAIM_SECONDS = 600  # a claim left by a killed run frees itself
TASK = "core.tasks.outbox_flush"
TIMEOUT = 60  # seconds for the cluster to start and run one task


@pytest.fixture
def redis_url() -> str:
    """redis://127.0.0.1:6379/<n>, a database nobody else uses during the test."""
    import redis

    claims = redis.Redis.from_url(f"{REDIS}/0", socket_connect_timeout=2)
    try:
        claims.ping()
    except redis.RedisError as error:
        reason = f"Redis is not reachable at {REDIS} ({error})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must test the cache and the q2 broker on Redis.", pytrace=False)
        pytest.skip(reason)
    token = uuid.uuid4().hex
    number = next((n for n in DATABASES if claims.set(f"zk-test:redis-db:{n}", token, nx=True, ex=CLAIM_SECONDS)),
                  None)
    assert number is not None, "every Redis test database is claimed: too many test runs at once"
    url = f"{REDIS}/{number}"
    database = redis.Redis.from_url(url)
    database.flushdb()
    try:
        yield url
    finally:
        database.flushdb()
        if claims.get(f"zk-test:redis-db:{number}") == token.encode():
            claims.delete(f"zk-test:redis-db:{number}")


def manage(*args: str, env: dict, **options) -> subprocess.CompletedProcess | subprocess.Popen:
    """manage.py in another process with the production settings module and these variables."""
    env = {
        **{key: value for key, value in os.environ.items() if key not in ("Q_REDIS_URL", "CACHE_URL")},
        "DJANGO_SETTINGS_MODULE": "core.settings", "DEBUG": "true", "SECRET_KEY": settings.SECRET_KEY,
        "EMAIL_URL": "dummymail://", **env,
    }
    if options.pop("background", False):
        return subprocess.Popen([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, **options)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.mark.django_db
def test_the_letter_limit_is_counted_in_redis_and_shared_with_another_process(redis_url, client, tmp_path, mid_hour,
                                                                               django_capture_on_commit_callbacks):
    cache = environ.Env.cache_url_config(redis_url)  # exactly what CACHE_URL=redis://… makes in core/settings.py
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    person = UserFactory(email="lena@test.zk.example")
    with override_settings(CACHES={"default": cache}):
        answers = []
        for _ in range(4):
            with django_capture_on_commit_callbacks(execute=True):
                answers.append(client.post(reverse("portal:password_reset"), {"email": person.email}))
    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert str(ACCOUNT_LIMIT_MESSAGE) in answers[-1].text and len(mail.outbox) == 3

    import redis

    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("*throttle:*")]
    assert keys and not any("lena" in key or "127.0.0.1" in key for key in keys)  # counted there, hashed
    # …:throttle:<purpose>:<digest>:<period>:<window>:<slot>; the address's count, not the IP's
    purposes = {key.split(":throttle:", 1)[1].rsplit(":", 4)[0] for key in keys}
    [purpose] = [purpose for purpose in purposes if purpose.endswith(":address")]

    # another node (a process started with CACHE_URL) sees the same count: no fourth letter from there either
    check = ("from core.services.throttle import Rate, throttle_hit; "
             f"print(throttle_hit(purpose={purpose!r}, subject={person.email!r}, rate=Rate(limit=3, period=3600), "
             f"now={mid_hour + 60}))")  # the other node's clock in the same window
    other = manage("shell", "-c", check, env={"CACHE_URL": redis_url,
                                              "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"})
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip().splitlines()[-1] == "False"


def task_done(task_id: str, path) -> bool:
    """Whether the worker recorded the task as run successfully, in its database (a SQLite file or PostgreSQL)."""
    if path is None:
        return QTask.objects.filter(id=task_id, success=True).exists()
    with closing(sqlite3.connect(path, timeout=20)) as db:
        row = db.execute("SELECT success FROM django_q_task WHERE id = ?", [task_id]).fetchone()
    return bool(row and row[0])


@contextmanager
def cluster(*, redis_url: str, database_url: str, log):
    """`manage.py qcluster` with Q_REDIS_URL (and CACHE_URL) on the claimed database, stopped afterwards."""
    with log.open("wb") as output:
        worker = manage("qcluster", background=True, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                        env={"Q_REDIS_URL": redis_url, "CACHE_URL": redis_url, "DATABASE_URL": database_url,
                             "Q_WORKERS": "1"})
    try:
        yield worker
    finally:
        stop(worker)


@pytest.mark.django_db(transaction=True)  # the worker records its result in the committed test database
def test_a_task_goes_through_the_redis_broker_to_a_real_cluster(redis_url, tmp_path, monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", False)  # queue it as production does, not inline as the suite does
    monkeypatch.setattr(Conf, "REDIS", redis_url)
    broker = RedisBroker()  # the list django_q:zk:q, where a cluster with Q_REDIS_URL looks
    task_id = async_task(TASK, broker=broker)
    assert broker.queue_size() == 1 and not OrmQ.objects.exists()  # waiting in Redis, not in the ORM queue

    url, path = worker_database(tmp_path)
    log = tmp_path / "qcluster.log"
    with cluster(redis_url=redis_url, database_url=url, log=log) as worker:
        deadline = time.monotonic() + TIMEOUT
        while not task_done(task_id, path):
            assert worker.poll() is None, f"qcluster exited:\n{log.read_text()[-5000:]}"
            assert time.monotonic() < deadline, f"the task did not run in {TIMEOUT} s:\n{log.read_text()[-5000:]}"
            time.sleep(0.2)
    assert broker.queue_size() == 0  # taken from Redis and acknowledged
