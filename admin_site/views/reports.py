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
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from admin_site.forms.reports import ReportFilterForm
from admin_site.hyphenation import hyphenated
from admin_site.report_rows import rows_html
from core.reports import table as kinds
from core.reports.projects import crm_audit_sample, default_seed
from core.reports.registry import report_build, report_page_build, reports
from core.reports.render import CONTENT_TYPES, filename, format_value, render
from core.reports.table import FULL_TREE_ROWS, PAGE_ROWS, Row, Table
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
    branch_url: str = ""  # a collapsed tree's top row: the page with its branch opened (or closed again)
    expanded: bool = False  # … and whether its branch is shown now


@dataclass
class Paging:
    number: int
    count: int  # pages
    first: int  # the rows shown, counted from 1
    last: int
    rows: int  # rows of all the pages
    previous_url: str
    next_url: str


@dataclass
class TableView:
    key: str
    table: Table
    rows: list[RowView]
    total: list[Cell] | None
    tree: bool
    label_index: int  # the column of the row headers (the name, with the toggle and the link): the first text one
    collapsed: bool = False  # a long tree: only its top rows and the branches opened by link
    paging: Paging | None = None  # more rows than a page holds

    @property
    def body(self) -> SafeString:
        """The rows' HTML for the table's <tbody> (admin_site.report_rows: no template nodes per cell)."""
        return rows_html(self.rows, label_index=self.label_index, tree=self.tree)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(header, numeric) per column; long words of a header may break with a hyphen in a narrow column."""
        return [(hyphenated(column.label), column.kind in NUMERIC) for column in self.table.columns]


@dataclass(frozen=True)
class Window:
    """What of a report the page shows: the query string of its filters, the branches opened and the page."""

    query: dict[str, str]
    open: frozenset[str] = frozenset()
    page: int = 1

    @classmethod
    def of(cls, request: HttpRequest, query: dict[str, str]) -> "Window":
        """From the query string; a page number that is not one means the first page."""
        try:
            page = max(int(request.GET.get("page", "1")), 1)
        except ValueError:
            page = 1
        return cls(query, frozenset(request.GET.getlist("open")), page)

    def url(self, *, open: frozenset[str] | None = None, page: int | None = None) -> str:
        opened = sorted(self.open if open is None else open)
        number = self.page if page is None else page
        pairs = [*self.query.items(), *(("open", key) for key in opened), *([("page", number)] if number > 1 else [])]
        return f"?{urlencode(pairs)}"


def _cells(row: Row, table: Table) -> list[Cell]:
    return [Cell(format_value(value, column.kind), column.kind in NUMERIC, column.kind)
            for value, column in zip(row.values, table.columns, strict=True)]


def _top_key(row: Row, index: int) -> str:
    return row.key or f"r{index}"


def _shown(rows: list[Row], window: Window) -> tuple[list[tuple[Row, str, bool | None]], bool]:
    """The rows a page shows, each with its top row's key and — for a top row of a collapsed tree — whether its
    branch is open (None otherwise), and whether the tree is collapsed. A tree longer than FULL_TREE_ROWS (or built
    only in part by a page_build) shows its top rows and the branches in `window.open`."""
    has_under = {i for i, row in enumerate(rows[:-1]) if rows[i + 1].level > row.level}
    collapsed = any(row.expandable for row in rows) or (bool(has_under) and len(rows) > FULL_TREE_ROWS)
    if not collapsed:
        return [(row, "", None) for row in rows], False
    shown, top, tops = [], "", 0
    for index, row in enumerate(rows):
        if row.level == 0:
            top, tops = _top_key(row, tops), tops + 1
            branch = index in has_under or row.expandable
            shown.append((row, top, (top in window.open and not row.expandable) if branch else None))
        elif top in window.open:
            shown.append((row, top, None))
    return shown, True


def table_view(table: Table, key: str, window: Window | None = None) -> TableView:
    """The Table as the page shows it: whole for a short table; with a `window`, a long tree collapsed to its
    branches and the rows of a flat table or a collapsed tree PAGE_ROWS to a page (the files hold everything). A
    tree short enough to show whole is not cut into pages."""
    label_index = next((i for i, column in enumerate(table.columns) if column.kind == kinds.TEXT), 0)
    all_rows = list(table.rows)
    shown, collapsed = _shown(all_rows, window) if window else ([(row, "", None) for row in all_rows], False)
    paging = None
    whole_tree = not collapsed and any(row.level > 0 for row in all_rows)  # never cut a branch across pages
    if window and len(shown) > PAGE_ROWS and not whole_tree:
        count = -(-len(shown) // PAGE_ROWS)
        number = min(window.page, count)
        start = (number - 1) * PAGE_ROWS
        paging = Paging(number, count, start + 1, min(start + PAGE_ROWS, len(shown)), len(shown),
                        window.url(page=number - 1) if number > 1 else "",
                        window.url(page=number + 1) if number < count else "")
        shown = shown[start:start + PAGE_ROWS]
    rows = []
    for index, (row, top, expanded) in enumerate(shown):
        cells = _cells(row, table)
        view = RowView(f"{key}-{index}", cells, cells[label_index].text if cells else "", row.level, row.kind,
                       row.link, [])
        if expanded is not None:
            view.expanded = expanded
            view.branch_url = window.url(open=window.open - {top} if expanded else window.open | {top})
        rows.append(view)
    parents: list[RowView] = []  # the open branch above the current row
    for row in rows:
        while parents and parents[-1].level >= row.level:
            parents.pop()
        if parents and not parents[-1].branch_url:  # a top row of a collapsed tree opens by its link instead
            parents[-1].children.append(row.key)
        parents.append(row)
    total = _cells(table.total, table) if table.total else None
    tree = collapsed or any(row.children for row in rows)
    return TableView(key, table, rows, total, tree=tree, label_index=label_index, collapsed=collapsed,
                     paging=paging)


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
    if fmt:
        return _download(report_build(slug, user=request.user, params=params), fmt, today)
    query = form.query()
    window = Window.of(request, query)
    # a page_build builds only what is opened; the first visit (no «open» in the address) lets it choose
    opened = window.open if "open" in request.GET else None
    table = report_page_build(slug, user=request.user, params=params, open=opened)
    context["report"] = table_view(table, "report", window)
    context["downloads"] = [(name, f"?{urlencode({**query, 'format': name})}") for name in FORMATS]
    if slug == AUDIT:
        context["sample"] = table_view(crm_audit_sample(user=request.user, params=params), "sample")
        context["seed"] = params.seed if params.seed is not None else default_seed(today)
        context["sample_query"] = {name: value for name, value in query.items() if name != "seed"}
    return TemplateResponse(request, "admin_site/reports/report.html", context)
