"""Reads of notifications: a person's in-app notices and the outbox staff watch."""

from django.db.models import QuerySet

from core.models import Notification, User
from core.models.notifications import Channel, OutboxStatus


def notices_for(user: User) -> QuerySet[Notification]:
    """The person's in-app notices, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, channel=Channel.SITE).order_by("-created_at", "-pk")


# What a list of notices shows: the line, the time, read or not and the button (the kind and the link).
NOTICE_LIST_FIELDS = ("pk", "object_kind", "subject", "link", "created_at", "read_at")


def notice_list_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's notices as the list pages show them. A notice's line is its subject: rows written before
    notices had their own line carry the letter's text in `body_text`, which no list shows, and the letter's
    subject, which reads as a line too."""
    notices = notices_for(user).only(*NOTICE_LIST_FIELDS)
    return notices.filter(read_at__isnull=True) if unread_only else notices


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return notices_for(user).filter(read_at__isnull=True).count()


def outbox_visible_to(user: User) -> QuerySet[Notification]:
    """Letters, for the staff who may watch the outbox (administrators): all of them."""
    if not (user.is_authenticated and user.is_active and user.has_perm("core.view_notification")):
        return Notification.objects.none()
    return Notification.objects.filter(channel=Channel.EMAIL)


def outbox_failed(user: User) -> QuerySet[Notification]:
    return outbox_visible_to(user).filter(status=OutboxStatus.FAILED)
