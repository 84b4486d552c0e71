"""The project's pages besides the list and the card: the stage buttons, every change the card offers, the task
steps and the downloads.

Each view adapts: it finds the project (or task, document, meeting) through core's visibility selectors — 404
otherwise —, parses a form, calls one door or service and turns the outcome into a message and a redirect.
A stale page, a step someone else already took or a refusal comes back as the door's Russian message.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admin_site.forms import projects as forms
from admin_site.views.common import admin_page, next_url, require_view
from core.choices import ProjectStage, RequestStatus, TaskStatus
from core.documents.briefs import document_filename, project_document_docx
from core.documents.ics import meeting_ics
from core.documents.project_docx import DOCX_CONTENT_TYPE, passport_filename, project_passport_docx
from core.http import calendar_response, private_file_response
from core.models import ChecklistItem, Meeting, ParticipantRequest, Project, ProjectDocument, Task, User
from core.selectors.projects import project_document_get_for_user, project_get_for_user
from core.selectors.visibility import meetings_visible_to, projects_visible_to, requests_visible_to, tasks_visible_to
from core.services.projects import (
    checklist_tick,
    document_upload,
    land_plot_add,
    land_plot_change,
    land_plot_remove,
    measure_set,
    meeting_save,
    meeting_set_status,
    project_comment,
    project_passport_editable_by,
    project_update_passport,
    request_answer,
    request_send,
    roadmap_item_save,
)
from core.workflows.door import Conflict
from core.workflows.projects import ACTIONS, project_actions_for, project_steered_by, project_transition
from core.workflows.tasks import LABELS as TASK_LABELS
from core.workflows.tasks import task_actions_for, task_create, task_transition

FORM_TEMPLATE = "admin_site/action_form.html"

def task_badge(task: Task) -> tuple[str, str]:
    return ("danger" if task.is_overdue else TaskStatus.colour(task.status)), task.get_status_display()


def request_badge(row: ParticipantRequest) -> tuple[str, str]:
    if row.is_overdue:
        return "danger", _("Просрочен")
    return RequestStatus.colour(row.status), row.get_status_display()


def project_or_404(request: HttpRequest, object_id) -> Project:
    try:
        return project_get_for_user(user=request.user, pk=int(object_id))
    except (Project.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404(_("Проект не найден.")) from missing


def project_url(project: Project, tab: str = "") -> str:
    url = reverse("admin:core_project_change", args=[project.pk])
    return f"{url}?tab={tab}" if tab else url


def _form_page(model_admin: ModelAdmin, request: HttpRequest, *, form: Form, label: str, back: str, subject: str,
               badge: tuple[str, str] | None = None, note: str = "") -> TemplateResponse:
    return admin_page(model_admin, request, FORM_TEMPLATE, title=label, action_label=label, form=form,
                      cancel_url=back, subject=subject, badge=badge, note=note, media=form.media)


def _project_badge(project: Project) -> tuple[str, str]:
    return ProjectStage.colour(project.stage), project.get_stage_display()


def _submit(request: HttpRequest, form, run: Callable[[], object], *, label: str, back: str) -> HttpResponse | None:
    """Validate and call the door or service. A redirect when done or refused; None when the form must be shown
    again with its errors (what was typed stays)."""
    if not form.is_valid():
        return None
    try:
        run()
    except Conflict as refused:  # a stage, a task, a meeting or a roadmap item changed since the page was opened
        if hasattr(form, "show_again_after_conflict") and form.show_again_after_conflict():  # typed text stays
            return None
        messages.error(request, str(refused))
        return redirect(back)
    except PermissionDenied as refused:
        messages.error(request, str(refused) or _("Это действие вам недоступно."))
        return redirect(back)
    except ValidationError as error:
        form.add_door_errors(error)
        return None
    messages.success(request, _("«%(action)s»: готово.") % {"action": label})
    return redirect(back)


# --- the stage door --------------------------------------------------------------------------------------
def project_stage_view(request: HttpRequest, object_id, *, name: str, model_admin: ModelAdmin) -> HttpResponse:
    """GET: the stage action's form (loaded into unfold's modal); POST: core.workflows.projects' door."""
    require_view(model_admin, request)
    project = project_or_404(request, object_id)
    back, label = project_url(project), str(ACTIONS[name].label)
    if request.method == "POST":
        form = forms.StageForm(request.POST, project=project, name=name)

        def run() -> None:
            project.updated_at = form.seen_version()  # the project as the person saw it
            project_transition(project=project, name=name, actor=request.user, reason=form.cleaned_data["reason"])

        done = _submit(request, form, run, label=label, back=back)
        if done is not None:
            if not projects_visible_to(request.user).filter(pk=project.pk).exists():
                return redirect("admin:core_project_changelist")
            return done
    elif name not in {action.name for action in project_actions_for(project=project, user=request.user)}:
        messages.error(request, _("Действие «%(action)s» вам сейчас недоступно (этап проекта — «%(stage)s»).")
                       % {"action": label, "stage": project.get_stage_display()})
        return redirect(back)
    else:
        form = forms.StageForm(project=project, name=name)
    return _form_page(model_admin, request, form=form, label=label, back=back, subject=str(project),
                      badge=_project_badge(project))


# --- changes around a project ----------------------------------------------------------------------------
Run = Callable[[Project, User, Model | None, dict], object]


@dataclass(frozen=True)
class Operation:
    """One change the project page offers: its form, the one service it calls and the tab it returns to.
    `target` finds the row it is about within the project (404 otherwise); `optional` lets it also add one."""

    label: str
    tab: str
    form: type[Form]
    run: Run
    target: Callable[[Project, User, int], Model] | None = None
    optional: bool = False
    edit_label: str = ""
    may: Callable[[Project, User, Model | None], bool] | None = None
    form_kwargs: Callable[[Project, User], dict] | None = None


def _update_passport(project: Project, actor: User, target, data: dict) -> Project:
    project.updated_at = data.pop("version")  # the project as the person saw it
    return project_update_passport(project=project, actor=actor, **data)


def _passport_fields(project: Project, user: User) -> dict:
    return {"allowed": project_passport_editable_by(project=project, user=user)}


def _passport_editable(project: Project, user: User, target=None) -> bool:
    return bool(project_passport_editable_by(project=project, user=user))


def _answerable(project: Project, user: User, target) -> bool:
    return target.status == RequestStatus.SENT and user.organisation_id == target.organisation_id


def _steering(project: Project, user: User, target=None) -> bool:
    """The project's own work (checklist, measures, roadmap, meetings, requests): those who run it
    (core.workflows.projects.project_steered_by), as the services require."""
    return project_steered_by(project=project, user=user)


def _visible_request(project: Project, user: User, pk: int):
    return requests_visible_to(user).filter(project=project).select_related("organisation").get(pk=pk)


OPERATIONS: dict[str, Operation] = {
    "passport": Operation(
        gettext_lazy("Изменить паспорт"), "passport", forms.PassportForm, _update_passport,
        may=_passport_editable, form_kwargs=_passport_fields,
    ),
    "land_plot": Operation(
        gettext_lazy("Добавить земельный участок"), "passport", forms.LandPlotForm,
        lambda p, a, t, d: land_plot_add(project=p, actor=a, **d) if t is None else land_plot_change(
            plot=t, actor=a, **d),
        target=lambda p, u, pk: p.land_plots.get(pk=pk), optional=True,
        edit_label=gettext_lazy("Изменить земельный участок"), may=_passport_editable,
    ),
    "land_plot_remove": Operation(
        gettext_lazy("Удалить земельный участок"), "passport", forms.LandPlotRemoveForm,
        lambda p, a, t, d: land_plot_remove(plot=t, actor=a),
        target=lambda p, u, pk: p.land_plots.get(pk=pk), may=_passport_editable,
    ),
    "checklist": Operation(
        gettext_lazy("Отметить выполнение"), "stages", forms.ChecklistTickForm,
        lambda p, a, t, d: checklist_tick(project=p, item=t, actor=a, **d),
        target=lambda p, u, pk: ChecklistItem.objects.get(pk=pk),
        may=_steering,
    ),
    "measure": Operation(
        gettext_lazy("Добавить меру поддержки"), "stages", forms.MeasureForm,
        lambda p, a, t, d: measure_set(project=p, actor=a, **d),
        target=lambda p, u, pk: p.measures.get(pk=pk), optional=True,
        edit_label=gettext_lazy("Изменить статус меры поддержки"),
        may=_steering,
    ),
    "roadmap": Operation(
        gettext_lazy("Добавить пункт дорожной карты"), "roadmap", forms.RoadmapItemForm,
        lambda p, a, t, d: roadmap_item_save(project=p, actor=a, item=t, **d),
        target=lambda p, u, pk: p.roadmap.get(pk=pk), optional=True,
        edit_label=gettext_lazy("Изменить пункт дорожной карты"),
        may=_steering,
    ),
    "roadmap_task": Operation(
        gettext_lazy("Создать задачу"), "roadmap", forms.RoadmapTaskForm,
        lambda p, a, t, d: task_create(author=a, roadmap_item=t, due_date=None, **d),
        target=lambda p, u, pk: p.roadmap.get(pk=pk),
    ),
    "task": Operation(
        gettext_lazy("Поставить задачу"), "tasks", forms.TaskForm,
        lambda p, a, t, d: task_create(author=a, project=p, **d),
    ),
    "meeting": Operation(
        gettext_lazy("Назначить встречу"), "meetings", forms.MeetingForm,
        lambda p, a, t, d: meeting_save(project=p, actor=a, meeting=t, **d),
        target=lambda p, u, pk: p.meetings.get(pk=pk), optional=True, edit_label=gettext_lazy("Изменить встречу"),
        may=_steering,
    ),
    "meeting_status": Operation(
        gettext_lazy("Итог встречи"), "meetings", forms.MeetingStatusForm,
        lambda p, a, t, d: meeting_set_status(meeting=t, actor=a, **d),
        target=lambda p, u, pk: p.meetings.get(pk=pk),
        may=_steering,
    ),
    "document": Operation(
        gettext_lazy("Загрузить документ"), "documents", forms.DocumentForm,
        lambda p, a, t, d: document_upload(project=p, actor=a, **d),
    ),
    "request": Operation(
        gettext_lazy("Направить запрос участнику"), "requests", forms.RequestForm,
        lambda p, a, t, d: request_send(project=p, actor=a, **d),
        may=_steering,
    ),
    "request_answer": Operation(
        gettext_lazy("Ответить на запрос"), "requests", forms.RequestAnswerForm,
        lambda p, a, t, d: request_answer(request=t, actor=a, **d), target=_visible_request, may=_answerable,
    ),
    "comment": Operation(
        gettext_lazy("Добавить комментарий"), "history", forms.CommentForm,
        lambda p, a, t, d: project_comment(project=p, actor=a, **d),
    ),
}


def _target(operation: Operation, project: Project, user: User, target_id: int | None) -> Model | None:
    if target_id is None:
        if operation.target is not None and not operation.optional:
            raise Http404
        return None
    if operation.target is None:
        raise Http404
    try:
        return operation.target(project, user, target_id)
    except ObjectDoesNotExist as missing:
        raise Http404(_("Не найдено.")) from missing


def project_operation_view(request: HttpRequest, object_id, op: str, target_id: int | None = None, *,
                           model_admin: ModelAdmin) -> HttpResponse:
    """GET: the change's form (loaded into unfold's modal); POST: the one service it calls."""
    require_view(model_admin, request)
    operation = OPERATIONS.get(op)
    if operation is None:
        raise Http404
    project = project_or_404(request, object_id)
    user = request.user
    target = _target(operation, project, user, target_id)
    label = str(operation.edit_label if target is not None and operation.edit_label else operation.label)
    back = next_url(request, project_url(project, operation.tab))
    if operation.may is not None and not operation.may(project, user, target):
        messages.error(request, _("Действие «%(action)s» вам сейчас недоступно.") % {"action": label})
        return redirect(back)
    kwargs = {"project": project, "user": user, "target": target,
              **(operation.form_kwargs(project, user) if operation.form_kwargs else {})}
    if request.method == "POST":
        form = operation.form(request.POST, request.FILES, **kwargs)
        done = _submit(request, form, lambda: operation.run(project, user, target, form.data_for_service()),
                       label=label, back=back)
        if done is not None:
            if not projects_visible_to(user).filter(pk=project.pk).exists():
                # e.g. the person handed the project to another manager: it left their list, the message goes there
                return redirect("admin:core_project_changelist")
            return done
    else:
        form = operation.form(initial=request.GET.dict(), **kwargs)
    note = str(target) if target is not None else ""
    return _form_page(model_admin, request, form=form, label=label, back=back, subject=str(project),
                      badge=_project_badge(project), note=note)


# --- tasks -----------------------------------------------------------------------------------------------
def task_or_404(request: HttpRequest, object_id) -> Task:
    try:
        return tasks_visible_to(request.user).select_related("project").get(pk=int(object_id))
    except (Task.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404(_("Задача не найдена.")) from missing


def task_action_view(request: HttpRequest, object_id, *, name: str, model_admin: ModelAdmin) -> HttpResponse:
    """A step of core.workflows.tasks from the task list, the task's page or the project's «Задачи» tab."""
    require_view(model_admin, request)
    task = task_or_404(request, object_id)
    label = str(TASK_LABELS[name])
    back = next_url(request, reverse("admin:core_task_change", args=[task.pk]))
    if request.method == "POST":
        form = forms.TaskActionForm(request.POST, task=task, name=name)

        def run() -> None:
            task.updated_at = form.seen_version()  # the task as the person saw it
            task_transition(task=task, name=name, actor=request.user, result=form.cleaned_data.get("result", ""))

        done = _submit(request, form, run, label=label, back=back)
        if done is not None:
            return done
    elif name not in task_actions_for(task=task, user=request.user):
        messages.error(request, _("Действие «%(action)s» вам сейчас недоступно (задача — «%(status)s»).")
                       % {"action": label, "status": task.get_status_display()})
        return redirect(back)
    else:
        form = forms.TaskActionForm(task=task, name=name)
    return _form_page(model_admin, request, form=form, label=label, back=back, subject=task.title,
                      badge=task_badge(task), note=_("срок: %(date)s") % {
                          "date": f"{task.due_date:%d.%m.%Y}"})


# --- downloads -------------------------------------------------------------------------------------------
def project_document_download(request: HttpRequest, document_id: int, *, model_admin: ModelAdmin) -> HttpResponse:
    """A project's document, only if its project (and, for an internal one, the staff side) is visible."""
    require_view(model_admin, request)
    try:
        document = project_document_get_for_user(user=request.user, pk=document_id)
        return private_file_response(file=document.file, filename=document.original_name,
                                     content_type=document.content_type)
    except (ProjectDocument.DoesNotExist, FileNotFoundError) as missing:
        raise Http404(_("Документ не найден.")) from missing


def meeting_ics_download(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> HttpResponse:
    """The meeting as an .ics file for a calendar app."""
    require_view(model_admin, request)
    try:
        meeting = meetings_visible_to(request.user).select_related("project", "appeal").get(pk=int(object_id))
    except (Meeting.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404(_("Встреча не найдена.")) from missing
    return calendar_response(meeting_ics(meeting), filename=f"vstrecha-{meeting.pk}.ics")


def project_document_kind_download(request: HttpRequest, object_id, *, kind: str,
                                   model_admin: ModelAdmin) -> HttpResponse:
    """«Справка по проекту» and the letter drafts (core.documents.briefs) as Word files, for staff who see the
    project."""
    require_view(model_admin, request)
    project = project_or_404(request, object_id)
    data = project_document_docx(kind=kind, project=project, user=request.user)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{document_filename(kind, project)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def project_passport_download(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> HttpResponse:
    """«Скачать паспорт (DOCX)»: the project's passport as a Word document."""
    require_view(model_admin, request)
    project = project_or_404(request, object_id)
    response = HttpResponse(project_passport_docx(project=project, user=request.user), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{passport_filename(project)}"'
    response["Cache-Control"] = "private, no-store"
    return response
