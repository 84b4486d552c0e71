"""What a person's .ics feed holds, materialised for core.documents.ics.user_feed_ics."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.choices import TaskStatus
from core.models import Meeting, Project, RoadmapItem, Task, User
from core.selectors.visibility import is_investor, meetings_visible_to, projects_visible_to

PAST_MEETINGS_DAYS = 90  # older meetings drop out of the feed; calendar apps keep what they already have


@dataclass(frozen=True)
class CalendarFeedRows:
    meetings: list[Meeting]
    tasks: list[Task]
    roadmap_items: list[RoadmapItem]


def _projects_on(user: User) -> QuerySet[Project]:
    """The projects a person is on: their company's (investors), or those they accompany as personal manager,
    district commissioner or director — not the whole pool a director or coordinator may look at."""
    on = Q(personal_manager=user) | Q(district_commissioner=user) | Q(director=user)
    if is_investor(user) and user.organisation_id:
        on |= Q(investor_id=user.organisation_id)
    return projects_visible_to(user).filter(on)


def _meetings_on(user: User, projects: QuerySet[Project]) -> Q:
    """Meetings the person takes part in, those of their projects, and those about the appeals they run as
    coordinator or manager (a meeting about an appeal may have no project)."""
    if is_investor(user):  # a meeting about an appeal is in their calendar when they take part (meetings_readable)
        return Q(participants=user) | Q(project__in=projects, appeal__isnull=True)
    return Q(participants=user) | Q(project__in=projects) | Q(appeal__coordinator=user) | Q(appeal__manager=user)


def calendar_feed_rows_for(user: User) -> CalendarFeedRows:
    """Meetings the person takes part in or that belong to their projects or appeals (from 90 days ago on), their
    open tasks, and the unfinished roadmap items of their projects."""
    projects = _projects_on(user)
    meetings = (
        meetings_visible_to(user)
        .filter(_meetings_on(user, projects))
        .filter(starts_at__gte=timezone.now() - timedelta(days=PAST_MEETINGS_DAYS))
        .select_related("project", "appeal")
        .distinct()
        .order_by("starts_at", "pk")
    )
    tasks = (
        Task.objects.filter(assignee=user, status__in=TaskStatus.open())
        .select_related("project")
        .order_by("due_date", "pk")
    )
    items = (
        RoadmapItem.objects.filter(project__in=projects, actual_end__isnull=True)
        .select_related("project")
        .order_by("planned_end", "pk")
    )
    return CalendarFeedRows(meetings=list(meetings), tasks=list(tasks), roadmap_items=list(items))
