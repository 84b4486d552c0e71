"""The investor's projects: «Мои проекты», «Подать заявку на проект» and the project page with its tabs (Паспорт,
Мои документы, Задачи, Дорожная карта, История проекта; «Встречи» live in core.portal.project_meetings).
Reads go through core.selectors, every change through core.workflows and core.services; these views only adapt."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.choices import ProjectStage, TaskStatus
from core.documents.gantt import is_late, roadmap_gantt_svg
from core.documents.project_docx import DOCX_CONTENT_TYPE, passport_filename, project_passport_docx
from core.filters.projects import ProjectFilterSet
from core.formatting import format_decimal, input_number
from core.http import private_file_response
from core.models import LandPlot, Project, ProjectDocument, RoadmapItem, Task, User
from core.portal.forms import add_service_errors
from core.portal.list_filters import list_filter, marked
from core.portal.navigation import PROJECT_TABS, cabinet_tab, project_tab
from core.portal.project_forms import (
    INFRASTRUCTURE_FIELDS,
    DocumentForm,
    HistoryFilterForm,
    LandPlotForm,
    PassportEditForm,
    PassportForm,
    TaskForm,
    VersionForm,
    WithdrawForm,
)
from core.portal.views import CabinetView, InvestorRequiredMixin
from core.selectors.projects import (
    LIST_RELATED,
    project_document_get_for_user,
    project_documents_for,
    project_get_for_user,
    project_history_for,
    project_list,
    project_list_for_user,
)
from core.selectors.visibility import tasks_visible_to
from core.services.notifications import notices_seen
from core.services.projects import (
    documents_upload,
    land_plot_add,
    land_plot_change,
    land_plot_remove,
    project_passport_editable_by,
    project_update_passport,
)
from core.workflows.projects import (
    CONCURRENT_CHANGE,
    ProjectConflict,
    project_actions_for,
    project_apply,
    project_transition,
)
from core.workflows.tasks import CONCURRENT_CHANGE as TASK_CHANGED
from core.workflows.tasks import TaskConflict, task_actions_for, task_create, task_transition

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 50
# the project lists' filter form: the fields of ProjectFilterSet it offers, a search box with its placeholder
FILTER_FIELDS = {"stage__exact": "", "q": _("Номер, название или слова из паспорта")}
P = ProjectStage
# The way a supported project goes; declined, suspended and withdrawn leave it at some step.
MAIN_PATH = (P.APPLICATION, P.REVIEW, P.ACCEPTED, P.PRE_INVESTMENT, P.INVESTMENT, P.OPERATIONAL, P.COMPLETED)
PLOT_IDS, WITHDRAW_IDS = "id_plot_%s", "id_withdraw_%s"  # two forms on the passport tab: unique label ids


def _badge(project: Project) -> Project:
    project.stage_colour = ProjectStage.colour(project.stage)
    return project


def _may_apply(user: User) -> bool:
    return bool(user.organisation_id and user.membership_confirmed)


# --- «Мои проекты» and the cabinet's project tabs -----------------------------------------------------------
class ProjectListView(CabinetView):
    """«Мои проекты», filtered by stage and searched by number, name or words (core.filters.projects.ProjectFilterSet
    through project_list); with `straight_to_single` it is a cabinet tab about projects (documents, tasks…): one
    project opens that tab of the project page at once, several are listed to choose from."""

    template_name = "portal/project_list.html"
    section = "projects"
    straight_to_single = False

    def get(self, request, *args, **kwargs):
        if self.straight_to_single:
            first = list(project_list_for_user(request.user).values_list("pk", flat=True)[:2])
            if len(first) == 1:
                return redirect(self.target().url_name, first[0])
        return super().get(request, *args, **kwargs)

    def target(self):
        return project_tab(cabinet_tab(self.section).project_tab)

    def get_context_data(self, **kwargs):
        found = list_filter(self.request, select=project_list, filterset=ProjectFilterSet, fields=FILTER_FIELDS)
        projects = Project.objects.none() if found.rows is None else found.rows
        page = Paginator(projects.select_related(*LIST_RELATED), PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = [_badge(project) for project in page.object_list]
        marked(page.object_list, "name", found.form.data.get("q", ""))
        return super().get_context_data(
            page=page, target=self.target(), chooser=self.straight_to_single,
            may_apply=_may_apply(self.request.user), list_filter=found, **kwargs,
        )


class ProjectApplyView(InvestorRequiredMixin, View):
    """«Подать заявку на проект»: the passport an investor fills; the project starts as «Заявка»."""

    def get(self, request):
        company = request.user.organisation
        return self.render_form(PassportForm(initial={"district": company.district_id if company else None}))

    def post(self, request):
        if not _may_apply(request.user):
            return self.render_form(None)
        form = PassportForm(request.POST)
        if form.is_valid():
            try:
                project = project_apply(applicant=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    gettext("Заявка подана, проекту присвоен номер %(number)s. Ход рассмотрения — на этой странице.")
                    % {"number": project.registry_number},
                )
                return redirect("portal:project_passport", project.pk)
        return self.render_form(form)

    def render_form(self, form: PassportForm | None) -> HttpResponse:
        return render(
            self.request, "portal/project_form.html", {"form": form if _may_apply(self.request.user) else None}
        )


# --- the project page ---------------------------------------------------------------------------------------
def stage_progress(project: Project) -> list[dict]:
    """The steps of MAIN_PATH up to where the project is: done, the current one, then the ones ahead.
    A declined project ends after the review; a suspended or withdrawn one stops at the stage it left."""
    stage = project.stage
    if stage == P.DECLINED:
        return [*({"label": s.label, "state": "done"} for s in MAIN_PATH[:2]),
                {"label": P.DECLINED.label, "state": "stopped"}]
    stopped = stage in (P.SUSPENDED, P.WITHDRAWN)
    where = MAIN_PATH.index(project.paused_from or P.APPLICATION) if stopped else MAIN_PATH.index(stage)
    steps = []
    for index, step in enumerate(MAIN_PATH):
        if index < where or (stage == P.COMPLETED and index == where):
            state = "done"
        elif index == where:
            state = "stopped" if stopped else "current"
        else:
            state = "todo"
        note = project.get_stage_display() if stopped and index == where else ""
        steps.append({"label": step.label, "state": state, "note": note})
    return steps


class ProjectPageView(InvestorRequiredMixin, View):
    """A tab of the project page. Another company's project, and any object under it, answers 404."""

    tab = "passport"
    template_name = "portal/projects/passport.html"

    def get(self, request, pk):
        project = self.get_project()
        notices_seen(user=request.user, obj=project)  # its notices are read: the bell counts what is still new
        return self.render_page(project)

    def get_project(self) -> Project:
        try:
            return _badge(project_get_for_user(user=self.request.user, pk=self.kwargs["pk"]))
        except Project.DoesNotExist:
            raise Http404 from None

    def tab_context(self, project: Project) -> dict:
        return {}

    def render_page(self, project: Project, *, status: int = 200, **keep) -> HttpResponse:
        """`keep` overrides the tab's fresh context: a posted form shown again with its errors."""
        context = {
            "project": project,
            "tabs": PROJECT_TABS,
            "active_tab": project_tab(self.tab),
            "progress": stage_progress(project),
            **self.tab_context(project),
            **keep,
        }
        return render(self.request, self.template_name, context, status=status)

    def tab_url(self, project: Project, anchor: str = "") -> str:
        return reverse(project_tab(self.tab).url_name, args=[project.pk]) + (f"#{anchor}" if anchor else "")


# --- Паспорт ------------------------------------------------------------------------------------------------
def _number(value: Decimal | None) -> str:
    """2 500 and 1,2 rather than 2500,00 and 1,200: a capacity without the zeros its column keeps."""
    return format_decimal(value)


class PassportView(ProjectPageView):
    """The passport and the review's progress; land plots are added and the application withdrawn here."""

    plot_form: LandPlotForm | None = None  # a posted form shown again, while its action is still allowed
    withdraw_form: WithdrawForm | None = None

    def tab_context(self, project):
        user = self.request.user
        editable = bool(project_passport_editable_by(project=project, user=user))
        may_withdraw = any(action.name == "withdraw" for action in project_actions_for(project=project, user=user))
        version = project.updated_at.isoformat()
        return {
            "editable": editable,
            "infrastructure": [
                (capfirst(Project._meta.get_field(name).verbose_name), _number(getattr(project, name)))
                for name in INFRASTRUCTURE_FIELDS
            ],
            "land_plots": list(project.land_plots.all()),
            "measures": list(project.measures.select_related("measure")),
            "plot_form": (self.plot_form or LandPlotForm(auto_id=PLOT_IDS)) if editable else None,
            "withdraw_form": (self.withdraw_form or WithdrawForm(initial={"version": version}, auto_id=WITHDRAW_IDS))
            if may_withdraw else None,
        }


class PassportDocxView(ProjectPageView):
    """«Скачать паспорт (DOCX)»: the passport as a Word document, with the public part of the history only."""

    def get(self, request, pk):
        project = self.get_project()
        response = HttpResponse(project_passport_docx(project=project, user=request.user),
                                content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{passport_filename(project)}"'
        response["Cache-Control"] = "private, no-store"
        return response


class PassportEditView(ProjectPageView):
    """«Изменить паспорт», only while the project is an application."""

    template_name = "portal/projects/passport_form.html"

    def get(self, request, pk):
        project = self.get_project()
        if not project_passport_editable_by(project=project, user=request.user):
            return self.closed(project)
        initial = {**PassportForm.initial_for(project), "version": project.updated_at.isoformat()}
        return self.render_page(project, form=PassportEditForm(initial=initial))

    def post(self, request, pk):
        project = self.get_project()
        if not project_passport_editable_by(project=project, user=request.user):
            return self.closed(project)
        form = PassportEditForm(request.POST)
        if not form.is_valid():
            return self.render_page(project, form=form)
        values = {key: value for key, value in form.cleaned_data.items() if key != "version"}
        if form.cleaned_data["version"] != project.updated_at:
            messages.error(request, CONCURRENT_CHANGE)
            fresh = PassportEditForm(initial={**values, "version": project.updated_at.isoformat()})
            return self.render_page(project, form=fresh, status=409)
        try:
            project_update_passport(project=project, actor=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_page(self.get_project(), form=form)  # the service changed the object it refused
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(self.tab_url(project))
        messages.success(request, gettext("Паспорт проекта сохранён."))
        return redirect(self.tab_url(project))

    def closed(self, project: Project) -> HttpResponse:
        messages.info(self.request, gettext("Паспорт можно изменить, пока проект в статусе «Заявка»."))
        return redirect(self.tab_url(project))


class LandPlotAddView(PassportView):
    http_method_names = ["post"]

    def post(self, request, pk):
        project = self.get_project()
        form = LandPlotForm(request.POST, auto_id=PLOT_IDS)
        def save(data):
            return land_plot_add(project=project, actor=request.user, **data)

        saved = _plot_saved(self, project, form, save, gettext("Земельный участок %(number)s добавлен."))
        if saved:
            return saved
        self.plot_form = form  # shown again on the passport, in its open «Добавить земельный участок»
        return self.render_page(project)


def _plot_or_404(project: Project, plot_pk: int) -> LandPlot:
    plot = project.land_plots.filter(pk=plot_pk).first()
    if plot is None:
        raise Http404
    return plot


def _plot_saved(view: ProjectPageView, project: Project, form: LandPlotForm, save, done) -> HttpResponse | None:
    """A land plot form's data through its service (`save(cleaned_data)` → the plot): back to the passport's plots
    with `done` («…%(number)s…»), or to the passport with the refusal; None when the form is to be shown again with
    its errors (its own, or the service's)."""
    if not form.is_valid():
        return None
    try:
        plot = save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    except PermissionDenied as error:
        messages.error(view.request, str(error))
        return redirect(view.tab_url(project))
    messages.success(view.request, done % {"number": plot.cadastral_number})
    return redirect(view.tab_url(project, "land-plots"))


class LandPlotChangeView(PassportEditView):
    """«Изменить» on a land plot of the passport, while the investor may still edit it (an application): the number,
    area, location or rights corrected in place (before, the only way was to remove the plot and add it again)."""

    template_name = "portal/projects/land_plot_form.html"

    def get(self, request, pk, plot_pk):
        project = self.get_project()
        plot = _plot_or_404(project, plot_pk)
        if not project_passport_editable_by(project=project, user=request.user):
            return self.closed(project)
        initial = {"cadastral_number": plot.cadastral_number, "area_m2": input_number(plot.area_m2),
                   "address": plot.address, "rights": plot.rights}
        return self.render_page(project, plot=plot, form=LandPlotForm(initial=initial))

    def post(self, request, pk, plot_pk):
        project = self.get_project()
        plot = _plot_or_404(project, plot_pk)
        if not project_passport_editable_by(project=project, user=request.user):
            return self.closed(project)
        form = LandPlotForm(request.POST)
        saved = _plot_saved(self, project, form, lambda data: land_plot_change(plot=plot, actor=request.user, **data),
                            gettext("Сведения о земельном участке %(number)s сохранены."))
        return saved or self.render_page(project, plot=plot, form=form)


class LandPlotRemoveView(PassportView):
    """«Удалить» on a land plot of the passport, while the investor may still edit it (an application)."""

    http_method_names = ["post"]

    def post(self, request, pk, plot_pk):
        project = self.get_project()
        plot = _plot_or_404(project, plot_pk)
        try:
            land_plot_remove(plot=plot, actor=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("Земельный участок %(number)s удалён из паспорта.")
                             % {"number": plot.cadastral_number})
        return redirect(self.tab_url(project, "land-plots"))


class WithdrawView(PassportView):
    """«Отозвать заявку» with a reason, while the project is an application or under review."""

    http_method_names = ["post"]

    def post(self, request, pk):
        project = self.get_project()
        form = WithdrawForm(request.POST, auto_id=WITHDRAW_IDS)
        if not form.is_valid() and not form.has_error("version"):
            self.withdraw_form = form
            return self.render_page(project)
        seen = form.cleaned_data.get("version")
        if seen != project.updated_at:
            return self.conflict(project, form)
        project.updated_at = seen  # the door compares it again under the row lock
        try:
            project_transition(project=project, name="withdraw", actor=request.user, reason=form.cleaned_data["reason"])
        except ProjectConflict:
            return self.conflict(self.get_project(), form)
        except ValidationError as error:
            add_service_errors(form, error)
            self.withdraw_form = form
            return self.render_page(project)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(self.tab_url(project))
        messages.success(request, gettext("Заявка отозвана. Персональный менеджер увидит причину в истории проекта."))
        return redirect(self.tab_url(project))

    def conflict(self, project: Project, form: WithdrawForm) -> HttpResponse:
        """Nothing was written: show the fresh project; keep the typed reason if withdrawing is still allowed."""
        messages.error(self.request, CONCURRENT_CHANGE)
        initial = {"reason": form.data.get("reason", ""), "version": project.updated_at.isoformat()}
        self.withdraw_form = WithdrawForm(initial=initial, auto_id=WITHDRAW_IDS)
        return self.render_page(project, status=409)


# --- Мои документы ------------------------------------------------------------------------------------------
class DocumentsView(ProjectPageView):
    tab = "documents"
    template_name = "portal/projects/documents.html"

    def tab_context(self, project):
        return {
            "documents": list(project_documents_for(project=project, user=self.request.user)),
            "form": DocumentForm(),
        }

    def post(self, request, pk):
        project = self.get_project()
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:  # all or nothing: a limit or a full disk leaves none of the files
                documents_upload(project=project, actor=request.user, uploads=data["files"], kind=data["kind"],
                                 title=data["title"])
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect(self.tab_url(project))
            else:
                count = len(data["files"])
                messages.success(request, ngettext("Документ загружен.", "Загружено документов: %(count)s.", count)
                                 % {"count": count})
                return redirect(self.tab_url(project))
        return self.render_page(project, form=form)


class DocumentFileView(ProjectPageView):
    def get(self, request, pk, document_pk):
        try:
            document = project_document_get_for_user(user=request.user, pk=document_pk)
            if document.project_id != pk:
                raise Http404
            return private_file_response(
                file=document.file, filename=document.original_name, content_type=document.content_type
            )
        except (ProjectDocument.DoesNotExist, FileNotFoundError):
            raise Http404 from None


# --- Задачи ---------------------------------------------------------------------------------------------------
def _people(project: Project) -> list[tuple[User, str]]:
    """Whom an investor may set a task for: the project's personal manager and district commissioner."""
    people = [
        (project.personal_manager, gettext("персональный менеджер")),
        (project.district_commissioner, gettext("уполномоченный района")),
    ]
    return [(person, role) for person, role in people if person is not None and person.is_active]


class TasksView(ProjectPageView):
    tab = "tasks"
    template_name = "portal/projects/tasks.html"

    def tab_context(self, project):
        user = self.request.user
        tasks = list(tasks_visible_to(user).filter(project=project).select_related("assignee", "author"))
        for task in tasks:
            task.status_colour = TaskStatus.colour(task.status)
            task.may_cancel = "cancel" in task_actions_for(task=task, user=user)
        people = _people(project)
        return {"tasks": tasks, "form": TaskForm(people=people) if people else None}

    def post(self, request, pk):
        project = self.get_project()
        people = _people(project)
        if not people:
            return self.render_page(project)
        form = TaskForm(request.POST, people=people)
        if form.is_valid():
            try:
                task = task_create(author=request.user, project=project, **form.task_data())
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect(self.tab_url(project))
            else:
                messages.success(request, gettext("Задача поставлена: %(who)s, срок %(date)s.")
                                 % {"who": task.assignee.full_name, "date": f"{task.due_date:%d.%m.%Y}"})
                return redirect(self.tab_url(project))
        return self.render_page(project, form=form)


class TaskCancelView(TasksView):
    """The author cancels a task they set (a one-button action: a stale page gets a message, nothing typed is lost)."""

    http_method_names = ["post"]

    def post(self, request, pk, task_pk):
        project = self.get_project()
        try:
            task = tasks_visible_to(request.user).filter(project=project).get(pk=task_pk)
        except Task.DoesNotExist:
            raise Http404 from None
        form = VersionForm(request.POST)
        seen = form.cleaned_data["version"] if form.is_valid() else None
        if seen != task.updated_at:
            messages.error(request, TASK_CHANGED)
            return redirect(self.tab_url(project))
        task.updated_at = seen
        try:
            task_transition(task=task, name="cancel", actor=request.user)
        except (TaskConflict, PermissionDenied) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("Задача «%(title)s» отменена.") % {"title": task.title})
        return redirect(self.tab_url(project))


# --- Дорожная карта -------------------------------------------------------------------------------------------
def roadmap_for(project: Project, today: date) -> list[RoadmapItem]:
    """The project's roadmap items (the investor sees them all, read-only), each marked late as the Gantt marks it."""
    items = list(project.roadmap.select_related("responsible_user", "responsible_organisation"))
    for item in items:
        item.late = is_late(item, today)
    return items


class RoadmapView(ProjectPageView):
    tab = "roadmap"
    template_name = "portal/projects/roadmap.html"

    def tab_context(self, project):
        today = timezone.localdate()
        items = roadmap_for(project, today)
        gantt = mark_safe(roadmap_gantt_svg(items, today=today)) if items else ""  # it escapes every text it writes
        return {"items": items, "gantt": gantt}


# --- История проекта --------------------------------------------------------------------------------------------
def _who(actor: User | None, project: Project, user: User) -> str:
    """The person and why they matter to this investor, without loading anyone's organisation."""
    if actor is None:
        return gettext("Система")
    name = actor.full_name or actor.email
    if actor.pk == user.pk:
        return gettext("%(name)s (вы)") % {"name": name}
    role = {
        project.personal_manager_id: gettext("персональный менеджер"),
        project.district_commissioner_id: gettext("уполномоченный района"),
        project.director_id: gettext("директор"),
    }.get(actor.pk)
    if role is None and actor.organisation_id == project.investor_id:
        role = project.investor.short_name
    return f"{name}, {role}" if role else name


class HistoryView(ProjectPageView):
    tab = "history"
    template_name = "portal/projects/history.html"

    def tab_context(self, project):
        user = self.request.user
        form = HistoryFilterForm(self.request.GET)
        kind = form.cleaned_data["kind"] if form.is_valid() else ""
        rows = project_history_for(project=project, user=user, kind=kind or None)
        page = Paginator(rows, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = [{"row": row, "who": _who(row.actor, project, user)} for row in page.object_list]
        return {"form": form, "page": page, "kind": kind}
