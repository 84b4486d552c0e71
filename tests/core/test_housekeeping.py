"""The daily «Уборка»: each kind of row goes one moment after its period and stays one moment before it."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Failure, Schedule, Success, Task

from core.models import DraftJob, ExportJob, Notification
from core.models.notifications import Channel
from core.services.housekeeping import (
    axes_logs_prune,
    drafts_prune,
    export_files_prune,
    housekeeping_run,
    notices_prune,
    sessions_prune,
    task_rows_prune,
)
from core.services.schedules import schedules_setup
from core.tasks import housekeeping

pytestmark = pytest.mark.django_db
NOW = "2026-06-15 12:00 +03:00"
SECOND = timedelta(seconds=1)


def days_ago(days: int, delta: timedelta = timedelta()):
    return timezone.now() - timedelta(days=days) + delta


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def export_job(user, created_at) -> ExportJob:
    job = ExportJob.objects.create(user=user, register="appeals", file_format="xlsx", created_at=created_at,
                                   status="done")
    job.file.save(f"{job.uid.hex}.xlsx", ContentFile(b"xlsx"), save=True)
    return job


def test_export_files_go_after_7_days_with_their_file(manager):
    kept = export_job(manager, days_ago(7, SECOND))
    gone = export_job(manager, days_ago(7, -SECOND))
    gone_path = gone.file.name

    assert export_files_prune() == 1

    assert list(ExportJob.objects.all()) == [kept]
    assert not default_storage.exists(gone_path)
    assert default_storage.exists(kept.file.name)


def test_language_model_drafts_go_after_7_days(manager):
    make = DraftJob.objects.create
    kept = make(kind="appeal_answer", object_id=1, user=manager, text="Черновик", created_at=days_ago(7, SECOND))
    make(kind="project_brief", object_id=1, user=manager, text="Черновик", created_at=days_ago(7, -SECOND))

    assert drafts_prune() == 1

    assert list(DraftJob.objects.all()) == [kept]


def test_expired_sessions_go(investor):
    def session(expire_date) -> str:
        store = SessionStore()
        store["_auth_user_id"] = str(investor.pk)
        store.create()
        Session.objects.filter(pk=store.session_key).update(expire_date=expire_date)
        return store.session_key

    kept, gone = session(timezone.now() + SECOND), session(timezone.now() - SECOND)

    assert sessions_prune() == 1

    assert set(Session.objects.values_list("pk", flat=True)) == {kept}
    assert gone != kept


def notice(user, *, read_at, channel=Channel.SITE, n=0) -> Notification:
    return Notification.objects.create(recipient=user, channel=channel, event="test", object_kind="appeal",
                                       object_id=n, subject="Уведомление", body_text="Текст", read_at=read_at,
                                       email=user.email if channel == Channel.EMAIL else "")


def test_read_notices_go_a_year_after_reading_unread_and_letters_stay(investor):
    kept = notice(investor, read_at=days_ago(365, SECOND), n=1)
    unread = notice(investor, read_at=None, n=2)
    letter = notice(investor, read_at=days_ago(1000), channel=Channel.EMAIL, n=3)  # the outbox is never pruned
    notice(investor, read_at=days_ago(365, -SECOND), n=4)

    assert notices_prune() == 1

    assert set(Notification.objects.filter(recipient=investor, event="test")) == {kept, unread, letter}


def test_axes_logs_go_after_90_days():
    def rows(when, address):
        common = {"username": "someone@test.zk.example", "ip_address": address, "user_agent": "ua",
                  "path_info": "/login/", "http_accept": "*/*"}
        attempt = AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=1)
        log = AccessLog.objects.create(**common)
        failure = AccessFailureLog.objects.create(**common)
        for row in (attempt, log, failure):  # attempt_time is auto_now_add
            type(row).objects.filter(pk=row.pk).update(attempt_time=when)
        return attempt, log, failure

    kept = rows(days_ago(90, SECOND), "10.0.0.1")
    rows(days_ago(90, -SECOND), "10.0.0.2")

    assert axes_logs_prune() == 3

    assert (list(AccessAttempt.objects.all()), list(AccessLog.objects.all()), list(AccessFailureLog.objects.all())) \
        == ([kept[0]], [kept[1]], [kept[2]])


def task_row(name: str, *, success: bool, stopped) -> Task:
    return Task.objects.create(id=name, name=name, func="core.tasks.housekeeping", started=stopped, stopped=stopped,
                               success=success)


def test_worker_task_rows_go_after_30_days_and_failures_after_90():
    task_row("success-kept", success=True, stopped=days_ago(30, SECOND))
    task_row("success-gone", success=True, stopped=days_ago(30, -SECOND))
    task_row("failure-kept", success=False, stopped=days_ago(90, SECOND))
    task_row("failure-gone", success=False, stopped=days_ago(90, -SECOND))

    assert task_rows_prune() == 2

    assert list(Success.objects.values_list("name", flat=True)) == ["success-kept"]
    assert list(Failure.objects.values_list("name", flat=True)) == ["failure-kept"]


def test_task_row_periods_come_from_settings(settings):
    settings.RETENTION_TASK_DAYS, settings.RETENTION_TASK_FAILURE_DAYS = 1, 2
    task_row("success", success=True, stopped=days_ago(1, -SECOND))
    task_row("failure", success=False, stopped=days_ago(2, -SECOND))

    assert task_rows_prune() == 2

    assert not Task.objects.exists()


def test_periods_come_from_settings(settings, investor):
    settings.RETENTION_NOTICE_DAYS = 30
    notice(investor, read_at=days_ago(31), n=1)

    assert notices_prune() == 1


def test_the_task_runs_every_kind_and_reports_counts(manager):
    export_job(manager, days_ago(8))

    result = housekeeping()

    assert result == {"export_files": 1, "held_uploads": 0, "drafts": 0, "sessions": 0, "notices": 0, "axes_logs": 0,
                      "task_rows": 0, "webhook_deliveries": 0}


def test_one_failing_kind_does_not_stop_the_others(monkeypatch, investor):
    from core.services import housekeeping as module

    notice(investor, read_at=days_ago(400), n=1)
    monkeypatch.setitem(module.PRUNERS, "export_files", lambda: 1 / 0)

    with pytest.raises(RuntimeError, match="export_files"):
        housekeeping_run()

    assert not Notification.objects.filter(event="test").exists()


def test_the_daily_schedule_is_registered_once_at_night_moscow_time(settings):
    settings.HOUSEKEEPING_HOUR = 3
    schedules_setup()
    schedules_setup()

    schedule = Schedule.objects.get(func="core.tasks.housekeeping")
    assert schedule.schedule_type == Schedule.DAILY and schedule.name.startswith("Уборка")
    assert timezone.localtime(schedule.next_run).hour == 3
    assert timezone.localtime(schedule.next_run) > timezone.localtime()


def test_a_changed_hour_moves_the_daily_schedule_on_the_next_setup(settings):
    """An administrator who moves HOUSEKEEPING_HOUR and runs setup_schedules on the deploy gets the new hour (it
    used to say «проверено» and keep 03:00); the minute jobs keep their own next run."""
    settings.HOUSEKEEPING_HOUR = 3
    schedules_setup()
    outbox = Schedule.objects.get(func="core.tasks.outbox_flush").next_run
    settings.HOUSEKEEPING_HOUR = 5
    out = StringIO()
    call_command("setup_schedules", stdout=out)

    schedule = Schedule.objects.get(func="core.tasks.housekeeping")
    assert timezone.localtime(schedule.next_run).hour == 5 and schedule.next_run > timezone.now()
    assert Schedule.objects.get(func="core.tasks.outbox_flush").next_run == outbox
    assert "следующий запуск 16.06.2026 05:00 (МСК)" in out.getvalue()  # Moscow time, as the cabinet shows it


def test_q2_keeps_every_successful_task_row_for_the_housekeeping_to_prune():
    """q2 keeps 250 successful rows unless told otherwise — about two hours of this product's minute jobs — so
    RETENTION_TASK_DAYS (30) could never take effect; with no limit of its own, the daily housekeeping decides."""
    from django_q.conf import Conf

    assert Conf.SAVE_LIMIT == 0
