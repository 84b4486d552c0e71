"""«Составить черновик» (core.services.drafts): the answer dialog's button starts a draft job and polls its state,
static/admin_site/drafts.js puts the text into the answer; «Черновик справки» on the project page shows the text to
copy. With LLM_URL empty every one of these answers 404 and no button is drawn."""

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from admin_site.views.appeals import appeal_or_404
from admin_site.views.common import admin_page, require_view
from admin_site.views.projects import project_or_404
from core.models import DraftJob, DraftKind
from core.services.drafts import (
    draft_job_create,
    draft_job_for_user,
    draft_job_latest,
    llm_enabled,
    may_draft_brief,
)


def _require_llm() -> None:
    if not llm_enabled():
        raise Http404(_("Языковая модель не подключена."))


def _state(job: DraftJob) -> dict:
    return {"id": job.pk, "status": job.status, "status_label": job.get_status_display(), "text": job.text,
            "error": job.error, "url": reverse("admin:core_appeal_draft", args=[job.pk])}


@require_POST
def appeal_draft_start_view(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> JsonResponse:
    """Start an answer draft for an appeal the person sees (404 otherwise) and may answer now (403 otherwise)."""
    _require_llm()
    require_view(model_admin, request)
    appeal = appeal_or_404(request, object_id)
    try:
        job = draft_job_create(kind=DraftKind.APPEAL_ANSWER, obj=appeal, user=request.user)
    except PermissionDenied:
        return JsonResponse({"error": _("Подготовить ответ на это обращение сейчас нельзя.")}, status=403)
    return JsonResponse(_state(job), status=202)


@require_GET
def draft_state_view(request: HttpRequest, draft_id, *, model_admin: ModelAdmin) -> JsonResponse:
    """The person's own draft job: its state, and the text once it is done (someone else's: 404)."""
    _require_llm()
    require_view(model_admin, request)
    try:
        job = draft_job_for_user(user=request.user, pk=int(draft_id))
    except (DraftJob.DoesNotExist, ValueError):
        raise Http404(_("Черновик не найден.")) from None
    return JsonResponse(_state(job))


def project_brief_draft_view(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> HttpResponse:
    """«Черновик справки»: GET shows the person's latest draft for the project (polled while it is written),
    POST asks for a new one."""
    _require_llm()
    require_view(model_admin, request)
    project = project_or_404(request, object_id)
    if not may_draft_brief(request.user):
        raise Http404(_("Проект не найден."))
    if request.method == "POST":
        draft_job_create(kind=DraftKind.PROJECT_BRIEF, obj=project, user=request.user)
        return redirect(request.path)
    job = draft_job_latest(user=request.user, kind=DraftKind.PROJECT_BRIEF, object_id=project.pk)
    return admin_page(model_admin, request, "admin/core/project/brief_draft.html", title=_("Черновик справки"),
                      subtitle=str(project), project=project, job=job,
                      project_url=reverse("admin:core_project_change", args=[project.pk]),
                      state_url=reverse("admin:core_appeal_draft", args=[job.pk]) if job else "")
