"""«Вебхуки» in the cabinet: who manages subscriptions, the address rule, the secret, and the delivery log with
«Отправить повторно»."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import WebhookDelivery, WebhookSubscription
from core.models.notifications import OutboxStatus
from tests.admin_site.helpers import page_text

ADD = reverse("admin:core_webhooksubscription_add")
DELIVERIES = reverse("admin:core_webhookdelivery_changelist")


def form(organisation, **changes) -> dict:
    return {"organisation": organisation.pk, "name": "CRM инвестора", "url": "https://crm.example.ru/zk-hooks",
            "events": ["appeal.created", "appeal.status_changed"], "is_active": "on", **changes}


def subscription(organisation) -> WebhookSubscription:
    return WebhookSubscription.objects.create(organisation=organisation, name="CRM", url="https://crm.example.ru/h",
                                              secret="old-secret", events=["appeal.created"])


def delivery(hook, number: int, status=OutboxStatus.FAILED) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        subscription=hook, event="appeal.created", object_kind="appeal", object_id=number, body="{}", status=status,
        attempts=8 if status == OutboxStatus.FAILED else 1, response_code=503,
        last_error="HTTP 503: Service Unavailable" if status == OutboxStatus.FAILED else "",
    )


def test_an_administrator_creates_a_subscription_and_sees_its_secret(login, administrator, company, settings):
    settings.WEBHOOK_ALLOW_LOCAL = False
    client = login(administrator)
    response = client.post(ADD, form(company, url="https://93.184.216.34/zk-hooks"), follow=True)

    hook = WebhookSubscription.objects.get()
    assert (hook.organisation, hook.events, hook.created_by) == (
        company, ["appeal.created", "appeal.status_changed"], administrator)
    assert len(hook.secret) >= 40
    assert "Секрет подписки — на её странице" in page_text(response)
    page = client.get(reverse("admin:core_webhooksubscription_change", args=[hook.pk])).content.decode()
    assert hook.secret in page and "Подпись запросов" in page
    audit = LogEntry.objects.get_for_object(hook).get()  # who pointed events where is in the audit log…
    assert "93.184.216.34" in str(audit.changes) and hook.secret not in str(audit.changes)  # …never the secret


@pytest.mark.parametrize(("changes", "error"), [
    ({"url": "http://crm.example.ru/hooks"}, "Адрес должен начинаться с https://."),
    ({"url": "https://127.0.0.1/hooks"}, "ведёт во внутреннюю сеть"),
    ({"events": []}, "Выберите хотя бы одно событие."),
])
def test_a_bad_subscription_is_refused_in_russian(login, administrator, company, settings, changes, error):
    settings.WEBHOOK_ALLOW_LOCAL = False
    response = login(administrator).post(ADD, form(company, **changes))
    assert response.status_code == 200 and error in page_text(response)
    assert not WebhookSubscription.objects.exists()


def test_only_agency_administrators_and_the_director_manage_webhooks(login, director, manager, coordinator):
    assert login(director).get(ADD).status_code == 200
    for user in (manager, coordinator):
        client = login(user)
        assert client.get(ADD).status_code == 403
        assert client.get(DELIVERIES).status_code == 403


def test_rotating_the_secret(login, director, company):
    hook = subscription(company)
    client = login(director)
    client.post(reverse("admin:core_webhooksubscription_rotate_secret", args=[hook.pk]))
    hook.refresh_from_db()
    assert hook.secret != "old-secret" and len(hook.secret) >= 40


def test_the_delivery_log_costs_the_same_queries_whatever_its_length(login, administrator, company, other_company):
    client = login(administrator)
    delivery(subscription(company), 1)
    with CaptureQueriesContext(connection) as one:
        client.get(DELIVERIES)
    other = subscription(other_company)
    for number in range(2, 8):
        delivery(other, number, OutboxStatus.SENT)
    with CaptureQueriesContext(connection) as seven:
        response = client.get(DELIVERIES)
    assert len(seven) == len(one)
    text = page_text(response)
    assert "HTTP 503: Service Unavailable" in text and "Не отправлено" in text and "ООО «Чужая компания»" in text


def test_resend_puts_a_delivery_back_in_the_queue(login, administrator, company):
    failed = delivery(subscription(company), 1)
    client = login(administrator)
    url = reverse("admin:core_webhookdelivery_resend", args=[failed.pk])
    assert url in client.get(reverse("admin:core_webhookdelivery_change", args=[failed.pk])).content.decode()
    assert "Отправить повторно" in page_text(client.get(url))

    response = client.post(url, follow=True)

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    assert "Событие снова поставлено в очередь на отправку." in page_text(response)
    response = client.post(url, follow=True)  # already waiting: refused, nothing changes
    assert "Событие уже в очереди на отправку." in page_text(response)


def test_resend_returns_to_the_list_it_was_opened_from_and_ignores_a_next_that_is_no_page(
        login, administrator, company):
    failed = delivery(subscription(company), 1)
    client = login(administrator)
    url = reverse("admin:core_webhookdelivery_resend", args=[failed.pk])
    the_list = "http://testserver" + reverse("admin:core_webhookdelivery_changelist") + "?status__exact=failed"

    assert client.post(url, {"next": the_list})["Location"] == the_list  # the full Referer of the list
    assert client.post(url, {"next": "true"})["Location"] == reverse(
        "admin:core_webhookdelivery_change", args=[failed.pk])
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == reverse(
        "admin:core_webhookdelivery_change", args=[failed.pk])


def test_bulk_resend_counts_in_russian(login, administrator, company):
    hook = subscription(company)
    rows = [delivery(hook, 1), delivery(hook, 2, OutboxStatus.SENT), delivery(hook, 3, OutboxStatus.PENDING)]
    response = login(administrator).post(
        DELIVERIES, {"action": "resend_selected", "_selected_action": [row.pk for row in rows], "index": 0},
        follow=True,
    )
    text = page_text(response)
    assert "Снова поставлено в очередь на отправку: 2 события." in text
    assert "Не поставлено в очередь: 1 — эти события уже ждут отправки." in text
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {OutboxStatus.PENDING}
