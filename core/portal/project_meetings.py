"""«Встречи» of the project page: the meetings, a month calendar of meetings and roadmap milestones, a meeting as
.ics, and the person's private calendar feed (its address shown here, revoked here, served without a login)."""

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.choices import MeetingStatus
from core.documents.ics import meeting_ics, user_feed_ics
from core.http import calendar_response
from core.models import Meeting, RoadmapItem
from core.portal.projects import ProjectPageView, roadmap_for
from core.selectors.calendar_feed import calendar_feed_rows_for
from core.selectors.projects import meetings_readable
from core.selectors.visibility import meetings_visible_to
from core.services.calendar_feed import calendar_feed_revoke, calendar_feed_token_for, calendar_feed_user

WEEKDAYS = (_("Пн"), _("Вт"), _("Ср"), _("Чт"), _("Пт"), _("Сб"), _("Вс"))


# --- Встречи и календарь ----------------------------------------------------------------------------------------
@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    entries: list[dict] = field(default_factory=list)


def _month(raw: str | None, today: date) -> date:
    """?month=YYYY-MM in ASCII digits within 1900…2100 (the page links a month either way); else this month."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw or "", flags=re.ASCII)
    if not match or not 1900 <= int(match[1]) <= 2100 or not 1 <= int(match[2]) <= 12:
        return today.replace(day=1)
    return date(int(match[1]), int(match[2]), 1)


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def month_grid(
    month: date, *, meetings: list[Meeting], milestones: list[RoadmapItem], today: date
) -> list[list[CalendarDay]]:
    """The month's weeks (Monday first) with the project's meetings and roadmap milestones (planned ends)."""
    entries: dict[date, list[dict]] = defaultdict(list)
    for meeting in meetings:
        start = timezone.localtime(meeting.starts_at)
        entries[start.date()].append({
            "kind": "meeting", "title": meeting.title, "time": f"{start:%H:%M}", "anchor": f"meeting-{meeting.pk}",
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
        })
    for item in milestones:
        entries[item.planned_end].append({
            "kind": "milestone", "title": item.title, "overdue": item.late, "done": item.actual_end is not None,
        })
    return [
        [CalendarDay(day, day.month == month.month, day == today, entries.get(day, [])) for day in week]
        for week in calendar.Calendar().monthdatescalendar(month.year, month.month)
    ]


class MeetingsView(ProjectPageView):
    tab = "meetings"
    template_name = "portal/projects/meetings.html"

    def tab_context(self, project):
        user, today = self.request.user, timezone.localdate()
        meetings = meetings_readable(
            meetings_visible_to(user).filter(project=project).prefetch_related("participants", "organisations"), user
        )
        for meeting in meetings:
            meeting.status_colour = MeetingStatus.colour(meeting.status)
        month = _month(self.request.GET.get("month"), today)
        weeks = month_grid(month, meetings=meetings, milestones=roadmap_for(project, today), today=today)
        feed = reverse("portal:calendar_feed", args=[calendar_feed_token_for(user)])
        return {
            "meetings": meetings,
            "month": month,
            "previous_month": _shift(month, -1),
            "next_month": _shift(month, 1),
            "weekdays": WEEKDAYS,
            "weeks": weeks,
            "month_is_empty": not any(day.entries for week in weeks for day in week if day.in_month),
            "feed_url": self.request.build_absolute_uri(feed),
        }


class MeetingIcsView(ProjectPageView):
    def get(self, request, pk, meeting_pk):
        project = self.get_project()
        meeting = next(iter(meetings_readable(
            meetings_visible_to(request.user).filter(project=project, pk=meeting_pk).select_related("project")
            .prefetch_related("participants"), request.user)), None)
        if meeting is None or not meeting.investor_invited:  # another body's call: not in the investor's calendar
            raise Http404
        filename = f"vstrecha-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics"
        return calendar_response(meeting_ics(meeting), filename=filename)


class CalendarFeedResetView(MeetingsView):
    """«Отключить и выдать новую»: the old address stops working at once, a new one is shown."""

    http_method_names = ["post"]

    def post(self, request, pk):
        project = self.get_project()
        calendar_feed_revoke(request.user)
        messages.success(request, gettext(
            "Прежняя ссылка отключена: подписанные на неё календари больше не обновятся. Добавьте в календарь новую."
        ))
        return redirect(self.tab_url(project, "calendar-feed"))


@require_safe
def calendar_feed(request, token: str) -> HttpResponse:
    """A person's .ics feed for calendar apps: no login, the private token is the key; an unknown or revoked
    token answers 404."""
    # a token is [A-Za-z0-9_-]; anything else (a NUL PostgreSQL cannot even compare) is simply not one
    user = calendar_feed_user(token) if re.fullmatch(r"[\w-]{1,64}", token, flags=re.ASCII) else None
    if user is None:
        raise Http404
    rows = calendar_feed_rows_for(user)
    content = user_feed_ics(user=user, meetings=rows.meetings, tasks=rows.tasks, roadmap_items=rows.roadmap_items)
    response = calendar_response(content)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
