from core.calendar import CalendarOverrides
from core.models import CalendarOverride


def calendar_overrides() -> CalendarOverrides:
    """The administrator's production-calendar exceptions, for core.calendar's pure functions."""
    rows = CalendarOverride.objects.values_list("date", "kind")
    return CalendarOverrides(
        days_off=frozenset(day for day, kind in rows if kind == CalendarOverride.Kind.DAY_OFF),
        working_days=frozenset(day for day, kind in rows if kind == CalendarOverride.Kind.WORKING_DAY),
    )
