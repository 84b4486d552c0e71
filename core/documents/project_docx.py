"""«Скачать паспорт (DOCX)»: the passport of an investment project as a Word document, for the cabinet and the
portal alike.

The caller fetched the project through project_get_for_user, so the reader may see it. What else the reader may
see is decided by the same rules as on screen: an investor's copy holds no staff comments on measures and
checklist marks, and its history is the public part (core.selectors.projects.project_history_for).
"""

import re
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from core.choices import ProjectStage
from core.documents.appeal_docx import HISTORY, NONE, PEOPLE, _day, _paragraphs, _person
from core.documents.gantt import is_late
from core.documents.layout import LABEL_VALUE, add_table, new_document
from core.formatting import format_decimal, format_money
from core.models import ChecklistItem, Project, User
from core.selectors.projects import project_history_for
from core.selectors.visibility import is_staff_member

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HISTORY_ROWS = 30  # the latest events: a passport prepares for a call, the full timeline is on the project page
INFRASTRUCTURE_FIELDS = ("gas_m3_per_hour", "electricity_kw", "water_m3_per_day", "heat_gcal_per_hour")
P = ProjectStage
# The way of a supported project; the checklist counts the stages the project has reached on it.
PATH = (P.APPLICATION, P.REVIEW, P.ACCEPTED, P.PRE_INVESTMENT, P.INVESTMENT, P.OPERATIONAL, P.COMPLETED)
TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
    strict=True,
))


def passport_filename(project: Project) -> str:
    """pasport-IP-2026-00001.docx: the registry number in Latin letters (the pk if nothing usable is left)."""
    latin = "".join(
        TRANSLIT[char.lower()].upper() if char.lower() in TRANSLIT and char.isupper() else TRANSLIT.get(char, char)
        for char in project.registry_number
    )
    latin = re.sub(r"[^A-Za-z0-9._-]+", "-", latin).strip("-.")
    return f"pasport-{latin or project.pk}.docx"


def rubles(value: Decimal | int | None) -> str:
    """1500000000 → «1 500 000 000 ₽»; kopecks only when there are any; nothing → «—» (core.formatting)."""
    return format_money(value) or NONE


def quantity(value: Decimal | int | None) -> str:
    """85000.50 → «85 000,5»: no trailing zeros, thousands apart, a decimal comma; nothing → «—»."""
    return format_decimal(value) or NONE


def _reached(project: Project) -> tuple[str, ...]:
    """The stages of PATH the project got to: a suspended or withdrawn one where it stopped, a declined one at
    review."""
    stage = project.stage
    if stage in (P.SUSPENDED, P.WITHDRAWN):
        stage = project.paused_from or P.APPLICATION
    if stage == P.DECLINED:
        stage = P.REVIEW
    return PATH[: PATH.index(stage) + 1]


def _people(project: Project) -> list[list[str]]:
    """The project's people, with contacts; someone whose account was switched off no longer accompanies it."""
    rows = [
        (gettext("Персональный менеджер"), project.personal_manager),
        (gettext("Инвестиционный уполномоченный района"), project.district_commissioner),
        (gettext("Директор"), project.director),
    ]
    return [[title, *_person(person if person and person.is_active else None)] for title, person in rows]


def _checklist(document, project: Project, staff: bool) -> None:
    reached = _reached(project)
    marks = {mark.item_id: mark for mark in project.checklist_marks.select_related("done_by")}
    items = [item for item in ChecklistItem.objects.all() if item.stage in reached or item.pk in marks]
    document.add_heading(gettext("Чек-лист сопровождения"), level=1)
    if not items:
        document.add_paragraph(gettext("Для пройденных этапов действий нет."))
        return
    done = sum(1 for item in items if item.pk in marks)
    document.add_paragraph(gettext("Выполнено %(done)s из %(total)s (%(percent)s %%)") % {
        "done": done, "total": len(items), "percent": round(100 * done / len(items)),
    })
    rows = []
    for item in items:
        mark = marks.get(item.pk)
        if mark is None:
            state = gettext("не выполнено")
        else:
            who = mark.done_by.full_name if mark.done_by else ""
            state = ", ".join(part for part in (gettext("выполнено %(date)s") % {"date": _day(mark.done_at)}, who)
                              if part)
            if staff and mark.comment:
                state += f"\n{mark.comment}"
        rows.append([item.get_stage_display(), item.name, state])
    add_table(document, rows, header=[gettext("Этап"), gettext("Действие"), gettext("Отметка")],
              shares=(0.25, 0.45, 0.3))


def _measures(document, project: Project, staff: bool) -> None:
    document.add_heading(gettext("Меры поддержки"), level=1)
    rows = []
    for row in project.measures.select_related("measure").order_by("requested_at", "pk"):
        status = row.get_status_display()
        if row.decided_at:
            status += " " + gettext("(решение %(date)s)") % {"date": _day(row.decided_at)}
        rows.append([row.measure.name, status, _day(row.requested_at), row.comment if staff else ""])
    if not rows:
        document.add_paragraph(gettext("Меры поддержки не запрашивались."))
        return
    header = [gettext("Мера поддержки"), gettext("Статус"), gettext("Запрошена"), gettext("Комментарий")]
    shares = (0.32, 0.24, 0.14, 0.3)  # «Запрошена» and a date whole, in the wider fallback font too
    if not staff:  # the comments are the agency's working notes
        header, rows, shares = header[:3], [row[:3] for row in rows], (0.55, 0.3, 0.15)
    add_table(document, rows, header=header, shares=shares)


def _roadmap(document, project: Project) -> None:
    document.add_heading(gettext("Дорожная карта"), level=1)
    items = list(project.roadmap.select_related("responsible_user", "responsible_organisation"))
    if not items:
        document.add_paragraph(gettext("Пункты дорожной карты пока не добавлены."))
        return
    today = timezone.localdate()
    rows = []
    for number, item in enumerate(items, start=1):
        responsible = ", ".join(str(part) for part in (
            item.responsible_user.full_name if item.responsible_user else "", item.responsible_organisation or "",
        ) if part)
        status = item.get_status_display() + (" · " + gettext("просрочен") if is_late(item, today) else "")
        rows.append([
            str(number), item.title,
            f"{_day(item.planned_start)} – {_day(item.planned_end)}",
            f"{_day(item.baseline_start)} – {_day(item.baseline_end)}",
            _day(item.actual_end),
            responsible or NONE,
            status,
        ])
    add_table(document, rows, header=[
        gettext("№"), gettext("Пункт"), gettext("План"), gettext("Первый план"), gettext("Факт (окончание)"),
        gettext("Ответственный"), gettext("Статус"),
    ], shares=(0.04, 0.19, 0.15, 0.15, 0.14, 0.17, 0.16))  # a date column holds «(окончание)» and a date whole


def _history(document, project: Project, user: User, staff: bool) -> None:
    rows = project_history_for(project=project, user=user)
    document.add_heading(gettext("История проекта"), level=1)
    if len(rows) > HISTORY_ROWS:
        document.add_paragraph(gettext("Последние %(count)s событий; вся история — на странице проекта.")
                               % {"count": HISTORY_ROWS})
    table = []
    for row in rows[:HISTORY_ROWS]:
        what = row.kind_label + ("" if row.is_public or not staff else " " + gettext("(внутреннее)"))
        change = f"{row.from_label} → {row.to_label}" if row.from_label and row.to_label else row.to_label
        text = "\n".join(part for part in (change, row.text) if part)
        who = (row.actor.full_name or row.actor.email) if row.actor else gettext("Система")
        when = f"{timezone.localtime(row.when, timezone.get_default_timezone()):%d.%m.%Y %H:%M}"
        table.append([when, what, who, text])
    if not table:
        document.add_paragraph(gettext("Событий пока нет."))
        return
    add_table(document, table, header=[gettext("Когда"), gettext("Событие"), gettext("Кто"), gettext("Что")],
              shares=HISTORY)


def project_passport_docx(*, project: Project, user: User) -> bytes:
    """The passport of a project the user may see (the caller fetched it through project_get_for_user)."""
    staff = is_staff_member(user)
    investor = project.investor
    title = gettext("Паспорт инвестиционного проекта")
    document = new_document(f"{title} {project.registry_number}")
    document.add_heading(title, level=0)
    document.add_paragraph(f"{project.registry_number} · {project.name}")

    requisites = ", ".join(part for part in (
        gettext("ИНН %(inn)s") % {"inn": investor.inn} if investor.inn else "",
        gettext("ОГРН %(ogrn)s") % {"ogrn": investor.ogrn} if investor.ogrn else "",
    ) if part)
    stage = project.get_stage_display()
    if project.paused_from:
        stage += " " + gettext("(до этого: %(stage)s)") % {"stage": project.get_paused_from_display()}
    add_table(document, shares=LABEL_VALUE, rows=[
        [gettext("Реестровый номер"), project.registry_number],
        [gettext("Название проекта"), project.name],
        [gettext("Инвестор"), investor.full_name or investor.short_name],
        [gettext("Реквизиты инвестора"), requisites or NONE],
        [gettext("Район"), str(project.district or NONE)],
        [gettext("Отрасль"), str(project.industry or NONE)],
        [gettext("Этап"), stage],
        [gettext("Объём инвестиций"), rubles(project.investment_volume)],
        [gettext("Рабочих мест"), quantity(project.jobs)],
    ])

    document.add_heading(gettext("Описание проекта"), level=1)
    _paragraphs(document, project.description)

    document.add_heading(gettext("Земельные участки"), level=1)
    plots = [
        [plot.cadastral_number, quantity(plot.area_m2), plot.address or NONE, plot.rights or NONE]
        for plot in project.land_plots.order_by("pk")
    ]
    if plots:
        add_table(document, plots, header=[gettext("Кадастровый номер"), gettext("Площадь, м²"),
                                            gettext("Местоположение"), gettext("Права на участок")],
                  shares=(0.22, 0.13, 0.4, 0.25))
    else:
        document.add_paragraph(gettext("Земельные участки не указаны."))

    document.add_heading(gettext("Потребность в инженерной инфраструктуре"), level=1)
    add_table(document, shares=LABEL_VALUE, rows=[
        [capfirst(str(Project._meta.get_field(name).verbose_name)), quantity(getattr(project, name))]
        for name in INFRASTRUCTURE_FIELDS
    ])

    document.add_heading(gettext("Ключевые даты"), level=1)
    agreement = NONE
    if project.governor_agreement_date:
        agreement = _day(project.governor_agreement_date)
        if project.governor_agreement_forum:
            agreement += f", {project.get_governor_agreement_forum_display()}"
    add_table(document, shares=LABEL_VALUE, rows=[
        [gettext("Заявка подана"), _day(project.submitted_at)],
        [gettext("Принят на сопровождение"), _day(project.accepted_at)],
        [gettext("Плановое начало строительства"), _day(project.planned_start)],
        [gettext("Плановый ввод в эксплуатацию"), _day(project.planned_launch)],
        [gettext("Этап изменён"), _day(project.stage_changed_at)],
        [gettext("Соглашение с Губернатором"), agreement if project.governor_agreement_date
         else gettext("не подписано")],
    ])

    document.add_heading(gettext("Сопровождают проект"), level=1)
    add_table(document, _people(project), shares=PEOPLE, header=[
        gettext("Роль"), gettext("ФИО"), gettext("Организация, должность"), gettext("Контакты"),
    ])

    _measures(document, project, staff)
    _checklist(document, project, staff)
    _roadmap(document, project)
    _history(document, project, user, staff)

    document.add_paragraph(gettext("Сформировано %(date)s") % {"date": _day(timezone.now())})
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
