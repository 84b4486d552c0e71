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
    DEADLINE_WARNING = "deadline_warning", _("Предупреждение о сроке")
    CORRECTED = "corrected", _("Текст обращения уточнён")
    NOTE = "note", _("Служебная пометка")
    MEETING = "meeting", _("Встреча")
    ESCALATED = "escalated", _("Вынесено на МРГ")
    APPROVED_BY_EXECUTOR = "approved_by_executor", _("Ответ согласован исполнителем")


class AppealChannel(models.TextChoices):
    """How the appeal reached the agency; staff register every channel but the portal."""

    PORTAL = "portal", _("Портал")
    PHONE = "phone", _("Телефон")
    EMAIL = "email", _("Электронная почта")
    LETTER = "letter", _("Письмо")
    VISIT = "visit", _("Личный приём")
    POS = "pos", _("ПОС (Госуслуги)")
    EVENT = "event", _("Мероприятие")

    @classmethod
    def colour(cls, value: str) -> str:
        return _CHANNEL_COLOURS.get(value, "default")

    @classmethod
    def staff_registered(cls) -> list[str]:
        return [c for c in cls.values if c != cls.PORTAL]


_CHANNEL_COLOURS = {
    AppealChannel.PORTAL: "primary",
    AppealChannel.PHONE: "info",
    AppealChannel.EMAIL: "info",
    AppealChannel.LETTER: "default",
    AppealChannel.VISIT: "success",
    AppealChannel.POS: "warning",
    AppealChannel.EVENT: "success",
}


class FileKind(models.TextChoices):
    REQUEST = "request", _("К обращению")
    COMMENT = "comment", _("К комментарию")
    ANSWER = "answer", _("К ответу")


class ProjectStage(models.TextChoices):
    """Stages of an investment project (seed: «0. Регистрация», «1. Прединвестиционный этап» …)."""

    APPLICATION = "application", _("Заявка")
    REVIEW = "review", _("На рассмотрении")
    ACCEPTED = "accepted", _("Принят на сопровождение")
    DECLINED = "declined", _("Отказано в сопровождении")
    PRE_INVESTMENT = "pre_investment", _("Прединвестиционный этап")
    INVESTMENT = "investment", _("Инвестиционный этап")
    OPERATIONAL = "operational", _("Эксплуатационный этап")
    COMPLETED = "completed", _("Завершён")
    SUSPENDED = "suspended", _("Приостановлен")
    WITHDRAWN = "withdrawn", _("Отозван")

    @classmethod
    def colour(cls, value: str) -> str:
        return _STAGE_COLOURS.get(value, "default")

    @classmethod
    def active(cls) -> list[str]:
        """Stages from which a project can be suspended or withdrawn."""
        return [cls.APPLICATION, cls.REVIEW, cls.ACCEPTED, cls.PRE_INVESTMENT, cls.INVESTMENT, cls.OPERATIONAL]

    @classmethod
    def supported(cls) -> list[str]:
        """On support: accepted and the three working stages."""
        return [cls.ACCEPTED, cls.PRE_INVESTMENT, cls.INVESTMENT, cls.OPERATIONAL]


_STAGE_COLOURS = {
    ProjectStage.APPLICATION: "info",
    ProjectStage.REVIEW: "info",
    ProjectStage.ACCEPTED: "primary",
    ProjectStage.DECLINED: "danger",
    ProjectStage.PRE_INVESTMENT: "primary",
    ProjectStage.INVESTMENT: "primary",
    ProjectStage.OPERATIONAL: "success",
    ProjectStage.COMPLETED: "success",
    ProjectStage.SUSPENDED: "warning",
    ProjectStage.WITHDRAWN: "default",
}


class TaskStatus(models.TextChoices):
    NEW = "new", _("Новая")
    IN_WORK = "in_work", _("В работе")
    DONE = "done", _("Выполнена")
    CANCELLED = "cancelled", _("Отменена")

    @classmethod
    def open(cls) -> list[str]:
        return [cls.NEW, cls.IN_WORK]


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    VIDEO = "video", _("ВКС")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Запланирована")
    HELD = "held", _("Проведена")
    CANCELLED = "cancelled", _("Отменена")


class RoadmapStatus(models.TextChoices):
    PLANNED = "planned", _("Запланирован")
    IN_PROGRESS = "in_progress", _("Выполняется")
    DONE = "done", _("Выполнен")


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Запрошена")
    GRANTED = "granted", _("Предоставлена")
    REFUSED = "refused", _("Отказано")


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Направлен")
    ANSWERED = "answered", _("Получен ответ")


class GovernorForum(models.TextChoices):
    SPIEF = "spief", _("ПМЭФ")
    BRIF = "brif", _("БРИФ")
    OTHER = "other", _("Другое")


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("Заявка")
    PRESENTATION = "presentation", _("Презентация проекта")
    LAND = "land", _("Документы на земельный участок")
    PERMIT = "permit", _("Разрешительная документация")
    TECHNICAL = "technical", _("Технические условия")
    AGREEMENT = "agreement", _("Соглашение")
    MINUTES = "minutes", _("Протокол")
    ANSWER = "answer", _("Ответ участника системы")
    OTHER = "other", _("Прочее")


class ProjectEventKind(models.TextChoices):
    STAGE = "stage", _("Смена этапа")
    CHANGE = "change", _("Изменение паспорта")
    CHECKLIST = "checklist", _("Мера сопровождения")
    MEASURE = "measure", _("Мера поддержки")
    TASK = "task", _("Задача")
    MEETING = "meeting", _("Встреча")
    ROADMAP = "roadmap", _("Дорожная карта")
    DOCUMENT = "document", _("Документ")
    REQUEST = "request", _("Запрос участнику")
    COMMENT = "comment", _("Комментарий")
    APPEAL = "appeal", _("Обращение")
    DEADLINE = "deadline", _("Контроль сроков")
