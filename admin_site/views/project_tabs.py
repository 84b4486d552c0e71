"""The project page's tabs (?tab=…): each builds only its own part of the page, from core's selectors, so a tab
costs the queries it shows and nothing more."""

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admin_site.forms.projects import CommentForm, RequestAnswerForm
from admin_site.views.appeals import deadline_state
from admin_site.views.common import plain_number, rubles
from admin_site.views.projects import project_url, request_badge, task_badge
from core.choices import (
    AppealStatus,
    MeasureStatus,
    MeetingStatus,
    ProjectEventKind,
    ProjectStage,
    RequestStatus,
    RoadmapStatus,
)
from core.documents.gantt import is_late, roadmap_gantt_svg
from core.models import ChecklistItem, Project, RoadmapItem
from core.selectors.projects import project_documents_for, project_history_for
from core.selectors.visibility import (
    appeals_visible_to,
    meetings_visible_to,
    requests_visible_to,
    tasks_visible_to,
    users_visible_to,
)
from core.services.projects import project_passport_editable_by
from core.workflows.projects import project_steered_by
from core.workflows.tasks import LABELS as TASK_LABELS
from core.workflows.tasks import task_actions_for

P = ProjectStage
TABS = {
    "passport": gettext_lazy("Паспорт"),
    "stages": gettext_lazy("Этапы и меры"),
    "roadmap": gettext_lazy("Дорожная карта"),
    "tasks": gettext_lazy("Задачи"),
    "meetings": gettext_lazy("Встречи"),
    "documents": gettext_lazy("Документы"),
    "appeals": gettext_lazy("Обращения"),
    "requests": gettext_lazy("Запросы участникам"),
    "history": gettext_lazy("История"),
}
# The way of a supported project (seed: «0. Регистрация» … «3. Эксплуатационный этап»).
PATH = [P.APPLICATION, P.REVIEW, P.ACCEPTED, P.PRE_INVESTMENT, P.INVESTMENT, P.OPERATIONAL, P.COMPLETED]


def op_url(project: Project, op: str, target=None) -> str:
    args = [project.pk, op] + ([target.pk] if target is not None else [])
    return reverse("admin:core_project_op", args=args)


def _position(project: Project) -> int:
    """How far along PATH the project got: a suspended or withdrawn one where it stopped, a declined one at review."""
    stage = (project.paused_from or P.APPLICATION) if project.stage in (P.SUSPENDED, P.WITHDRAWN) else project.stage
    return PATH.index(P.REVIEW if stage == P.DECLINED else stage)


def stage_steps(project: Project) -> list[tuple[str, str]]:
    """The stepper of the page's head: each stage of PATH as done, current or still to come."""
    position = _position(project)
    return [(str(stage.label), "done" if i < position else "current" if i == position else "todo")
            for i, stage in enumerate(PATH)]


# --- tabs ------------------------------------------------------------------------------------------------
def _passport(request: HttpRequest, project: Project) -> dict:
    infrastructure = [
        (project._meta.get_field(name).verbose_name, plain_number(getattr(project, name)))
        for name in ("gas_m3_per_hour", "electricity_kw", "water_m3_per_day", "heat_gcal_per_hour")
    ]
    return {
        "infrastructure": infrastructure,
        "land_plots": [(plot, plain_number(plot.area_m2)) for plot in project.land_plots.all()],
        "people": [
            (_("Персональный менеджер"), project.personal_manager),
            (_("Инвестиционный уполномоченный района"), project.district_commissioner),
            (_("Директор"), project.director),
        ],
        "investor_people": list(users_visible_to(request.user).filter(organisation=project.investor, is_active=True)),
        "passport_editable": bool(project_passport_editable_by(project=project, user=request.user)),
    }


def _stages(request: HttpRequest, project: Project) -> dict:
    reached = PATH[: _position(project) + 1]
    marks = {mark.item_id: mark for mark in project.checklist_marks.select_related("done_by")}
    by_stage = defaultdict(list)
    for item in ChecklistItem.objects.filter(stage__in=reached):
        by_stage[item.stage].append((item, marks.get(item.pk)))
    measures = [(row, MeasureStatus.colour(row.status)) for row in project.measures.select_related("measure")]
    return {
        "checklist": [(P(stage).label, by_stage[stage]) for stage in reached if by_stage[stage]],
        "measures": measures,
    }


def _roadmap(request: HttpRequest, project: Project) -> dict:
    today = timezone.localdate()
    tasks = Prefetch("tasks", queryset=tasks_visible_to(request.user).select_related("assignee"))  # not another's work
    items = list(project.roadmap.select_related("responsible_user", "responsible_organisation")
                 .prefetch_related("predecessors", tasks))
    numbers = {item.pk: number for number, item in enumerate(items, start=1)}
    rows = [
        {
            "number": numbers[item.pk], "item": item, "late": is_late(item, today),
            "badge": (RoadmapStatus.colour(item.status), item.get_status_display()),
            "moved": (item.baseline_start, item.baseline_end) != (item.planned_start, item.planned_end),
            "after": [numbers[p.pk] for p in item.predecessors.all() if p.pk in numbers],
            "tasks": [(task, task_badge(task)) for task in item.tasks.all()],
        }
        for item in items
    ]
    return {"rows": rows, "gantt": mark_safe(roadmap_gantt_svg(items, today=today))}  # it escapes every text


def _tasks(request: HttpRequest, project: Project) -> dict:
    user = request.user
    back = urlencode({"next": project_url(project, "tasks")})
    tasks = tasks_visible_to(user).filter(project=project).select_related("assignee__organisation", "author",
                                                                          "roadmap_item")
    rows = []
    for task in tasks:
        actions = [(name, TASK_LABELS[name], f"{reverse(f'admin:core_task_action_{name}', args=[task.pk])}?{back}")
                   for name in task_actions_for(task=task, user=user)]
        rows.append({"task": task, "badge": task_badge(task), "actions": actions})
    return {"rows": rows}


def _meetings(request: HttpRequest, project: Project) -> dict:
    meetings = list(meetings_visible_to(request.user).filter(project=project)
                    .prefetch_related("participants", "organisations").order_by("starts_at"))
    now = timezone.now()
    rows = [(meeting, MeetingStatus.colour(meeting.status)) for meeting in meetings]
    return {
        "upcoming": [row for row in rows if row[0].starts_at >= now and row[0].status == MeetingStatus.PLANNED],
        "past": [row for row in reversed(rows) if row[0].starts_at < now or row[0].status != MeetingStatus.PLANNED],
        "month": month_calendar(project, meetings, _month(request.GET.get("month"))),
    }


def _documents(request: HttpRequest, project: Project) -> dict:
    return {"documents": list(project_documents_for(project=project, user=request.user))}


def _appeals(request: HttpRequest, project: Project) -> dict:
    appeals = appeals_visible_to(request.user).filter(project=project).select_related("appeal_type", "manager")
    return {"appeals": [(appeal, AppealStatus.colour(appeal.status), deadline_state(appeal))
                        for appeal in appeals.order_by("-number")]}


def _requests(request: HttpRequest, project: Project) -> dict:
    user = request.user
    rows = (requests_visible_to(user).filter(project=project)
            .select_related("organisation", "author", "answered_by").prefetch_related("documents"))
    return {"rows": [
        {"row": row, "badge": request_badge(row),
         "may_answer": row.status == RequestStatus.SENT and user.organisation_id == row.organisation_id}
        for row in rows
    ]}


def _history(request: HttpRequest, project: Project) -> dict:
    kind = request.GET.get("kind")
    kind = kind if kind in ProjectEventKind.values else None
    return {
        "kinds": [(value, label) for value, label in ProjectEventKind.choices],
        "kind": kind,
        "history": project_history_for(project=project, user=request.user, kind=kind),
        "comment_form": CommentForm(project=project, user=request.user),
    }


BUILDERS = {
    "passport": _passport, "stages": _stages, "roadmap": _roadmap, "tasks": _tasks, "meetings": _meetings,
    "documents": _documents, "appeals": _appeals, "requests": _requests, "history": _history,
}


def project_page_context(request: HttpRequest, project: Project) -> dict:
    tab = request.GET.get("tab")
    tab = tab if tab in TABS else "passport"
    return {
        "title": project.name,
        "subtitle": project.registry_number,
        "show_history": False,  # the admin's own log: the project's history is its «История» tab
        "project": project,
        "investment": rubles(project.investment_volume),
        "stage_colour": P.colour(project.stage),
        "steps": stage_steps(project),
        "tab": tab,
        "tabs": list(TABS.items()),
        "tab_template": f"admin/core/project/tabs/{tab}.html",
        # the buttons of the project's work (checklist, measures, roadmap, meetings, requests) for those who run it;
        # a body that only received a request sees the project without them (the services refuse them anyway)
        "steers": project_steered_by(project=project, user=request.user),
        **BUILDERS[tab](request, project),
    }


def request_page_context(request: HttpRequest, row) -> dict:
    """A request to a participant on its own page; its organisation's staff answer it there."""
    user = request.user
    may_answer = row.status == RequestStatus.SENT and user.organisation_id == row.organisation_id
    back = reverse("admin:core_participantrequest_change", args=[row.pk])
    return {
        "title": row.subject,
        "show_history": False,
        "row": row,
        "badge": request_badge(row),
        "documents": list(row.documents.all()),
        "answer_form": RequestAnswerForm(project=row.project, user=user, target=row) if may_answer else None,
        "answer_url": f"{op_url(row.project, 'request_answer', row)}?{urlencode({'next': back})}",
    }


# --- the project calendar --------------------------------------------------------------------------------
def _month(value: str | None) -> date:
    """?month=YYYY-MM within 1900…2100 (the calendar pages step a month either way); anything else: this month."""
    try:
        month = datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        month = None
    if month is None or not 1900 <= month.year <= 2100 or not (value or "").isascii():
        return timezone.localdate().replace(day=1)
    return month


def month_calendar(project: Project, meetings: list, month: date) -> dict:
    """The month's weeks (Monday first) with the project's meetings and roadmap milestones on their days."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    events = defaultdict(list)
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        if first <= day <= last:
            events[day].append({
                "kind": "meeting", "time": timezone.localtime(meeting.starts_at).strftime("%H:%M"),
                "text": meeting.title, "colour": MeetingStatus.colour(meeting.status),
                "cancelled": meeting.status == MeetingStatus.CANCELLED,
            })
    today = timezone.localdate()
    milestones = RoadmapItem.objects.filter(project=project, planned_end__range=(first, last))
    for item in milestones:
        colour = "danger" if is_late(item, today) else "success" if item.actual_end else "primary"
        events[item.planned_end].append({"kind": "milestone", "time": "", "text": item.title, "colour": colour,
                                         "cancelled": False})
    previous, following = (month - timedelta(days=1)).replace(day=1), (month + timedelta(days=32)).replace(day=1)
    tab_url = project_url(project, "meetings")
    return {
        "title": f"{MONTHS[month.month]} {month.year}",
        "weekdays": [_("Пн"), _("Вт"), _("Ср"), _("Чт"), _("Пт"), _("Сб"), _("Вс")],
        "weeks": [[{"day": day, "other": day.month != month.month, "today": day == today,
                    "events": sorted(events[day], key=lambda e: e["time"])} for day in week] for week in weeks],
        "previous_url": f"{tab_url}&month={previous:%Y-%m}",
        "next_url": f"{tab_url}&month={following:%Y-%m}",
        "today_url": tab_url,
    }
