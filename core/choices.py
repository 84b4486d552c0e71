"""Choices shared by models and screens; those shown as badges carry their colour (NetBox habit)."""

from django.db import models
from django.db.models.enums import ChoicesType
from django.utils.translation import gettext_lazy as _

# The badge colours both faces draw: unfold's label types (anything else is its grey) and the portal's .badge-* rules.
BADGE_COLOURS = ("default", "info", "primary", "success", "warning", "danger")


class _ColouredChoicesType(ChoicesType):
    """Reads each member as NetBox's row `value, label, colour`: Django gets `value, label`, the member keeps the
    colour. A member without a known colour stops the import, so no badge falls back to grey by omission."""

    def __new__(metacls, classname, bases, classdict, **kwds):
        colours = {}
        for key in classdict._member_names:
            *value_and_label, colour = classdict[key]
            if not isinstance(colour, str) or colour not in BADGE_COLOURS:
                raise TypeError(f"{classname}.{key}: the last item must be a badge colour, one of {BADGE_COLOURS}")
            colours[key] = colour
            dict.__setitem__(classdict, key, tuple(value_and_label))
        cls = super().__new__(metacls, classname, bases, classdict, **kwds)
        for key, colour in colours.items():
            cls[key]._colour_ = colour
        return cls


class ColouredChoices(models.TextChoices, metaclass=_ColouredChoicesType):
    @classmethod
    def colour(cls, value: str) -> str:
        """The badge colour of `value`; grey only for a value that is none of the choices (a blank one)."""
        return cls(value)._colour_ if value in cls.values else "default"

    @classmethod
    def colours(cls) -> dict[str, str]:
        """Value → colour, as unfold's `@display(label=...)` takes it."""
        return {member.value: member._colour_ for member in cls}


class OrganisationKind(ColouredChoices):
    AGENCY = "agency", _("Агентство"), "success"
    OIV = "oiv", _("Орган исполнительной власти (ОИВ)"), "info"
    OMSU = "omsu", _("Орган местного самоуправления (ОМСУ)"), "info"
    RSO = "rso", _("Ресурсоснабжающая организация (РСО)"), "warning"
    FEDERAL = "federal", _("Федеральный орган"), "primary"
    INVESTOR = "investor", _("Инвестор"), "default"

    @classmethod
    def participants(cls) -> list[str]:
        """Kinds whose staff answer appeals and requests (участники системы)."""
        return [cls.AGENCY, cls.OIV, cls.OMSU, cls.RSO, cls.FEDERAL]


class DistrictKind(models.TextChoices):
    MUNICIPAL_DISTRICT = "municipal_district", _("Муниципальный район")
    MUNICIPAL_OKRUG = "municipal_okrug", _("Муниципальный округ")
    CITY_OKRUG = "city_okrug", _("Городской округ")


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("Календарные дни")
    WORKING = "working", _("Рабочие дни")


class AppealStatus(ColouredChoices):
    """The seed's statuses of an appeal (SPEC.md §3), plus «запрошено уточнение» while the investor answers."""

    MODERATION = "moderation", _("Обращение поступило на модерацию"), "info"
    REJECTED = "rejected", _("Обращение отклонено (с указанием причины)"), "danger"
    ASSIGNED = "assigned", _("Обращение передано на исполнение"), "primary"
    REDIRECTED = "redirected", _("Обращение перенаправлено"), "warning"
    IN_WORK = "in_work", _("Обращение взято в работу"), "primary"
    CLARIFICATION = "clarification", _("Запрошено уточнение у инвестора"), "warning"
    APPROVAL = "approval", _("На согласовании"), "info"
    ANSWERED = "answered", _("Обращение рассмотрено"), "success"
    RESOLVED = "resolved", _("Решено"), "success"
    NOT_RESOLVED = "not_resolved", _("Не решено"), "danger"
    POSTPONED = "postponed", _("Отложено"), "default"
    DECLINED = "declined", _("Отклонено"), "danger"

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


# What each status means for the investor who reads it on the portal (its «Что означают статусы»); one for every
# status (tests/core/test_choices.py).
APPEAL_STATUS_MEANINGS = {
    AppealStatus.MODERATION: _("Агентство проверяет обращение перед передачей исполнителю. Срок ответа уже идёт."),
    AppealStatus.REJECTED: _("Обращение не принято к рассмотрению; причина — в истории работ."),
    AppealStatus.ASSIGNED: _("Назначен исполнитель, который готовит ответ."),
    AppealStatus.REDIRECTED: _("Обращение передано в орган власти, к полномочиям которого относится вопрос; "
                               "агентство продолжает контролировать срок."),
    AppealStatus.IN_WORK: _("Исполнитель работает над ответом."),
    AppealStatus.CLARIFICATION: _("Исполнителю нужны сведения от вас: ответьте на странице обращения. Срок ответа "
                                  "продолжает идти."),
    AppealStatus.APPROVAL: _("Ответ подготовлен и согласуется у руководителя."),
    AppealStatus.ANSWERED: _("Ответ отправлен: оцените его или, если он вас не устраивает, отправьте на доработку."),
    AppealStatus.RESOLVED: _("Вопрос решён."),
    AppealStatus.NOT_RESOLVED: _("Вопрос решить не удалось; его может рассмотреть межведомственная рабочая группа "
                                 "(МРГ)."),
    AppealStatus.POSTPONED: _("Решение вопроса отложено; причина — в ответе."),
    AppealStatus.DECLINED: _("В решении вопроса отказано; причина — в ответе."),
}
# The three roles of every appeal with what each does (seed slide «Роли в системе»): the cabinet's card, the portal's
# appeal page and the appeal's DOCX name them alike.
APPEAL_ROLES = (
    ("head", _("Руководитель"), _("согласовывает ответы на обращения")),
    ("coordinator", _("Координатор"), _("отслеживает исполнение, если обращение передано в ОИВ или ОМСУ")),
    ("manager", _("Менеджер"), _("отвечает за подготовку ответа")),
)
MRG_MEANING = _("МРГ — межведомственная рабочая группа: на её заседании органы власти вместе рассматривают вопросы, "
                "которые не удалось решить в обычном порядке.")


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


class AppealChannel(ColouredChoices):
    """How the appeal reached the agency; staff register every channel but the portal."""

    PORTAL = "portal", _("Портал"), "primary"
    PHONE = "phone", _("Телефон"), "info"
    EMAIL = "email", _("Электронная почта"), "info"
    LETTER = "letter", _("Письмо"), "default"
    VISIT = "visit", _("Личный приём"), "success"
    POS = "pos", _("ПОС (Госуслуги)"), "warning"
    EVENT = "event", _("Мероприятие"), "success"

    @classmethod
    def staff_registered(cls) -> list[str]:
        return [c for c in cls.values if c != cls.PORTAL]


class FileKind(models.TextChoices):
    REQUEST = "request", _("К обращению")
    COMMENT = "comment", _("К комментарию")
    ANSWER = "answer", _("К ответу")


class ProjectStage(ColouredChoices):
    """Stages of an investment project (seed: «0. Регистрация», «1. Прединвестиционный этап» …)."""

    APPLICATION = "application", _("Заявка"), "info"
    REVIEW = "review", _("На рассмотрении"), "info"
    ACCEPTED = "accepted", _("Принят на сопровождение"), "primary"
    DECLINED = "declined", _("Отказано в сопровождении"), "danger"
    PRE_INVESTMENT = "pre_investment", _("Прединвестиционный этап"), "primary"
    INVESTMENT = "investment", _("Инвестиционный этап"), "primary"
    OPERATIONAL = "operational", _("Эксплуатационный этап"), "success"
    COMPLETED = "completed", _("Завершён"), "success"
    SUSPENDED = "suspended", _("Приостановлен"), "warning"
    WITHDRAWN = "withdrawn", _("Отозван"), "default"

    @classmethod
    def active(cls) -> list[str]:
        """Stages from which a project can be suspended or withdrawn."""
        return [cls.APPLICATION, cls.REVIEW, cls.ACCEPTED, cls.PRE_INVESTMENT, cls.INVESTMENT, cls.OPERATIONAL]

    @classmethod
    def supported(cls) -> list[str]:
        """On support: accepted and the three working stages."""
        return [cls.ACCEPTED, cls.PRE_INVESTMENT, cls.INVESTMENT, cls.OPERATIONAL]


class TaskStatus(ColouredChoices):
    NEW = "new", _("Новая"), "info"
    IN_WORK = "in_work", _("В работе"), "primary"
    DONE = "done", _("Выполнена"), "success"
    CANCELLED = "cancelled", _("Отменена"), "default"

    @classmethod
    def open(cls) -> list[str]:
        return [cls.NEW, cls.IN_WORK]


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    VIDEO = "video", _("ВКС")


class MeetingStatus(ColouredChoices):
    PLANNED = "planned", _("Запланирована"), "info"
    HELD = "held", _("Проведена"), "success"
    CANCELLED = "cancelled", _("Отменена"), "default"


class RoadmapStatus(ColouredChoices):
    PLANNED = "planned", _("Запланирован"), "default"
    IN_PROGRESS = "in_progress", _("Выполняется"), "primary"
    DONE = "done", _("Выполнен"), "success"


class MeasureStatus(ColouredChoices):
    REQUESTED = "requested", _("Запрошена"), "info"
    GRANTED = "granted", _("Предоставлена"), "success"
    REFUSED = "refused", _("Отказано"), "danger"


class RequestStatus(ColouredChoices):
    SENT = "sent", _("Направлен"), "info"
    ANSWERED = "answered", _("Получен ответ"), "success"


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


class DocumentTemplateKind(models.TextChoices):
    """The documents staff generate from a project's history (core/documents/templated.py, docs/documents.md)."""

    BRIEF = "brief", _("Справка по проекту")
    LETTER_AUTHORITY = "letter_authority", _("Письмо в ОИВ/ОМСУ")
    INVESTOR_ANSWER = "investor_answer", _("Ответ инвестору")
    VKS_INVITATION = "vks_invitation", _("Приглашение на ВКС")


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
