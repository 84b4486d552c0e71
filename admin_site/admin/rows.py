"""A change list's rows drawn in one pass of Python instead of unfold's row machinery and row template.

unfold builds every row's cells in `items_for_result` (for each cell: Django's generic `lookup_field`, the empty
value's lookup, five display flags read off the column, a `format_html` or two) and then draws each row through
`change_list_results.html`: a `{% cycle %}`, four lookups on the admin, a loop over the cells and an `{% include %}`
of the row actions' template, for every row — with 50 appeals, about a third of the list's rendering. What a row
prints depends on the list (its columns, which of them link, the preserved filters) and on each cell's value; so
`rows_markup` settles the columns once per page and writes each row with the same markup and the same escaping
(`format_html`'s: `conditional_escape` of each value), and the results template prints the rows it is given
(admin_site.template_loader puts `{{ rows }}` around unfold's loop). tests/admin_site/appeals/test_rows.py renders
lists both ways and compares them.

Only the plain case is drawn here: columns that are admin methods or callables without unfold's display flags
(`label=`, `header=`, `boolean=`, …; the cabinet's badges come ready from admin_site.admin.cells), no editable
rows, no popup, no row actions, no drag ordering, no expandable sections. Any other list returns None and unfold
draws it as before.
"""

import datetime
from functools import cache

from django.contrib.admin.templatetags.admin_list import _coerce_field_name
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import FieldIsAForeignKeyColumnName, _get_non_gfk_field
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from unfold.templatetags.unfold_list import LINK_CLASSES, TABLE_ACTION_CELL_CLASSES, TABLE_CELL_CLASSES
from unfold.utils import display_for_value

FLAGS = ("boolean", "formatting", "label", "header", "dropdown")  # unfold draws these columns its own way

# unfold's admin/change_list_results.html, the body of `{% for result in results %}` with nothing but cells:
# the tbody (its class cycles), the row, each cell on its own line, then the row actions' template
_ = " "  # the template's indentation, counted
ROW_HEAD = (f'\n{_ * 16}<tbody class="relative {{}}" x-data="{{{{rowOpen: false}}}}" >\n{_ * 20}\n\n'
            f'{_ * 20}<tr class="data-row relative">\n{_ * 24}\n\n{_ * 24}\n\n{_ * 24}')
CYCLE = ("", "bg-base-50 dark:bg-white/[.02]")
CELL = f"\n{_ * 28}{{}}\n{_ * 24}"
ROW_TAIL = f"\n\n{_ * 24}{{}}\n{_ * 20}</tr>\n\n{_ * 20}\n{_ * 16}</tbody>\n{_ * 12}"


@cache
def _actions_row_empty() -> str:
    """What unfold's row actions' template prints for a row without actions (white space), once per process."""
    return render_to_string("unfold/helpers/actions_row.html", {"actions": None, "instance_pk": None})


class _Column:
    __slots__ = ("attr", "classes", "empty", "link_tag", "name")

    def __init__(self, name, attr, classes: list[str], empty, link_tag: str | None):
        self.name, self.attr, self.classes, self.empty, self.link_tag = name, attr, classes, empty, link_tag


def _columns(cl) -> list[_Column] | None:
    """The columns as unfold's items_for_result reads them, or None when one of them is not the plain case."""
    admin, opts = cl.model_admin, cl.lookup_opts
    empty = admin.get_empty_value_display()
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        try:
            _get_non_gfk_field(opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            pass
        else:
            return None  # a model field: display_for_field
        if callable(name):
            attr = name
        elif isinstance(name, str) and name != "__str__" and hasattr(admin, name) \
                and not hasattr(admin.model, name):
            attr = getattr(admin, name)
        else:
            return None  # an attribute of the row, or one the model's own attribute describes
        if any(getattr(attr, flag, None) for flag in FLAGS):
            return None
        if name == "action_checkbox":
            classes = list(TABLE_ACTION_CELL_CLASSES)
        else:
            classes = [f"field-{_coerce_field_name(name, index)}", *TABLE_CELL_CLASSES]
        link_tag = None
        if cl.list_display_links is not None and (
                (first and not cl.list_display_links) or name in cl.list_display_links):
            link_tag, first = ("th" if first else "td"), False
        columns.append(_Column(name, attr, classes, getattr(attr, "empty_value_display", empty), link_tag))
    return columns


def _row(cl, columns: list[_Column], result, link_class: str, missing) -> list[str]:
    cells, url = [], None
    for column in columns:
        classes = column.classes
        try:
            value = column.attr(result)
        except ObjectDoesNotExist:
            shown = missing  # the list's empty value, not the column's (unfold's order)
        else:
            shown = display_for_value(value, column.empty, False)
            if isinstance(value, datetime.date | datetime.time):
                classes = [*classes, "nowrap"]
        row_class = ' class="' + " ".join(classes) + '"'
        if column.link_tag:
            if url is None:
                try:
                    url = cl.url_for_result(result)
                except NoReverseMatch:
                    url = False
                else:
                    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
            inner = conditional_escape(shown) if url is False else \
                f'<a href="{conditional_escape(url)}" class="{link_class}" >{conditional_escape(shown)}</a>'
            cells.append(f"<{column.link_tag}{row_class}>{inner}</{column.link_tag}>")
        else:
            cells.append(f"<td{row_class}>{conditional_escape(shown)}</td>")
    return cells


def rows_markup(cl, actions_row) -> SafeString | None:
    """The rows of unfold's results template for this page, or None when unfold must draw them itself."""
    admin = cl.model_admin
    if getattr(cl, "formset", None) or cl.is_popup or actions_row or getattr(admin, "ordering_field", None) \
            or len(getattr(admin, "list_sections", None) or ()) > 0:
        return None
    columns = _columns(cl)
    if columns is None:
        return None
    link_class, tail = escape(" ".join(LINK_CLASSES)), ROW_TAIL.format(_actions_row_empty())
    missing, out = admin.get_empty_value_display(), []
    for number, result in enumerate(cl.result_list):
        out.append(ROW_HEAD.format(CYCLE[number % 2]))
        out.extend(CELL.format(cell) for cell in _row(cl, columns, result, link_class, missing))
        out.append(tail)
    return mark_safe("".join(out))  # each value escaped as format_html escapes it, around unfold's own markup
