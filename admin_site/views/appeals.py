"""The appeal's pages besides the list and the card: action forms, the fact's stream, downloads.

Each view adapts: it finds the appeal through core's visibility selectors (404 otherwise), calls the one door
or a selector, and turns the result into a message, a redirect, a page or a file.
"""

from datetime import date

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from admin_site.forms.appeals import ACTION_FORMS, CommentForm
from admin_site.views.common import admin_page, require_view
from core.choices import (
    APPEAL_ROLES,
    AppealEventKind,
    AppealStatus,
    DocumentTemplateKind,
    FileKind,
    OrganisationKind,
)
from core.documents.appeal_docx import appeal_card_docx
from core.documents.briefs import project_document_docx
from core.http import private_file_response
from core.models import Appeal, AppealEvent, AppealFile, Fact, Project, User
from core.roles import Role
from core.selectors.appeals import (
    appeal_card_for,
    appeal_file_get_for_user,
    appeal_files_for,
    appeal_get_for_user,
    appeal_history_for,
    appeal_list_for_user,
    appeal_rounds_for,
    fact_stream_counts,
)
from core.selectors.projects import project_get_for_user
from core.selectors.visibility import appeals_visible_to
from core.services.answer_templates import answer_template_record_use
from core.workflows.appeals import ACTIONS, AppealConflict, answer_draft_line, appeal_actions_for, appeal_transition

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def appeal_or_404(request: HttpRequest, object_id) -> Appeal:
    try:
        return appeal_get_for_user(user=request.user, pk=int(object_id))
    except (Appeal.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404(_("Обращение не найдено.")) from missing


def deadline_state(appeal: Appeal) -> tuple[str, str]:
    """The deadline with the days left, and its colour: red when overdue, orange for the last two days."""
    day = f"{appeal.deadline:%d.%m.%Y}"
    if appeal.status not in AppealStatus.open():
        return "default", day
    days = appeal.days_left
    if days < 0:
        return "danger", _("%(date)s · просрочено на %(days)s дн.") % {"date": day, "days": -days}
    if days == 0:
        return "warning", _("%(date)s · срок сегодня") % {"date": day}
    colour = "warning" if days <= 2 else "success"
    return colour, _("%(date)s · осталось %(days)s дн.") % {"date": day, "days": days}


def _day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%d.%m.%Y}"


def _event_details(event: AppealEvent) -> list[tuple[str, str]]:
    """What an event's data says, as label and value lines of the timeline."""
    data = event.data or {}
    details = []
    if data.get("executor_organisation"):
        details.append((_("Исполнитель"), data["executor_organisation"]))
    if data.get("manager"):
        details.append((_("Менеджер"), data["manager"]))
    if data.get("new_fact"):
        details.append((_("Факт обращения"), f"{data['old_fact']} → {data['new_fact']}"))
    if data.get("new_deadline"):
        details.append((_("Срок"), f"{_day(data['old_deadline'])} → {_day(data['new_deadline'])}"))
    if data.get("rating"):
        details.append((_("Оценка"), str(data["rating"])))
    if data.get("comment"):
        details.append((_("Комментарий"), data["comment"]))
    return details


# What get_kind_display() and get_…status_display() give (the appeals list's badges read STATUS_LABELS too). Each such
# call builds a dict of every choice, hashing (so translating) each label; the history asked three a line (9 % of the
# busiest card's time).
EVENT_KIND_LABELS, STATUS_LABELS = dict(AppealEventKind.choices), dict(AppealStatus.choices)


def _label(labels: dict, value: str | None) -> str | None:
    label = labels.get(value)
    return value if label is None else str(label)  # a value without a label as it is, as get_FOO_display gives it


def _timeline_entry(event: AppealEvent) -> dict:
    moved = event.to_status and event.from_status != event.to_status
    return {
        "event": event,
        "kind": _label(EVENT_KIND_LABELS, event.kind),
        "details": _event_details(event),
        "was": (_label(STATUS_LABELS, event.from_status), AppealStatus.colour(event.from_status)) if moved else None,
        "now": (_label(STATUS_LABELS, event.to_status), AppealStatus.colour(event.to_status)) if moved else None,
        "notes": [],
    }


def _timeline(events) -> list[dict]:
    """The history lines; a staff note the door wrote with a public line (the text typed in the dialog and kept
    internal, the original of a corrected text) is shown right under that line."""
    entries: list[dict] = []
    for event in events:
        parent = entries[-1]["event"] if entries else None
        if (event.kind == AppealEventKind.NOTE and parent is not None and parent.created_at == event.created_at
                and parent.actor_id == event.actor_id):
            entries[-1]["notes"].append(event)
        else:
            entries.append(_timeline_entry(event))
    return entries


def _rounds_and_draft(appeal: Appeal, user: User, files: list[AppealFile]) -> tuple[list, dict | None]:
    """The approved answers round by round with their files, and the answer being prepared, if any (its files
    are those of its submission, core.workflows.appeals.answer_draft_line)."""
    rounds = appeal_rounds_for(appeal=appeal, user=user, files=files)
    last_text = rounds[-1].text if rounds else None
    returned = appeal.status == AppealStatus.IN_WORK and appeal.answer_text and appeal.answer_text != last_text
    if appeal.status != AppealStatus.APPROVAL and not returned:
        return rounds, None
    line = answer_draft_line(appeal)  # a returned draft's files stay on its own history line
    draft_files = [file for file in files if file.kind == FileKind.ANSWER and file.answer_id is None
                   and file.event_id == line]
    remark = (appeal.events.filter(name="return_to_executor").select_related("actor").order_by("-pk").first()
              if returned else None)  # what the head asked to fix, beside the draft it was about
    return rounds, {"text": appeal.answer_text, "author": appeal.answered_by, "files": draft_files,
                    "returned": bool(returned), "remark": remark}


def _with_files(events, files: list[AppealFile]) -> list[AppealEvent]:
    """The history lines, each with its files (`card_files`) taken from the card's one list of the files the
    reader may see, instead of a second query for the same rows."""
    by_event: dict[int, list[AppealFile]] = {}
    for file in files:
        by_event.setdefault(file.event_id, []).append(file)
    events = list(events.prefetch_related(None))
    for event in events:
        event.card_files = by_event.get(event.pk, [])
    return events


def _executor_head(appeal: Appeal) -> User | None:
    """The executor body's head: the contact while nobody of that body is responsible yet."""
    if not appeal.executor_organisation_id:
        return None
    return (
        User.objects.filter(organisation_id=appeal.executor_organisation_id, is_active=True, is_staff=True,
                            groups__name=Role.HEAD.group_name)
        .select_related("organisation").order_by("pk").first()
    )


def _approval_state(appeal: Appeal) -> str:
    """Two-stage approval (Organisation.approves_own_answers): where the answer stands."""
    organisation = appeal.executor_organisation
    if not (organisation and organisation.approves_own_answers and organisation.kind != OrganisationKind.AGENCY):
        return ""
    if appeal.executor_approved_at:
        who = appeal.executor_approved_by.full_name if appeal.executor_approved_by else "—"
        return _("Согласовано исполнителем: %(name)s, %(date)s") % {
            "name": who, "date": f"{timezone.localtime(appeal.executor_approved_at):%d.%m.%Y %H:%M}"}
    if appeal.status == AppealStatus.APPROVAL:
        return _("Ждёт согласования руководителя организации-исполнителя")
    return _("Ответы %(organisation)s сначала согласует её руководитель, затем руководитель обращения") % {
        "organisation": organisation.short_name}


def allowed_actions(appeal: Appeal, user: User) -> set[str]:
    """The names of the door's actions open to the person now, asked once per loaded appeal: the card's buttons
    and its comment box both need them."""
    cached = appeal.__dict__.get("_allowed_actions")
    if cached is None or cached[0] != user.pk:
        cached = appeal.__dict__["_allowed_actions"] = (
            user.pk, {action.name for action in appeal_actions_for(appeal=appeal, user=user)})
    return cached[1]


def appeal_card_context(request: HttpRequest, appeal: Appeal) -> dict:
    """The appeal card (seed #724, #737): request, roles with contacts, files, timeline, comment box. `appeal` as
    appeal_page_get_for_user reads it (its meetings, sessions and project come with it)."""
    user = request.user
    allowed = allowed_actions(appeal, user)
    colour, deadline_text = deadline_state(appeal)
    files = list(appeal_files_for(appeal=appeal, user=user))
    rounds, draft = _rounds_and_draft(appeal, user, files)
    return {
        "title": _("Обращение #%(number)s") % {"number": appeal.number},
        "show_history": False,  # the admin's own log is empty here: the appeal's history is the timeline below
        "appeal": appeal,
        "status_colour": AppealStatus.colour(appeal.status),
        "deadline_colour": colour,
        "deadline_text": deadline_text,
        "roles": [(field, title, note, getattr(appeal, field)) for field, title, note in APPEAL_ROLES],
        "executor_head": None if appeal.manager_id else _executor_head(appeal),
        "approval_state": _approval_state(appeal),
        "rounds": rounds,
        "draft": draft,
        "meetings": appeal.meetings.all(),
        "escalations": appeal.escalations.all(),
        "files": files,
        "timeline": _timeline(_with_files(appeal_history_for(appeal=appeal, user=user), files)),
        "comment_form": CommentForm(appeal=appeal, user=user) if "comment" in allowed else None,
        "comment_url": reverse("admin:core_appeal_comment", args=[appeal.pk]),
        "stream_url": reverse("admin:core_appeal_stream", args=[appeal.fact_id]),
    }


def _count_template_use(form) -> None:
    """A form sent with an answer template inserted (admin_site.forms.appeals.AnswerTemplateMixin) counts one use."""
    template_id = form.used_template() if hasattr(form, "used_template") else None
    if template_id:
        answer_template_record_use(template_id=template_id)


def appeal_action_view(request: HttpRequest, object_id, *, name: str, model_admin: ModelAdmin) -> HttpResponse:
    """GET: the action's form; POST: the door. Invalid input, and a page made stale by someone else's change, come
    back on the form with what was typed (the latter with the appeal's current version); a status that moved on is
    refused with the door's message. Nothing changes in either case."""
    require_view(model_admin, request)
    appeal = appeal_or_404(request, object_id)
    card_url = reverse("admin:core_appeal_change", args=[appeal.pk])
    action = ACTIONS[name]
    form_class = ACTION_FORMS[name]
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, appeal=appeal, user=request.user, action=name)
        if form.is_valid():
            try:
                appeal_transition(appeal=form.seen_appeal(), name=name, actor=request.user, **form.door_data())
            except AppealConflict as refused:
                appeal = appeal_or_404(request, object_id)  # the page's header shows the appeal as it is now
                if name not in {allowed.name for allowed in appeal_actions_for(appeal=appeal, user=request.user)}:
                    # the change took the action away (an answer sent back while it was being closed): sending the
                    # form again could not work, so say what happened instead of offering it
                    messages.error(request, _(
                        "Пока вы заполняли форму, обращение изменилось: теперь его статус — «%(status)s», и "
                        "действие «%(action)s» больше недоступно. Ничего не сохранено."
                    ) % {"status": appeal.get_status_display(), "action": action.label})
                    return redirect(card_url)
                if not form.show_again_after_conflict():  # what was typed stays on the form
                    messages.error(request, str(refused))
                    return redirect(card_url)
            except PermissionDenied as refused:
                messages.error(request, str(refused) or _("Это действие вам недоступно."))
                return redirect(card_url)
            except ValidationError as error:
                form.add_door_errors(error)
            else:
                _count_template_use(form)
                messages.success(request, _("«%(action)s»: готово.") % {"action": action.label})
                if not appeals_visible_to(request.user).filter(pk=appeal.pk).exists():
                    # e.g. redirected to another body: the appeal left this person's list
                    return redirect("admin:core_appeal_changelist")
                return redirect(card_url)
    elif name not in {allowed.name for allowed in appeal_actions_for(appeal=appeal, user=request.user)}:
        messages.error(
            request,
            _("Действие «%(action)s» вам сейчас недоступно (статус обращения — «%(status)s»).")
            % {"action": action.label, "status": appeal.get_status_display()},
        )
        return redirect(card_url)
    else:
        form = form_class(appeal=appeal, user=request.user, action=name)
        if "similar" in request.GET and hasattr(form, "start_from_similar"):
            form.start_from_similar(request.GET["similar"])  # «Вставить в ответ» of «Похожие обращения»
    return admin_page(
        model_admin, request, "admin/core/appeal/action_form.html",
        title=action.label, subtitle=str(appeal), appeal=appeal, action=action, form=form, card_url=card_url,
        status_colour=AppealStatus.colour(appeal.status), media=form.media,
    )


def appeal_stream_view(request: HttpRequest, fact_id: int, *, model_admin: ModelAdmin) -> TemplateResponse:
    """The seed's «Поток»: the fact's appeals per status and the list of them, as far as the user may see."""
    require_view(model_admin, request)
    fact = get_object_or_404(Fact.objects.select_related("subcategory__category", "appeal_type"), pk=fact_id)
    counts = fact_stream_counts(fact=fact, user=request.user)
    counters = [(status.label, counts[status.value], AppealStatus.colour(status)) for status in AppealStatus]
    counters.append((_("Срок обработки обращения перенесен"), counts["deadline_extended"], "warning"))
    appeals = appeal_list_for_user(request.user).filter(fact=fact).order_by("-number")
    page = Paginator(appeals, 50).get_page(request.GET.get("p"))
    return admin_page(
        model_admin, request, "admin/core/appeal/stream.html",
        title=_("Поток: %(fact)s") % {"fact": fact.name}, fact=fact, counters=counters, page=page,
        rows=[(appeal, AppealStatus.colour(appeal.status)) for appeal in page],
        # «← К подкатегории»: its facts in the classifier; «Создать обращение»: the add page with this fact
        subcategory_url=(reverse("admin:core_fact_changelist") + f"?subcategory__id__exact={fact.subcategory_id}"
                         if request.user.has_perm("core.view_fact") else ""),
        register_url=(reverse("admin:core_appeal_add") + f"?fact={fact.pk}"
                      if model_admin.has_add_permission(request) else ""),
    )


def appeal_file_download(request: HttpRequest, file_id: int, *, model_admin: ModelAdmin) -> HttpResponse:
    """An attachment, only if its appeal (and, for an internal file, the staff side) is visible to the user."""
    require_view(model_admin, request)
    try:
        attachment = appeal_file_get_for_user(user=request.user, pk=file_id)
        return private_file_response(
            file=attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )
    except (AppealFile.DoesNotExist, FileNotFoundError) as missing:
        raise Http404(_("Файл не найден.")) from missing


def appeal_investor_answer_download(request: HttpRequest, object_id) -> HttpResponse:
    """«Ответ инвестору (DOCX)» from the appeal card: the letter draft of its project, naming the appeal; only
    for an appeal linked to a project the person sees."""
    appeal = appeal_or_404(request, object_id)
    try:
        project = project_get_for_user(user=request.user, pk=appeal.project_id)
    except Project.DoesNotExist as missing:
        raise Http404(_("Обращение не связано с проектом, который вам виден.")) from missing
    kind = DocumentTemplateKind.INVESTOR_ANSWER
    data = project_document_docx(kind=kind, project=project, user=request.user, appeal=appeal)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="otvet-investoru-{appeal.number}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response


def appeal_docx_download(request: HttpRequest, object_id) -> HttpResponse:
    """«Скачать DOCX»: the appeal card as a Word document."""
    appeal = appeal_or_404(request, object_id)
    card = appeal_card_for(appeal=appeal, user=request.user)
    response = HttpResponse(appeal_card_docx(card=card), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="obrashchenie-{appeal.number}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response
