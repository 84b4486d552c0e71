"""The cabinet's start page (UNFOLD["DASHBOARD_CALLBACK"]): the director's dashboard «Основные показатели онлайн».

The figures come from core.selectors.dashboard (scoped by what the user may see); this module only turns them
into what the templates under templates/admin_site/dashboard/ show: formatted KPI cards, Chart.js data for
unfold's chart components (Chart.js ships with unfold's static) with a text version of each chart, and the
table of the most overdue appeals.
"""

import json
import textwrap
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import format_decimal, format_integer
from core.selectors.dashboard import Bar, DashboardFigures, OnlineFigures, dashboard_figures

BILLION = Decimal(10**9)
BAR_COLOUR = "var(--color-primary-600)"
LINE_COLOUR = "var(--color-primary-700)"
TICK_COLOUR = "#9ca3af"  # unfold's grey for axes
CHART_LABEL_LENGTH = 32  # longer labels (a category without a short name) are cut in the chart
TICK_LINE = 20  # a horizontal chart writes its labels in lines this long, so they fit beside the bars at 390 px
TOOLTIP_LINE = 32  # the tooltip shows the whole label in lines of at most this many characters
NO_VALUE = "—"
APPEAL_LINK = (
    '<a class="font-medium text-primary-600 underline hover:text-primary-700 dark:text-primary-500" href="{}">№{}</a>'
)


# --- numbers as a Russian reader expects them: «1 234», «4,8 млрд ₽», «67 %» -----------------------------------
def _integer(value: int) -> str:
    return format_integer(value)


def _decimal(value: Decimal, places: int) -> str:
    return format_decimal(value, places)


def _billions(rubles: Decimal) -> str:
    return _("%(amount)s млрд ₽") % {"amount": _decimal(rubles / BILLION, 1)}


def _percent(share: Decimal | None) -> str:
    if share is None:
        return NO_VALUE
    return f"{_decimal(share * 100, 0)}\xa0%"


def _kpis(figures: DashboardFigures) -> list[dict[str, str]]:
    answered_hint = _("ответов за 12 месяцев: %(count)s") % {"count": _integer(figures.appeals_answered)}
    rated_hint = _("оценок за 12 месяцев: %(count)s") % {"count": _integer(figures.appeals_rated)}
    rating = NO_VALUE if figures.average_rating is None else _decimal(figures.average_rating, 1)
    return [
        {"title": _("Проектов на сопровождении"), "value": _integer(figures.projects_supported),
         "hint": _("принят, прединвестиционный, инвестиционный и эксплуатационный этапы")},
        {"title": _("Объём инвестиций"), "value": _billions(figures.investment),
         "hint": _("по проектам на сопровождении")},
        {"title": _("Рабочих мест"), "value": _integer(figures.jobs),
         "hint": _("по проектам на сопровождении")},
        {"title": _("Обращений в работе"), "value": _integer(figures.appeals_open),
         "hint": _("ещё без ответа инвестору")},
        {"title": _("Просрочено сейчас"), "value": _integer(figures.appeals_overdue),
         "hint": _("в работе, срок ответа прошёл")},
        {"title": _("Ответов в срок"), "value": _percent(figures.on_time_share), "hint": answered_hint},
        {"title": _("Средняя оценка ответов"), "value": rating, "hint": rated_hint},
        {"title": _("Возвращено на доработку"), "value": _percent(figures.rework_share),
         "hint": _("доля ответов за 12 месяцев, возвращённых хотя бы раз")},
    ]


# --- «Основные показатели онлайн» as the seed's slide shows them -------------------------------------------------
def _days(value: Decimal | None) -> str:
    return NO_VALUE if value is None else _decimal(value, 1)


def _online(online: OnlineFigures) -> list[dict[str, str]]:
    since = (_("с %(date)s") % {"date": date_format(online.launched, "SHORT_DATE_FORMAT")} if online.launched
             else _("обращений в системе пока нет"))
    rating = NO_VALUE if online.average_rating is None else _decimal(online.average_rating, 1)
    if online.answer_days is not None and online.answer_days_before is not None:
        change = _("годом ранее — %(days)s") % {"days": _days(online.answer_days_before)}
    else:
        change = _("годом ранее ответов не было")
    years = ", ".join(
        f"{point.year}: " + ngettext("%(count)s проект", "%(count)s проектов", point.value)
        % {"count": _integer(point.value)}
        for point in online.accepted_by_year
    )
    this_year = online.accepted_by_year[-1].value if online.accepted_by_year else 0
    return [
        {"key": "processed", "value": _integer(online.appeals_processed),
         "title": ngettext("обращение обработано", "обращений обработано", online.appeals_processed),
         "hint": since},
        {"key": "rating", "value": rating, "title": _("из 5 — средняя оценка ответов"),
         "hint": _("оценок: %(count)s, %(since)s") % {"count": _integer(online.rated), "since": since}},
        {"key": "answer-days", "value": _days(online.answer_days),
         # a fraction takes the genitive singular in Russian: «3,5 дня»
         "title": _("дня в среднем до первого ответа за 12 месяцев"),
         "hint": _("первых ответов: %(count)s; %(change)s") % {"count": _integer(online.answers), "change": change}},
        {"key": "bodies", "value": _integer(online.bodies_connected), "title": _("ОИВ и ОМСУ подключены к МОС"),
         "hint": _("ОИВ — %(oiv)s, ОМСУ — %(omsu)s") % {"oiv": _integer(online.oiv_connected),
                                                     "omsu": _integer(online.omsu_connected)}},
        {"key": "accepted", "value": _integer(this_year),
         "title": ngettext("проект принят на сопровождение в этом году",
                           "проектов принято на сопровождение в этом году", this_year),
         "hint": years or _("принятых проектов пока нет")},
        {"key": "tasks-overdue", "value": _integer(online.tasks_overdue),
         "title": ngettext("просроченная задача", "просроченных задач", online.tasks_overdue),
         "hint": _("не выполнены, срок прошёл")},
    ]


# --- charts: unfold's bar and line components take Chart.js data and options as JSON ----------------------------
def _options(*, horizontal: bool) -> str:
    """Chart.js options (static JSON: unfold passes them as they are, so no functions)."""
    values = {
        "beginAtZero": True,
        "ticks": {"precision": 0, "color": TICK_COLOUR},
        "border": {"dash": [5, 5], "width": 0},
        "grid": {"tickWidth": 0},
    }
    labels = {"ticks": {"color": TICK_COLOUR, "autoSkip": False}, "border": {"width": 0}, "grid": {"display": False}}
    return json.dumps({
        "indexAxis": "y" if horizontal else "x",
        "maintainAspectRatio": False,
        "plugins": {"legend": {"display": False}, "tooltip": {"enabled": True}},
        "scales": {"x": values if horizontal else labels, "y": labels if horizontal else values},
    }, ensure_ascii=False)


def _short(label: str) -> str:
    return label if len(label) <= CHART_LABEL_LENGTH else label[: CHART_LABEL_LENGTH - 1].rstrip() + "…"


def _chart(
    key: str, title: str, description: str, points: list[tuple[str, str, int]], *,
    kind: str = "bar", horizontal: bool = False, label_header: str,
) -> dict[str, Any]:
    """points: (label in the chart, the whole label: in the tooltip and the text version, value).

    The tooltip title comes from the dataset's `titles` (static/admin_site/chart-tooltips.js), pre-wrapped here.
    """
    dataset = {
        "label": title,
        "data": [value for _label, _text, value in points],
        "titles": [textwrap.wrap(text, TOOLTIP_LINE) for _label, text, _value in points],
    }
    if kind == "line":
        # straight segments: a curve between whole monthly counts swung above 1 and below 0 between the months
        dataset |= {"borderColor": LINE_COLOUR, "backgroundColor": LINE_COLOUR, "tension": 0, "pointRadius": 3}
    else:
        dataset |= {"backgroundColor": BAR_COLOUR, "borderRadius": 4, "maxBarThickness": 40}
    labels = [textwrap.wrap(label, TICK_LINE) if horizontal else label for label, _text, _value in points]
    data = {"labels": labels, "datasets": [dataset]}
    return {
        "id": f"dashboard-chart-{key}",
        "title": title,
        "description": description,
        "kind": kind,
        "data": json.dumps(data, ensure_ascii=False),
        "options": _options(horizontal=horizontal),
        # a horizontal bar needs room per label; a vertical chart has a fixed height
        "height": max(200, 36 * len(points) + 40) if horizontal else 280,
        "empty": not any(value for _label, _text, value in points),
        "label_header": label_header,
        "rows": [(text, _integer(value)) for _label, text, value in points],
    }


def _bars(bars: list[Bar]) -> list[tuple[str, str, int]]:
    return [(_short(bar.label), bar.full_label or bar.label, bar.value) for bar in bars]


def _charts(figures: DashboardFigures) -> list[dict[str, Any]]:
    months = [
        (date_format(point.month, "M Y"), date_format(point.month, "F Y"), point.value)
        for point in figures.projects_accepted_by_month
    ]
    return [
        _chart("stages", _("Проекты на сопровождении по этапам"), _("Сколько проектов на каждом этапе сейчас"),
               _bars(figures.projects_by_stage), label_header=_("Этап")),
        _chart("accepted", _("Принято на сопровождение по месяцам"), _("Проекты, принятые за последние 12 месяцев"),
               months, kind="line", label_header=_("Месяц")),
        _chart("statuses", _("Обращения по статусам"), _("Каждый статус в работе; рассмотренные и закрытые вместе"),
               _bars(figures.appeals_by_status), horizontal=True, label_header=_("Статус")),
        _chart("categories", _("Обращения по категориям"), _("Восемь самых частых категорий, остальные — «прочие»"),
               _bars(figures.appeals_by_category), horizontal=True, label_header=_("Категория")),
    ]


# --- the most overdue appeals ---------------------------------------------------------------------------------
def _overdue_table(figures: DashboardFigures) -> dict[str, Any]:
    rows = [
        [
            {"content": format_html(APPEAL_LINK, reverse("admin:core_appeal_change", args=[appeal.pk]), appeal.number)},
            appeal.subject,
            appeal.investor,
            appeal.manager or NO_VALUE,
            date_format(appeal.deadline, "SHORT_DATE_FORMAT"),
            {"content": _integer(appeal.days_overdue), "class": "text-right"},
        ]
        for appeal in figures.most_overdue
    ]
    headers = [_("Номер"), _("Тема"), _("Инвестор"), _("Менеджер"), _("Срок ответа"),
               {"content": _("Дней просрочки"), "class": "text-right"}]
    return {"headers": headers, "rows": rows}


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    figures = dashboard_figures(request.user)
    return {
        "online": _online(figures.online),
        "kpis": _kpis(figures),
        "charts": _charts(figures),
        "overdue": _overdue_table(figures),
        "window": _("%(start)s — %(end)s") % {
            "start": date_format(figures.window_start, "SHORT_DATE_FORMAT"),
            "end": date_format(figures.today, "SHORT_DATE_FORMAT"),
        },
    }


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    # Russian business address: имя и отчество («Здравствуйте, Иван Петрович!»).
    welcome_name = " ".join(part for part in (user.first_name, user.middle_name) if part) or user.email
    return {**context, "dashboard": dashboard_context(request), "welcome_name": welcome_name}
