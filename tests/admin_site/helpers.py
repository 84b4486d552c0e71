"""Helpers for the cabinet's tests: one row of every model the cabinet registers, and what a page says."""

import datetime
import re
import uuid
from collections.abc import Callable
from html import unescape

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.db.models import Model
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Task

from core.consent import consent_text, consent_version
from core.models import DocumentTemplate, Notification, PersonalDataConsent, WebhookDelivery, WebhookSubscription
from core.models.api_tokens import ApiToken
from tests.admin_site.appeal_rows import APPEAL_MAKERS
from tests.admin_site.classifier_rows import CLASSIFIER_MAKERS
from tests.admin_site.project_rows import PROJECT_MAKERS
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory


def _task(*, success: bool) -> Task:
    now = timezone.now()
    return Task.objects.create(
        id=uuid.uuid4().hex, name="проверка", func="math.floor", started=now, stopped=now, success=success
    )


def _webhook() -> WebhookSubscription:
    return WebhookSubscription.objects.create(organisation=OrganisationFactory(), name="CRM инвестора",
                                              url="https://crm.example.ru/hooks", secret="s3cret",
                                              events=["appeal.created"])


def _sign_in(model: type[Model], **fields) -> Model:
    return model.objects.create(
        username="someone@test.zk.example",
        ip_address="192.0.2.1",
        user_agent="pytest",
        http_accept="*/*",
        path_info="/admin/login/",
        **fields,
    )


# A new ModelAdmin needs a row here: the smoke test then opens its pages (NetBox's generic view tests).
MAKERS: dict[str, Callable[[], Model]] = {
    "core.User": UserFactory,
    "core.Organisation": OrganisationFactory,
    "core.District": DistrictFactory,
    "core.PersonalDataConsent": lambda: PersonalDataConsent.objects.create(
        user=UserFactory(), version=consent_version(), text=consent_text(), ip_address="192.0.2.1"
    ),
    "auth.Group": lambda: Group.objects.create(name="Проверочная группа"),
    "auditlog.LogEntry": lambda: LogEntry.objects.get_for_object(OrganisationFactory()).get(),
    "django_q.Schedule": lambda: Schedule.objects.create(name="проверка", func="math.floor", args="1"),
    "django_q.Success": lambda: _task(success=True),
    "django_q.Failure": lambda: _task(success=False),
    "django_q.OrmQ": lambda: OrmQ.objects.create(key="zk", payload="-"),
    "axes.AccessAttempt": lambda: _sign_in(AccessAttempt, get_data="", post_data="", failures_since_start=1),
    "axes.AccessLog": lambda: _sign_in(AccessLog),
    "axes.AccessFailureLog": lambda: _sign_in(AccessFailureLog),
    "core.Notification": lambda: Notification.objects.create(
        recipient=UserFactory(), channel="email", event="task_assigned", object_kind="task", object_id=1,
        email="someone@test.zk.example", subject="Поставлена задача", body_text="Вам поставлена задача.",
        status="failed", attempts=7, last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    ),
    "core.ApiToken": lambda: ApiToken.objects.create(
        user=UserFactory(), name="Выгрузка в 1С", prefix=uuid.uuid4().hex[:12], secret_hash="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    ),
    "core.WebhookSubscription": _webhook,
    "core.WebhookDelivery": lambda: WebhookDelivery.objects.create(
        subscription=_webhook(), event="appeal.created", object_kind="appeal", object_id=1, body='{"event": "x"}',
        status="failed", attempts=8, response_code=500, last_error="HTTP 500",
    ),
    "core.DocumentTemplate": lambda: DocumentTemplate.objects.create(
        kind="brief", title="Справка для губернатора", file="templates/2026/01/missing.docx",
        original_name="Справка.docx", size=1,
    ),
    **CLASSIFIER_MAKERS,
    **APPEAL_MAKERS,
    **PROJECT_MAKERS,
}


def html_text(html: str) -> str:
    """What a person reads: tags, scripts and styles dropped, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def page_text(response) -> str:
    return html_text(response.content.decode())


def sidebar_text(response) -> str:
    """The text of the sidebar's navigation only."""
    html = response.content.decode()
    start = html.index('id="nav-sidebar-apps"')
    return html_text(html[start : html.index("</nav>", start)])


# What differs between two responses of the same page: the form's CSRF token and the CSP nonce.
_VARYING = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1"),
    (re.compile(r'(nonce=")[^"]+'), r"\1"),
    (re.compile(r'(Nonce": ")[^"]+'), r"\1"),
]


def steady_page(client, url: str) -> str:
    """The page's HTML (it must answer 200) without what differs between two responses of it, for comparisons."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for pattern, kept in _VARYING:
        html = pattern.sub(kept, html)
    return html
