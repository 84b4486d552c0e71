"""Cell readers for imported files: a value that cannot be read is a row error in Russian (ValueError), never a
traceback. Cells come as text from csv and as numbers and dates from xlsx; both are accepted."""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from import_export import widgets

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection); exported text gets a
# leading apostrophe, which spreadsheets hide and which import takes off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")
DATETIME_FORMATS = (
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
)


def cell_text(value) -> str:
    """The cell as trimmed text: 4700000001.0 from a spreadsheet reads as «4700000001»."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text


def escape_formula(text: str) -> str:
    if text.startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def _normal(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> str:
        return cell_text(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return escape_formula("" if value is None else str(value))


class YesNoWidget(widgets.Widget):
    """«да»/«нет» (also 1/0, true/false); an empty cell is None, so the field's default applies."""

    YES = {"да", "д", "1", "true", "yes", "+"}
    NO = {"нет", "н", "0", "false", "no", "-"}

    def clean(self, value, row=None, **kwargs) -> bool | None:
        if isinstance(value, bool):
            return value
        text = _normal(cell_text(value))
        if not text:
            return None
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(gettext("Напишите «да» или «нет», а не «%(value)s».") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs) -> str:
        if value is None:
            return ""
        return gettext("да") if value else gettext("нет")


class WholeNumberWidget(widgets.Widget):
    def __init__(self, *, minimum: int = 0, maximum: int | None = None) -> None:
        super().__init__()
        self.minimum, self.maximum = minimum, maximum

    def clean(self, value, row=None, **kwargs) -> int | None:
        text = cell_text(value).lstrip("#№").strip()
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < self.minimum or (self.maximum is not None and number > self.maximum):
            raise ValueError(self._range_message(text))
        return number

    def _range_message(self, text: str) -> str:
        values = {"minimum": self.minimum, "maximum": self.maximum, "value": text}
        if self.maximum is not None:
            return gettext("Нужно целое число от %(minimum)s до %(maximum)s, а не «%(value)s».") % values
        return gettext("Нужно целое число не меньше %(minimum)s, а не «%(value)s».") % values

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class AmountWidget(widgets.Widget):
    """A non-negative amount: a spreadsheet number, «1 500 000,50» or «1500000.50» (spaces group digits)."""

    def clean(self, value, row=None, **kwargs) -> Decimal | None:
        text = cell_text(value)
        if not text:
            return None
        try:
            number = Decimal(re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or isinstance(value, bool):
            raise ValueError(gettext("Нужно число, например 1 500 000,50, а не «%(value)s».") % {"value": text})
        if number < 0:
            raise ValueError(gettext("Число не может быть отрицательным: «%(value)s».") % {"value": text})
        return number

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else format(value, "f")


def _parse(text: str, formats: tuple[str, ...]) -> datetime | None:
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


class DayWidget(widgets.Widget):
    """A date: a spreadsheet date, «31.12.2025» or «2025-12-31»."""

    def clean(self, value, row=None, **kwargs) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_text(value)
        if not text:
            return None
        parsed = _parse(text, DATE_FORMATS) or _parse(text, DATETIME_FORMATS)
        if parsed is None:
            raise ValueError(gettext("Дата «%(value)s» не распознана: напишите её как 31.12.2025.") % {"value": text})
        return parsed.date()

    def render(self, value, obj=None, **kwargs) -> str:
        return f"{value:%d.%m.%Y}" if value else ""


class MoscowDateTimeWidget(widgets.Widget):
    """A moment: a date alone means the start of that day; times without a zone are Moscow time."""

    def clean(self, value, row=None, **kwargs) -> datetime | None:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time.min)
        else:
            text = cell_text(value)
            if not text:
                return None
            moment = _parse(text, DATETIME_FORMATS) or _parse(text, DATE_FORMATS)
            if moment is None:
                raise ValueError(
                    gettext("Дата «%(value)s» не распознана: напишите её как 31.12.2025 или 31.12.2025 14:30.")
                    % {"value": text}
                )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.get_default_timezone())
        return moment

    def render(self, value, obj=None, **kwargs) -> str:
        if not value:
            return ""
        return f"{timezone.localtime(value, timezone.get_default_timezone()):%d.%m.%Y %H:%M}"


class ChoiceWidget(widgets.Widget):
    """A choice by its code or by its Russian label, whatever the case; exported as the label."""

    def __init__(self, choices, *, unknown: str) -> None:
        super().__init__()
        self.choices = list(choices)
        self.unknown = unknown

    def clean(self, value, row=None, **kwargs) -> str | None:
        text = cell_text(value)
        if not text:
            return None
        wanted = _normal(text)
        for code, label in self.choices:
            if wanted in (_normal(str(code)), _normal(str(label))):
                return code
        raise ValueError(str(self.unknown) % {"value": text})

    def render(self, value, obj=None, **kwargs) -> str:
        return str(dict(self.choices).get(value, value or ""))


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A related row by its natural key (a code, an ИНН, an email), exported as `field`. `lookups` are tried in
    turn (a type by its code or its name); an unknown key is a row error."""

    def __init__(self, model: type[Model], field: str, *, not_found: str, queryset: QuerySet | None = None,
                 lookups: tuple[str, ...] = ()) -> None:
        super().__init__(model, field=field)
        self.queryset, self.lookups, self.not_found = queryset, lookups or (field,), not_found

    def get_queryset(self, value, row, *args, **kwargs) -> QuerySet:
        return (self.queryset if self.queryset is not None else self.model.objects).all()

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        for lookup in self.lookups:
            found = list(self.get_queryset(text, row).filter(**{lookup: text})[:2])
            if len(found) == 1:
                return found[0]
        raise ValueError(str(self.not_found) % {"value": text})

    def render(self, value, obj=None, **kwargs) -> str:
        return escape_formula(str(super().render(value, **kwargs) or ""))
