"""django-q2 entry points: each takes ids only, loads the rows and calls one service."""

from core.models import User
from core.services import deadlines, health, notifications, webhooks
from core.services.accounts import email_confirmation_send, password_reset_send, registration_attempt_send
from core.services.housekeeping import housekeeping_run


def send_email_confirmation(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is not None:  # deleted while the task waited: nothing to send
        email_confirmation_send(user=user)


def send_password_reset(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        password_reset_send(user=user)


def send_registration_attempt(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        registration_attempt_send(user=user)


def send_notification(notification_id: int) -> bool:
    """Right after the change commits; a failure is left to outbox_flush's next run."""
    return notifications.notification_send(notification_id=notification_id)


def outbox_flush() -> int:
    return notifications.outbox_flush()


def send_webhook(delivery_id: int) -> bool:
    """Right after the change commits; a failure is left to webhook_flush's next run."""
    return webhooks.webhook_send(delivery_id=delivery_id)


def webhook_flush() -> int:
    return webhooks.webhook_flush()


def deadline_sweep() -> dict[str, int]:
    result = deadlines.deadline_sweep()
    health.sweep_finished_record()  # /readyz: only a sweep that ran to the end counts
    return result


def head_digest() -> int:
    return deadlines.head_digest()


def housekeeping() -> dict[str, int]:
    """The daily «Уборка»: rows and files past their retention period (takes no ids and no personal data)."""
    return housekeeping_run()


def export_register(job_id: int) -> None:
    """A register download above REGISTER_SYNC_LIMIT rows (core.services.exports.export_job_create)."""
    from core.services.exports import export_job_run  # the export stack loads only in the worker that needs it

    export_job_run(job_id)


def draft_run(job_id: int) -> None:
    """A language model draft (core.services.drafts.draft_job_create); the call has its own LLM_TIMEOUT_SECONDS."""
    from core.services.drafts import draft_job_run

    draft_job_run(job_id)
