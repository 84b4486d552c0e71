"""Request ids and JSON log lines (core/request_id.py, core/log_format.py, core/q2_signals.py; issue 13).

Lines are read the way production writes them: through a handler with the request filter and the JSON formatter
(settings.LOGGING with LOG_FORMAT=json), one object per line.
"""

import io
import json
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.signals import pre_enqueue
from django_q.signing import SignedPackage
from django_q.tasks import _sync, async_task

from core.log_format import JsonFormatter
from core.request_id import RequestContextFilter
from tests.factories import TEST_PASSWORD

FIELDS = {"time", "level", "logger", "message", "request_id", "user_id", "path", "method", "status", "duration_ms"}
GENERATED = re.compile(r"[0-9a-f]{32}\Z")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z")


@pytest.fixture
def log_lines():
    """() -> the JSON objects written so far, each line parsed on its own."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def _access(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "core.access"]


@pytest.fixture
def quiet_client():
    client = Client()
    client.raise_request_exception = False
    return client


# --- the formatter ---------------------------------------------------------------------------------------------
def test_every_line_is_one_json_object_with_every_field(log_lines):
    logger = logging.getLogger("zk.test")
    logger.warning("первая строка\nвторая строка")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("a failure")
    lines = log_lines()
    assert len(lines) == 2  # a line break or a traceback never splits a record
    for line in lines:
        assert set(line) >= FIELDS
        assert ISO_UTC.match(line["time"])
        assert line["logger"] == "zk.test"
        assert line["request_id"] is None  # outside a request
    assert lines[0]["level"] == "WARNING" and lines[0]["message"] == "первая строка\nвторая строка"
    assert lines[1]["level"] == "ERROR" and "ValueError: boom" in lines[1]["exception"]


# --- the request id and the access line ------------------------------------------------------------------------
@pytest.mark.django_db
def test_each_request_gets_an_id_in_the_header_and_its_access_line(log_lines):
    client = Client()
    first, second = client.get("/"), client.get("/")
    assert GENERATED.match(first["X-Request-ID"]) and GENERATED.match(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    access = _access(log_lines())
    assert [line["request_id"] for line in access] == [first["X-Request-ID"], second["X-Request-ID"]]
    line = access[0]
    assert (line["method"], line["path"], line["status"], line["level"]) == ("GET", "/", 200, "INFO")
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("7f3c9a1e2b4d4c8e9f00112233445566", True),  # nginx's $request_id
        ("0b6c1f2e-8a8f-4c57-9d0e-1f2a3b4c5d6e", True),  # a UUID
        ("short", False),
        ("x" * 65, False),
        ("abc def ghi jkl", False),
        ('evil"}\n{"level": "CRITICAL', False),  # would forge a log line
    ],
)
def test_an_incoming_request_id_is_honoured_only_when_sane(incoming, kept):
    response = Client().get("/", headers={"X-Request-ID": incoming})
    if kept:
        assert response["X-Request-ID"] == incoming
    else:
        assert GENERATED.match(response["X-Request-ID"])


@pytest.mark.django_db
def test_the_access_line_carries_the_user_id_and_no_personal_data(log_lines, investor):
    client = Client()
    response = client.post(reverse("portal:login"), {"username": investor.email, "password": TEST_PASSWORD})
    assert response.status_code == 302  # signed in
    client.get(reverse("portal:appeal_list"), {"q": investor.email})
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in _access(log_lines()))
    assert investor.email not in text and TEST_PASSWORD not in text
    listing = _access(log_lines())[-1]
    assert listing["path"] == reverse("portal:appeal_list")  # no query string
    assert listing["user_id"] == investor.pk and listing["status"] == 200


@pytest.mark.django_db
def test_secret_tokens_in_a_path_are_masked(log_lines):
    token = "MQ:1tQx5b:Zk3secretTokenValue"
    Client().get(reverse("portal:confirm_email", args=[token]))
    Client().get(reverse("portal:calendar_feed", args=["feedsecret123456"]))
    text = json.dumps(_access(log_lines()))
    assert token not in text and "feedsecret123456" not in text
    assert "/confirm-email/***/" in text and "/calendar/***.ics" in text


@pytest.mark.django_db
def test_probe_access_lines_stay_below_info(log_lines):
    response = Client().get("/healthz")
    assert GENERATED.match(response["X-Request-ID"])
    assert _access(log_lines()) == []


# --- the 500 page ------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_portal_500_page_shows_the_request_id(quiet_client, investor, monkeypatch, log_lines):
    from core.portal import views

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.LandingView, "get", crash)
    quiet_client.force_login(investor)
    response = quiet_client.get("/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert f"Код запроса: <code>{request_id}</code>" in response.content.decode()
    # nobody is paged about it, so the page promises nothing of the kind
    assert "Ошибка записана в журнал сервера" in response.content.decode()
    assert "узнают" not in response.content.decode()
    lines = log_lines()
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["request_id"] == request_id and "RuntimeError: boom" in error["exception"]
    assert _access(lines)[-1]["status"] == 500


@pytest.mark.django_db
def test_the_cabinet_500_page_shows_the_request_id_with_the_database_down(quiet_client, director):
    quiet_client.force_login(director)

    def database_down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    with connection.execute_wrapper(database_down):
        response = quiet_client.get("/admin/", headers={"X-Request-ID": "support-ticket-0042"})
    assert response.status_code == 500
    assert response["X-Request-ID"] == "support-ticket-0042"
    text = response.content.decode()
    assert "В кабинет менеджера" in text and "Код запроса:" in text and "support-ticket-0042" in text


def test_other_error_pages_show_no_request_id(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Код запроса" not in response.content.decode()


@pytest.mark.django_db
def test_djangos_own_line_for_an_error_response_carries_the_request_id(log_lines):
    """Django logs «Not Found: …» after the middleware chain has returned, outside RequestIdMiddleware."""
    response = Client().get("/no-such-page/")
    line = next(line for line in log_lines() if line["logger"] == "django.request")
    assert line["message"] == "Not Found: /no-such-page/" and line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/no-such-page/", 404)


@pytest.mark.django_db
def test_a_request_for_another_host_is_one_warning_without_a_traceback(log_lines):
    """A scanner asking for the bare IP address is the client's mistake, not an error to page anyone about."""
    response = Client().get("/", HTTP_HOST="203.0.113.7")
    assert response.status_code == 400
    line = next(line for line in log_lines() if line["logger"] == "django.security.DisallowedHost")
    assert line["level"] == "WARNING" and "exception" not in line
    assert "203.0.113.7" in line["message"]
    assert (line["path"], line["status"], line["request_id"]) == ("/", 400, response["X-Request-ID"])


@pytest.mark.django_db
def test_a_failing_readyz_logs_one_warning_naming_the_checks_not_an_error(log_lines):
    from django.core.cache import cache

    from core.services import health

    cache.delete_many([health.HEARTBEAT_KEY, health.SWEEP_KEY])
    assert Client().get("/readyz").status_code == 503
    lines = [line for line in log_lines() if line["level"] in ("WARNING", "ERROR")]
    assert [(line["level"], line["message"]) for line in lines] == [("WARNING", "not ready: worker, deadline_sweep")]


# --- into the background task ------------------------------------------------------------------------------------
def task_that_logs(appeal_id: int) -> None:
    logging.getLogger("zk.test.task").info("working on appeal %s", appeal_id)


@pytest.mark.django_db(transaction=True)  # the letter is queued when the request's transaction commits
def test_a_task_queued_during_a_request_logs_under_its_request_id(investor, log_lines):
    queued = []

    def capture(sender, task, **kwargs):
        queued.append(dict(task))

    pre_enqueue.connect(capture)
    try:
        response = Client().post(reverse("portal:password_reset"), {"email": investor.email})
    finally:
        pre_enqueue.disconnect(capture)
    request_id = response["X-Request-ID"]
    assert [task["func"] for task in queued] == ["core.tasks.send_password_reset"]
    assert queued[0]["request_id"] == request_id  # in the signed package, not among the function's arguments
    assert queued[0]["args"] == (investor.pk,) and queued[0]["kwargs"] == {}

    # A worker, later and outside any request, runs a task from that package: its lines carry the id.
    _sync(SignedPackage.dumps({**queued[0], "func": f"{__name__}.task_that_logs", "args": (7,)}))
    line = next(line for line in log_lines() if line["logger"] == "zk.test.task")
    assert line["message"] == "working on appeal 7" and line["request_id"] == request_id
    assert logging.getLogger().handlers  # and the worker's context is clean again:
    logging.getLogger("zk.test.after").info("after the task")
    assert log_lines()[-1]["request_id"] is None


def task_that_fails():
    raise RuntimeError("the outbox is unreachable")


def _worker_lines(lines: list[dict]) -> list[tuple[str, str]]:
    return [(line["level"], line["message"]) for line in lines if line["logger"] == "django-q"]


def _run_queued(broker) -> None:
    """What a cluster does with the queued tasks, in this process: its pusher takes them from the broker, a worker
    process runs them, the monitor records each result."""
    from multiprocessing import Queue, Value

    from django_q.monitor import monitor
    from django_q.worker import worker

    tasks, results = Queue(), Queue()
    while taken := broker.dequeue():  # the ORM broker hands out one at a time
        for ack_id, pack in taken:
            tasks.put({**SignedPackage.loads(pack), "ack_id": ack_id})
    tasks.put("STOP")
    worker(tasks, results, Value("f", -1))
    results.put("STOP")
    monitor(results, broker)


def test_an_idle_worker_keeps_its_routine_lines_to_debug(transactional_db, log_lines, monkeypatch):
    """Each task that goes well — created from a schedule, queued, taken, processed — wrote four INFO lines: with
    the two one-minute schedules, some 11 500 a day from an idle worker. They are DEBUG lines now (written with
    LOG_LEVEL=DEBUG); a failed task is still an ERROR. (Committed rows: outside the inline mode q2's scheduler,
    worker and monitor close a connection left in a transaction, as a test's would be.)"""
    from django_q.brokers import get_broker
    from django_q.conf import Conf
    from django_q.models import Schedule
    from django_q.scheduler import scheduler

    monkeypatch.setattr(Conf, "SYNC", False)  # through the ORM broker, as in production
    broker = get_broker()
    schedule = Schedule.objects.create(name="Отправка писем из очереди", func="math.floor", args="1.5",
                                       schedule_type=Schedule.MINUTES, minutes=1, next_run=timezone.now())
    scheduler(broker=broker)
    async_task("math.floor", 2.5)
    async_task(f"{__name__}.task_that_fails")
    _run_queued(broker)
    [(level, message)] = _worker_lines(log_lines())
    assert level == "ERROR" and "the outbox is unreachable" in message

    logging.getLogger("django-q").setLevel(logging.DEBUG)  # as with LOG_LEVEL=DEBUG
    try:
        Schedule.objects.filter(pk=schedule.pk).update(next_run=timezone.now())
        scheduler(broker=broker)
        _run_queued(broker)
    finally:
        logging.getLogger("django-q").setLevel(logging.NOTSET)
    routine = _worker_lines(log_lines())[1:]
    assert {level for level, _ in routine} == {"DEBUG"}
    messages = " | ".join(message for _, message in routine)
    for part in ("Enqueued", "создал задачу", "выполняет", "Обработано"):  # queued, scheduled, taken, done
        assert part in messages, messages


# --- settings ------------------------------------------------------------------------------------------------------
def _log_a_line(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    clean.update(env)
    code = "import logging; logging.getLogger('zk.test').warning('hello')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=Path(settings.BASE_DIR), env=clean, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_production_logs_json_and_debug_logs_text(tmp_path):
    production = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "crm.zk.example",
                  "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    line = json.loads(_log_a_line(**production))
    assert set(line) >= FIELDS and line["message"] == "hello" and line["level"] == "WARNING"
    assert _log_a_line(DEBUG="true", DATABASE_URL=production["DATABASE_URL"]).endswith("WARNING zk.test [-] hello")
    debug_json = _log_a_line(DEBUG="true", DATABASE_URL=production["DATABASE_URL"], LOG_FORMAT="json")
    assert json.loads(debug_json)["message"] == "hello"
