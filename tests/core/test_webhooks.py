"""Webhooks against a real HTTP receiver (http.server in a thread): retries until delivered exactly once, the
signature a receiver checks, which organisation hears of what, and that no typed text leaves in a payload."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Appeal, WebhookDelivery, WebhookEvent, WebhookSubscription
from core.models.notifications import OutboxStatus
from core.services.deadlines import sweep_appeals
from core.services.housekeeping import webhook_deliveries_prune
from core.services.projects import meeting_save
from core.services.webhooks import webhook_flush, webhook_signature_valid, webhook_url_check
from core.workflows.appeals import appeal_transition
from core.workflows.projects import project_transition

ALL_EVENTS = list(WebhookEvent.values)


class Receiver:
    """An integration partner's endpoint: answers with the queued codes (then 200) and keeps what it got."""

    def __init__(self):
        self.codes: list[int] = []
        self.requests: list[tuple[Message, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))  # case-insensitive, as HTTP is
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"oops" if code >= 400 else b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def subscribe(receiver):
    def make(organisation, events=ALL_EVENTS) -> WebhookSubscription:
        return WebhookSubscription.objects.create(organisation=organisation, name=f"CRM {organisation.short_name}",
                                                  url=receiver.url, secret=f"s3cret-{organisation.pk}", events=events)

    return make


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def receiver_accepts(headers: Message, body: bytes, secret: str) -> bool:
    """What docs/integrations/webhooks.md tells a receiver to do, written independently of the sender's code."""
    expected = hmac.new(secret.encode(), headers["X-ZK-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"sha256={expected}", headers["X-ZK-Signature"])


def test_a_refused_delivery_is_retried_with_backoff_and_arrives_once(
    receiver, subscribe, file_appeal, company, django_capture_on_commit_callbacks
):
    subscription = subscribe(company, events=[WebhookEvent.APPEAL_CREATED])
    receiver.codes = [500, 500, 500]
    with django_capture_on_commit_callbacks(execute=True):  # the task runs right after the commit
        appeal = file_appeal()
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.attempts, delivery.response_code) == (OutboxStatus.PENDING, 1, 500)
    assert delivery.last_error == "HTTP 500: oops"
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)  # backoff: a minute
    assert webhook_flush() == 0 and len(receiver.requests) == 1  # not due yet

    for _ in range(3):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        webhook_flush()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhook_flush() == 0  # delivered: nothing is sent again

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (OutboxStatus.SENT, 4, 200)
    assert len(receiver.requests) == 4
    assert {headers["X-ZK-Delivery"] for headers, _ in receiver.requests} == {str(delivery.delivery_id)}
    headers, body = receiver.requests[-1]
    payload = json.loads(body)
    assert payload["event"] == "appeal.created" and payload["id"] == str(delivery.delivery_id)
    assert payload["data"]["appeal"] == {
        "id": appeal.pk, "number": appeal.number, "status": "moderation",
        "status_label": "Обращение поступило на модерацию", "deadline": appeal.deadline.isoformat(),
    }
    assert receiver_accepts(headers, body, subscription.secret)


def test_a_wrong_secret_or_a_changed_body_is_detected(receiver, subscribe, file_appeal, company,
                                                      django_capture_on_commit_callbacks):
    subscription = subscribe(company)
    with django_capture_on_commit_callbacks(execute=True):
        file_appeal()
    headers, body = receiver.requests[0]
    stamp, signature = headers["X-ZK-Timestamp"], headers["X-ZK-Signature"]

    assert signature.startswith("sha256=")
    assert webhook_signature_valid(secret=subscription.secret, timestamp=stamp, body=body, signature=signature)
    assert not receiver_accepts(headers, body, "not-the-secret")
    assert not webhook_signature_valid(secret="not-the-secret", timestamp=stamp, body=body, signature=signature)
    assert not webhook_signature_valid(secret=subscription.secret, timestamp=stamp, body=body + b" ",
                                       signature=signature)
    # a replay long after: the timestamp is signed too, so it cannot be refreshed without the secret
    assert not webhook_signature_valid(secret=subscription.secret, timestamp=stamp, body=body, signature=signature,
                                       now=int(stamp) + 3600)


def test_a_subscriber_hears_only_of_its_own_organisations_objects(
    subscribe, file_appeal, company, other_company, other_investor, agency, omsu, coordinator, manager, head,
    apply_project,
):
    own, other, agency_hook, omsu_hook = (subscribe(org) for org in (company, other_company, agency, omsu))
    appeal = file_appeal()
    theirs = file_appeal(applicant=other_investor)
    act(appeal, "assign", coordinator, executor_organisation=agency, manager=manager, head=head)
    act(appeal, "redirect", manager, executor_organisation=omsu, comment="Просим подготовить ответ")
    project = project_transition(project=apply_project(), name="start_review", actor=manager)
    meeting = meeting_save(project=project, actor=manager, title="Рабочая встреча", format="video", link="https://vks.example/room",
                           starts_at=timezone.now() + timedelta(days=3), duration_minutes=60)
    sweep_appeals(timezone.now() + timedelta(days=120))  # both appeals are overdue

    def heard(subscription) -> set[tuple[str, str, int]]:
        return set(subscription.deliveries.values_list("event", "object_kind", "object_id"))

    assert heard(own) == {
        ("appeal.created", "appeal", appeal.pk), ("appeal.status_changed", "appeal", appeal.pk),
        ("project.stage_changed", "project", project.pk), ("meeting.changed", "meeting", meeting.pk),
        ("appeal.overdue", "appeal", appeal.pk),
    }
    assert heard(other) == {("appeal.created", "appeal", theirs.pk), ("appeal.overdue", "appeal", theirs.pk)}
    assert heard(agency_hook) == heard(own) | heard(other)  # the agency hears of everything
    # the ОМСУ hears of the appeal from when it executes it: the redirect, not the filing or the assignment
    assert heard(omsu_hook) == {("appeal.status_changed", "appeal", appeal.pk), ("appeal.overdue", "appeal", appeal.pk)}
    redirected = json.loads(omsu_hook.deliveries.get(event="appeal.status_changed").body)["data"]["appeal"]
    assert (redirected["previous_status"], redirected["status"]) == ("assigned", "redirected")


def test_no_typed_text_leaves_in_a_payload(subscribe, file_appeal, company, coordinator, manager, head, investor):
    subscribe(company)
    secrets = ["Служебно: инвестор давит через губернатора", "Текст ответа инвестору о съезде",
               "Оценка: ответили поздно", "Согласование съезда на промышленную улицу"]
    appeal = file_appeal(subject=secrets[3])
    act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager, head=head,
        comment=secrets[0])
    act(appeal, "take_into_work", manager)
    act(appeal, "comment", manager, text=secrets[0], is_public=False)
    act(appeal, "submit_for_approval", manager, answer_text=secrets[1])
    act(appeal, "approve", head)
    act(appeal, "rate", investor, rating=4, comment=secrets[2])

    bodies = list(WebhookDelivery.objects.values_list("event", "body"))
    assert {event for event, _ in bodies} == {"appeal.created", "appeal.status_changed", "appeal.answered",
                                              "appeal.rated"}
    for _, body in bodies:
        assert not any(text in body for text in secrets), body
    rated = json.loads(WebhookDelivery.objects.get(event="appeal.rated").body)["data"]["appeal"]
    assert (rated["rating"], rated["status"]) == (4, "answered")


def test_only_public_https_addresses_in_production(settings):
    settings.WEBHOOK_ALLOW_LOCAL = False
    for url, error in [
        ("http://crm.example.ru/hook", "https://"), ("https://127.0.0.1:8443/hook", "внутреннюю сеть"),
        ("https://10.0.0.7/hook", "внутреннюю сеть"), ("https://[::1]/hook", "внутреннюю сеть"),
        ("https://169.254.169.254/latest", "внутреннюю сеть"), ("https://user:pw@93.184.216.34/", "без имени"),
        ("https://93.184.216.34:99999/hook", "без имени"),
    ]:
        with pytest.raises(ValidationError) as refused:
            webhook_url_check(url)
        assert error in " ".join(refused.value.messages), url
    webhook_url_check("https://93.184.216.34/hook")  # a public address literal: no name to resolve


def test_housekeeping_prunes_old_delivered_rows_only(subscribe, company, settings):
    settings.RETENTION_WEBHOOK_DAYS = 30
    subscription = subscribe(company)
    old = timezone.now() - timedelta(days=31)

    def row(level, status, delivered_at=None):
        return WebhookDelivery.objects.create(subscription=subscription, event="appeal.created", object_kind="appeal",
                                              object_id=1, level=level, body="{}", status=status,
                                              delivered_at=delivered_at, created_at=old)

    row("1", OutboxStatus.SENT, old)
    kept = {row("2", OutboxStatus.SENT, timezone.now()).pk, row("3", OutboxStatus.FAILED).pk,
            row("4", OutboxStatus.PENDING).pk}
    assert webhook_deliveries_prune() == 1
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == kept

