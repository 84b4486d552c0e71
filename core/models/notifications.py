"""Notifications: the outbox of letters and the in-app notices, and each person's email preferences.

One row per (event, object, recipient, level, channel); a letter to an appeal's contact person, who has no account,
has no recipient and is unique by its address instead. A letter row is written in the same transaction as the
change that causes it and is sent by a django-q2 task after commit; the uniqueness rule makes a second copy
impossible however often an event is raised or a sweep runs.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ColouredChoices


class Channel(models.TextChoices):
    EMAIL = "email", _("Электронная почта")
    SITE = "site", _("В системе")


class OutboxStatus(ColouredChoices):
    PENDING = "pending", _("Ожидает отправки"), "info"
    SENDING = "sending", _("Отправляется"), "warning"
    SENT = "sent", _("Отправлено"), "success"
    FAILED = "failed", _("Не отправлено"), "danger"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("получатель"), on_delete=models.CASCADE,
        related_name="notifications", null=True, blank=True,
        help_text=_("Пусто — письмо контактному лицу без учётной записи (на адрес в поле «адрес»)."),
    )
    channel = models.CharField(_("канал"), max_length=8, choices=Channel.choices)
    event = models.CharField(_("событие"), max_length=40, db_index=True)
    object_kind = models.CharField(_("вид объекта"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("объект"))
    level = models.CharField(_("ступень"), max_length=64, blank=True)
    email = models.EmailField(_("адрес"), blank=True)
    subject = models.CharField(_("тема"), max_length=300)
    body_text = models.TextField(_("текст"))
    body_html = models.TextField(_("HTML"), blank=True)
    link = models.URLField(_("ссылка"), max_length=500, blank=True)
    attachment_name = models.CharField(_("вложение"), max_length=200, blank=True)
    attachment_type = models.CharField(_("тип вложения"), max_length=100, blank=True)
    attachment = models.BinaryField(_("содержимое вложения"), blank=True, default=b"")
    status = models.CharField(
        _("статус"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(_("занято до"), null=True, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "object_kind", "object_id", "recipient", "level", "channel"],
                name="notification_once",
            ),
            models.UniqueConstraint(
                fields=["event", "object_kind", "object_id", "email", "level", "channel"],
                condition=models.Q(recipient__isnull=True), name="notification_once_contact",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | (models.Q(channel="email") & ~models.Q(email="")),
                name="notification_contact_is_letter",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"]),
            models.Index(fields=["channel", "status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def message_id(self) -> str:
        """Stable per row: a copy sent again after a lost acknowledgement is recognisable as the same letter."""
        domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "zk.local"
        return f"<notification-{self.pk}@{domain}>"


class NotificationOptOut(models.Model):
    """An event a person chose not to receive by email (mandatory events cannot be switched off)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_optouts")
    event = models.CharField(_("событие"), max_length=40)

    class Meta:
        verbose_name = _("отказ от писем")
        verbose_name_plural = _("отказы от писем")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_optout_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event}"
