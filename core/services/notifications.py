"""The outbox and the in-app notices.

`notify` writes the rows inside the caller's transaction (the door that made the change) and queues the
letters for after commit. `notification_send` sends one letter: it claims the row with a conditional update,
so two workers never send the same row, and records the outcome; a failure waits with backoff, and after the
last attempt the letter is marked failed for staff to send again. `outbox_flush` (every minute) sends what is
due and takes back letters whose worker died mid-send. No web request talks to the mail server.
"""

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.models import Notification, NotificationOptOut, User
from core.models.notifications import Channel, OutboxStatus
from core.notifications.events import EVENTS, INVESTOR, STAFF, EventSpec, events_for_audience
from core.notifications.links import link_for, notifications_link, object_kind, preferences_link
from core.selectors.visibility import is_staff_member
from core.services.queue import enqueue_after_commit

log = logging.getLogger(__name__)

# minutes to wait after the n-th failed attempt; the last attempt marks the letter failed
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)
LEASE = timedelta(minutes=10)  # a claimed letter not finished by then belongs to a dead worker
FLUSH_BUDGET_SECONDS = 60  # below django-q2's task timeout
FLUSH_BATCH = 200


def max_attempts() -> int:
    return settings.NOTIFICATION_MAX_ATTEMPTS


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


# --- writing ---------------------------------------------------------------------------------------------
def _render(code: str, context: dict) -> tuple[str, str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"notifications/{code}/subject.txt", context).split())
        text = render_to_string(f"notifications/{code}/body.txt", context).strip() + "\n"
        html = render_to_string(f"notifications/{code}/body.html", context)
    return subject[:300], text, html


def _render_notice(code: str, context: dict) -> str:
    """The in-app notice: one line saying what happened to which object, from the event's notice.txt. It never
    carries typed text (comments, reasons, answers), so it has no visibility of its own to get wrong."""
    with translation.override(settings.LANGUAGE_CODE):
        line = " ".join(render_to_string(f"notifications/{code}/notice.txt", context).split())
    return line[:300]


def _attachment_fields(attachment: tuple[str, str, bytes] | None) -> dict:
    if not attachment:
        return {}
    name, content_type, content = attachment
    return {"attachment_name": name, "attachment_type": content_type, "attachment": content}


def _wants_email(user: User, spec: EventSpec) -> bool:
    if not user.email or user.email.endswith(".invalid"):
        return False
    return spec.mandatory or not NotificationOptOut.objects.filter(user=user, event=spec.code).exists()


def notify(
    *,
    event: str,
    obj,
    recipients: Iterable[User | None],
    level: str = "",
    context: dict | None = None,
    attachment: tuple[str, str, bytes] | None = None,
    actor: User | None = None,
    emails: Iterable[tuple[str, str]] = (),
) -> list[Notification]:
    """Tell each recipient about `event` on `obj`: an in-app notice (the one line of notice.txt, as its subject
    and text) and, unless they opted out of a non-mandatory event, a letter. The person who caused the event is
    not told about it. Rows that already exist for (event, object, recipient, level) are left alone: calling
    again changes nothing.

    `emails`: (name, address) of people without an account (an appeal's contact person): a letter only, with no
    link into either face and no notification settings (see `_contact_letters`)."""
    spec = EVENTS[event]
    kind = object_kind(obj)
    people: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.is_active and (actor is None or user.pk != actor.pk):
            people.setdefault(user.pk, user)
    created: list[Notification] = []
    now = timezone.now()
    with transaction.atomic():
        for user in people.values():
            link = link_for(user, obj)
            ctx = {
                **(context or {}), "object": obj, "recipient": user, "user": user, "link": link,
                "site_url": settings.SITE_URL, "is_staff": is_staff_member(user), "event": spec,
                "notifications_link": notifications_link(user), "preferences_link": preferences_link(user),
            }
            notice = _render_notice(event, ctx)
            rows = [Notification(  # an in-app notice is delivered by being written
                recipient=user, channel=Channel.SITE, event=event, object_kind=kind, object_id=obj.pk, level=level,
                subject=notice, body_text=notice, link=link, created_at=now,
                status=OutboxStatus.SENT, sent_at=now,
            )]
            if _wants_email(user, spec):
                subject, text, html = _render(event, ctx)
                rows.append(Notification(
                    recipient=user, channel=Channel.EMAIL, event=event, object_kind=kind, object_id=obj.pk,
                    level=level, email=user.email, subject=subject, body_text=text, body_html=html, link=link,
                    created_at=now, **_attachment_fields(attachment),
                ))
            for row in rows:
                try:
                    with transaction.atomic():  # a savepoint: a duplicate must not spoil the caller's transaction
                        row.save()
                except IntegrityError:
                    continue
                created.append(row)
                if row.channel == Channel.EMAIL:
                    enqueue_after_commit("core.tasks.send_notification", row.pk)
        created += _contact_letters(event=event, spec=spec, obj=obj, kind=kind, level=level, context=context,
                                    emails=emails, skip={user.email.lower() for user in people.values()}, now=now)
    return created


@dataclass(frozen=True)
class Contact:
    """A letter's addressee without an account: the templates greet them by name like a user."""

    polite_name: str
    email: str

    @property
    def salutation(self) -> str:  # the name as the agency recorded it
        return self.polite_name


# a context value named like this is a link into a face; a contact has no account to follow it with
_LINK_SUFFIX = "_link"


def _contact_letters(*, event, spec, obj, kind, level, context, emails, skip: set[str], now) -> list[Notification]:
    created = []
    for name, address in emails:
        address = (address or "").strip()
        if not address or address.lower() in skip or address.endswith(".invalid"):
            continue
        skip.add(address.lower())
        plain = {key: "" for key in (context or {}) if key.endswith(_LINK_SUFFIX)}
        ctx = {
            **(context or {}), **plain, "object": obj, "recipient": Contact((name or "").strip(), address),
            "user": None, "link": "", "site_url": settings.SITE_URL, "is_staff": False, "event": spec,
            "contact": True, "notifications_link": "", "preferences_link": "",
        }
        subject, text, html = _render(event, ctx)
        row = Notification(
            recipient=None, channel=Channel.EMAIL, event=event, object_kind=kind, object_id=obj.pk, level=level,
            email=address, subject=subject, body_text=text, body_html=html, created_at=now,
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue
        created.append(row)
        enqueue_after_commit("core.tasks.send_notification", row.pk)
    return created


# --- sending ---------------------------------------------------------------------------------------------
def _message(row: Notification) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.body_text, to=[row.email], headers={"Message-ID": row.message_id},
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    if row.attachment_name:
        message.attach(row.attachment_name, bytes(row.attachment), row.attachment_type or "application/octet-stream")
    return message


def _claimable(now) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_until__lt=now
    )


def notification_send(*, notification_id: int) -> bool:
    """Send one letter if it is due and nobody else is sending it. True when it went out now."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(_claimable(now), pk=notification_id, channel=Channel.EMAIL)
        .update(status=OutboxStatus.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    row = Notification.objects.get(pk=notification_id)
    try:
        _message(row).send()
    except Exception as error:  # any failure of the mail server or the network: try again later
        failed = row.attempts >= max_attempts()
        Notification.objects.filter(pk=row.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + (timedelta(0) if failed else backoff(row.attempts)),
            claimed_until=None,
        )
        log.warning("notification %s: attempt %s failed: %s", row.pk, row.attempts, error)
        return False
    Notification.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def outbox_flush(*, budget_seconds: float = FLUSH_BUDGET_SECONDS) -> int:
    """Send the letters that are due, including those a dead worker left half-sent. Returns how many went."""
    started, sent = time.monotonic(), 0
    due = list(
        Notification.objects.filter(_claimable(timezone.now()), channel=Channel.EMAIL)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:FLUSH_BATCH]
    )
    for pk in due:
        if time.monotonic() - started > budget_seconds:
            break
        sent += notification_send(notification_id=pk)
    return sent


def notification_resend(*, notification: Notification, actor: User) -> Notification:
    """Staff put a failed letter back in the queue («Отправить повторно»)."""
    if not actor.has_perm("core.change_notification"):
        raise PermissionDenied(gettext("Повторная отправка писем доступна администраторам."))
    if notification.channel != Channel.EMAIL or notification.status != OutboxStatus.FAILED:
        raise ValidationError(gettext("Повторно отправить можно только неотправленное письмо."))
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
        )
        if not updated:  # someone resent it a moment ago
            raise ValidationError(gettext("Письмо уже поставлено в очередь повторно."))
        enqueue_after_commit("core.tasks.send_notification", notification.pk)
    notification.refresh_from_db()
    return notification


# --- in-app notices and preferences ----------------------------------------------------------------------
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notices read: the given ones, or all of them."""
    qs = Notification.objects.filter(recipient=user, channel=Channel.SITE, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def notices_seen(*, user: User, obj) -> int:
    """The person opened the page of `obj` (an appeal, a project) by whatever way — a letter's link, a list, an
    address typed —: their unread notices about it are read, as if opened from the bell. One UPDATE."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, channel=Channel.SITE, read_at__isnull=True, object_kind=object_kind(obj), object_id=obj.pk,
    ).update(read_at=timezone.now())


def preference_events_for(user: User) -> list[EventSpec]:
    return events_for_audience(STAFF if is_staff_member(user) else INVESTOR)


def notification_preferences(user: User) -> list[tuple[EventSpec, bool]]:
    """(event, comes by email) for each event this person can receive."""
    off = set(NotificationOptOut.objects.filter(user=user).values_list("event", flat=True))
    return [(spec, spec.mandatory or spec.code not in off) for spec in preference_events_for(user)]


@transaction.atomic
def notification_preferences_set(*, user: User, email_events: Iterable[str]) -> None:
    """Keep letters for `email_events` and switch off the rest; mandatory events cannot be switched off."""
    wanted = set(email_events)
    allowed = {spec.code for spec in preference_events_for(user)}
    unknown = wanted - allowed
    if unknown:
        raise ValidationError(gettext("Неизвестные события: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    off = {spec.code for spec in preference_events_for(user) if not spec.mandatory and spec.code not in wanted}
    NotificationOptOut.objects.filter(user=user).exclude(event__in=off).delete()
    existing = set(NotificationOptOut.objects.filter(user=user).values_list("event", flat=True))
    NotificationOptOut.objects.bulk_create([NotificationOptOut(user=user, event=code) for code in off - existing])
