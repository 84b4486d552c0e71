"""The outbox against a real SMTP server (aiosmtpd in this process): what the addressee receives, and that
every letter arrives exactly once whatever the mail server or the worker does — refusals, an outage, a worker
killed mid-send — and that no web request waits for the mail server."""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import Appeal, Notification
from core.models.notifications import Channel, OutboxStatus
from core.services.notifications import LEASE, notification_resend, outbox_flush
from core.tasks import send_notification
from core.workflows.appeals import appeal_transition
from tests.smtp_server import smtp_fixture  # noqa: F401  (provides the `smtp` fixture)

pytestmark = pytest.mark.django_db

START = datetime(2025, 2, 21, 12, 47, tzinfo=timezone.get_fixed_timezone(180))
SECOND = timedelta(seconds=1)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def clock():
    """Frozen time the test moves by hand (time_machine)."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def letter(recipient, number: int = 1) -> Notification:
    """A letter row as `notify` writes it (for the tests of the sending machinery alone)."""
    return Notification.objects.create(
        recipient=recipient, channel=Channel.EMAIL, event="appeal_registered", object_kind="appeal",
        object_id=number, email=recipient.email, subject=f"Обращение №{number} зарегистрировано",
        body_text=f"Ваше обращение №{number} зарегистрировано.\n",
        body_html=f"<p>Ваше обращение №{number} зарегистрировано.</p>",
        link=f"{settings.SITE_URL}/cabinet/appeals/{number}/",
    )


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


def calendars(message) -> list[str]:
    return [
        part.get_content() for part in message.iter_attachments() if part.get_content_type() == "text/calendar"
    ]


def sequence(ics: str) -> int:
    return int(re.search(r"^SEQUENCE:(\d+)\r?$", ics, re.M).group(1))


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def email_rows(**filters):
    return Notification.objects.filter(channel=Channel.EMAIL, **filters)


# --- what the addressee receives (through the real doors) ------------------------------------------------
@time_machine.travel(START, tick=False)
def test_an_investor_filing_an_appeal_gets_one_russian_letter_with_the_deadline_and_the_link(
    smtp, file_appeal, investor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = file_appeal()

    (message,) = smtp.handler.to(investor.email)
    page = f"{settings.SITE_URL}/cabinet/appeals/{appeal.pk}/"
    assert f"№{appeal.number}" in message["Subject"] or str(appeal.number) in message["Subject"]
    assert CYRILLIC.search(message["Subject"])
    text = plain(message)
    assert CYRILLIC.search(text)
    assert f"{appeal.deadline:%d.%m.%Y}" == "13.03.2025" and "13.03.2025" in text
    assert page in text
    assert page in html(message)  # the HTML alternative
    row = email_rows(recipient=investor, event="appeal_registered").get()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 1, "")
    assert message["Message-ID"] == row.message_id


def test_the_answer_letter_invites_to_rate_or_send_back_for_rework(
    smtp, file_appeal, investor, coordinator, manager, head, django_capture_on_commit_callbacks
):
    appeal = file_appeal()  # its letters stay queued: the test transaction never commits
    with django_capture_on_commit_callbacks(execute=True):
        appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                     head=head)
        appeal = act(appeal, "take_into_work", manager)
        appeal = act(appeal, "submit_for_approval", manager, answer_text="Проект примыкания согласован.")
        appeal = act(appeal, "approve", head)

    (message,) = smtp.handler.to(investor.email)
    page = f"{settings.SITE_URL}/cabinet/appeals/{appeal.pk}/"
    for body in (plain(message), html(message)):
        assert f"{page}#action-rate" in body
        assert f"{page}#action-send_back_for_rework" in body
    assert CYRILLIC.search(plain(message))
    row = email_rows(recipient=investor, event="appeal_answered").get()
    assert (row.status, row.attempts, message["Message-ID"]) == (OutboxStatus.SENT, 1, row.message_id)


@time_machine.travel(datetime(2025, 10, 1, 12, 0, tzinfo=START.tzinfo), tick=False)
def test_each_participant_gets_the_meeting_in_a_calendar_file_and_a_change_replaces_it(
    smtp, apply_project, manager, investor, coordinator, django_capture_on_commit_callbacks
):
    from core.services.projects import meeting_save

    project = apply_project()
    starts = datetime(2025, 10, 7, 10, 0, tzinfo=START.tzinfo)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_save(
            project=project, actor=manager, participants=[manager, investor, coordinator],
            title="Встреча по подключению к сетям", starts_at=starts, duration_minutes=90, format="in_person",
            place="Тосно, пр. Ленина, д. 1, каб. 5",
        )
    uid = f"UID:{meeting.uid}@zelenyi-koridor"

    first = {}
    for person in (investor, coordinator):
        (message,) = smtp.handler.to(person.email)
        (ics,) = calendars(message)
        assert "BEGIN:VCALENDAR" in ics and uid in ics
        first[person.pk] = sequence(ics)
    assert not smtp.handler.to(manager.email)  # the one who scheduled it is not told

    with django_capture_on_commit_callbacks(execute=True):
        meeting_save(project=project, actor=manager, meeting=meeting, participants=[manager, investor, coordinator],
                     starts_at=starts + timedelta(days=1))

    for person in (investor, coordinator):
        earlier, changed = smtp.handler.to(person.email)
        assert changed["Message-ID"] != earlier["Message-ID"]
        (ics,) = calendars(changed)
        assert "BEGIN:VCALENDAR" in ics and uid in ics
        assert sequence(ics) > first[person.pk]
    assert email_rows(status=OutboxStatus.SENT, event__startswith="meeting_").count() == 4


# --- the mail server refuses, is down, or the worker dies ------------------------------------------------
def test_a_letter_refused_three_times_arrives_exactly_once(smtp, clock, investor):
    row = letter(investor)
    smtp.handler.refuse_next(3)

    assert send_notification(row.pk) is False  # the task queued on commit
    for attempt in (1, 2, 3):
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, attempt)
        assert "451" in row.last_error and row.next_attempt_at > timezone.now()
        clock.move_to(row.next_attempt_at - SECOND)
        assert outbox_flush() == 0  # not due yet: the server is not asked again
        assert smtp.handler.data_attempts == attempt
        clock.move_to(row.next_attempt_at + SECOND)
        assert outbox_flush() == (1 if attempt == 3 else 0)

    assert len(smtp.handler.with_message_id(row.message_id)) == 1 == len(smtp.messages)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 4, "")
    for days in (1, 30, 400):
        clock.shift(timedelta(days=days))
        assert outbox_flush() == 0
    assert len(smtp.messages) == 1 and smtp.handler.data_attempts == 4


def test_while_the_server_is_down_letters_wait_and_then_each_arrives_once(
    smtp, clock, investor, manager, coordinator
):
    rows = [letter(person, number) for number, person in enumerate([investor, manager, coordinator, investor], 1)]
    smtp.stop()

    for row in rows:
        assert send_notification(row.pk) is False
    clock.shift(timedelta(minutes=1, seconds=1))
    assert outbox_flush() == 0  # still down: the second attempt fails too
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 2)
        assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
        assert row.next_attempt_at > timezone.now()
    assert not email_rows(status=OutboxStatus.FAILED).exists()

    smtp.start()  # back on the same port
    assert outbox_flush() == 0  # the backoff is respected
    clock.move_to(max(row.next_attempt_at for row in email_rows()) + SECOND)
    assert outbox_flush() == len(rows)

    for row in rows:
        assert len(smtp.handler.with_message_id(row.message_id)) == 1
    assert len(smtp.messages) == len(rows)
    assert set(email_rows().values_list("status", flat=True)) == {OutboxStatus.SENT}
    clock.shift(timedelta(days=2))
    assert outbox_flush() == 0 and len(smtp.messages) == len(rows)


def test_after_the_last_attempt_the_letter_is_failed_until_an_administrator_sends_it_again(
    smtp, clock, investor, administrator, django_capture_on_commit_callbacks
):
    row = letter(investor)
    smtp.handler.refuse_next(1000)

    send_notification(row.pk)
    for _ in range(settings.NOTIFICATION_MAX_ATTEMPTS - 1):
        row.refresh_from_db()
        assert row.status == OutboxStatus.PENDING
        clock.move_to(row.next_attempt_at + SECOND)
        outbox_flush()

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, settings.NOTIFICATION_MAX_ATTEMPTS)
    assert "451" in row.last_error
    clock.shift(timedelta(days=30))
    assert outbox_flush() == 0  # nobody tries a failed letter again on their own
    assert smtp.handler.data_attempts == settings.NOTIFICATION_MAX_ATTEMPTS and not smtp.messages

    smtp.handler.refuse_next(0)
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification=row, actor=administrator)

    assert len(smtp.handler.with_message_id(row.message_id)) == 1 == len(smtp.messages)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 1, "")
    clock.shift(timedelta(days=1))
    assert outbox_flush() == 0 and len(smtp.messages) == 1


class WorkerKilled(BaseException):
    """What a SIGKILL or an OOM kill looks like to the code that was running: nothing it catches."""


def test_a_letter_whose_worker_died_mid_send_is_sent_once_after_the_lease(smtp, clock, investor, monkeypatch):
    row = letter(investor)

    def dies(self, email_messages):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", dies)
        with pytest.raises(WorkerKilled):
            send_notification(row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == (OutboxStatus.SENDING, 1, timezone.now() + LEASE)
    assert outbox_flush() == 0
    clock.shift(LEASE - SECOND)
    assert outbox_flush() == 0 and not smtp.messages  # the worker might still be alive: hands off
    clock.shift(2 * SECOND)
    assert outbox_flush() == 1

    assert len(smtp.handler.with_message_id(row.message_id)) == 1 == len(smtp.messages)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == (OutboxStatus.SENT, 2, None)
    clock.shift(LEASE * 10)
    assert outbox_flush() == 0 and len(smtp.messages) == 1


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_in_the_middle_of_a_send_loses_nothing_and_doubles_nothing(
    smtp, investor, tmp_path
):
    row = letter(investor)
    smtp.handler.stall()
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "core.settings", "DEBUG": "true", "SECRET_KEY": "outbox-test",
        "DATABASE_URL": database_url(), "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}", "EMAIL_TIMEOUT": "60",
    }
    code = f"from core.services.notifications import notification_send; notification_send(notification_id={row.pk})"
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen([sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not smtp.handler.stalled.wait(0.05):
            assert worker.poll() is None, f"the worker exited before sending:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the worker never reached DATA:\n{log.read_text()}"
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutboxStatus.SENDING, 1)  # claimed by the worker
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=10) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    smtp.handler.release()  # the held letter is refused, not delivered

    assert not smtp.messages
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENDING
    assert outbox_flush() == 0  # within the lease the dead worker's letter is left alone
    with time_machine.travel(row.claimed_until + SECOND, tick=False):
        assert outbox_flush() == 1
        assert outbox_flush() == 0

    assert len(smtp.handler.with_message_id(row.message_id)) == 1 == len(smtp.messages)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


# --- no web request waits for the mail server ------------------------------------------------------------
def appeal_form(fact, company) -> dict:
    return {
        "category": fact.subcategory.category_id,
        "subcategory": fact.subcategory_id,
        "fact": fact.pk,
        "subject": "Согласование съезда на промышленную улицу",
        "description": "Получен отказ в согласовании проекта съезда. Просим организовать встречу по ВКС.",
        "organisation_name": company.full_name,
        "organisation_inn": company.inn,
    }


def test_filing_an_appeal_only_queues_the_letter_for_after_commit(
    smtp, client, investor, problem_fact, django_capture_on_commit_callbacks, monkeypatch
):
    import core.services.queue

    smtp.handler.stall()  # a mail server that never answers: a request talking to it would hang here
    client.force_login(investor)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("portal:appeal_create"), appeal_form(problem_fact, investor.organisation))

    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:appeal_detail", args=[appeal.pk])
    row = email_rows(recipient=investor, event="appeal_registered").get()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert smtp.handler.sessions == 0 and not smtp.handler.stalled.is_set()
    assert callbacks  # the sending waits for the commit

    smtp.handler.release()
    queued, real_async_task = [], core.services.queue.async_task

    def async_task(func, *args):
        queued.append((func, *args))
        return real_async_task(func, *args)

    monkeypatch.setattr(core.services.queue, "async_task", async_task)
    for callback in callbacks:  # after the commit: q2 (inline in the test settings) sends
        callback()
    assert sorted(queued) == [("core.tasks.send_notification", pk) for pk in sorted(email_rows().values_list(
        "pk", flat=True))]  # every letter once, and nothing else
    (message,) = smtp.handler.with_message_id(row.message_id)
    assert message["To"] == investor.email
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)


def test_with_q2_in_its_production_mode_the_request_leaves_only_a_task_in_the_queue(
    smtp, client, investor, problem_fact, django_capture_on_commit_callbacks, monkeypatch
):
    from django_q.conf import Conf
    from django_q.models import OrmQ

    monkeypatch.setattr(Conf, "SYNC", False)  # the ORM broker of core.settings, as in production
    smtp.handler.stall()
    client.force_login(investor)

    with django_capture_on_commit_callbacks(execute=True):  # the commit happens inside the request
        response = client.post(reverse("portal:appeal_create"), appeal_form(problem_fact, investor.organisation))

    assert response.status_code == 302
    row = email_rows(recipient=investor, event="appeal_registered").get()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert smtp.handler.sessions == 0 and not smtp.handler.stalled.is_set()
    tasks = [queued.task for queued in OrmQ.objects.all()]
    assert {(task["func"], tuple(task["args"])) for task in tasks} == {
        ("core.tasks.send_notification", (pk,)) for pk in email_rows().values_list("pk", flat=True)
    }

    smtp.handler.release()
    for task in tasks:  # the cluster's worker, later and elsewhere
        send_notification(*task["args"])
    assert len(smtp.handler.with_message_id(row.message_id)) == 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_a_queue_outage_at_commit_neither_fails_the_request_nor_loses_the_letter(
    smtp, client, investor, problem_fact, monkeypatch
):
    import core.services.queue

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    client.force_login(investor)
    with monkeypatch.context() as patch:
        patch.setattr(core.services.queue, "async_task", broker_down)
        # commits for real
        response = client.post(reverse("portal:appeal_create"), appeal_form(problem_fact, investor.organisation))

    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:appeal_detail", args=[appeal.pk])
    row = email_rows(recipient=investor, event="appeal_registered").get()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0) and not smtp.messages

    assert outbox_flush() == email_rows().count()  # the minute's sweep
    assert len(smtp.handler.with_message_id(row.message_id)) == 1
    assert outbox_flush() == 0
