"""/healthz and /readyz (core/probes.py, core/services/health.py; issue 13 «Several nodes»)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.utils import timezone
from django_q.signals import pre_execute

from core import q2_signals
from core.services import health

CHECKS = {"database", "cache", "storage", "worker", "deadline_sweep"}


@pytest.fixture
def alive(db):
    """A worker that beat a minute ago and a sweep that finished ten minutes ago."""
    now = timezone.now()
    health.worker_heartbeat_record(now - timedelta(minutes=1))
    health.sweep_finished_record(now - timedelta(minutes=10))
    yield
    cache.delete_many([health.HEARTBEAT_KEY, health.SWEEP_KEY])


def test_healthz_answers_without_the_database(db):
    queries = []

    def database_down(execute, sql, params, many, context):
        queries.append(sql)
        raise OperationalError("the database is down")

    client = Client()
    client.cookies["sessionid"] = "a-session-the-probe-must-not-read"
    with connection.execute_wrapper(database_down):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert queries == []


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["crm.zk.example"])
def test_probes_answer_a_balancer_asking_a_node_by_address_over_http(alive):
    """No HTTPS redirect, no host check: nginx asks http://10.0.0.5:8000/healthz."""
    client = Client(HTTP_HOST="10.0.0.5:8000")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_readyz_is_ok_when_every_check_passes(alive):
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == CHECKS
    assert all(check["ok"] for check in body["checks"].values())
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]


def test_readyz_sets_no_cookie_and_writes_no_session(alive, investor):
    """Any other page would note the activity of a session last seen two minutes ago (core/sessions.py)."""
    import time

    from django.contrib.sessions.models import Session

    from core.sessions import SEEN_AT

    client = Client()
    client.force_login(investor)
    session = client.session
    session[SEEN_AT] = int(time.time()) - 120
    session.save()
    before = list(Session.objects.values_list("session_key", "expire_date", "session_data"))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert not response.cookies
    assert list(Session.objects.values_list("session_key", "expire_date", "session_data")) == before


def test_a_stopped_worker_makes_readyz_fail(alive):
    cache.delete(health.HEARTBEAT_KEY)  # no worker has beaten
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failing"] == ["worker"]
    assert body["checks"]["worker"]["ok"] is False


def test_a_worker_silent_for_longer_than_five_minutes_fails(alive):
    health.worker_heartbeat_record(timezone.now() - timedelta(minutes=6))
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert "6 мин назад" in response.json()["checks"]["worker"]["detail"]


def test_a_stale_deadline_sweep_makes_readyz_fail(alive):
    health.sweep_finished_record(timezone.now() - timedelta(minutes=31))
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["deadline_sweep"]


def test_a_broken_cache_makes_readyz_fail_naming_the_cache(alive, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis://:s3cret-password@cache.internal:6379/1 refused")

    for method in ("set", "get"):
        monkeypatch.setattr(health.cache, method, broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert "cache" in body["failing"]
    assert body["checks"]["cache"] == {"ok": False, "detail": "ConnectionError"}
    assert "s3cret" not in response.content.decode()  # never a secret from an error message


def test_a_storage_that_cannot_write_makes_readyz_fail(alive, monkeypatch):
    from django.core.files.storage import storages

    def refuse(*args, **kwargs):
        raise PermissionError("/var/private is read-only")

    monkeypatch.setattr(storages["default"], "save", refuse)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
    assert "/var/private" not in response.content.decode()


def test_the_storage_probe_leaves_no_file(alive, settings):
    from pathlib import Path

    Client().get("/readyz")
    assert not list((Path(settings.MEDIA_ROOT) / "health").glob("*"))


def test_a_database_down_makes_readyz_fail(alive):
    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server at db.internal, user zk")

    with connection.execute_wrapper(database_down):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert "database" in body["failing"]
    assert "db.internal" not in response.content.decode()


def test_a_worker_starting_a_task_records_its_heartbeat(db, monkeypatch):
    cache.delete(health.HEARTBEAT_KEY)
    monkeypatch.setattr(q2_signals, "_last_beat", None)
    pre_execute.send(sender="django_q", func=print, task={"id": "t1", "name": "t1"})
    q2_signals.unbind_request_id(sender="django_q", func=print, task={"id": "t1"})
    assert cache.get(health.HEARTBEAT_KEY) is not None
    assert {check.name: check.ok for check in health.readiness()}["worker"] is True


def test_a_task_run_inline_in_the_web_process_is_no_heartbeat(db, monkeypatch):
    cache.delete(health.HEARTBEAT_KEY)
    monkeypatch.setattr(q2_signals, "_last_beat", None)
    pre_execute.send(sender="django_q", func=print, task={"id": "t2", "name": "t2", "sync": True})
    q2_signals.unbind_request_id(sender="django_q", func=print, task={"id": "t2"})
    assert cache.get(health.HEARTBEAT_KEY) is None


def test_a_finished_deadline_sweep_task_is_recorded(db):
    from core import tasks

    cache.delete(health.SWEEP_KEY)
    tasks.deadline_sweep()
    assert timezone.now() - cache.get(health.SWEEP_KEY) < timedelta(minutes=1)


def test_a_sweep_that_fails_is_not_recorded(db, monkeypatch):
    from core import tasks
    from core.services import deadlines

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    cache.delete(health.SWEEP_KEY)
    monkeypatch.setattr(deadlines, "deadline_sweep", crash)
    with pytest.raises(RuntimeError):
        tasks.deadline_sweep()
    assert cache.get(health.SWEEP_KEY) is None


def test_a_control_character_in_a_probes_query_is_a_400_like_on_every_page(db):
    assert Client().get("/healthz", {"q": "a\x00b"}).status_code == 400
    assert Client().get("/readyz", {"x\x01": "1"}).status_code == 400
