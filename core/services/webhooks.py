"""Webhooks: subscriptions, the deliveries the doors write, and their sending (docs/integrations/webhooks.md).

`webhook_emit` writes one delivery row per subscription that wants the event and may see the object, inside the
caller's transaction, and queues its sending for after commit — the same outbox pattern as the letters
(core.services.notifications). `webhook_send` claims a row with a conditional update, posts the body signed with
the subscription's secret and records the outcome; a failure waits with the letters' backoff, and after the last
attempt the delivery is marked failed for staff to send again («Отправить повторно»). `webhook_flush` (every
minute) sends what is due and takes back deliveries whose worker died mid-send.

Who receives what: a subscription of the agency receives every object's events; a subscription of an investor
company, the events of its own appeals and projects (and of meetings about them); a subscription of a participant
body (ОИВ, ОМСУ, РСО, federal), the events of the appeals it executes now (and of meetings about them).
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.choices import OrganisationKind
from core.models import Appeal, Meeting, Project, User, WebhookDelivery, WebhookEvent, WebhookSubscription
from core.models.notifications import OutboxStatus
from core.services.notifications import backoff
from core.services.queue import enqueue_after_commit

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # a claimed delivery not finished by then belongs to a dead worker
FLUSH_BUDGET_SECONDS = 60  # below django-q2's task timeout
FLUSH_BATCH = 200
SIGNATURE_TOLERANCE_SECONDS = 300  # what the docs advise a receiver to accept


# --- subscriptions -----------------------------------------------------------------------------------------
def _blocked_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return not ip.is_global or ip.is_multicast


def webhook_url_check(url: str) -> None:
    """https to a public host; with WEBHOOK_ALLOW_LOCAL (on with DEBUG) also http and hosts inside the network.
    A name is resolved and refused if any of its addresses is private, loopback, link-local or reserved."""
    allow_local = settings.WEBHOOK_ALLOW_LOCAL
    parts = urlsplit(url or "")
    if parts.scheme != "https" and not (allow_local and parts.scheme == "http"):
        raise ValidationError({"url": [gettext("Адрес должен начинаться с https://.")]})
    try:
        port = parts.port or 443
    except ValueError:  # «:99999»
        port = None
    host = parts.hostname
    if not host or port is None or parts.username or parts.password:
        raise ValidationError({"url": [gettext("Укажите адрес вида https://пример.рф/путь без имени и пароля.")]})
    if allow_local:
        return
    try:
        addresses = [host] if _is_ip(host) else [
            info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        ]
    except OSError as error:
        raise ValidationError({"url": [gettext("Не удалось найти адрес %(host)s.") % {"host": host}]}) from error
    if any(_blocked_address(address) for address in addresses):
        raise ValidationError({"url": [gettext(
            "Адрес %(host)s ведёт во внутреннюю сеть: события отправляются только на публичные адреса."
        ) % {"host": host}]})


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def webhook_secret_new() -> str:
    return secrets.token_urlsafe(32)


def _may_manage(actor: User, permission: str = "core.change_webhooksubscription") -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(gettext("Подписками на события управляют администраторы и директор агентства."))


def webhook_subscription_save(*, subscription: WebhookSubscription, actor: User) -> WebhookSubscription:
    """Create or change a subscription after checking its address and events; a new one gets its secret here."""
    creating = subscription.pk is None
    _may_manage(actor, "core.add_webhooksubscription" if creating else "core.change_webhooksubscription")
    events = list(dict.fromkeys(subscription.events or []))
    if not events:
        raise ValidationError({"events": [gettext("Выберите хотя бы одно событие.")]})
    unknown = set(events) - set(WebhookEvent.values)
    if unknown:
        raise ValidationError({"events": [gettext("Неизвестные события: %(codes)s") % {
            "codes": ", ".join(sorted(unknown))}]})
    webhook_url_check(subscription.url)
    subscription.events = events
    if creating:
        subscription.secret = webhook_secret_new()
        subscription.created_by = actor
    subscription.save()
    return subscription


def webhook_secret_rotate(*, subscription: WebhookSubscription, actor: User) -> WebhookSubscription:
    """«Сменить секрет»: deliveries not yet sent are signed with the new one."""
    _may_manage(actor)
    subscription.secret = webhook_secret_new()
    subscription.save(update_fields=["secret"])
    return subscription


# --- writing deliveries ------------------------------------------------------------------------------------
def _owners(obj) -> set[int]:
    """The organisations whose subscriptions may hear about `obj` (besides the agency's)."""
    if isinstance(obj, Appeal):
        return {pk for pk in (obj.organisation_id, obj.executor_organisation_id) if pk}
    if isinstance(obj, Project):
        return {obj.investor_id} if obj.investor_id else set()
    if isinstance(obj, Meeting):
        if obj.project_id:
            return _owners(obj.project)
        return _owners(obj.appeal) if obj.appeal_id else set()
    raise TypeError(f"no webhook events for {type(obj).__name__}")


def _appeal_data(appeal: Appeal) -> dict:
    return {
        "id": appeal.pk, "number": appeal.number, "status": appeal.status,
        "status_label": str(appeal.get_status_display()),
        "deadline": appeal.deadline.isoformat() if appeal.deadline else None,
    }


def _project_data(project: Project) -> dict:
    return {"id": project.pk, "registry_number": project.registry_number, "stage": project.stage,
            "stage_label": str(project.get_stage_display())}


def _meeting_data(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk, "status": meeting.status, "status_label": str(meeting.get_status_display()),
        "starts_at": timezone.localtime(meeting.starts_at).isoformat(), "duration_minutes": meeting.duration_minutes,
        "sequence": meeting.sequence,
        "project": {"id": meeting.project_id, "registry_number": meeting.project.registry_number}
        if meeting.project_id else None,
        "appeal": {"id": meeting.appeal_id, "number": meeting.appeal.number} if meeting.appeal_id else None,
    }


def _data(obj, extra: dict) -> tuple[str, dict]:
    """Public facts only: ids, numbers, statuses, dates. Never typed text (comments, answers, reasons, agendas)."""
    if isinstance(obj, Appeal):
        return "appeal", {"appeal": {**_appeal_data(obj), **extra}}
    if isinstance(obj, Project):
        return "project", {"project": {**_project_data(obj), **extra}}
    return "meeting", {"meeting": {**_meeting_data(obj), **extra}}


def webhook_emit(*, event: str, obj, level: str = "", **extra) -> list[WebhookDelivery]:
    """Write a delivery of `event` on `obj` for every active subscription that wants it and may see the object.
    `extra`: more public values for the object's part of the body (previous status, rating). Calling again with
    the same (event, object, level) writes nothing."""
    owners = _owners(obj)
    subscriptions = [
        subscription for subscription in WebhookSubscription.objects.filter(
            Q(organisation_id__in=owners) | Q(organisation__kind=OrganisationKind.AGENCY), is_active=True,
        ).only("pk", "events", "organisation_id")
        if event in subscription.events
    ]
    if not subscriptions:
        return []
    with translation.override(settings.LANGUAGE_CODE):  # the labels in the body are Russian whoever acts
        kind, data = _data(obj, extra)
    occurred_at = timezone.localtime().isoformat(timespec="seconds")
    created = []
    for subscription in subscriptions:
        row = WebhookDelivery(subscription=subscription, event=event, object_kind=kind, object_id=obj.pk,
                              level=level)
        row.body = json.dumps(
            {"id": str(row.delivery_id), "event": event, "occurred_at": occurred_at, "data": data},
            ensure_ascii=False, separators=(",", ":"),
        )
        try:
            with transaction.atomic():  # a savepoint: a duplicate must not spoil the caller's transaction
                row.save()
        except IntegrityError:
            continue
        created.append(row)
        enqueue_after_commit("core.tasks.send_webhook", row.pk)
    return created


# --- signing and sending -----------------------------------------------------------------------------------
def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """The X-ZK-Signature value: HMAC-SHA256 of «<timestamp>.<body>» with the subscription's secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_signature_valid(*, secret: str, timestamp: str, body: bytes, signature: str,
                            now: float | None = None) -> bool:
    """What a receiver checks (docs/integrations/webhooks.md): the signature, and a timestamp close to now."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    expected = webhook_signature(secret=secret, timestamp=timestamp, body=body)
    return age <= SIGNATURE_TOLERANCE_SECONDS and hmac.compare_digest(expected, signature)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere, including inside the network: it counts as a failed attempt."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class DeliveryFailed(Exception):
    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


def _post(row: WebhookDelivery) -> int:
    subscription = row.subscription
    webhook_url_check(subscription.url)  # again at sending: the name may point elsewhere now
    body = row.body.encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(subscription.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "ZelenyKoridor-Webhooks/1",
        "X-ZK-Event": row.event,
        "X-ZK-Delivery": str(row.delivery_id),
        "X-ZK-Timestamp": timestamp,
        "X-ZK-Signature": webhook_signature(secret=subscription.secret, timestamp=timestamp, body=body),
    })
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        answer = error.read(300).decode("utf-8", "replace").strip()
        raise DeliveryFailed(f"HTTP {error.code}" + (f": {answer}" if answer else ""), error.code) from error


def _claimable(now) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_until__lt=now
    )


def webhook_send(*, delivery_id: int) -> bool:
    """Post one delivery if it is due and nobody else is posting it. True when the receiver accepted it now."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(_claimable(now), pk=delivery_id).update(
        status=OutboxStatus.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    row = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    try:
        if not row.subscription.is_active:
            raise DeliveryFailed(gettext("Подписка выключена."))
        code = _post(row)
    except Exception as error:  # the receiver, the network or the address: try again later
        failed = row.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or not row.subscription.is_active
        message = str(error) if isinstance(error, DeliveryFailed) else f"{type(error).__name__}: {error}"
        if isinstance(error, ValidationError):
            message = " ".join(error.messages)
        WebhookDelivery.objects.filter(pk=row.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING, last_error=message[:2000],
            response_code=getattr(error, "code", None) if isinstance(error, DeliveryFailed) else None,
            next_attempt_at=timezone.now() + (timedelta(0) if failed else backoff(row.attempts)), claimed_until=None,
        )
        log.warning("webhook delivery %s: attempt %s failed: %s", row.pk, row.attempts, message)
        return False
    WebhookDelivery.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENT, delivered_at=timezone.now(), claimed_until=None, last_error="", response_code=code
    )
    return True


def webhook_flush(*, budget_seconds: float = FLUSH_BUDGET_SECONDS) -> int:
    """Post the deliveries that are due, including those a dead worker left half-sent. Returns how many went."""
    started, sent = time.monotonic(), 0
    due = list(
        WebhookDelivery.objects.filter(_claimable(timezone.now()))
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:FLUSH_BATCH]
    )
    for pk in due:
        if time.monotonic() - started > budget_seconds:
            break
        sent += webhook_send(delivery_id=pk)
    return sent


def webhook_resend(*, delivery: WebhookDelivery, actor: User) -> WebhookDelivery:
    """«Отправить повторно»: a failed or an already delivered event goes back in the queue, with the same
    X-ZK-Delivery, so a receiver that already has it can tell."""
    if not actor.has_perm("core.change_webhookdelivery"):
        raise PermissionDenied(gettext("Повторная отправка событий доступна администраторам и директору агентства."))
    resendable = (OutboxStatus.FAILED, OutboxStatus.SENT)
    with transaction.atomic():
        updated = WebhookDelivery.objects.filter(pk=delivery.pk, status__in=resendable).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
        )
        if not updated:
            raise ValidationError(gettext("Событие уже в очереди на отправку."))
        enqueue_after_commit("core.tasks.send_webhook", delivery.pk)
    delivery.refresh_from_db()
    return delivery


def webhook_resend_many(*, deliveries: Iterable[WebhookDelivery], actor: User) -> tuple[int, int]:
    """(queued, refused) for the list's bulk action."""
    queued = refused = 0
    for delivery in deliveries:
        try:
            webhook_resend(delivery=delivery, actor=actor)
        except (PermissionDenied, ValidationError):
            refused += 1
        else:
            queued += 1
    return queued, refused
