"""The body rows of a report table as HTML, built in Python.

A report page shows up to PAGE_ROWS rows of up to fifteen cells; rendered through the template engine that was
most of the page's own time (each `{% if %}`, `{{ }}` and loop step of every cell is a node call). Here each row
is a few string joins, every value escaped as `{{ }}` would (conditional_escape). The markup is the one
templates/admin_site/reports/table.html drew per row before — tests/admin_site/test_report_rows.py renders that
template fragment next to this and compares them; change both together.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

TOGGLE_ICON = '<span class="material-symbols-outlined" aria-hidden="true">expand_more</span>'


def _label_cell(row, text: str, tree: bool) -> str:
    """The row's header cell: the branch link or toggle of a tree, then the name (a link to its object)."""
    if row.branch_url:
        hint = gettext("Скрыть строки под «%(name)s»") if row.expanded else gettext("Показать строки под «%(name)s»")
        control = (f'<a class="zk-branch" href="{conditional_escape(row.branch_url)}" '
                   f'aria-expanded="{"true" if row.expanded else "false"}">{TOGGLE_ICON}'
                   f'<span class="sr-only">{conditional_escape(hint % {"name": row.label})}</span></a>')
    elif row.children:
        hint = gettext("Строки под «%(name)s»")
        control = (f'<button type="button" class="zk-toggle" aria-expanded="true" '
                   f'aria-controls="{conditional_escape(" ".join(row.children))}" hidden>{TOGGLE_ICON}'
                   f'<span class="sr-only">{conditional_escape(hint % {"name": row.label})}</span></button>')
    else:
        control = ""
    leaf = " zk-leaf" if tree and not row.children and not row.branch_url else ""
    shown = (f'<a href="{conditional_escape(row.link)}" class="text-primary-600 hover:underline">{text}</a>'
             if row.link else f"<span>{text}</span>")
    return f'<th scope="row"><span class="zk-first{leaf}">{control}{shown}</span></th>'


def rows_html(rows, *, label_index: int, tree: bool) -> SafeString:
    """The `<tr>` of each RowView (admin_site.views.reports) in order; the cell at `label_index` is the row's
    header. Nothing for no rows (the template draws its «no data» line)."""
    out = []
    for row in rows:
        kind = f" zk-kind-{conditional_escape(row.kind)}" if row.kind else ""
        cells = []
        for index, cell in enumerate(row.cells):
            text = conditional_escape(cell.text)
            if index == label_index:
                cells.append(_label_cell(row, text, tree))
            else:
                css = cell.css
                cells.append(f'<td class="{css}">{text}</td>' if css else f"<td>{text}</td>")
        out.append(f'<tr id="{conditional_escape(row.key)}" data-level="{row.level}" '
                   f'class="zk-level-{row.level}{kind}">{"".join(cells)}</tr>')
    return mark_safe("".join(out))  # every value above went through conditional_escape
