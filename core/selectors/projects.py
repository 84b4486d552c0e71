"""Reads of projects for both faces; every one starts from a *_visible_to(user) selector."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.choices import ProjectEventKind, RequestStatus, TaskStatus
from core.filters.base import filtered
from core.filters.meetings import MeetingFilterSet
from core.filters.projects import ProjectFilterSet
from core.models import AppealEvent, Meeting, Project, ProjectDocument, ProjectEvent, Task, User
from core.selectors.visibility import (
    appeals_visible_to,
    is_staff_member,
    projects_visible_to,
    requests_visible_to,
    sees_all_requests,
)

LIST_RELATED = ("investor", "district", "industry", "personal_manager")


def project_list_for_user(user: User) -> QuerySet[Project]:
    return projects_visible_to(user).select_related(*LIST_RELATED)


def project_list(*, user: User, filters: Mapping[str, str]) -> QuerySet[Project]:
    """The projects `user` sees, narrowed by `filters` (core.filters.projects.ProjectFilterSet: stage__exact, q,
    o…, as the cabinet's list writes them) and ordered by `o` or newest application first. Raises
    core.filters.FilterError (Russian `messages`, the bound `form`) for a value or key that is no filter of the list."""
    return filtered(ProjectFilterSet(filters, user=user))


def task_list(*, user: User, filters: Mapping[str, str]) -> QuerySet[Task]:
    """The tasks `user` sees, narrowed by `filters` (core.filters.tasks.TaskFilterSet), the nearest due date first.
    Raises core.filters.FilterError as project_list does."""
    from core.filters.tasks import TaskFilterSet  # it builds on task_overdue_q below

    return filtered(TaskFilterSet(filters, user=user))


def meeting_list(*, user: User, filters: Mapping[str, str]) -> QuerySet[Meeting]:
    """The meetings `user` sees, narrowed by `filters` (core.filters.meetings.MeetingFilterSet), the latest first.
    Raises core.filters.FilterError as project_list does."""
    return filtered(MeetingFilterSet(filters, user=user))


def project_get_for_user(*, user: User, pk: int) -> Project:
    """Project.DoesNotExist when the user may not see it: the screens answer 404."""
    return project_list_for_user(user).select_related("district_commissioner", "director").get(pk=pk)


def _documents_readable(documents: QuerySet[ProjectDocument], user: User) -> QuerySet[ProjectDocument]:
    """Investors read the documents that are not internal; staff read every document except the answers to requests
    they may not see (requests_visible_to): one body does not read another's answer on a shared project."""
    if not is_staff_member(user):
        return documents.filter(is_internal=False)
    if sees_all_requests(user):
        return documents
    return documents.filter(Q(request__isnull=True) | Q(request__in=requests_visible_to(user)))


def project_documents_for(*, project: Project, user: User) -> QuerySet[ProjectDocument]:
    return _documents_readable(project.documents.select_related("uploaded_by"), user)


def project_document_get_for_user(*, user: User, pk: int) -> ProjectDocument:
    documents = ProjectDocument.objects.filter(project__in=projects_visible_to(user))
    return _documents_readable(documents, user).select_related("project").get(pk=pk)


def meetings_readable(meetings: Iterable[Meeting], user: User) -> list[Meeting]:
    """The meetings as `user` may read them. A meeting about an appeal is the staff's: its minutes are an internal
    note of the appeal door («инвестору не показывается»), and its video link and agenda went only to the people it
    invited. So an investor reads its minutes empty, and its link and agenda only when someone of their company takes
    part (`investor_invited`; the .ics needs it too) — on the portal and in the API, whether the meeting shows under
    the appeal or under its project. The participants are read from `meeting.participants.all()` (prefetch them).
    For display only: the instances are never saved."""
    meetings = list(meetings)
    staff = is_staff_member(user)
    for meeting in meetings:
        meeting.investor_invited = True
        if staff or not meeting.appeal_id:
            continue
        meeting.minutes = ""
        invited = any(person.organisation_id == user.organisation_id for person in meeting.participants.all())
        if not invited:
            meeting.investor_invited = False
            meeting.link = meeting.agenda = ""
    return meetings


def task_overdue_q() -> Q:
    return Q(status__in=TaskStatus.open(), due_date__lt=timezone.localdate())


def request_overdue_q() -> Q:
    return Q(status=RequestStatus.SENT, due_date__lt=timezone.localdate())


@dataclass(frozen=True)
class HistoryRow:
    when: datetime
    kind: str
    kind_label: str
    actor: User | None
    text: str
    is_public: bool
    from_label: str = ""
    to_label: str = ""


def _status_change_labels(event: AppealEvent) -> tuple[str, str]:
    """«было», «стало» of an appeal's row that moved its status; none for a row that left it as it was (a comment
    records the status it was made in as both, which read «Решено → Решено»)."""
    if not event.to_status or event.from_status == event.to_status:
        return "", ""
    return (event.get_from_status_display() if event.from_status else "", event.get_to_status_display())


def _request_row_readable(event: ProjectEvent, readable: set[int], reads_all: bool) -> bool:
    request = (event.data or {}).get("request")
    if request is None:  # a request row that names none is read by whoever reads every request of the project
        return event.kind != ProjectEventKind.REQUEST or reads_all
    return request in readable


def project_history_for(*, project: Project, user: User, kind: str | None = None) -> list[HistoryRow]:
    """The project's one timeline: its own events and the events of the appeals linked to it, newest first;
    investors see the public part. An appeal's events appear only to those who may see the appeal
    (appeals_visible_to): a participant who sees the project through a request does not read the appeals of
    others. `kind` filters by ProjectEventKind. Every face and file of the history reads it here."""
    staff = is_staff_member(user)
    events = project.events.select_related("actor__organisation")
    if not staff:
        events = events.filter(is_public=True)
    if kind:
        events = events.filter(kind=kind)
    if staff and not sees_all_requests(user) and kind in (None, ProjectEventKind.REQUEST, ProjectEventKind.DOCUMENT):
        # A request's rows (sent, answered, the answer's files) are read by those who may read the request; a request
        # row that names none (one migration 0026 could not tie) by those who read every request of the project.
        readable = set(requests_visible_to(user).filter(project=project).values_list("pk", flat=True))
        reads_all = readable == set(project.requests.values_list("pk", flat=True))
        events = [e for e in events if _request_row_readable(e, readable, reads_all)]
    rows = [
        HistoryRow(e.created_at, e.kind, e.get_kind_display(), e.actor, e.text, e.is_public,
                   e.get_from_stage_display() if e.from_stage else "", e.get_to_stage_display() if e.to_stage else "")
        for e in events
    ]
    if kind in (None, ProjectEventKind.APPEAL):
        appeal_events = AppealEvent.objects.filter(
            appeal__project=project, appeal__in=appeals_visible_to(user)
        ).select_related("actor", "appeal")
        if not staff:
            appeal_events = appeal_events.filter(is_public=True)
        rows += [
            HistoryRow(e.created_at, ProjectEventKind.APPEAL, str(ProjectEventKind.APPEAL.label), e.actor,
                       f"№{e.appeal.number} «{e.appeal.subject}»: {e.get_kind_display()}"
                       + (f" — {e.text}" if e.text else ""), e.is_public,
                       *_status_change_labels(e))
            for e in appeal_events
        ]
    return sorted(rows, key=lambda row: row.when, reverse=True)
