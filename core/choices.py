"""Choices shared by models and screens; each carries its colour for badges (NetBox habit)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    AGENCY = "agency", _("Агентство")
    OIV = "oiv", _("Орган исполнительной власти (ОИВ)")
    OMSU = "omsu", _("Орган местного самоуправления (ОМСУ)")
    RSO = "rso", _("Ресурсоснабжающая организация (РСО)")
    FEDERAL = "federal", _("Федеральный орган")
    INVESTOR = "investor", _("Инвестор")

    @classmethod
    def colour(cls, value: str) -> str:
        return _KIND_COLOURS.get(value, "default")

    @classmethod
    def participants(cls) -> list[str]:
        """Kinds whose staff answer appeals and requests (участники системы)."""
        return [cls.AGENCY, cls.OIV, cls.OMSU, cls.RSO, cls.FEDERAL]


_KIND_COLOURS = {
    OrganisationKind.AGENCY: "success",
    OrganisationKind.OIV: "info",
    OrganisationKind.OMSU: "info",
    OrganisationKind.RSO: "warning",
    OrganisationKind.FEDERAL: "primary",
    OrganisationKind.INVESTOR: "default",
}


class DistrictKind(models.TextChoices):
    MUNICIPAL_DISTRICT = "municipal_district", _("Муниципальный район")
    MUNICIPAL_OKRUG = "municipal_okrug", _("Муниципальный округ")
    CITY_OKRUG = "city_okrug", _("Городской округ")


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("Календарные дни")
    WORKING = "working", _("Рабочие дни")
