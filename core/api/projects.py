"""Projects (read): the list and the passport a person sees (core.selectors.projects), the roadmap, the meetings
(meetings_visible_to) and the tasks (tasks_visible_to) of one project — the portal's and the cabinet's rules."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from core.api.common import READ_ERRORS, filter_schema, list_filters, person, refuse_ordering
from core.api.pagination import PageMeta, keyset_page
from core.filters.projects import ProjectFilterSet
from core.models import Project
from core.selectors.projects import LIST_RELATED, meetings_readable, project_get_for_user, project_list
from core.selectors.visibility import meetings_visible_to, tasks_visible_to

router = Router(tags=["Проекты"])


class ProjectOut(Schema):
    id: int
    registry_number: str
    name: str
    stage: str
    stage_label: str
    investor: str
    investor_inn: str
    district: str | None
    industry: str | None
    personal_manager: str | None
    investment_volume: Decimal | None
    jobs: int | None
    submitted_at: datetime
    accepted_at: date | None
    planned_start: date | None
    planned_launch: date | None
    updated_at: datetime

    @staticmethod
    def resolve_stage_label(obj: Project) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_investor(obj: Project) -> str:
        return obj.investor.short_name

    @staticmethod
    def resolve_investor_inn(obj: Project) -> str:
        return obj.investor.inn

    @staticmethod
    def resolve_district(obj: Project) -> str | None:
        return obj.district.name if obj.district_id else None

    @staticmethod
    def resolve_industry(obj: Project) -> str | None:
        return obj.industry.name if obj.industry_id else None

    @staticmethod
    def resolve_personal_manager(obj: Project) -> str | None:
        return person(obj.personal_manager)


class ProjectDetail(ProjectOut):
    description: str


class ProjectPage(PageMeta):
    items: list[ProjectOut]


ProjectFilters = filter_schema("ProjectFilters", ProjectFilterSet)


class RoadmapItemOut(Schema):
    id: int
    title: str
    status: str
    planned_start: date
    planned_end: date
    baseline_start: date
    baseline_end: date
    actual_end: date | None
    responsible: str | None
    is_overdue: bool

    @staticmethod
    def resolve_responsible(obj) -> str | None:
        if obj.responsible_user_id:
            return person(obj.responsible_user)
        return obj.responsible_organisation.short_name if obj.responsible_organisation_id else None


class MeetingOut(Schema):
    id: int
    title: str
    starts_at: datetime
    duration_minutes: int
    format: str
    place: str
    link: str
    status: str
    agenda: str
    minutes: str
    appeal_number: int | None

    @staticmethod
    def resolve_appeal_number(obj) -> int | None:
        return obj.appeal.number if obj.appeal_id else None


class TaskOut(Schema):
    id: int
    title: str
    description: str
    status: str
    due_date: date
    assignee: str | None
    author: str | None
    created_at: datetime
    completed_at: datetime | None
    result: str
    is_overdue: bool

    @staticmethod
    def resolve_assignee(obj) -> str | None:
        return person(obj.assignee)

    @staticmethod
    def resolve_author(obj) -> str | None:
        return person(obj.author)


@router.get("", response={200: ProjectPage, **READ_ERRORS}, operation_id="projects_list",
            summary="Проекты, видимые вам")
def projects_list(request: HttpRequest, filters: Query[ProjectFilters]):
    """The cabinet list's filters (core.filters.projects.ProjectFilterSet: stage__exact, district__id__exact, q, …)
    through the same selector; pages by id, newest first."""
    refuse_ordering(request.GET)
    projects = project_list(user=request.user, filters=list_filters(request)).select_related(*LIST_RELATED)
    items, cursor = keyset_page(projects, key="id", cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": cursor}


@router.get("/{project_id}", response={200: ProjectDetail, **READ_ERRORS}, operation_id="project_get",
            summary="Паспорт проекта")
def project_get(request: HttpRequest, project_id: int):
    return project_get_for_user(user=request.user, pk=project_id)


@router.get("/{project_id}/roadmap", response={200: list[RoadmapItemOut], **READ_ERRORS},
            operation_id="project_roadmap", summary="Дорожная карта проекта")
def project_roadmap(request: HttpRequest, project_id: int):
    project = project_get_for_user(user=request.user, pk=project_id)
    return list(project.roadmap.select_related("responsible_user", "responsible_organisation")
                .order_by("order", "planned_start", "pk"))


@router.get("/{project_id}/meetings", response={200: list[MeetingOut], **READ_ERRORS},
            operation_id="project_meetings", summary="Встречи по проекту")
def project_meetings(request: HttpRequest, project_id: int):
    project = project_get_for_user(user=request.user, pk=project_id)
    return meetings_readable(meetings_visible_to(request.user).filter(project=project).select_related("appeal")
                             .prefetch_related("participants").order_by("-starts_at"), request.user)


@router.get("/{project_id}/tasks", response={200: list[TaskOut], **READ_ERRORS}, operation_id="project_tasks",
            summary="Задачи проекта")
def project_tasks(request: HttpRequest, project_id: int):
    project = project_get_for_user(user=request.user, pk=project_id)
    return list(tasks_visible_to(request.user).filter(project=project).select_related("assignee", "author")
                .order_by("due_date", "pk"))
