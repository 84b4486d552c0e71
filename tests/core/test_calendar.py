from datetime import date

import pytest

from core.calendar import CalendarOverrides, add_working_days, deadline_for, is_working_day, next_working_day
from core.choices import DayKind


def d(text: str) -> date:
    day, month, year = text.split(".")
    return date(int(year), int(month), int(day))


@pytest.mark.parametrize(
    ("start", "period", "due"),
    [("21.02.2025", 20, "13.03.2025"), ("18.08.2025", 20, "07.09.2025")],  # the seed's appeals #368 and #724
)
def test_calendar_day_deadlines_from_the_seed(start, period, due):
    assert deadline_for(start=d(start), period=period, day_kind=DayKind.CALENDAR, move_to_working_day=False) == d(due)


def test_calendar_deadline_on_a_day_off_moves_when_the_type_says_so():
    # 07.09.2025 is a Sunday: the next working day is Monday 08.09.2025.
    kwargs = {"start": d("18.08.2025"), "period": 20, "day_kind": DayKind.CALENDAR}
    assert deadline_for(**kwargs, move_to_working_day=True) == d("08.09.2025")


def test_working_days_across_the_new_year_holidays():
    assert add_working_days(d("25.12.2025"), 10) == d("20.01.2026")
    assert deadline_for(start=d("25.12.2025"), period=10, day_kind=DayKind.WORKING, move_to_working_day=False) == d(
        "20.01.2026"
    )


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("01.11.2025", True),  # a working Saturday moved by decree
        ("03.11.2025", False),  # the Monday it was moved to
        ("09.01.2026", False),
        ("31.12.2026", False),
        ("12.01.2026", True),
        ("08.03.2025", False),  # a holiday on a Saturday
    ],
)
def test_production_calendar(day, working):
    assert is_working_day(d(day)) is working


def test_overrides_win_over_the_package():
    extra_day_off = CalendarOverrides(days_off=frozenset({d("26.12.2025")}))
    assert not is_working_day(d("26.12.2025"), extra_day_off)
    assert add_working_days(d("25.12.2025"), 10, extra_day_off) == d("21.01.2026")
    extra_working = CalendarOverrides(working_days=frozenset({d("09.01.2026")}))
    assert is_working_day(d("09.01.2026"), extra_working)
    assert add_working_days(d("25.12.2025"), 10, extra_working) == d("19.01.2026")


def test_next_working_day_and_zero_period():
    assert next_working_day(d("31.12.2025")) == d("12.01.2026")
    assert next_working_day(d("12.01.2026")) == d("12.01.2026")
    assert add_working_days(d("12.01.2026"), 0) == d("12.01.2026")
    with pytest.raises(ValueError):
        add_working_days(d("12.01.2026"), -1)
