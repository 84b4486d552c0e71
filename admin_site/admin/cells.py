"""Change-list cells drawn from unfold's own templates once per process instead of once per cell.

unfold draws a `@display(label=…)` cell through two templates (display_label.html, label.html), a
`@display(header=True)` cell through display_header.html and every row's checkbox through three form-widget
templates: for a page of 50 appeals some 300 template renders, most of the list's rendering time. A cell's markup
depends only on its variant — the label's colour, which of the header's two lines are there — and on the values,
which those templates print unchanged and escaped. So each variant is rendered once, through the same template, with
a marker where a value goes, and each cell is that markup with its values put in, escaped as `{{ }}` escapes them:
the same HTML the template prints (tests/admin_site/appeals/test_cells.py renders both and compares).

A column returns the cell (`label_cell`, `header_cell`) and drops `label=`/`header=` from its `@display`; a list's
admin takes `action_checkbox` from here.
"""

from functools import cache

from django.contrib.admin import helpers
from django.template import Context
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import checkbox

MARKS = ("\x00", "\x01")  # never in a value the templates print (control characters are refused as input)
_AS_TEMPLATE = Context(autoescape=True)  # how `{{ value }}` turns a value into escaped text


def _shown(value) -> str:
    return render_value_in_context(value, _AS_TEMPLATE)


def _fill(parts: tuple[str, ...], *values) -> SafeString:
    out = [parts[0]]
    for value, part in zip(values, parts[1:], strict=True):
        out += (_shown(value), part)
    return mark_safe("".join(out))  # the template's own markup around values escaped as the template escapes them


@cache
def _label_parts(colour: str | None) -> tuple[str, ...]:
    html = render_to_string("unfold/helpers/display_label.html",
                            {"label": MARKS[0], "label_type": colour, "multiple": False})
    return tuple(html.split(MARKS[0]))


def label_cell(text, colour: str | None) -> SafeString:
    """What `@display(label={…: colour})` draws for the text: a coloured badge (unfold's display_label.html)."""
    if not text:  # the template's «-»
        return mark_safe(render_to_string("unfold/helpers/display_label.html",
                                          {"label": text, "label_type": colour, "multiple": False}))
    return _fill(_label_parts(colour), text)


@cache
def _header_parts(title: bool, subtitle: bool) -> tuple[str, ...]:
    value = (MARKS[0] if title else "", MARKS[1] if subtitle else "")
    html = render_to_string("unfold/helpers/display_header.html", {"value": value})
    parts = [html]
    for mark, present in zip(MARKS, (title, subtitle), strict=True):
        if present:
            *head, tail = parts
            parts = [*head, *tail.split(mark)]
    return tuple(parts)


def header_cell(title, subtitle) -> SafeString:
    """What `@display(header=True)` draws for (title, subtitle): the two lines of unfold's display_header.html."""
    present = [value for value in (title, subtitle) if value]
    return _fill(_header_parts(bool(title), bool(subtitle)), *present)


@cache
def _checkbox_parts(language: str) -> tuple[str, ...]:  # its accessible name is translated
    return tuple(checkbox.render(helpers.ACTION_CHECKBOX_NAME, MARKS[0]).split(MARKS[0]))


def action_checkbox(model_admin, obj) -> SafeString:
    """unfold's row checkbox for the list's actions (ModelAdmin.action_checkbox), without its widget templates."""
    return _fill(_checkbox_parts(get_language()), str(obj.pk))


action_checkbox.short_description = UnfoldModelAdmin.action_checkbox.short_description  # the «select all» box


# --- unfold's label (unfold/helpers/label.html), which the appeal's history draws several times a line -------------
LABEL_CONTEXT = ("href", "size", "variant", "class", "icon")  # what else the included template reads, if set


@cache
def _badge_parts(colour, titled: bool) -> tuple[str, ...]:
    """The label's markup around its values: (…, title, …, text, …) or (…, text, …); the title comes first."""
    html = render_to_string("unfold/helpers/label.html",
                            {"type": colour, "text": MARKS[0], "label_title": MARKS[1] if titled else ""})
    if not titled:
        return tuple(html.split(MARKS[0]))
    before_title, rest = html.split(MARKS[1])
    return (before_title, *rest.split(MARKS[0]))


LABEL_COLOURS = ("info", "danger", "warning", "success", "primary")  # the template's branches; anything else: grey


def badge(text, colour=None, title=None) -> SafeString:
    """What `{% include "unfold/helpers/label.html" with type=colour text=text label_title=title %}` prints where
    the including template sets none of LABEL_CONTEXT."""
    colour = colour if colour in LABEL_COLOURS else None
    if title:
        return _fill(_badge_parts(colour, True), title, text)
    return _fill(_badge_parts(colour, False), text)
