"""Template filters over core.formatting, for pages, letters and notices: `{% load formatting %}`, then
`{{ value|number }}` (as many decimals as the value has), `{{ value|number:1 }}`, `{{ value|money }}`,
`{{ value|percent }}`. Nothing in gives nothing out, so `{{ value|money|default:"—" }}` shows a dash."""

from decimal import Decimal, InvalidOperation

from django import template

from core.formatting import format_decimal, format_money, format_percent

register = template.Library()


def _number(value):
    """A number, or None for nothing and for what is not a number (a template never breaks on bad input)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def number(value, places=None):
    parsed = _number(value)
    if parsed is None:
        return "" if value is None else value
    return format_decimal(parsed, None if places in (None, "") else int(places))


@register.filter
def money(value):
    parsed = _number(value)
    return format_money(parsed) if parsed is not None else ("" if value is None else value)


@register.filter
def percent(value, places=1):
    parsed = _number(value)
    return format_percent(parsed, int(places)) if parsed is not None else ("" if value is None else value)
