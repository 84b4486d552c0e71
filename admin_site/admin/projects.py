"""Investment projects in the manager cabinet: the registry, the project page with its tabs and stage buttons,
and the lists of tasks, meetings and requests to participants.

The cabinet only adapts: who sees what is core.selectors.visibility, which stage buttons a person gets is
core.workflows.projects.project_actions_for (tasks: task_actions_for), and every change goes through the doors
and core.services.projects (admin_site.views.projects).
"""

from functools import partial

from django.contrib import admin
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RangeNumericFilter, RelatedDropdownFilter
from unfold.decorators import action, display
from unfold.enums import ActionVariant

from admin_site.admin.actions import DoorAdminMixin, dialog_action
from admin_site.admin.base import ReadOnlyModelAdmin
from admin_site.admin.filters import DayRangeFilter, RelatedOnlyDropdownFilter, overdue_filter
from admin_site.admin.project_imports import ProjectImportExportMixin
from admin_site.admin.registers import RegisterListMixin
from admin_site.badges import notices_seen_here
from admin_site.views.common import rubles
from admin_site.views.drafts import project_brief_draft_view
from admin_site.views.project_tabs import project_page_context, request_page_context
from admin_site.views.projects import (
    meeting_ics_download,
    project_document_download,
    project_document_kind_download,
    project_operation_view,
    project_passport_download,
    project_stage_view,
    project_url,
    request_badge,
    task_action_view,
    task_or_404,
)
from core.choices import BADGE_COLOURS, DocumentTemplateKind, MeetingStatus, ProjectStage, TaskStatus
from core.models import Meeting, ParticipantRequest, Project, Task
from core.selectors.projects import (
    LIST_RELATED,
    meeting_list,
    project_get_for_user,
    project_list,
    request_overdue_q,
    task_list,
    task_overdue_q,
)
from core.selectors.visibility import meetings_visible_to, projects_visible_to, requests_visible_to, tasks_visible_to
from core.services.drafts import may_draft_brief
from core.workflows.projects import ACTIONS, project_actions_for
from core.workflows.tasks import LABELS as TASK_LABELS
from core.workflows.tasks import task_actions_for

COLOURS = {colour: colour for colour in BADGE_COLOURS}  # for cells that return (colour, text)


def stage_action(name: str, icon: str, variant: ActionVariant = ActionVariant.DEFAULT):
    """An unfold detail button for the stage door's action `name` (admin_site.views.projects.project_stage_view)."""
    return dialog_action(project_stage_view, name=name, label=ACTIONS[name].label, icon=icon, variant=variant,
                         url_path=f"stage/{name}")


def task_step(name: str, icon: str, variant: ActionVariant = ActionVariant.DEFAULT):
    return dialog_action(task_action_view, name=name, label=TASK_LABELS[name], icon=icon, variant=variant)


def _person(user) -> str:
    return user.full_name if user else "—"


@admin.register(Project)
class ProjectAdmin(RegisterListMixin, DoorAdminMixin, ProjectImportExportMixin, ReadOnlyModelAdmin):
    visible_to = staticmethod(projects_visible_to)
    list_selector = staticmethod(project_list)  # the rows: core.filters.projects.ProjectFilterSet; the sidebar draws
    register_name = "projects"  # «Скачать реестр», «Мои фильтры» (admin_site.admin.registers)
    list_select_related = LIST_RELATED
    list_display = ("number", "name_and_investor", "place", "stage_badge", "investment", "manager")
    list_display_links = ("number", "name_and_investor")
    list_filter = (
        ("stage", ChoicesDropdownFilter),
        ("district", RelatedDropdownFilter),
        ("industry", RelatedDropdownFilter),
        ("personal_manager", RelatedOnlyDropdownFilter),
        ("investment_volume", RangeNumericFilter),
        ("accepted_at", DayRangeFilter),
    )
    search_fields = ("registry_number", "name", "investor__short_name", "investor__full_name", "investor__inn")
    search_help_text = _("Номер, название проекта, название или ИНН инвестора")
    ordering = ("-submitted_at",)
    change_form_template = "admin/core/project/change_form.html"
    fields = ("name",)  # the page is the template; changes go through its forms, never through this one
    actions_detail = (
        "action_start_review", "action_accept", "action_start_pre_investment", "action_start_investment",
        "action_start_operation", "action_complete", "action_resume", "action_decline",
        {"title": _("Ещё"), "icon": "more_horiz", "items": ["action_suspend", "action_withdraw"]},
        "download_passport",
        {"title": _("Справка и письма"), "icon": "description", "items": [
            "download_brief", "download_letter_authority", "download_investor_answer", "download_vks_invitation",
            "draft_brief"]},
    )

    action_start_review = stage_action("start_review", "rate_review", ActionVariant.PRIMARY)
    action_accept = stage_action("accept", "verified", ActionVariant.SUCCESS)
    action_decline = stage_action("decline", "block", ActionVariant.DANGER)
    action_start_pre_investment = stage_action("start_pre_investment", "start", ActionVariant.PRIMARY)
    action_start_investment = stage_action("start_investment", "construction", ActionVariant.PRIMARY)
    action_start_operation = stage_action("start_operation", "factory", ActionVariant.PRIMARY)
    action_complete = stage_action("complete", "task_alt", ActionVariant.SUCCESS)
    action_resume = stage_action("resume", "play_arrow", ActionVariant.PRIMARY)
    action_suspend = stage_action("suspend", "pause", ActionVariant.WARNING)
    action_withdraw = stage_action("withdraw", "undo", ActionVariant.DANGER)

    @action(description=_("Скачать паспорт (DOCX)"), url_path="passport-docx", icon="download", permissions=["view"])
    def download_passport(self, request: HttpRequest, object_id):
        return project_passport_download(request, object_id, model_admin=self)

    @action(description=DocumentTemplateKind.BRIEF.label, url_path="brief-docx", permissions=["view"])
    def download_brief(self, request: HttpRequest, object_id):
        return project_document_kind_download(request, object_id, kind=DocumentTemplateKind.BRIEF, model_admin=self)

    @action(description=DocumentTemplateKind.LETTER_AUTHORITY.label, url_path="letter-authority-docx",
            permissions=["view"])
    def download_letter_authority(self, request: HttpRequest, object_id):
        return project_document_kind_download(request, object_id, kind=DocumentTemplateKind.LETTER_AUTHORITY,
                                              model_admin=self)

    @action(description=DocumentTemplateKind.INVESTOR_ANSWER.label, url_path="investor-answer-docx",
            permissions=["view"])
    def download_investor_answer(self, request: HttpRequest, object_id):
        return project_document_kind_download(request, object_id, kind=DocumentTemplateKind.INVESTOR_ANSWER,
                                              model_admin=self)

    @action(description=DocumentTemplateKind.VKS_INVITATION.label, url_path="vks-invitation-docx",
            permissions=["view"])
    def download_vks_invitation(self, request: HttpRequest, object_id):
        return project_document_kind_download(request, object_id, kind=DocumentTemplateKind.VKS_INVITATION,
                                              model_admin=self)

    @action(description=_("Черновик справки (языковая модель)"), url_path="brief-draft", permissions=["view"])
    def draft_brief(self, request: HttpRequest, object_id):
        return project_brief_draft_view(request, object_id, model_admin=self)

    always_buttons = ("download_passport", "download_brief", "download_letter_authority", "download_investor_answer",
                      "download_vks_invitation")

    def fetch_for_user(self, *, user, pk: int):
        return project_get_for_user(user=user, pk=pk)

    def allowed_buttons(self, obj, user) -> set[str]:
        allowed = {f"action_{a.name}" for a in project_actions_for(project=obj, user=user)}
        if may_draft_brief(user):  # only while LLM_URL is set (core.services.drafts)
            allowed.add("draft_brief")
        return allowed

    def get_urls(self):
        view = self.admin_site.admin_view
        operation = view(partial(project_operation_view, model_admin=self))
        return [
            path("<int:object_id>/do/<slug:op>/", operation, name="core_project_op"),
            path("<int:object_id>/do/<slug:op>/<int:target_id>/", operation, name="core_project_op"),
            path("documents/<int:document_id>/", view(partial(project_document_download, model_admin=self)),
                 name="core_project_document"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            notices_seen_here(request, obj)  # before the header counts the bell
            context.update(project_page_context(request, obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # --- list columns ----------------------------------------------------------------------------------------
    @display(description=_("проект · инвестор"), ordering="name", header=True)
    def name_and_investor(self, obj: Project) -> tuple[str, str]:
        return obj.name, obj.investor.short_name

    @display(description=_("этап"), ordering="stage", label=ProjectStage.colours())
    def stage_badge(self, obj: Project) -> tuple[str, str]:
        return obj.stage, obj.get_stage_display()

    @display(description=_("№"), ordering="registry_number")
    def number(self, obj: Project) -> str:
        return format_html('<span class="whitespace-nowrap">{}</span>', obj.registry_number)

    @display(description=_("район · отрасль"), ordering="district__name", header=True)
    def place(self, obj: Project) -> tuple[str, str]:
        return str(obj.district or "—"), str(obj.industry or "")

    @display(description=_("инвестиции · рабочих мест"), ordering="investment_volume", header=True)
    def investment(self, obj: Project) -> tuple[str, str]:
        jobs = _("%(jobs)s раб. мест") % {"jobs": obj.jobs} if obj.jobs is not None else ""
        return rubles(obj.investment_volume), jobs

    @display(description=_("персональный менеджер"), ordering="personal_manager__last_name")
    def manager(self, obj: Project) -> str:
        return _person(obj.personal_manager)


class ProjectRowAdmin(ReadOnlyModelAdmin):
    """A list of rows around projects: each opens its project's tab, where they are changed."""

    project_tab = ""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            notices_seen_here(request, obj)  # a task's, a meeting's, a request's notices: before the bell is counted
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @display(description=_("проект"), ordering="project__registry_number")
    def project_link(self, obj) -> str:
        return str(obj.project) if obj.project_id else "—"

    @action(description=_("Открыть проект"), url_path="project", icon="open_in_new", permissions=["view"])
    def open_project(self, request: HttpRequest, object_id):
        row = self.get_object(request, object_id)
        if row is None or not row.project_id:
            raise Http404
        return redirect(project_url(row.project, self.project_tab))


@admin.register(Task)
class TaskAdmin(ProjectRowAdmin):
    visible_to = staticmethod(tasks_visible_to)
    list_selector = staticmethod(task_list)  # the rows: core.filters.tasks.TaskFilterSet; the sidebar draws
    project_tab = "tasks"
    list_select_related = ("project", "assignee__organisation", "author")
    list_display = ("title_and_project", "assignee_display", "author_display", "due_badge", "status_badge")
    list_display_links = ("title_and_project",)
    list_filter = (
        ("status", ChoicesDropdownFilter),
        overdue_filter(task_overdue_q),
        ("assignee", RelatedOnlyDropdownFilter),
        ("due_date", DayRangeFilter),
    )
    search_fields = ("title", "project__registry_number", "project__name")
    search_help_text = _("Задача, номер или название проекта")
    ordering = ("due_date", "pk")
    fields = ("title", "description", "project", "roadmap_item", "author", "assignee", "due_date", "status",
              "created_at", "completed_at", "result")
    actions_detail = ("action_start", "action_finish", "action_cancel", "open_project")

    action_start = task_step("start", "play_arrow", ActionVariant.PRIMARY)
    action_finish = task_step("finish", "task_alt", ActionVariant.SUCCESS)
    action_cancel = task_step("cancel", "cancel", ActionVariant.DANGER)

    def get_actions_detail(self, request: HttpRequest, object_id):
        try:
            task = task_or_404(request, object_id)
        except Http404:
            return []
        allowed = {f"action_{name}" for name in task_actions_for(task=task, user=request.user)}
        allowed.update({"open_project"} if task.project_id else set())
        buttons = super().get_actions_detail(request, object_id)
        return [button for button in buttons if button.method.original_function_name in allowed]

    @display(description=_("задача · проект"), ordering="title", header=True)
    def title_and_project(self, obj: Task) -> tuple[str, str]:
        return obj.title, str(obj.project) if obj.project_id else ""

    @display(description=_("исполнитель"), ordering="assignee__last_name", header=True)
    def assignee_display(self, obj: Task) -> tuple[str, str]:
        return obj.assignee.full_name, str(obj.assignee.organisation or "")

    @display(description=_("автор"), ordering="author__last_name")
    def author_display(self, obj: Task) -> str:
        return obj.author.full_name

    @display(description=_("срок"), ordering="due_date", label=COLOURS)
    def due_badge(self, obj: Task) -> tuple[str, str]:
        colour = "danger" if obj.is_overdue else "default"
        return colour, f"{obj.due_date:%d.%m.%Y}" + (f" · {_('просрочена')}" if obj.is_overdue else "")

    @display(description=_("статус"), ordering="status", label=COLOURS)
    def status_badge(self, obj: Task) -> tuple[str, str]:
        return TaskStatus.colour(obj.status), obj.get_status_display()  # the due date's badge already says «просрочена»


@admin.register(Meeting)
class MeetingAdmin(ProjectRowAdmin):
    visible_to = staticmethod(meetings_visible_to)
    list_selector = staticmethod(meeting_list)  # the rows: core.filters.meetings.MeetingFilterSet; the sidebar draws
    project_tab = "meetings"
    list_select_related = ("project", "appeal")
    list_display = ("when", "title_and_project", "format", "place_or_link", "status_badge")
    list_display_links = ("when", "title_and_project")
    list_filter = (("status", ChoicesDropdownFilter), ("format", ChoicesDropdownFilter), ("starts_at", DayRangeFilter))
    search_fields = ("title", "project__registry_number", "project__name", "=appeal__number")
    search_help_text = _("Тема, номер или название проекта, номер обращения")
    ordering = ("-starts_at",)
    fields = ("title", "project", "appeal", "starts_at", "duration_minutes", "format", "place", "link", "participants",
              "organisations", "agenda", "minutes", "status")
    actions_detail = ("download_ics", "open_project", "open_appeal")

    def get_actions_detail(self, request: HttpRequest, object_id):
        """«Открыть проект» / «Открыть обращение» only where the meeting has one (a meeting about an appeal may
        have no project)."""
        meeting = self.get_object(request, object_id)
        hidden = set() if meeting is None else {
            name for name, present in (("open_project", meeting.project_id), ("open_appeal", meeting.appeal_id))
            if not present
        }
        buttons = super().get_actions_detail(request, object_id)
        return [button for button in buttons if button.method.original_function_name not in hidden]

    @action(description=_("Скачать .ics"), url_path="ics", icon="event", permissions=["view"])
    def download_ics(self, request: HttpRequest, object_id):
        return meeting_ics_download(request, object_id, model_admin=self)

    @action(description=_("Открыть обращение"), url_path="appeal", icon="open_in_new", permissions=["view"])
    def open_appeal(self, request: HttpRequest, object_id):
        meeting = self.get_object(request, object_id)
        if meeting is None or not meeting.appeal_id:
            raise Http404
        return redirect("admin:core_appeal_change", meeting.appeal_id)

    @display(description=_("когда"), ordering="starts_at")
    def when(self, obj: Meeting) -> str:
        return f"{timezone.localtime(obj.starts_at):%d.%m.%Y %H:%M}"

    @display(description=_("тема · проект или обращение"), ordering="title", header=True)
    def title_and_project(self, obj: Meeting) -> tuple[str, str]:
        about = [str(obj.project)] if obj.project_id else []
        if obj.appeal_id:
            about.append(_("Обращение №%(number)s") % {"number": obj.appeal.number})
        return obj.title, " · ".join(about)

    @display(description=_("место или ссылка"))
    def place_or_link(self, obj: Meeting) -> str:
        return obj.place or obj.link or "—"

    @display(description=_("статус"), ordering="status", label=COLOURS)
    def status_badge(self, obj: Meeting) -> tuple[str, str]:
        return MeetingStatus.colour(obj.status), obj.get_status_display()


@admin.register(ParticipantRequest)
class ParticipantRequestAdmin(ProjectRowAdmin):
    """For participants: the requests to their organisation, answered on the request's page."""

    visible_to = staticmethod(requests_visible_to)
    project_tab = "requests"
    list_select_related = ("project", "organisation", "author")
    list_display = ("subject_and_project", "organisation", "sent", "due_badge", "status_badge")
    list_display_links = ("subject_and_project",)
    list_filter = (
        ("status", ChoicesDropdownFilter),
        overdue_filter(request_overdue_q),
        ("organisation", RelatedOnlyDropdownFilter),
        ("sent_at", DayRangeFilter),
    )
    search_fields = ("subject", "project__registry_number", "project__name")
    search_help_text = _("Тема, номер или название проекта")
    ordering = ("-sent_at",)
    change_form_template = "admin/core/participantrequest/change_form.html"
    fields = ("subject",)
    actions_detail = ("open_project",)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        queryset = requests_visible_to(request.user).select_related("project", "organisation", "author",
                                                                   "answered_by")
        try:
            return queryset.get(pk=int(object_id))
        except (ParticipantRequest.DoesNotExist, ValueError):
            return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(request_page_context(request, obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @display(description=_("запрос · проект"), ordering="subject", header=True)
    def subject_and_project(self, obj: ParticipantRequest) -> tuple[str, str]:
        return obj.subject, str(obj.project)

    @display(description=_("направлен"), ordering="sent_at")
    def sent(self, obj: ParticipantRequest) -> str:
        return f"{timezone.localtime(obj.sent_at):%d.%m.%Y}"

    @display(description=_("ответить до"), ordering="due_date", label=COLOURS)
    def due_badge(self, obj: ParticipantRequest) -> tuple[str, str]:
        return ("danger" if obj.is_overdue else "default"), f"{obj.due_date:%d.%m.%Y}"

    @display(description=_("статус"), ordering="status", label=COLOURS)
    def status_badge(self, obj: ParticipantRequest) -> tuple[str, str]:
        return request_badge(obj)
