"""Webhooks: an organisation's subscriptions and the outbox of their deliveries (docs/integrations/webhooks.md).

A delivery row is written in the same transaction as the change it reports (core.services.webhooks.webhook_emit)
and posted by a django-q2 task after commit, like a letter of the mail outbox (core.models.notifications). Its
body is fixed when it is written, so every attempt posts the same bytes; the uniqueness rule makes a second copy
of the same event for the same subscription impossible however often it is raised.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.notifications import OutboxStatus


class WebhookEvent(models.TextChoices):
    APPEAL_CREATED = "appeal.created", _("Обращение зарегистрировано")
    APPEAL_STATUS_CHANGED = "appeal.status_changed", _("Изменился статус обращения")
    APPEAL_ANSWERED = "appeal.answered", _("Дан ответ на обращение")
    APPEAL_RATED = "appeal.rated", _("Ответ на обращение оценён")
    APPEAL_OVERDUE = "appeal.overdue", _("Срок ответа на обращение истёк")
    PROJECT_STAGE_CHANGED = "project.stage_changed", _("Изменился этап проекта")
    MEETING_CHANGED = "meeting.changed", _("Встреча назначена, изменена или отменена")


class WebhookSubscription(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("организация"), on_delete=models.CASCADE, related_name="webhooks",
        help_text=_("Подписка получает события только по объектам этой организации."),
    )
    name = models.CharField(_("название"), max_length=200)
    url = models.URLField(_("адрес"), max_length=500, help_text=_("Адрес, на который система отправляет POST-запросы."))
    secret = models.CharField(_("секрет"), max_length=100, editable=False)
    events = models.JSONField(_("события"), default=list)
    is_active = models.BooleanField(_("включена"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("создал"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создана"), default=timezone.now)

    class Meta:
        verbose_name = _("подписка на события")
        verbose_name_plural = _("подписки на события")
        ordering = ["organisation__short_name", "name", "pk"]
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("подписка"), on_delete=models.CASCADE, related_name="deliveries"
    )
    delivery_id = models.UUIDField(_("идентификатор доставки"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("событие"), max_length=40, choices=WebhookEvent.choices)
    object_kind = models.CharField(_("вид объекта"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("объект"))
    # what makes the same occurrence recognisable (the history row, the deadline step, the meeting's version)
    level = models.CharField(_("ступень"), max_length=64, blank=True)
    body = models.TextField(_("тело запроса"))
    status = models.CharField(
        _("статус"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    response_code = models.PositiveSmallIntegerField(_("код ответа"), null=True, blank=True)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), default=timezone.now)
    claimed_until = models.DateTimeField(_("занято до"), null=True, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("доставлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("доставка события")
        verbose_name_plural = _("доставки событий")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event", "object_kind", "object_id", "level"], name="webhook_delivery_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.delivery_id}"
