"""«Мой календарь»: the staff member's coming meetings (of projects and of appeals), the private .ics address of
the same calendar (meetings and deadlines) and its revocation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.choices import MeetingStatus
from core.selectors.calendar_feed import calendar_feed_rows_for
from core.services.calendar_feed import calendar_feed_revoke, calendar_feed_token_for


def _coming_meetings(request: HttpRequest) -> list[dict]:
    """What the feed holds from today on, with where each meeting belongs: its project, or the appeal it is about."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = []
    for meeting in calendar_feed_rows_for(request.user).meetings:
        if meeting.starts_at < today or meeting.status != MeetingStatus.PLANNED:
            continue
        about = []
        if meeting.appeal_id:
            about.append((_("Обращение №%(number)s") % {"number": meeting.appeal.number},
                          reverse("admin:core_appeal_change", args=[meeting.appeal_id])))
        if meeting.project_id:
            about.append((str(meeting.project),
                          reverse("admin:core_project_change", args=[meeting.project_id]) + "?tab=meetings"))
        rows.append({"meeting": meeting, "about": about,
                     "url": reverse("admin:core_meeting_change", args=[meeting.pk])})
    return rows


def my_calendar(request: HttpRequest, *, site) -> HttpResponse:
    token = calendar_feed_token_for(request.user)
    context = {
        **site.each_context(request),
        "title": _("Мой календарь"),
        "meetings": _coming_meetings(request),
        "feed_url": request.build_absolute_uri(reverse("portal:calendar_feed", args=[token])),
    }
    return TemplateResponse(request, "admin_site/my_calendar.html", context)


@require_POST
def my_calendar_reset(request: HttpRequest, *, site) -> HttpResponse:
    calendar_feed_revoke(request.user)
    messages.success(request, _("Прежний адрес календаря отключён, выдан новый."))
    return redirect("admin:my_calendar")
