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


class AppealStatus(models.TextChoices):
    """The seed's statuses of an appeal (SPEC.md §3), plus «запрошено уточнение» while the investor answers."""

    MODERATION = "moderation", _("Обращение поступило на модерацию")
    REJECTED = "rejected", _("Обращение отклонено (с указанием причины)")
    ASSIGNED = "assigned", _("Обращение передано на исполнение")
    REDIRECTED = "redirected", _("Обращение перенаправлено")
    IN_WORK = "in_work", _("Обращение взято в работу")
    CLARIFICATION = "clarification", _("Запрошено уточнение у инвестора")
    APPROVAL = "approval", _("На согласовании")
    ANSWERED = "answered", _("Обращение рассмотрено")
    RESOLVED = "resolved", _("Решено")
    NOT_RESOLVED = "not_resolved", _("Не решено")
    POSTPONED = "postponed", _("Отложено")
    DECLINED = "declined", _("Отклонено")

    @classmethod
    def colour(cls, value: str) -> str:
        return _APPEAL_COLOURS.get(value, "default")

    @classmethod
    def outcomes(cls) -> list[str]:
        """The final outcomes a manager closes an answered appeal with."""
        return [cls.RESOLVED, cls.NOT_RESOLVED, cls.POSTPONED, cls.DECLINED]

    @classmethod
    def closed(cls) -> list[str]:
        """No more work and no deadline: rejected or closed with an outcome."""
        return [cls.REJECTED, *cls.outcomes()]

    @classmethod
    def open(cls) -> list[str]:
        """The deadline runs: not yet answered to the investor."""
        return [s for s in cls.values if s not in cls.closed() and s != cls.ANSWERED]


_APPEAL_COLOURS = {
    AppealStatus.MODERATION: "info",
    AppealStatus.REJECTED: "danger",
    AppealStatus.ASSIGNED: "primary",
    AppealStatus.REDIRECTED: "warning",
    AppealStatus.IN_WORK: "primary",
    AppealStatus.CLARIFICATION: "warning",
    AppealStatus.APPROVAL: "info",
    AppealStatus.ANSWERED: "success",
    AppealStatus.RESOLVED: "success",
    AppealStatus.NOT_RESOLVED: "danger",
    AppealStatus.POSTPONED: "default",
    AppealStatus.DECLINED: "danger",
}


class AppealEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Обращение подано")
    TRANSITION = "transition", _("Смена статуса")
    COMMENT = "comment", _("Комментарий")
    DEADLINE_EXTENDED = "deadline_extended", _("Срок обработки обращения перенесен")
    RECLASSIFIED = "reclassified", _("Изменён факт обращения")
    ASSIGNMENT = "assignment", _("Назначение")
    RATED = "rated", _("Оценка ответа")
    IMPORTED = "imported", _("Загружено из прежней системы")


class FileKind(models.TextChoices):
    REQUEST = "request", _("К обращению")
    COMMENT = "comment", _("К комментарию")
    ANSWER = "answer", _("К ответу")
