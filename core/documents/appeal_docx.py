"""«Скачать DOCX»: the appeal card as a Word document, for the cabinet and the portal alike.

The renderer reads no database: what the reader may see comes in an AppealCard from the same selectors as on
screen (core.selectors.appeals.appeal_card_for). An investor's copy holds the public history and files and the
approved answer rounds with their ratings; staff also read internal lines («Служебное») and the draft answer.
"""

from datetime import date, datetime
from io import BytesIO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.choices import APPEAL_ROLES, AppealEventKind
from core.documents.layout import LABEL_VALUE, add_table, new_document
from core.models import Appeal, AppealAnswer, AppealEvent, User
from core.selectors.appeals import AppealCard, appeal_cards_for

NONE = "—"
PEOPLE = (0.17, 0.25, 0.33, 0.25)  # role | name | organisation, position | contacts
HISTORY = (0.14, 0.24, 0.18, 0.44)  # when (dd.mm.yyyy hh:mm) | event | who | the comment: the widest


def _day(value: date | datetime | None) -> str:
    """dd.mm.YYYY; a moment is shown on the Moscow calendar."""
    if value is None:
        return NONE
    if isinstance(value, datetime):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return f"{value:%d.%m.%Y}"


def _iso_day(value: str | None) -> str:
    return _day(date.fromisoformat(value)) if value else NONE


def _person(user: User | None) -> list[str]:
    """Name, organisation and position, contacts: the cells of one row of the roles table."""
    if user is None:
        return [gettext("не назначен"), "", ""]
    place = ", ".join(part for part in (user.organisation.short_name if user.organisation else "", user.position)
                      if part)
    contacts = ", ".join(part for part in (user.phone, user.email) if part)
    return [user.full_name or user.email, place, contacts]


def _event_title(event: AppealEvent) -> str:
    if event.kind == AppealEventKind.TRANSITION and event.to_status and event.from_status != event.to_status:
        return f"{event.get_from_status_display()} → {event.get_to_status_display()}"
    return event.get_kind_display()


def _event_text(event: AppealEvent) -> str:
    data = event.data or {}
    lines = []
    if event.kind == AppealEventKind.DEADLINE_EXTENDED:
        lines.append(gettext("Новый срок: %(new)s (был %(old)s)") % {
            "new": _iso_day(data.get("new_deadline")), "old": _iso_day(data.get("old_deadline"))})
    if event.kind == AppealEventKind.RATED and data.get("rating"):
        lines.append(gettext("Оценка ответа %(round)s: %(rating)s из 5") % {
            "round": data.get("round") or 1, "rating": data["rating"]})
    if data.get("executor_organisation"):
        lines.append(gettext("Исполнитель: %(organisation)s") % {"organisation": data["executor_organisation"]})
    if event.text:
        lines.append(event.text)
    return "\n".join(lines)


def _paragraphs(document, text: str) -> None:
    for line in (text or NONE).splitlines() or [NONE]:
        document.add_paragraph(line)


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def appeal_card_docx(*, card: AppealCard) -> bytes:
    """The card of one appeal as its reader may see it (the caller built `card` with appeal_card_for)."""
    document = new_document(gettext("Обращение №%(number)s") % {"number": card.appeal.number})
    _card(document, card)
    return _save(document)


def _internal(text: str, public: bool, staff: bool) -> str:
    return text if public or not staff else f"{text} ({gettext('Служебное')})"


def applicant_line(appeal: Appeal) -> str:
    """The portal user who filed it, or — for an appeal registered by staff — the channel and the contact person."""
    applicant = appeal.applicant
    if applicant is not None:
        return ", ".join(part for part in (applicant.full_name, applicant.email, applicant.phone) if part)
    registered = gettext("Зарегистрировано сотрудником агентства (%(channel)s)") % {
        "channel": appeal.get_channel_display()}
    contact = ", ".join(part for part in (appeal.contact_name, appeal.contact_email, appeal.contact_phone) if part)
    return f"{registered}; {gettext('контактное лицо')}: {contact}" if contact else registered


def _card(document, card: AppealCard) -> None:
    appeal, staff = card.appeal, card.staff
    fact = appeal.fact
    document.add_heading(gettext("Обращение №%(number)s") % {"number": appeal.number}, level=0)
    document.add_paragraph(appeal.subject)

    organisation = appeal.organisation_name
    requisites = ", ".join(
        part for part in (
            gettext("ИНН %(inn)s") % {"inn": appeal.organisation_inn} if appeal.organisation_inn else "",
            gettext("ОГРН %(ogrn)s") % {"ogrn": appeal.organisation_ogrn} if appeal.organisation_ogrn else "",
        ) if part
    )
    add_table(document, shares=LABEL_VALUE, rows=[
        [gettext("Статус"), appeal.get_status_display()],
        [gettext("Дата подачи"), _day(appeal.created_at)],
        [gettext("Канал поступления"), appeal.get_channel_display()],
        *([[gettext("Поступило"), _day(appeal.received_at)]] if _day(appeal.received_at) != _day(appeal.created_at)
          else []),
        [gettext("Срок ответа"), _day(appeal.deadline)],
        [gettext("Дата ответа"), _day(appeal.answered_at)],
        [gettext("Заявитель"), applicant_line(appeal)],
        [gettext("Организация"), f"{organisation} ({requisites})" if requisites else organisation],
        [gettext("Классификатор"), f"{fact.subcategory.category} → {fact.subcategory} → {fact}"],
        [gettext("Тип обращения"), str(appeal.appeal_type)],
        [gettext("Исполнитель"), str(appeal.executor_organisation or NONE)],
        *([[gettext("Проект"), appeal.project]] if appeal.project else []),
        *([[gettext("Отправлено на доработку, раз"), appeal.rework_count]] if appeal.rework_count else []),
        *([[gettext("Из прежней системы"), gettext("да")]] if appeal.is_legacy else []),
    ])

    document.add_heading(gettext("Текст обращения"), level=1)
    _paragraphs(document, appeal.description)

    document.add_heading(gettext("Ответственные"), level=1)
    add_table(document, [
        [str(title), *_person(getattr(appeal, field))] for field, title, _note in APPEAL_ROLES
    ], header=[gettext("Роль"), gettext("ФИО"), gettext("Организация, должность"), gettext("Контакты")],
        shares=PEOPLE)

    files = [file for file in card.files if file.answer_id is None]  # a round's files are listed under it
    if files:
        document.add_heading(gettext("Файлы"), level=1)
        for file in files:
            document.add_paragraph(_internal(file.original_name, file.is_public, staff), style="List Bullet")

    document.add_heading(gettext("История работ по обращению"), level=1)
    timeline = [
        [
            f"{timezone.localtime(event.created_at, timezone.get_default_timezone()):%d.%m.%Y %H:%M}",
            _internal(_event_title(event), event.is_public, staff),
            event.actor.full_name if event.actor else gettext("Система"),
            _event_text(event),
        ]
        for event in card.history
    ]
    add_table(document, timeline, shares=HISTORY,
              header=[gettext("Когда"), gettext("Событие"), gettext("Кто"), gettext("Комментарий")])

    _answers(document, card)
    document.add_paragraph(gettext("Сформировано %(date)s") % {"date": _day(timezone.now())})


def _answers(document, card: AppealCard) -> None:
    """Every approved answer as a round with its files, rating and rework reason; staff also read the draft."""
    appeal, rounds = card.appeal, card.rounds
    document.add_heading(gettext("Ответы") if len(rounds) > 1 else gettext("Ответ"), level=1)
    if appeal.rejection_reason:
        document.add_paragraph(gettext("Причина отклонения: %(reason)s") % {"reason": appeal.rejection_reason})
    for round_ in rounds:
        _round(document, round_)
    draft = appeal.answer_text and (not rounds or rounds[-1].text != appeal.answer_text)
    if card.staff and draft:
        document.add_heading(_internal(gettext("Проект ответа (инвестору ещё не направлен)"), False, True), level=2)
        _paragraphs(document, appeal.answer_text)
        if appeal.answered_by:
            document.add_paragraph(gettext("Ответ подготовил: %(name)s") % {"name": appeal.answered_by.full_name})
    if not rounds and not appeal.rejection_reason and not (card.staff and draft):
        document.add_paragraph(gettext("Ответа пока нет."))
    if len(rounds) > 1 and appeal.rating:
        document.add_paragraph(gettext("Итоговая оценка обращения: %(rating)s из 5") % {"rating": appeal.rating})


def _round(document, round_: AppealAnswer) -> None:
    document.add_heading(gettext("Ответ %(number)s от %(date)s") % {
        "number": round_.number, "date": _day(round_.approved_at)}, level=2)
    _paragraphs(document, round_.text)
    people = ", ".join(part for part in (
        gettext("подготовил: %(name)s") % {"name": round_.author.full_name} if round_.author else "",
        gettext("согласовал: %(name)s") % {"name": round_.approved_by.full_name} if round_.approved_by else "",
    ) if part)
    if people:
        document.add_paragraph(gettext("Ответ %(people)s") % {"people": people})
    for file in round_.visible_files:
        document.add_paragraph(file.original_name, style="List Bullet")
    if round_.rating:
        document.add_paragraph(gettext("Оценка инвестора: %(rating)s из 5") % {"rating": round_.rating})
        if round_.rating_comment:
            document.add_paragraph(round_.rating_comment)
    if round_.rework_reason:
        document.add_paragraph(gettext("Отправлен на доработку %(date)s: %(reason)s") % {
            "date": _day(round_.sent_back_at), "reason": round_.rework_reason})


def appeals_docx(appeals: QuerySet[Appeal], *, user: User) -> bytes:
    """«Выгрузка обращений в Word»: the cards of `appeals` (a queryset the caller already limited to what `user`
    may see, e.g. appeals_visible_to) in one document, each from a new page, in the queryset's order; the cards
    are read up front by appeal_cards_for — a fixed number of queries whatever the number of appeals."""
    cards = appeal_cards_for(appeals=appeals, user=user)
    document = new_document(gettext("Обращения (%(count)s)") % {"count": len(cards)})
    for index, card in enumerate(cards):
        if index:
            document.add_page_break()
        _card(document, card)
    if not cards:
        document.add_paragraph(gettext("Обращения не выбраны."))
    return _save(document)
