"""The catalogue of notification events. Templates live in templates/notifications/<code>/: the letter's
subject.txt, body.txt and body.html, and notice.txt, the one line of the in-app notice. Mandatory events
(deadlines, answers, requests for action) always come by email; the others each person may switch off in their
preferences. Every event also appears among in-app notices."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

INVESTOR, STAFF = "investor", "staff"


@dataclass(frozen=True)
class EventSpec:
    code: str
    label: str | Promise
    audience: frozenset[str]
    mandatory: bool = False


def _spec(code: str, label, *audience: str, mandatory: bool = False) -> EventSpec:
    return EventSpec(code, label, frozenset(audience), mandatory)


EVENTS: dict[str, EventSpec] = {
    e.code: e
    for e in [
        # appeals of the feedback mechanism
        _spec("appeal_registered", _("Обращение зарегистрировано"), INVESTOR, mandatory=True),
        _spec("appeal_new", _("Поступило новое обращение"), STAFF),
        _spec("appeal_rejected", _("Обращение отклонено"), INVESTOR, mandatory=True),
        _spec("appeal_assigned", _("Обращение назначено"), STAFF),
        _spec("appeal_redirected", _("Обращение перенаправлено"), STAFF),
        _spec("appeal_clarification_requested", _("Запрошено уточнение по обращению"), INVESTOR, mandatory=True),
        _spec("appeal_clarification_provided", _("Инвестор ответил на уточнение"), STAFF),
        _spec("appeal_awaiting_approval", _("Ответ ждёт согласования"), STAFF),
        _spec("appeal_returned_to_executor", _("Ответ возвращён исполнителю"), STAFF),
        _spec("appeal_answered", _("Получен ответ на обращение"), INVESTOR, mandatory=True),
        _spec("appeal_rework", _("Ответ отправлен на доработку"), STAFF, mandatory=True),
        _spec("appeal_deadline_extended", _("Срок ответа перенесён"), INVESTOR, STAFF, mandatory=True),
        _spec("appeal_comment", _("Новый комментарий к обращению"), INVESTOR, STAFF),
        _spec("appeal_closed", _("Обращение закрыто с итогом"), INVESTOR),
        _spec("appeal_deadline_50", _("Прошла половина срока ответа"), STAFF, mandatory=True),
        _spec("appeal_deadline_80", _("Прошло 80 % срока ответа"), STAFF, mandatory=True),
        _spec("appeal_overdue", _("Срок ответа на обращение истёк"), STAFF, mandatory=True),
        # projects
        _spec("project_stage_changed", _("Изменился этап проекта"), INVESTOR),
        _spec("task_assigned", _("Поставлена задача"), STAFF),
        _spec("task_overdue", _("Задача просрочена"), STAFF, mandatory=True),
        _spec("meeting_scheduled", _("Назначена встреча"), INVESTOR, STAFF),
        _spec("meeting_changed", _("Встреча изменена"), INVESTOR, STAFF),
        _spec("meeting_cancelled", _("Встреча отменена"), INVESTOR, STAFF),
        _spec("request_sent", _("Поступил запрос по проекту"), STAFF),
        _spec("request_overdue", _("Срок ответа на запрос истёк"), STAFF, mandatory=True),
        _spec("roadmap_overdue", _("Просрочен пункт дорожной карты"), STAFF, mandatory=True),
        _spec("head_digest", _("Ежедневная сводка руководителю"), STAFF),
        _spec("export_ready", _("Выгрузка реестра готова"), STAFF),
    ]
}


def events_for_audience(audience: str) -> list[EventSpec]:
    return [e for e in EVENTS.values() if audience in e.audience]
