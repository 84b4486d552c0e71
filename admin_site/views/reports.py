"""«Отчёты»: the list of reports, a report's page with its filters, and its download as xlsx, ods or docx.

Only adapts: who may open the reports is core.selectors.reports, what a report holds (and what this person may
see of it) is core.reports; here the query string becomes ReportParams and a Table becomes HTML or a file.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admin_site.forms.reports import ReportFilterForm
from admin_site.hyphenation import hyphenated
from core.reports import table as kinds
from core.reports.projects import crm_audit_sample, default_seed
from core.reports.registry import report_build, reports
from core.reports.render import CONTENT_TYPES, filename, format_value, render
from core.reports.table import Row, Table
from core.selectors.reports import reports_available_to

AUDIT = "crm-audit"
FORMATS = tuple(CONTENT_TYPES)
NUMERIC = {kinds.INT, kinds.DECIMAL, kinds.PERCENT, kinds.RATING, kinds.MONEY}  # right-aligned
FIGURES = {kinds.DATE, kinds.DATETIME}  # left-aligned; like numbers, never broken across lines


# --- a Table as the page shows it --------------------------------------------------------------------------
@dataclass
class Cell:
    text: str
    numeric: bool
    kind: str = kinds.TEXT

    @property
    def css(self) -> str:
        """The cell's class in reports.css: numbers right-aligned and unbroken, dates unbroken."""
        return "zk-num" if self.numeric else "zk-fig" if self.kind in FIGURES else ""


@dataclass
class RowView:
    key: str  # the row's element id
    cells: list[Cell]
    label: str  # the text of the row's header cell
    level: int
    kind: str
    link: str
    children: list[str]  # element ids of the rows directly under it: the toggle's aria-controls


@dataclass
class TableView:
    key: str
    table: Table
    rows: list[RowView]
    total: list[Cell] | None
    tree: bool
    label_index: int  # the column of the row headers (the name, with the toggle and the link): the first text one

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(header, numeric) per column; long words of a header may break with a hyphen in a narrow column."""
        return [(hyphenated(column.label), column.kind in NUMERIC) for column in self.table.columns]


def _cells(row: Row, table: Table) -> list[Cell]:
    return [Cell(format_value(value, column.kind), column.kind in NUMERIC, column.kind)
            for value, column in zip(row.values, table.columns, strict=True)]


def table_view(table: Table, key: str) -> TableView:
    label_index = next((i for i, column in enumerate(table.columns) if column.kind == kinds.TEXT), 0)
    rows = []
    for index, row in enumerate(table.rows):
        cells = _cells(row, table)
        rows.append(RowView(f"{key}-{index}", cells, cells[label_index].text if cells else "", row.level, row.kind,
                            row.link, []))
    parents: list[RowView] = []  # the open branch above the current row
    for row in rows:
        while parents and parents[-1].level >= row.level:
            parents.pop()
        if parents:
            parents[-1].children.append(row.key)
        parents.append(row)
    total = _cells(table.total, table) if table.total else None
    return TableView(key, table, rows, total, tree=any(row.children for row in rows), label_index=label_index)


# --- pages --------------------------------------------------------------------------------------------------
def _require_reports(request: HttpRequest) -> None:
    if not reports_available_to(request.user):
        raise PermissionDenied


def report_index(request: HttpRequest, *, site) -> HttpResponse:
    _require_reports(request)
    context = {
        **site.each_context(request),
        "title": _("Отчёты"),
        "content_title": _("Отчёты"),
        "reports": list(reports().values()),
    }
    return TemplateResponse(request, "admin_site/reports/index.html", context)


def _download(table: Table, fmt: str, today: date) -> HttpResponse:
    buffer = BytesIO()
    render(table, fmt, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(table, fmt, today)}"'
    return response


def report_page(request: HttpRequest, slug: str, *, site) -> HttpResponse:
    """The report with the filters of the query string; `format=` downloads the same report as a file."""
    _require_reports(request)
    spec = reports().get(slug)
    fmt = request.GET.get("format", "")
    if spec is None or (fmt and fmt not in FORMATS):
        raise Http404
    today = timezone.localdate()
    form = ReportFilterForm(request.GET, spec=spec, user=request.user, today=today, default_seed=default_seed(today))
    context = {
        **site.each_context(request),
        "title": spec.title,
        "content_title": spec.title,
        "spec": spec,
        "form": form,
        "report": None,
        "sample": None,
    }
    if not form.is_valid():
        return TemplateResponse(request, "admin_site/reports/report.html", context)
    params = form.params()
    table = report_build(slug, user=request.user, params=params)
    if fmt:
        return _download(table, fmt, today)
    query = form.query()
    context["report"] = table_view(table, "report")
    context["downloads"] = [(name, f"?{urlencode({**query, 'format': name})}") for name in FORMATS]
    if slug == AUDIT:
        context["sample"] = table_view(crm_audit_sample(user=request.user, params=params), "sample")
        context["seed"] = params.seed if params.seed is not None else default_seed(today)
        context["sample_query"] = {name: value for name, value in query.items() if name != "seed"}
    return TemplateResponse(request, "admin_site/reports/report.html", context)
