"""Personal API tokens (issue 14): a program calls the REST API as the person who made the token."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenScope(models.TextChoices):
    READ = "read", _("Только чтение")
    WRITE = "write", _("Чтение и запись")


class ApiToken(models.Model):
    """Only the SHA-256 of the secret is kept: the token is shown once, when it is made. `prefix` is its public
    start (the part before the dot), unique, so a call finds its row by an index and then compares the hash."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("владелец"))
    name = models.CharField(_("название"), max_length=100)
    prefix = models.CharField(_("начало токена"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField(_("права"), max_length=8, choices=ApiTokenScope.choices, default=ApiTokenScope.READ)
    expires_at = models.DateTimeField(_("действует до"))
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    last_used_at = models.DateTimeField(_("последнее использование"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-токен")
        verbose_name_plural = _("API-токены")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
