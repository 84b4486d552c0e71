"""The roadmap as a Gantt chart: server-rendered SVG for the cabinet and the portal alike.

It reads without JavaScript; static/gantt/gantt.js only opens it scrolled to where the reader should look (today
and the overdue items, `data-focus-x` … `data-today-x`) and keeps the titles in view while it scrolls.

A pure function of materialised items and the day: it reads only the items' own fields (no query, no
prefetch needed), so the caller decides which items the reader may see. Every text is escaped; each row
carries a <title> that screen readers and tooltips read out in full.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import gettext

from core.choices import RoadmapStatus
from core.models import RoadmapItem

LABEL_WIDTH = 300  # the column of item titles on the left
MIN_CHART_WIDTH = 720
MIN_DAY_WIDTH = 2.0  # a long roadmap grows wider (the page scrolls) instead of squeezing months together
HEADER_HEIGHT = 44
ROW_HEIGHT = 34
LEGEND_HEIGHT = 36
TITLE_CHARS = 36  # fits the column of titles (LABEL_WIDTH) at 13 px
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""

COLOURS = {
    "planned": "#60a5fa",
    "in_progress": "#2563eb",
    "done": "#16a34a",
    "overdue": "#dc2626",
    "baseline": "#9ca3af",
    "actual": "#111827",
    "today": "#7c3aed",
    "grid": "#e5e7eb",
    "stripe": "#f9fafb",
    "text": "#374151",
    "muted": "#6b7280",
}


def is_late(item: RoadmapItem, today: date) -> bool:
    """Overdue: the planned end has passed and the item is neither finished nor marked done."""
    return item.actual_end is None and item.status != RoadmapStatus.DONE and item.planned_end < today


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def _month_start(value: date) -> date:
    return value.replace(day=1)


def _next_month(value: date) -> date:
    return date(value.year + value.month // 12, value.month % 12 + 1, 1)


def _short(text: str) -> str:
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class _Scale:
    start: date
    end: date  # exclusive: the first day after the last month shown
    day_width: float

    @property
    def width(self) -> float:
        return (self.end - self.start).days * self.day_width

    def x(self, value: date) -> float:
        return round(LABEL_WIDTH + (value - self.start).days * self.day_width, 1)


def _scale(items: list[RoadmapItem], today: date) -> _Scale:
    days = [today]
    for item in items:
        days += [item.planned_start, item.planned_end, item.baseline_start, item.baseline_end, item.actual_end]
    days = [day for day in days if day is not None]
    start, end = _month_start(min(days)), _next_month(max(days))
    return _Scale(start, end, max(MIN_CHART_WIDTH / (end - start).days, MIN_DAY_WIDTH))


def _row_title(number: int, item: RoadmapItem, late: bool) -> str:
    parts = [
        f"{number}. {item.title}",
        gettext("план: %(start)s – %(end)s") % {"start": _day(item.planned_start), "end": _day(item.planned_end)},
    ]
    if item.baseline_start and item.baseline_end:
        parts.append(gettext("первый план: %(start)s – %(end)s")
                     % {"start": _day(item.baseline_start), "end": _day(item.baseline_end)})
    if item.actual_end:
        parts.append(gettext("фактическое окончание: %(date)s") % {"date": _day(item.actual_end)})
    parts.append(gettext("статус: %(status)s") % {"status": item.get_status_display()})
    if late:
        parts.append(gettext("просрочен"))
    return "; ".join(parts)


def _bar_colour(item: RoadmapItem, late: bool) -> tuple[str, str]:
    if late:
        return "overdue", COLOURS["overdue"]
    state = "done" if item.status == RoadmapStatus.DONE or item.actual_end else item.status
    return state, COLOURS.get(state, COLOURS["planned"])


def _row(number: int, item: RoadmapItem, y: float, scale: _Scale, today: date) -> list[str]:
    late = is_late(item, today)
    state, colour = _bar_colour(item, late)
    x0, x1 = scale.x(item.planned_start), scale.x(item.planned_end + timedelta(days=1))
    parts = [
        f'<g class="zk-gantt-row zk-gantt-{state}" data-overdue="{int(late)}">',
        f"<title>{escape(_row_title(number, item, late))}</title>",
    ]
    if item.baseline_start and item.baseline_end:
        b0, b1 = scale.x(item.baseline_start), scale.x(item.baseline_end + timedelta(days=1))
        parts.append(f'<rect class="zk-gantt-baseline" x="{b0}" y="{y + 25}" width="{max(b1 - b0, 2)}" height="4" '
                     f'rx="2" fill="{COLOURS["baseline"]}"/>')
    parts.append(f'<rect class="zk-gantt-plan" x="{x0}" y="{y + 7}" width="{max(x1 - x0, 3)}" height="14" rx="3" '
                 f'fill="{colour}"/>')
    if item.actual_end:
        cx, cy = scale.x(item.actual_end + timedelta(days=1)), y + 14
        parts.append(f'<path class="zk-gantt-actual" d="M{cx} {cy - 7}L{cx + 6} {cy}L{cx} {cy + 7}L{cx - 6} {cy}Z" '
                     f'fill="{COLOURS["actual"]}" stroke="#ffffff" stroke-width="1"/>')
    parts.append("</g>")
    return parts


def _label(number: int, item: RoadmapItem, y: float, today: date) -> str:
    late = is_late(item, today)
    title = escape(_row_title(number, item, late))
    return (f'<text x="12" y="{y + 21}" font-size="13" fill="{COLOURS["overdue"] if late else COLOURS["text"]}">'
            f"<title>{title}</title>{escape(_short(f'{number}. {item.title}'))}</text>")


def _labels(items: list[RoadmapItem], today: date, bottom: float) -> list[str]:
    """The column of titles on a white ground of its own, drawn over the bars: gantt.js keeps it (and the legend,
    class zk-gantt-pinned) at the left edge while the chart scrolls, so a bar is never read without its title."""
    parts = ['<g class="zk-gantt-labels zk-gantt-pinned">',
             f'<rect x="0" y="0" width="{LABEL_WIDTH}" height="{bottom}" fill="#ffffff"/>']
    parts += [f'<rect x="0" y="{HEADER_HEIGHT + ROW_HEIGHT * row}" width="{LABEL_WIDTH}" height="{ROW_HEIGHT}" '
              f'fill="{COLOURS["stripe"]}"/>' for row in range(1, len(items), 2)]
    parts += [_label(number, item, HEADER_HEIGHT + ROW_HEIGHT * (number - 1), today)
              for number, item in enumerate(items, start=1)]
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{HEADER_HEIGHT - 14}" x2="{LABEL_WIDTH}" y2="{bottom}" '
                 f'stroke="{COLOURS["muted"]}"/>')
    parts.append("</g>")
    return parts


def _focus(items: list[RoadmapItem], today: date, scale: _Scale) -> float:
    """Where the reader should look first: the end of the earliest overdue item, or today when nothing is late."""
    ends = [item.planned_end + timedelta(days=1) for item in items if is_late(item, today)]
    return scale.x(min([today, *ends]))


def _stripes(count: int, scale: _Scale) -> list[str]:
    """Every other row shaded, under the grid, so a long row is easy to follow."""
    return [
        f'<rect x="0" y="{HEADER_HEIGHT + ROW_HEIGHT * row}" width="{LABEL_WIDTH + scale.width}" '
        f'height="{ROW_HEIGHT}" fill="{COLOURS["stripe"]}"/>'
        for row in range(1, count, 2)
    ]


def _month_ticks(scale: _Scale, bottom: float) -> list[str]:
    parts, month, first = [], scale.start, True
    while month < scale.end:
        x = scale.x(month)
        wide = (_next_month(month) - month).days * scale.day_width >= 90
        name = str(MONTHS[month.month] if wide else MONTHS_3[month.month])
        label = f"{name} {month.year}" if first or month.month == 1 else name
        parts.append(f'<line x1="{x}" y1="{HEADER_HEIGHT - 14}" x2="{x}" y2="{bottom}" stroke="{COLOURS["grid"]}"/>')
        parts.append(f'<text class="zk-gantt-month" x="{x + 4}" y="{HEADER_HEIGHT - 20}" font-size="12" '
                     f'fill="{COLOURS["muted"]}">{escape(label)}</text>')
        month, first = _next_month(month), False
    return parts


def _today_line(scale: _Scale, today: date, bottom: float) -> list[str]:
    x = scale.x(today)
    label = gettext("Сегодня, %(date)s") % {"date": _day(today)}
    return [
        f'<g class="zk-gantt-today"><title>{escape(label)}</title>',
        f'<line x1="{x}" y1="{HEADER_HEIGHT - 6}" x2="{x}" y2="{bottom}" stroke="{COLOURS["today"]}" '
        f'stroke-width="2" stroke-dasharray="4 3"/>',
        f'<text x="{x + 4}" y="{HEADER_HEIGHT - 4}" font-size="11" fill="{COLOURS["today"]}">'
        f'{escape(gettext("Сегодня"))}</text>',
        "</g>",
    ]


def _legend(y: float) -> list[str]:
    entries = [
        (gettext("План"), f'<rect x="0" y="-10" width="22" height="12" rx="3" fill="{COLOURS["in_progress"]}"/>'),
        (gettext("Выполнен"), f'<rect x="0" y="-10" width="22" height="12" rx="3" fill="{COLOURS["done"]}"/>'),
        (gettext("Просрочен"), f'<rect x="0" y="-10" width="22" height="12" rx="3" fill="{COLOURS["overdue"]}"/>'),
        (gettext("Первый план"), f'<rect x="0" y="-6" width="22" height="4" rx="2" fill="{COLOURS["baseline"]}"/>'),
        (gettext("Фактическое окончание"), f'<path d="M11 -11L17 -4L11 3L5 -4Z" fill="{COLOURS["actual"]}"/>'),
        (gettext("Сегодня"), f'<line x1="11" y1="-12" x2="11" y2="4" stroke="{COLOURS["today"]}" stroke-width="2" '
                             f'stroke-dasharray="4 3"/>'),
    ]
    parts, x = ['<g class="zk-gantt-legend zk-gantt-pinned">'], 12
    for label, mark in entries:
        parts.append(f'<g transform="translate({x} {y})">{mark}'
                     f'<text x="28" y="0" font-size="12" fill="{COLOURS["muted"]}">{escape(label)}</text></g>')
        x += 40 + 7 * len(label)
    parts.append("</g>")
    return parts


def roadmap_gantt_svg(items: list[RoadmapItem], *, today: date) -> str:
    """The roadmap as one SVG: a row per item with its plan bar (red when overdue), the first plan as a thin
    grey bar under it, a diamond at the actual end, month ticks and a dashed line at `today`."""
    chart_title = gettext("Диаграмма Ганта дорожной карты")
    if not items:
        text = gettext("Пунктов дорожной карты пока нет.")
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="zk-gantt" role="img" width="{LABEL_WIDTH * 2}" '
                f'height="40" viewBox="0 0 {LABEL_WIDTH * 2} 40" aria-label="{escape(chart_title)}" {FONT}>'
                f"<title>{escape(chart_title)}</title>"
                f'<text x="12" y="24" font-size="13" fill="{COLOURS["muted"]}">{escape(text)}</text></svg>')
    scale = _scale(items, today)
    bottom = HEADER_HEIGHT + ROW_HEIGHT * len(items)
    width, height = round(LABEL_WIDTH + scale.width + 12), bottom + LEGEND_HEIGHT
    late = sum(is_late(item, today) for item in items)
    summary = gettext("%(title)s: пунктов — %(count)s, просрочено — %(late)s, на %(date)s") % {
        "title": chart_title, "count": len(items), "late": late, "date": _day(today)
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="zk-gantt" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(summary)}" {FONT} data-label-width="{LABEL_WIDTH}" '
        f'data-today-x="{scale.x(today)}" data-focus-x="{_focus(items, today, scale)}">',
        f"<title>{escape(summary)}</title>",
        *_stripes(len(items), scale),
        *_month_ticks(scale, bottom),
    ]
    for number, item in enumerate(items, start=1):
        parts += _row(number, item, HEADER_HEIGHT + ROW_HEIGHT * (number - 1), scale, today)
    parts += _today_line(scale, today, bottom)
    parts += _labels(items, today, bottom)
    parts += _legend(bottom + LEGEND_HEIGHT - 12)
    parts.append("</svg>")
    return "".join(parts)
