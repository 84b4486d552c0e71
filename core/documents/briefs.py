"""«Справка по проекту» and the letter drafts («Письмо в ОИВ/ОМСУ», «Ответ инвестору», «Приглашение на ВКС»): a
template of the kind (the newest active DocumentTemplate, else the built-in default below) filled from the
project's passport, stage, support measures, roadmap, open appeals and latest history (docs/documents.md).

The caller fetched the project through project_get_for_user, so the reader may see it. Open appeals and their
history lines are those the reader may see (appeals_visible_to, project_history_for). The brief and the letter to
an authority are the agency's own papers and carry internal lines too; «Ответ инвестору» goes to the investor and
holds only what the investor could read in the portal: public history lines, no staff comments.
"""

import logging
import re
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext
from docx.shared import Pt

from core.choices import AppealStatus, DocumentTemplateKind, MeetingFormat, MeetingStatus, RoadmapStatus
from core.documents.appeal_docx import NONE, _day
from core.documents.gantt import is_late
from core.documents.layout import LABEL_VALUE, TABLE_PT, add_table, new_document
from core.documents.project_docx import TRANSLIT, quantity, rubles
from core.documents.templated import Filling, fill_template
from core.models import Appeal, DocumentTemplate, Project, User
from core.region import current_region
from core.selectors.projects import project_history_for
from core.selectors.visibility import appeals_visible_to, meetings_visible_to

logger = logging.getLogger(__name__)
K = DocumentTemplateKind
HISTORY_EVENTS = 10  # the last N history events a document quotes
OPEN_APPEALS = 20  # open appeals listed, the nearest deadlines first
PUBLIC_ONLY = frozenset({K.INVESTOR_ANSWER})  # kinds that leave the agency: public history lines only
TO_FILL = "______________________________"  # a line the person fills in by hand
FILE_PREFIX = {K.BRIEF: "spravka", K.LETTER_AUTHORITY: "pismo-oiv", K.INVESTOR_ANSWER: "otvet-investoru",
               K.VKS_INVITATION: "priglashenie-vks"}


def _moment(value) -> str:
    return f"{timezone.localtime(value, timezone.get_default_timezone()):%d.%m.%Y %H:%M}" if value else NONE


def _contacts(user: User | None) -> str:
    return ", ".join(part for part in (user.phone, user.email) if part) if user else ""


def document_filling(*, kind: str, project: Project, user: User, appeal: Appeal | None = None) -> Filling:
    """Every placeholder's value for `project` as `user` may see it (a constant number of queries)."""
    investor, manager = project.investor, project.personal_manager
    region = current_region()
    stage = project.get_stage_display()
    values = {
        "дата": _day(timezone.now()), "регион": region.name, "шапка": region.letterhead(),
        "пользователь.фио": user.full_name or user.email, "пользователь.должность": user.position,
        "пользователь.телефон": user.phone, "пользователь.email": user.email,
        "проект.номер": project.registry_number, "проект.название": project.name,
        "проект.инвестор": investor.full_name or investor.short_name,
        "проект.инвестор_кратко": investor.short_name or investor.full_name, "проект.инн": investor.inn or NONE,
        "проект.район": str(project.district or NONE), "проект.отрасль": str(project.industry or NONE),
        "проект.этап": stage, "проект.объём_инвестиций": rubles(project.investment_volume),
        "проект.рабочих_мест": quantity(project.jobs), "проект.описание": project.description or NONE,
        "проект.начало_строительства": _day(project.planned_start), "проект.ввод": _day(project.planned_launch),
        "проект.менеджер": (manager.full_name or manager.email) if manager else gettext("не назначен"),
        "проект.менеджер_контакты": _contacts(manager),
    }
    measures = [
        {"название": row.measure.name, "статус": row.get_status_display(), "запрошена": _day(row.requested_at)}
        for row in project.measures.select_related("measure").order_by("requested_at", "pk")
    ]
    today = timezone.localdate()
    roadmap = []
    items = project.roadmap.select_related("responsible_user", "responsible_organisation")
    if kind == K.VKS_INVITATION:  # a call discusses what is still to do
        items = items.exclude(status=RoadmapStatus.DONE)
    for number, item in enumerate(items, start=1):
        responsible = ", ".join(str(part) for part in (
            item.responsible_user.full_name if item.responsible_user else "", item.responsible_organisation or "",
        ) if part)
        roadmap.append({
            "номер": str(number), "пункт": item.title,
            "срок": f"{_day(item.planned_start)} – {_day(item.planned_end)}",
            "ответственный": responsible or NONE,
            "статус": item.get_status_display() + (" · " + gettext("просрочен") if is_late(item, today) else ""),
        })
    appeals = [
        {"номер": str(row.number), "тема": row.subject, "статус": row.get_status_display(), "срок": _day(row.deadline)}
        for row in appeals_visible_to(user).filter(project=project, status__in=AppealStatus.open())
        .order_by("deadline", "number")[:OPEN_APPEALS]
    ]
    history = project_history_for(project=project, user=user)
    if kind in PUBLIC_ONLY:
        history = [row for row in history if row.is_public]
    events = []
    for row in history[:HISTORY_EVENTS]:
        change = f"{row.from_label} → {row.to_label}" if row.from_label and row.to_label else row.to_label
        events.append({"когда": _moment(row.when), "событие": row.kind_label,
                       "текст": "; ".join(part for part in (change, row.text) if part) or NONE})
    meetings_ahead = meetings_visible_to(user).filter(project=project, status=MeetingStatus.PLANNED,
                                                    starts_at__gte=timezone.now())
    if kind == K.VKS_INVITATION:  # an invitation to a video call names the next video call, never a site visit
        meetings_ahead = meetings_ahead.filter(format=MeetingFormat.VIDEO)
    meeting = meetings_ahead.order_by("starts_at").first()
    meetings = [{
        "когда": _moment(meeting.starts_at), "тема": meeting.title, "формат": meeting.get_format_display(),
        "место": meeting.place or NONE, "ссылка": meeting.link or NONE, "повестка": meeting.agenda or NONE,
    }] if meeting else []
    answered = [{"номер": str(appeal.number), "тема": appeal.subject, "срок": _day(appeal.deadline),
                 "статус": appeal.get_status_display(), "ответ": _answer_text(appeal)}] if appeal else []
    return Filling(values, {"меры": measures, "дорожная_карта": roadmap, "обращения": appeals, "история": events,
                            "встреча": meetings, "обращение": answered})


def _answer_text(appeal: Appeal) -> str:
    """What the investor is told: the text of the last approved round; before any, the draft being prepared (the
    answer field the head approves, never a comment); with neither, a line to fill in."""
    last = appeal.answers.order_by("-number").only("text").first()
    text = (last.text if last else appeal.answer_text).strip()
    return text or TO_FILL + " " + gettext("(впишите ответ)")


# --- the built-in templates ------------------------------------------------------------------------------------
def _list_table(document, header: list[str], fields: list[str], shares: tuple[float, ...]) -> None:
    """A table of one list; its header row holds «{{ <list>.есть }}», so an empty list leaves no table at all."""
    flag = "{{ " + fields[0].partition(".")[0] + ".есть }}"
    add_table(document, [[f"{{{{ {name} }}}}" for name in fields]], header=[flag + header[0], *header[1:]],
              shares=shares)


def _none_line(document, name: str, text: str) -> None:
    """A line shown only when the list `name` is empty («Открытых обращений нет.»)."""
    document.add_paragraph("{{ " + name + ".нет }}" + text)


def _signature(document) -> None:
    document.add_paragraph()
    document.add_paragraph("{{ пользователь.должность }}\t\t\t\t{{ пользователь.фио }}")
    note = document.add_paragraph(gettext("Исп.: {{ пользователь.фио }}, {{ пользователь.телефон }}, "
                                          "{{ пользователь.email }}"))
    note.runs[0].font.size = Pt(TABLE_PT - 1)


def _passport_table(document) -> None:
    add_table(document, shares=LABEL_VALUE, rows=[
        [gettext("Реестровый номер"), "{{ проект.номер }}"],
        [gettext("Инвестор"), "{{ проект.инвестор }}, " + gettext("ИНН") + " {{ проект.инн }}"],
        [gettext("Район · отрасль"), "{{ проект.район }} · {{ проект.отрасль }}"],
        [gettext("Этап"), "{{ проект.этап }}"],
        [gettext("Объём инвестиций"), "{{ проект.объём_инвестиций }}"],
        [gettext("Рабочих мест"), "{{ проект.рабочих_мест }}"],
        [gettext("Начало строительства · ввод"), "{{ проект.начало_строительства }} · {{ проект.ввод }}"],
        [gettext("Персональный менеджер"), "{{ проект.менеджер }} ({{ проект.менеджер_контакты }})"],
    ])


def _roadmap_table(document) -> None:
    _list_table(document, [gettext("№"), gettext("Пункт"), gettext("Сроки"), gettext("Ответственный"),
                           gettext("Статус")],
                ["дорожная_карта.номер", "дорожная_карта.пункт", "дорожная_карта.срок",
                 "дорожная_карта.ответственный", "дорожная_карта.статус"], (0.05, 0.35, 0.2, 0.22, 0.18))


def _appeals_table(document) -> None:
    _list_table(document, [gettext("№"), gettext("Тема"), gettext("Статус"), gettext("Ответить до")],
                ["обращения.номер", "обращения.тема", "обращения.статус", "обращения.срок"], (0.1, 0.48, 0.26, 0.16))


def _history_table(document) -> None:
    _list_table(document, [gettext("Когда"), gettext("Событие"), gettext("Что")],
                ["история.когда", "история.событие", "история.текст"], (0.16, 0.24, 0.6))


def _brief(document) -> None:
    document.add_heading(gettext("Справка по проекту «{{ проект.название }}»"), level=0)
    document.add_paragraph(gettext("по состоянию на {{ дата }}"))
    _passport_table(document)
    document.add_heading(gettext("О проекте"), level=1)
    document.add_paragraph("{{ проект.описание }}")
    document.add_heading(gettext("Меры поддержки"), level=1)
    _list_table(document, [gettext("Мера поддержки"), gettext("Статус"), gettext("Запрошена")],
                ["меры.название", "меры.статус", "меры.запрошена"], (0.5, 0.32, 0.18))
    _none_line(document, "меры", gettext("Мер поддержки по проекту нет."))
    document.add_heading(gettext("Дорожная карта"), level=1)
    _roadmap_table(document)
    _none_line(document, "дорожная_карта", gettext("Дорожная карта не заполнена."))
    document.add_heading(gettext("Открытые обращения"), level=1)
    _appeals_table(document)
    _none_line(document, "обращения", gettext("Открытых обращений нет."))
    document.add_heading(gettext("Последние события"), level=1)
    _history_table(document)
    _none_line(document, "история", gettext("Событий пока нет."))
    document.add_paragraph()
    document.add_paragraph(gettext("Справку подготовил(а): {{ пользователь.фио }}, {{ пользователь.должность }}, "
                                   "{{ дата }}"))


def _letter_authority(document) -> None:
    document.add_paragraph(gettext("Кому: ______________________________"))
    document.add_heading(gettext("О сопровождении инвестиционного проекта «{{ проект.название }}»"), level=1)
    document.add_paragraph(gettext(
        "Агентство сопровождает инвестиционный проект «{{ проект.название }}» (реестровый номер {{ проект.номер }}; "
        "инвестор — {{ проект.инвестор_кратко }}, ИНН {{ проект.инн }}), район: {{ проект.район }}. Проект на "
        "этапе «{{ проект.этап }}», объём инвестиций {{ проект.объём_инвестиций }}, рабочих мест: "
        "{{ проект.рабочих_мест }}."))
    document.add_paragraph(gettext("Просим оказать содействие в реализации проекта на этапе "
                                   "«{{ проект.этап }}»."))
    document.add_paragraph(gettext("{{ обращения.есть }}Также просим содействия по вопросам инвестора, которые "
                                   "сейчас в работе (обращений: {{ обращения.количество }}):"))
    document.add_paragraph(gettext("№{{ обращения.номер }} «{{ обращения.тема }}» — ответ нужен до "
                                   "{{ обращения.срок }};"), style="List Bullet")
    document.add_paragraph(gettext("{{ дорожная_карта.есть }}Ход реализации по дорожной карте:"))
    _roadmap_table(document)
    _signature(document)


def _investor_answer(document) -> None:
    document.add_paragraph("{{ проект.инвестор }}")
    document.add_heading(gettext("О ходе сопровождения проекта «{{ проект.название }}»"), level=1)
    document.add_paragraph(gettext("Уважаемые коллеги!"))
    document.add_paragraph(gettext("На ваше обращение №{{ обращение.номер }} «{{ обращение.тема }}» сообщаем "
                                   "следующее:"))
    document.add_paragraph("{{ обращение.ответ }}")
    document.add_paragraph(gettext(
        "Ваш проект «{{ проект.название }}» (реестровый номер {{ проект.номер }}) находится на этапе "
        "«{{ проект.этап }}»."))
    document.add_paragraph(gettext("{{ обращения.есть }}Ваших обращений в работе: {{ обращения.количество }}."))
    document.add_paragraph(gettext("№{{ обращения.номер }} «{{ обращения.тема }}» — {{ обращения.статус }}, "
                                   "ответ до {{ обращения.срок }}"), style="List Bullet")
    document.add_paragraph(gettext("{{ меры.есть }}Мер поддержки по проекту: {{ меры.количество }}."))
    document.add_paragraph("{{ меры.название }} — {{ меры.статус }}", style="List Bullet")
    document.add_paragraph(gettext("{{ история.есть }}Последние события по проекту:"))
    document.add_paragraph("{{ история.когда }} — {{ история.событие }}: {{ история.текст }}", style="List Bullet")
    document.add_paragraph(gettext("{{ дорожная_карта.есть }}Ход работ по дорожной карте:"))
    _roadmap_table(document)
    document.add_paragraph(gettext("Ваш персональный менеджер: {{ проект.менеджер }}, "
                                   "{{ проект.менеджер_контакты }}."))
    _signature(document)


def _vks_invitation(document) -> None:
    document.add_paragraph(gettext("Кому: ______________________________"))
    document.add_heading(gettext("Приглашение на видеоконференцию"), level=1)
    document.add_paragraph(gettext(
        "Приглашаем принять участие в видеоконференции по инвестиционному проекту «{{ проект.название }}» "
        "(реестровый номер {{ проект.номер }}; инвестор — {{ проект.инвестор_кратко }}), этап «{{ проект.этап }}»."))
    document.add_paragraph(gettext("Дата и время: {{ встреча.когда }}. Тема: {{ встреча.тема }}. "
                                   "Подключение: {{ встреча.ссылка }}. Повестка: {{ встреча.повестка }}"))
    document.add_paragraph(gettext("{{ встреча.нет }}Дата и время: ") + TO_FILL + ". "
                           + gettext("Подключение: ") + TO_FILL + ".")
    document.add_paragraph(gettext("Вопросы к обсуждению: открытые обращения — {{ обращения.количество }}, "
                                   "невыполненные пункты дорожной карты — {{ дорожная_карта.количество }}."))
    document.add_paragraph(gettext("обращение №{{ обращения.номер }} «{{ обращения.тема }}» (ответ нужен до "
                                   "{{ обращения.срок }})"), style="List Bullet")
    document.add_paragraph(gettext("пункт дорожной карты «{{ дорожная_карта.пункт }}», {{ дорожная_карта.срок }}, "
                                   "{{ дорожная_карта.статус }}"), style="List Bullet")
    _signature(document)


DEFAULTS = {K.BRIEF: _brief, K.LETTER_AUTHORITY: _letter_authority, K.INVESTOR_ANSWER: _investor_answer,
            K.VKS_INVITATION: _vks_invitation}


def default_template(kind: str) -> bytes:
    """The built-in template of `kind`: the page, letterhead and footer of every Word file we write
    (core/documents/layout.py), the text with placeholders. Built on each use, so the letterhead is the region's
    current one; staff download it from «Шаблоны документов» to start their own."""
    document = new_document(str(K(kind).label))
    DEFAULTS[K(kind)](document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_source(kind: str) -> bytes:
    """The newest active uploaded template of `kind`, or the built-in one (also when the stored file is gone: the
    document is still made, and the log says which template to upload again)."""
    template = DocumentTemplate.objects.filter(kind=kind, is_active=True).order_by("-uploaded_at", "-pk").first()
    if template is None:
        return default_template(kind)
    try:
        with template.file.open("rb") as stream:
            return stream.read()
    except OSError:
        logger.exception("The file of document template %s (%s) cannot be read; the built-in one is used",
                         template.pk, template.file.name)
        return default_template(kind)


def project_document_docx(*, kind: str, project: Project, user: User, appeal: Appeal | None = None) -> bytes:
    """The document of `kind` for a project the user may see (fetched through project_get_for_user)."""
    return fill_template(template_source(kind), document_filling(kind=kind, project=project, user=user,
                                                                 appeal=appeal))


def document_filename(kind: str, project: Project) -> str:
    """spravka-IP-2026-00001.docx: the kind and the registry number in Latin letters."""
    latin = "".join(
        TRANSLIT[char.lower()].upper() if char.lower() in TRANSLIT and char.isupper() else TRANSLIT.get(char, char)
        for char in project.registry_number
    )
    latin = re.sub(r"[^A-Za-z0-9._-]+", "-", latin).strip("-.")
    return f"{FILE_PREFIX[K(kind)]}-{latin or project.pk}.docx"
