"""Deadline arithmetic over the Russian production calendar. Pure functions: no ORM, no clock.

The `holidays` package knows public holidays and the days off moved by government decree (including
working Saturdays). `CalendarOverrides` adds what an administrator entered for a decree the installed
package does not know yet; overrides win over the package.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

from core.choices import DayKind


@dataclass(frozen=True)
class CalendarOverrides:
    days_off: frozenset[date] = field(default_factory=frozenset)
    working_days: frozenset[date] = field(default_factory=frozenset)


NO_OVERRIDES = CalendarOverrides()


@lru_cache(maxsize=64)
def _russian_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


def is_working_day(day: date, overrides: CalendarOverrides = NO_OVERRIDES) -> bool:
    if day in overrides.working_days:
        return True
    if day in overrides.days_off:
        return False
    return _russian_calendar(day.year).is_working_day(day)


def next_working_day(day: date, overrides: CalendarOverrides = NO_OVERRIDES) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, overrides):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int, overrides: CalendarOverrides = NO_OVERRIDES) -> date:
    """The `count`-th working day after `start` (the start day itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            count -= 1
    return day


def deadline_for(
    *,
    start: date,
    period: int,
    day_kind: str,
    move_to_working_day: bool,
    overrides: CalendarOverrides = NO_OVERRIDES,
) -> date:
    """The last day to answer: `period` calendar or working days after `start` (the day the appeal was
    filed). A calendar-day deadline that falls on a day off moves to the next working day if asked to."""
    if day_kind == DayKind.WORKING:
        return add_working_days(start, period, overrides)
    due = start + timedelta(days=period)
    return next_working_day(due, overrides) if move_to_working_day else due
