"""A staff member's calendar for a date range: the meetings they take part in and the deadlines they answer for,
as plain entries for the cabinet's month and week views.

What a person «answers for»: meetings they take part in or that belong to their projects or appeals; the deadlines
of the open appeals where they are manager, coordinator or head; of their open tasks; of the unfinished roadmap
items they are responsible for or whose project they accompany; of the unanswered participant requests they sent,
that belong to their projects or that wait for their organisation's answer. Done work leaves the calendar.

Everything passes through the viewer's `*_visible_to` selectors, so a head looking at their people never sees more
than the head may see. One query per kind of entry plus one for meeting participants, whatever the range holds.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.choices import AppealStatus, MeetingStatus, RequestStatus, RoadmapStatus, TaskStatus
from core.models import Project, RoadmapItem, User
from core.roles import Role
from core.selectors.visibility import (
    appeals_visible_to,
    meetings_visible_to,
    projects_visible_to,
    requests_visible_to,
    tasks_visible_to,
    user_roles,
    users_visible_to,
)

MAX_RANGE_DAYS = 42  # six weeks: the largest month grid; longer ranges are a caller's mistake


class EntryKind(TextChoices):
    MEETING = "meeting", gettext_lazy("Встреча")
    APPEAL = "appeal", gettext_lazy("Срок ответа на обращение")
    TASK = "task", gettext_lazy("Срок задачи")
    MILESTONE = "milestone", gettext_lazy("Контрольная точка дорожной карты")
    REQUEST = "request", gettext_lazy("Срок ответа на запрос участнику")


@dataclass(frozen=True)
class CalendarEntry:
    kind: EntryKind
    object_id: int  # the meeting, appeal, task, participant request — or the project of a roadmap item
    day: date  # Moscow date
    time: str  # «10:30» for meetings, empty for all-day deadlines
    title: str
    context: str  # the project or appeal it belongs to
    people: tuple[str, ...]  # whose entry it is, among the people asked for
    overdue: bool = False
    cancelled: bool = False
    anchor: str = ""  # the row on the object's page (roadmap items live on their project's tab)


def calendar_people_for(viewer: User) -> list[User]:
    """Whose calendar the viewer may open: a head, their organisation's active staff (themself included) but not its
    director, whom a head answers to rather than plans for; anyone else only their own."""
    if Role.HEAD not in user_roles(viewer) or not viewer.organisation_id:
        return [viewer]
    return list(
        users_visible_to(viewer)
        .filter(organisation_id=viewer.organisation_id, is_staff=True, is_active=True)
        .exclude(Q(groups__name=Role.DIRECTOR.group_name) & ~Q(pk=viewer.pk))
        .order_by("last_name", "first_name", "pk")
    )


def _projects_on(viewer: User, ids: Collection[int]) -> QuerySet[Project]:
    on = Q(personal_manager__in=ids) | Q(district_commissioner__in=ids) | Q(director__in=ids)
    return projects_visible_to(viewer).filter(on)


def _moscow_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), zone),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone))


def _names(names: dict[int, str], *ids: int | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names[pk] for pk in ids if pk in names))


def _meetings(viewer: User, ids: Collection[int], names: dict[int, str], start: date, end: date) -> list[CalendarEntry]:
    on = (Q(participants__in=ids) | Q(project__in=_projects_on(viewer, ids))
          | Q(appeal__coordinator__in=ids) | Q(appeal__manager__in=ids))
    meetings = (
        meetings_visible_to(viewer).filter(on, starts_at__range=_moscow_bounds(start, end))
        .select_related("project", "appeal")
        .prefetch_related(Prefetch("participants", queryset=User.objects.filter(pk__in=ids).only("pk")))
        .distinct()
    )
    entries = []
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at)
        appeal_people = (meeting.appeal.manager_id, meeting.appeal.coordinator_id) if meeting.appeal else ()
        manager_id = meeting.project.personal_manager_id if meeting.project else None
        context = str(meeting.project) if meeting.project else (
            gettext("Обращение №%(number)s") % {"number": meeting.appeal.number} if meeting.appeal else "")
        entries.append(CalendarEntry(
            kind=EntryKind.MEETING, object_id=meeting.pk, day=local.date(), time=f"{local:%H:%M}",
            title=meeting.title, context=context,
            people=_names(names, *(p.pk for p in meeting.participants.all()), *appeal_people, manager_id),
            cancelled=meeting.status == MeetingStatus.CANCELLED,
        ))
    return entries


def _appeals(viewer: User, ids: Collection[int], names: dict[int, str], start: date, end: date,
             today: date) -> list[CalendarEntry]:
    appeals = appeals_visible_to(viewer).filter(
        Q(manager__in=ids) | Q(coordinator__in=ids) | Q(head__in=ids),
        status__in=AppealStatus.open(), deadline__range=(start, end),
    )
    return [
        CalendarEntry(kind=EntryKind.APPEAL, object_id=appeal.pk, day=appeal.deadline, time="",
                      title=gettext("Обращение №%(number)s: %(subject)s") % {"number": appeal.number,
                                                                           "subject": appeal.subject},
                      context=appeal.organisation_name, overdue=appeal.deadline < today,
                      people=_names(names, appeal.manager_id, appeal.coordinator_id, appeal.head_id))
        for appeal in appeals.only("pk", "number", "subject", "organisation_name", "deadline", "manager_id",
                                   "coordinator_id", "head_id")
    ]


def _tasks(viewer: User, ids: Collection[int], names: dict[int, str], start: date, end: date,
           today: date) -> list[CalendarEntry]:
    tasks = tasks_visible_to(viewer).filter(
        assignee__in=ids, status__in=TaskStatus.open(), due_date__range=(start, end)
    ).select_related("project")
    return [
        CalendarEntry(kind=EntryKind.TASK, object_id=task.pk, day=task.due_date, time="", title=task.title,
                      context=str(task.project) if task.project else "", overdue=task.due_date < today,
                      people=_names(names, task.assignee_id))
        for task in tasks
    ]


def _milestones(viewer: User, ids: Collection[int], names: dict[int, str], start: date, end: date,
                today: date) -> list[CalendarEntry]:
    items = (
        RoadmapItem.objects.filter(project__in=projects_visible_to(viewer))
        .filter(Q(responsible_user__in=ids) | Q(project__in=_projects_on(viewer, ids)))
        .filter(actual_end__isnull=True, planned_end__range=(start, end))
        .exclude(status=RoadmapStatus.DONE)
        .select_related("project")
    )
    return [
        CalendarEntry(kind=EntryKind.MILESTONE, object_id=item.project_id, day=item.planned_end, time="",
                      title=item.title, context=str(item.project), overdue=item.planned_end < today,
                      people=_names(names, item.responsible_user_id, item.project.personal_manager_id),
                      anchor=f"roadmap-item-{item.pk}")
        for item in items
    ]


def _requests(viewer: User, people: Collection[User], names: dict[int, str], start: date, end: date,
              today: date) -> list[CalendarEntry]:
    ids = list(names)
    organisations = {person.organisation_id for person in people if person.organisation_id}
    requests = (
        requests_visible_to(viewer)
        .filter(Q(author__in=ids) | Q(project__in=_projects_on(viewer, ids)) | Q(organisation__in=organisations))
        .filter(status=RequestStatus.SENT, due_date__range=(start, end))
        .select_related("project", "organisation")
    )
    return [
        CalendarEntry(kind=EntryKind.REQUEST, object_id=request.pk, day=request.due_date, time="",
                      title=request.subject, context=f"{request.project} → {request.organisation}",
                      overdue=request.due_date < today,
                      people=_names(names, request.author_id, request.project.personal_manager_id))
        for request in requests
    ]


def calendar_entries_for(*, viewer: User, people: Collection[User], start: date, end: date) -> list[CalendarEntry]:
    """The entries of `people` from `start` to `end` (Moscow dates, both included) that `viewer` may see, sorted by
    day, then timed meetings first by time, then by kind and title."""
    if (end - start).days >= MAX_RANGE_DAYS or end < start:
        raise ValueError("calendar range must be 1…42 days")
    names = {person.pk: person.full_name for person in people}
    if not names:
        return []
    ids, today = list(names), timezone.localdate()
    entries = [
        *_meetings(viewer, ids, names, start, end),
        *_appeals(viewer, ids, names, start, end, today),
        *_tasks(viewer, ids, names, start, end, today),
        *_milestones(viewer, ids, names, start, end, today),
        *_requests(viewer, people, names, start, end, today),
    ]
    order = list(EntryKind)
    return sorted(entries, key=lambda e: (e.day, e.time == "", e.time, order.index(e.kind), e.title))
