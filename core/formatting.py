"""Numbers the Russian way, one formatter for pages, letters, notices, DOCX and report files.

* thousands apart by a non-breaking space (U+00A0), so a number never wraps mid-figure: «1 234 567»;
* a decimal comma: «4,25»;
* money in roubles with kopecks only when there are any: «1 500 000 ₽», «1 234,50 ₽» — never rounded away;
* rounding half up on the written decimal (2.675 → «2,68», not the binary float's «2,67»); no «-0»;
* nothing (None) is an empty string: the caller decides what an empty value looks like («—» or a blank cell).

Spreadsheet cells are not text: xlsx and ods keep the number and a cell format (core.reports.render), so a
money column there always shows two decimals, as a spreadsheet column should. See docs/reports.md «Numbers».
"""

import contextlib
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"
RUB = "₽"

Number = int | float | Decimal


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))  # the written decimal, not the binary float's expansion
    return Decimal(int(value))


def _rounded(value: Number, places: int) -> Decimal:
    number = _decimal(value)
    with contextlib.suppress(InvalidOperation):  # too many digits for the context: shown as it is
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(number) if number == 0 else number  # no «-0,00»


def _russian(text: str) -> str:
    """«1,234.5» (Python's grouping) → «1 234,5»."""
    return text.replace(",", NBSP).replace(".", ",")


def format_decimal(value: Number | None, places: int | None = None, *, grouping: bool = True) -> str:
    """`places` decimals (rounded half up), or with `places=None` as many as the value has, trailing zeros
    dropped: 85000.50 → «85 000,5», 2500.00 → «2 500»."""
    if value is None:
        return ""
    comma = "," if grouping else ""
    if places is None:
        number = _decimal(value)
        if not number.is_finite():
            return str(number)
        number = number.normalize()
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        return _russian(f"{abs(number) if number == 0 else number:{comma}f}")
    return _russian(f"{_rounded(value, places):{comma}.{places}f}")


def input_number(value: Decimal | None) -> Decimal | int | None:
    """A stored decimal as a number box shows it back, without the column's trailing zeros: 85000.00 → 85000,
    85000.50 → 85000.5 (the box's own notation, not format_decimal's Russian text)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def format_integer(value: Number | None) -> str:
    """12345 → «12 345»; a fraction is rounded half up: 2.5 → «3»."""
    return format_decimal(value, 0)


def format_money(value: Number | None, *, currency: bool = True) -> str:
    """Roubles with kopecks only when there are any: 1500000 → «1 500 000 ₽», 1234.5 → «1 234,50 ₽»."""
    if value is None:
        return ""
    number = _rounded(value, 2)
    text = format_decimal(number, 0 if number == number.to_integral_value() else 2)
    return f"{text}{NBSP}{RUB}" if currency else text


def format_percent(value: Number | None, places: int = 1) -> str:
    """A share given as 0–100: 12.25 → «12,3 %»."""
    if value is None:
        return ""
    return f"{format_decimal(value, places, grouping=False)}{NBSP}%"
