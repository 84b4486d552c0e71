"""One row of each classifier model for the cabinet's generic tests (tests/admin_site/helpers.MAKERS)."""

import itertools
from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import Model

from core.choices import DayKind
from core.models import AppealType, CalendarOverride, Category, Fact, Subcategory

_serial = itertools.count(1)


def appeal_type_row() -> AppealType:
    n = next(_serial)
    return AppealType.objects.create(code=f"type-{n}", name=f"Тип {n}", period_days=5, day_kind=DayKind.CALENDAR)


def category_row() -> Category:
    n = next(_serial)
    return Category.objects.create(code=f"T{n}", name=f"Категория {n}")


def subcategory_row() -> Subcategory:
    n = next(_serial)
    return Subcategory.objects.create(code=f"T{n}.1", name=f"Подкатегория {n}", category=category_row())


def fact_row() -> Fact:
    n = next(_serial)
    return Fact.objects.create(
        code=f"T{n}.1.1", name=f"Факт {n}", subcategory=subcategory_row(), appeal_type=appeal_type_row()
    )


def calendar_override_row() -> CalendarOverride:
    return CalendarOverride.objects.create(
        date=date(2030, 1, 1) + timedelta(days=next(_serial)), kind=CalendarOverride.Kind.DAY_OFF, comment="Тест"
    )


CLASSIFIER_MAKERS: dict[str, Callable[[], Model]] = {
    "core.AppealType": appeal_type_row,
    "core.Category": category_row,
    "core.Subcategory": subcategory_row,
    "core.Fact": fact_row,
    "core.CalendarOverride": calendar_override_row,
}
