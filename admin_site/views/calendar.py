"""«Мой календарь»: a month or week of the staff member's meetings and deadlines (a head may look at one of their
people or at all of them), the private .ics address of the person's own calendar and its revocation.

Query parameters: `month=YYYY-MM` (month view) or `week=YYYY-MM-DD` (the week holding that day), `staff=<id>|all`.
Anything unreadable shows the current month with a Russian note, never an error page."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_ALT, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.models import User
from core.selectors.personal_calendar import CalendarEntry, EntryKind, calendar_entries_for, calendar_people_for
from core.services.calendar_feed import calendar_feed_revoke, calendar_feed_token_for

MONTH, WEEK = "month", "week"
ALL = "all"
YEARS = range(1900, 2101)  # the pages step a month or a week either way; beyond these the dates stop making sense
BAD_DATE = gettext_lazy("Не удалось понять дату в адресе — показан текущий месяц.")
BAD_PERSON = gettext_lazy("Календарь этого сотрудника вам недоступен — показан ваш.")
URLS = {
    EntryKind.MEETING: "admin:core_meeting_change",
    EntryKind.APPEAL: "admin:core_appeal_change",
    EntryKind.TASK: "admin:core_task_change",
    EntryKind.MILESTONE: "admin:core_project_change",
    EntryKind.REQUEST: "admin:core_participantrequest_change",
}


@dataclass
class Period:
    mode: str
    first: date  # the first of the month, or the Monday of the week
    errors: list[str] = field(default_factory=list)


def _parse(value: str, pattern: str) -> date | None:
    try:
        day = datetime.strptime(value, pattern).date()
    except ValueError:
        return None
    return day if value.isascii() and day.year in YEARS and day.year + 1 in YEARS else None


def _period(request: HttpRequest, today: date) -> Period:
    """?week=YYYY-MM-DD is the week holding that day; ?month=YYYY-MM the month; nothing, or nonsense, this month."""
    if "week" in request.GET:
        day = _parse(request.GET["week"], "%Y-%m-%d")
        if day is not None:
            return Period(WEEK, day - timedelta(days=day.weekday()))
    elif "month" in request.GET:
        day = _parse(request.GET["month"], "%Y-%m")
        if day is not None:
            return Period(MONTH, day)
    else:
        return Period(MONTH, today.replace(day=1))
    return Period(MONTH, today.replace(day=1), [str(BAD_DATE)])


def _whose(request: HttpRequest, choices: list[User]) -> tuple[str, list[User], str]:
    """(the picker's value, whose entries, a note) from ?staff=: a head's own person or all of them; anyone else,
    or a person outside the head's organisation, gets their own calendar and a note saying so."""
    value = request.GET.get("staff", "")
    by_id = {str(person.pk): person for person in choices}
    if not value or value == str(request.user.pk):
        return str(request.user.pk), [request.user], ""
    if value == ALL and len(choices) > 1:
        return ALL, choices, ""
    if value in by_id:
        return value, [by_id[value]], ""
    return str(request.user.pk), [request.user], str(BAD_PERSON)


def _entry(entry: CalendarEntry, many: bool) -> dict:
    url = reverse(URLS[entry.kind], args=[entry.object_id])
    if entry.kind == EntryKind.MILESTONE:
        url = f"{url}?tab=roadmap#{entry.anchor}"
    return {"entry": entry, "url": url, "label": entry.kind.label, "people": ", ".join(entry.people) if many else ""}


def _days(first: date, last: date, period: Period, today: date, entries: list[CalendarEntry], many: bool) -> list:
    by_day = defaultdict(list)
    for entry in entries:
        by_day[entry.day].append(_entry(entry, many))
    days = []
    current = first
    while current <= last:
        days.append({
            "date": current, "today": current == today, "entries": by_day[current],
            "other": period.mode == MONTH and current.month != period.first.month,
            "weekday": WEEKDAYS[current.weekday()], "label": f"{current.day} {MONTHS_ALT[current.month]}",
        })
        current += timedelta(days=1)
    return [days[index:index + 7] for index in range(0, len(days), 7)]


def _range(period: Period) -> tuple[date, date]:
    if period.mode == WEEK:
        return period.first, period.first + timedelta(days=6)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(period.first.year, period.first.month)
    return weeks[0][0], weeks[-1][-1]


def _title(period: Period) -> str:
    if period.mode == MONTH:
        return f"{MONTHS[period.first.month]} {period.first.year}"
    last = period.first + timedelta(days=6)
    start = f"{period.first.day}"
    if period.first.month != last.month:
        start += f" {MONTHS_ALT[period.first.month]}"
    if period.first.year != last.year:
        start += f" {period.first.year}"
    return f"{start} – {last.day} {MONTHS_ALT[last.month]} {last.year}"


def _shift(period: Period, step: int) -> date:
    if period.mode == WEEK:
        return period.first + timedelta(days=7 * step)
    month = period.first.year * 12 + period.first.month - 1 + step
    return date(month // 12, month % 12 + 1, 1)


def _links(period: Period, today: date, staff: str) -> dict:
    """Previous / today / next in the current view, and the switch between month and week."""
    def url(mode: str, day: date) -> str:
        query = {"month": f"{day:%Y-%m}"} if mode == MONTH else {"week": day.isoformat()}
        if staff != "":
            query["staff"] = staff
        return f"{reverse('admin:my_calendar')}?{urlencode(query)}"

    this_week = today - timedelta(days=today.weekday())
    last = _range(period)[1]
    in_view = period.first <= today <= last and (period.mode == WEEK or today.month == period.first.month)
    week_of_month = this_week if in_view else period.first
    month_of_week = today if in_view else period.first + timedelta(days=3)  # the month holding most of the week
    shift = {}
    for step, name in ((-1, "previous"), (1, "next")):
        day = _shift(period, step)
        shift[name] = url(period.mode, day) if day.year in YEARS and day.year + 1 in YEARS else ""
    return {
        **shift,
        "today": url(period.mode, this_week if period.mode == WEEK else today.replace(day=1)),
        "month": url(MONTH, period.first if period.mode == MONTH else month_of_week),
        "week": url(WEEK, week_of_month if period.mode == MONTH else period.first),
    }


def my_calendar(request: HttpRequest, *, site) -> HttpResponse:
    today = timezone.localdate()
    period = _period(request, today)
    choices = calendar_people_for(request.user)
    staff, people, note = _whose(request, choices)
    first, last = _range(period)
    entries = calendar_entries_for(viewer=request.user, people=people, start=first, end=last)
    own = staff == str(request.user.pk)
    weeks = _days(first, last, period, today, entries, many=len(people) > 1)
    context = {
        **site.each_context(request),
        "title": _("Мой календарь"),
        "period": period,
        "heading": _title(period),
        "weekdays": list(zip(WEEKDAYS.values(), WEEKDAYS_ABBR.values(), strict=True)),
        "weeks": weeks,
        "empty": not any(day["entries"] for week in weeks for day in week if not day["other"]),
        "links": _links(period, today, "" if own else staff),
        "kinds": list(EntryKind),
        "errors": [*period.errors, *([note] if note else [])],
        "staff": staff,
        "choices": choices if len(choices) > 1 else [],
        "all_value": ALL,
        "whose": "" if own else (_("Все сотрудники") if staff == ALL else people[0].full_name),
        "feed_url": request.build_absolute_uri(reverse("portal:calendar_feed",
                                                       args=[calendar_feed_token_for(request.user)])),
    }
    return TemplateResponse(request, "admin_site/my_calendar.html", context)


@require_POST
def my_calendar_reset(request: HttpRequest, *, site) -> HttpResponse:
    calendar_feed_revoke(request.user)
    messages.success(request, _("Прежний адрес календаря отключён, выдан новый."))
    return redirect("admin:my_calendar")
