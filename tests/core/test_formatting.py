"""One formatter for every number a person reads: pages, letters, notices, DOCX and report files."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.formatting import format_decimal, format_integer, format_money, format_percent, input_number
from core.reports.render import format_number
from core.reports.table import INT, MONEY

NBSP = "\u00a0"


def plain(text: str) -> str:
    """The text as a reader sees it; the spaces in numbers are non-breaking so that a number never wraps."""
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(("value", "shown"), [
    (0, "0"), (7, "7"), (1234, "1 234"), (-1234567, "-1 234 567"), (2.5, "3"), (Decimal("-0.4"), "0"),
    (Decimal("999999.5"), "1 000 000"), (None, ""),
])
def test_integers(value, shown):
    assert plain(format_integer(value)) == shown


@pytest.mark.parametrize(("value", "places", "shown"), [
    (Decimal("85000.500"), None, "85 000,5"), (Decimal("2500.00"), None, "2 500"), (0, None, "0"),
    (Decimal("-0.00"), None, "0"), (Decimal("-1234.5"), 2, "-1 234,50"), (2.675, 2, "2,68"), (-0.001, 2, "0,00"),
    (Decimal("1E+3"), None, "1 000"), (4.25, 1, "4,3"), (None, 2, ""),
])
def test_decimals(value, places, shown):
    assert plain(format_decimal(value, places)) == shown


@pytest.mark.parametrize(("value", "shown"), [
    (1_500_000_000, "1 500 000 000 ₽"), (Decimal("1500000.00"), "1 500 000 ₽"), (Decimal("1234.5"), "1 234,50 ₽"),
    (Decimal("0.01"), "0,01 ₽"), (0, "0 ₽"), (Decimal("-2500.75"), "-2 500,75 ₽"), (Decimal("99.999"), "100 ₽"),
    (-0.001, "0 ₽"), (None, ""),
])
def test_money_keeps_kopecks_only_when_there_are_any(value, shown):
    assert plain(format_money(value)) == shown


def test_percent_and_no_breaking_inside_a_number():
    assert plain(format_percent(12.25)) == "12,3 %"
    assert plain(format_percent(Decimal("-5"), 0)) == "-5 %"
    assert format_percent(None) == ""
    assert " " not in format_money(1_234_567) and NBSP in format_money(1_234_567)


def test_report_cells_use_the_same_formatter():
    assert format_number(Decimal("1500000.00"), MONEY) == format_money(Decimal("1500000"), currency=False)
    assert format_number(1234, INT) == format_integer(1234)


@pytest.mark.parametrize(("source", "context", "shown"), [
    ("{{ value|money }}", {"value": Decimal("1500000.50")}, "1 500 000,50 ₽"),
    ("{{ value|money|default:'—' }}", {"value": None}, "—"),
    ("{{ value|number }}", {"value": 12345}, "12 345"),
    ("{{ value|number:1 }}", {"value": Decimal("4.75")}, "4,8"),
    ("{{ value|number }}", {"value": "85000.50"}, "85 000,5"),
    ("{{ value|number }}", {"value": "не число"}, "не число"),
    ("{{ value|percent }}", {"value": 67}, "67,0 %"),
    ("{{ value|number }}", {"value": -3}, "-3"),
])
def test_template_filters(source, context, shown):
    assert plain(Template("{% load formatting %}" + source).render(Context(context))) == shown


def test_a_number_box_gets_the_stored_decimal_without_its_trailing_zeros():
    assert input_number(Decimal("85000.00")) == 85000 and isinstance(input_number(Decimal("85000.00")), int)
    assert str(input_number(Decimal("85000.50"))) == "85000.5"  # not «8.50005E+4», not «85000.50»
    assert input_number(None) is None
