"""Retention: the daily «Уборка» deletes rows and files kept longer than their period (settings RETENTION_*).

One function per kind of row, each returning how many it removed. Kept on purpose:
- sent and failed letters (Notification, channel e-mail): the row is what makes «never twice» hold (its unique
  constraint); deleting it would let a repeated event send the same letter again;
- unread in-app notices: the person has not seen them yet;
- webhook deliveries not yet delivered (waiting or failed): staff may still send them again;
- the audit log and the domain histories: they are the record of the company's appeals and projects.
None of the rows removed here is in the audit log, so no actor is needed; `housekeeping_run` still acts as the system
user, so anything audited that a later kind of row touches is attributed.
"""

import logging
from datetime import timedelta
from importlib import import_module

from auditlog.context import set_actor
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_q.models import Failure, Success

from core.models import DraftJob, ExportJob, Notification, WebhookDelivery
from core.models.notifications import Channel, OutboxStatus
from core.services.held_uploads import held_uploads_prune
from core.services.system import system_user

logger = logging.getLogger(__name__)


def _cutoff(days: int):
    return timezone.now() - timedelta(days=days)


def export_files_prune() -> int:
    """Register downloads prepared in the background, file and row, after RETENTION_EXPORT_DAYS."""
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=_cutoff(settings.RETENTION_EXPORT_DAYS)).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed


def drafts_prune() -> int:
    """Language model drafts (core.services.drafts) after RETENTION_EXPORT_DAYS: the text was copied or dropped."""
    deleted, _ = DraftJob.objects.filter(created_at__lt=_cutoff(settings.RETENTION_EXPORT_DAYS)).delete()
    return deleted


def sessions_prune() -> int:
    """Expired sessions, as `manage.py clearsessions` does for any session engine; the count is the database's."""
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return expired


def notices_prune() -> int:
    """In-app notices read more than RETENTION_NOTICE_DAYS ago."""
    deleted, _ = Notification.objects.filter(
        channel=Channel.SITE, read_at__lt=_cutoff(settings.RETENTION_NOTICE_DAYS)
    ).delete()
    return deleted


def axes_logs_prune() -> int:
    """Login attempts, logins and failures (django-axes) older than RETENTION_AXES_DAYS."""
    cutoff = _cutoff(settings.RETENTION_AXES_DAYS)
    return sum(model.objects.filter(attempt_time__lt=cutoff).delete()[0]
               for model in (AccessAttempt, AccessLog, AccessFailureLog))


def task_rows_prune() -> int:
    """The worker's records of finished tasks («Журналы → Фоновые задачи»): successes after RETENTION_TASK_DAYS,
    failures, kept longer to investigate, after RETENTION_TASK_FAILURE_DAYS; counted from when the task stopped."""
    return (Success.objects.filter(stopped__lt=_cutoff(settings.RETENTION_TASK_DAYS)).delete()[0]
            + Failure.objects.filter(stopped__lt=_cutoff(settings.RETENTION_TASK_FAILURE_DAYS)).delete()[0])


def webhook_deliveries_prune() -> int:
    """Webhook deliveries the receiver accepted more than RETENTION_WEBHOOK_DAYS ago (the delivery log)."""
    deleted, _ = WebhookDelivery.objects.filter(
        status=OutboxStatus.SENT, delivered_at__lt=_cutoff(settings.RETENTION_WEBHOOK_DAYS)
    ).delete()
    return deleted


PRUNERS = {
    "export_files": export_files_prune,
    "held_uploads": held_uploads_prune,
    "drafts": drafts_prune,
    "sessions": sessions_prune,
    "notices": notices_prune,
    "axes_logs": axes_logs_prune,
    "task_rows": task_rows_prune,
    "webhook_deliveries": webhook_deliveries_prune,
}


def housekeeping_run() -> dict[str, int]:
    """Every kind in turn: one failing does not stop the others; it is logged, and the run fails at the end so the
    worker records the task as failed («Журналы → Фоновые задачи»)."""
    result, failed = {}, []
    with set_actor(system_user()):
        for name, prune in PRUNERS.items():
            try:
                result[name] = prune()
            except Exception:
                logger.exception("housekeeping: %s failed", name)
                failed.append(name)
    if failed:
        raise RuntimeError(f"housekeeping failed for: {', '.join(failed)}; removed {result}")
    return result
