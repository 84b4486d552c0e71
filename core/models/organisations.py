from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import DistrictKind, OrganisationKind
from core.validators import validate_inn, validate_kpp, validate_ogrn, validate_phone


class District(models.Model):
    """A municipal district (or city district) of the region; ОМСУ and projects are tied to one."""

    code = models.CharField(_("код ОКТМО"), max_length=11, unique=True)
    name = models.CharField(_("название"), max_length=200, unique=True)
    kind = models.CharField(
        _("вид"), max_length=32, choices=DistrictKind.choices, default=DistrictKind.MUNICIPAL_DISTRICT
    )
    centre = models.CharField(_("административный центр"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        verbose_name = _("район")
        verbose_name_plural = _("районы")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Organisation(models.Model):
    """A participant of the system (agency, ОИВ, ОМСУ, РСО, federal body) or an investor company."""

    kind = models.CharField(_("вид"), max_length=16, choices=OrganisationKind.choices, db_index=True)
    full_name = models.CharField(_("полное наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=200)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True, validators=[validate_inn])
    kpp = models.CharField(_("КПП"), max_length=9, blank=True, validators=[validate_kpp])
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True, validators=[validate_ogrn])
    district = models.ForeignKey(
        District,
        verbose_name=_("район"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Обязателен для ОМСУ; для инвестора — район, где он работает."),
    )
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True, validators=[validate_phone])
    website = models.URLField(_("сайт"), blank=True)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    # Investor companies: the agency people who accompany them (shown on the investor's cabinet).
    personal_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("персональный менеджер"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_companies",
    )
    district_commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("инвестиционный уполномоченный района"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commissioned_companies",
    )
    # Participants: its head approves the answers its people prepare before the appeal's head (the agency's) does.
    approves_own_answers = models.BooleanField(
        _("сначала согласует ответы сам"), default=False,
        help_text=_("Ответ, подготовленный сотрудником организации, сначала согласует её руководитель, "
                    "затем руководитель обращения в агентстве."),
    )
    is_active = models.BooleanField(_("действует"), default=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(fields=["inn"], condition=~Q(inn=""), name="organisation_inn_unique"),
            models.UniqueConstraint(fields=["ogrn"], condition=~Q(ogrn=""), name="organisation_ogrn_unique"),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.OMSU) | Q(district__isnull=False),
                name="organisation_omsu_has_district",
                violation_error_message=_("Для ОМСУ нужно указать район."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == OrganisationKind.OMSU and not self.district_id:
            raise ValidationError({"district": _("Для ОМСУ нужно указать район.")})
        if self.kind == OrganisationKind.INVESTOR and not self.inn:
            raise ValidationError({"inn": _("Для компании-инвестора ИНН обязателен.")})
