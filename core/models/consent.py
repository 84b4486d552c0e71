from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataConsent(models.Model):
    """Consent to personal-data processing (152-ФЗ): what text, which version, when and from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.PROTECT, related_name="consents"
    )
    version = models.CharField(_("версия текста"), max_length=32)
    text = models.TextField(_("текст согласия"))
    given_at = models.DateTimeField(_("дано"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    user_agent = models.CharField(_("браузер"), max_length=300, blank=True)
    # set when the person withdraws consent (core.services.personal_data); the row stays as evidence
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие на обработку персональных данных")
        verbose_name_plural = _("согласия на обработку персональных данных")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.version}"
