"""Reads of webhooks: the subscriptions and the delivery log, for the staff who manage them (agency administrators
and the director, by their model permissions)."""

from django.db.models import QuerySet

from core.models import User, WebhookDelivery, WebhookSubscription
from core.models.notifications import OutboxStatus


def webhook_subscriptions_visible_to(user: User) -> QuerySet[WebhookSubscription]:
    if not (user.is_authenticated and user.is_active and user.has_perm("core.view_webhooksubscription")):
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.select_related("organisation")


def webhook_deliveries_visible_to(user: User) -> QuerySet[WebhookDelivery]:
    if not (user.is_authenticated and user.is_active and user.has_perm("core.view_webhookdelivery")):
        return WebhookDelivery.objects.none()
    return WebhookDelivery.objects.select_related("subscription__organisation")


def webhook_deliveries_failed(user: User) -> QuerySet[WebhookDelivery]:
    return webhook_deliveries_visible_to(user).filter(status=OutboxStatus.FAILED)
