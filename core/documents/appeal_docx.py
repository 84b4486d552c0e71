"""«Скачать DOCX»: the appeal card as a Word document, for the cabinet and the portal alike.

What the reader may see is decided by the same selectors as on screen: an investor's copy holds only the
public history and files, and the answer only once it was approved and sent.
"""

from collections.abc import Iterable
from datetime import date, datetime
from io import BytesIO

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from docx import Document
from docx.shared import Pt

from core.choices import AppealEventKind
from core.models import Appeal, AppealEvent, AppealFile, User
from core.selectors.appeals import appeal_files_for, appeal_history_for
from core.selectors.visibility import is_staff_member

NONE = "—"


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
        lines.append(gettext("Оценка: %(rating)s из 5") % {"rating": data["rating"]})
    if data.get("executor_organisation"):
        lines.append(gettext("Исполнитель: %(organisation)s") % {"organisation": data["executor_organisation"]})
    if event.text:
        lines.append(event.text)
    return "\n".join(lines)


def _table(document, rows: list[list[str]], *, header: list[str] | None = None) -> None:
    table = document.add_table(rows=0, cols=len(rows[0] if rows else header))
    table.style = "Table Grid"
    for index, values in enumerate([header, *rows] if header else rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
            if header and index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _paragraphs(document, text: str) -> None:
    for line in (text or NONE).splitlines() or [NONE]:
        document.add_paragraph(line)


def _new_document(title: str):
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = title
    return document


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def appeal_card_docx(*, appeal: Appeal, user: User) -> bytes:
    """The card of an appeal the user may see (the caller fetched it through appeal_get_for_user)."""
    document = _new_document(gettext("Обращение №%(number)s") % {"number": appeal.number})
    _card(document, appeal, staff=is_staff_member(user), files=appeal_files_for(appeal=appeal, user=user),
          history=appeal_history_for(appeal=appeal, user=user))
    return _save(document)


def _card(document, appeal: Appeal, *, staff: bool, files: Iterable[AppealFile], history: Iterable[AppealEvent]):
    """One appeal's card: `files` and `history` are what the reader may see (appeal_files_for, appeal_history_for)."""
    fact = appeal.fact
    document.add_heading(gettext("Обращение №%(number)s") % {"number": appeal.number}, level=0)
    document.add_paragraph(appeal.subject)

    answer_visible = bool(appeal.answer_text) and (staff or appeal.answered_at is not None)
    organisation = appeal.organisation_name
    requisites = ", ".join(
        part for part in (
            gettext("ИНН %(inn)s") % {"inn": appeal.organisation_inn} if appeal.organisation_inn else "",
            gettext("ОГРН %(ogrn)s") % {"ogrn": appeal.organisation_ogrn} if appeal.organisation_ogrn else "",
        ) if part
    )
    applicant = appeal.applicant
    _table(document, [
        [gettext("Статус"), appeal.get_status_display()],
        [gettext("Дата подачи"), _day(appeal.created_at)],
        [gettext("Ответить до"), _day(appeal.deadline)],
        [gettext("Дата ответа"), _day(appeal.answered_at)],
        [gettext("Заявитель"), ", ".join(part for part in (applicant.full_name, applicant.email, applicant.phone)
                                         if part)],
        [gettext("Организация"), f"{organisation} ({requisites})" if requisites else organisation],
        [gettext("Классификатор"), f"{fact.subcategory.category} → {fact.subcategory} → {fact}"],
        [gettext("Тип обращения"), str(appeal.appeal_type)],
        [gettext("Исполнитель"), str(appeal.executor_organisation or NONE)],
        *([[gettext("Проект"), appeal.project]] if appeal.project else []),
        *([[gettext("Из прежней системы"), gettext("да")]] if appeal.is_legacy else []),
    ])

    document.add_heading(gettext("Текст обращения"), level=1)
    _paragraphs(document, appeal.description)

    document.add_heading(gettext("Ответственные"), level=1)
    _table(document, [
        [gettext("Руководитель"), *_person(appeal.head)],
        [gettext("Координатор"), *_person(appeal.coordinator)],
        [gettext("Менеджер"), *_person(appeal.manager)],
    ], header=[gettext("Роль"), gettext("ФИО"), gettext("Организация, должность"), gettext("Контакты")])

    files = list(files)
    if files:
        document.add_heading(gettext("Файлы"), level=1)
        for file in files:
            document.add_paragraph(file.original_name, style="List Bullet")

    document.add_heading(gettext("История работ по обращению"), level=1)
    timeline = [
        [
            f"{timezone.localtime(event.created_at, timezone.get_default_timezone()):%d.%m.%Y %H:%M}",
            _event_title(event) + ("" if event.is_public else " " + gettext("(внутреннее)")),
            event.actor.full_name if event.actor else gettext("Система"),
            _event_text(event),
        ]
        for event in history
    ]
    _table(document, timeline, header=[gettext("Когда"), gettext("Событие"), gettext("Кто"), gettext("Комментарий")])

    document.add_heading(gettext("Ответ"), level=1)
    if appeal.rejection_reason:
        document.add_paragraph(gettext("Причина отклонения: %(reason)s") % {"reason": appeal.rejection_reason})
    if answer_visible:
        if appeal.answered_at is None:
            document.add_paragraph(gettext("Проект ответа (инвестору ещё не направлен):"))
        _paragraphs(document, appeal.answer_text)
        if appeal.answered_by:
            document.add_paragraph(gettext("Ответ подготовил: %(name)s") % {"name": appeal.answered_by.full_name})
    elif not appeal.rejection_reason:
        document.add_paragraph(gettext("Ответа пока нет."))
    if appeal.rating:
        document.add_paragraph(gettext("Оценка инвестора: %(rating)s из 5") % {"rating": appeal.rating})
        if appeal.rating_comment:
            document.add_paragraph(appeal.rating_comment)

    document.add_paragraph(gettext("Сформировано %(date)s") % {"date": _day(timezone.now())})


def appeals_docx(appeals: QuerySet[Appeal], *, user: User) -> bytes:
    """«Выгрузка обращений в Word»: the cards of `appeals` (a queryset the caller already limited to what `user`
    may see, e.g. appeals_visible_to) in one document, each from a new page, in the queryset's order. Everything
    a card shows is loaded up front — a fixed number of queries whatever the number of appeals."""
    staff = is_staff_member(user)
    events = AppealEvent.objects.select_related("actor__organisation")
    files = AppealFile.objects.select_related("uploaded_by")
    if not staff:  # as appeal_history_for and appeal_files_for: an investor reads only the public part
        events, files = events.filter(is_public=True), files.filter(is_public=True)
    appeals = list(
        appeals.select_related(
            "fact__subcategory__category", "appeal_type", "executor_organisation", "project", "applicant",
            "head__organisation", "coordinator__organisation", "manager__organisation", "answered_by",
        ).prefetch_related(
            Prefetch("events", queryset=events, to_attr="docx_history"),
            Prefetch("files", queryset=files, to_attr="docx_files"),
        )
    )
    document = _new_document(gettext("Обращения (%(count)s)") % {"count": len(appeals)})
    for index, appeal in enumerate(appeals):
        if index:
            document.add_page_break()
        _card(document, appeal, staff=staff, files=appeal.docx_files, history=appeal.docx_history)
    if not appeals:
        document.add_paragraph(gettext("Обращения не выбраны."))
    return _save(document)
