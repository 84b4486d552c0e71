"""«Скачать реестр», «Мои фильтры» and «Выгрузка обращений в Word» on the appeal and project lists, and the page
of a register prepared in the background.

Only adapts. The rows of a register are the list's (visibility, filters, search, ordering): core.services.exports
selects them from the list's query string with the list's selector and FilterSet (core.filters), for the immediate
download and for the q2 job alike. The columns are core.reports.registers, the files core.reports.render, the saved
filters core.services.saved_filters.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from admin_site.views.common import require_view
from core.filters import NAVIGATION_PARAMS
from core.http import private_file_response
from core.models import ExportJob, SavedFilter
from core.models.exports import ExportStatus
from core.reports import registers
from core.services.exports import (
    FORMATS,
    ExportError,
    content_type,
    export_job_create,
    export_job_for_user,
    register_filename,
    register_queryset,
    register_write,
    spooled_file,
)
from core.services.saved_filters import (
    saved_filter_delete,
    saved_filter_query,
    saved_filter_save,
    saved_filters_for,
)

FORMAT_LABELS = {"xlsx": "Excel (XLSX)", "ods": "OpenDocument (ODS)"}
REFRESH_SECONDS = 2


def list_key(model_admin: ModelAdmin) -> str:
    return model_admin.model._meta.label_lower  # "core.appeal"


def changelist_url(model_admin: ModelAdmin, query: str = "") -> str:
    opts = model_admin.model._meta
    url = reverse(f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{query}" if query else url


def list_query(params: QueryDict) -> str:
    """The list's query string minus what chooses no rows (the page number and the like)."""
    return urlencode([(key, value) for key, values in params.lists() if key not in NAVIGATION_PARAMS
                      for value in values])


# --- «Скачать реестр» ---------------------------------------------------------------------------------------------
def register_download(request: HttpRequest, fmt: str, *, model_admin: ModelAdmin) -> HttpResponse:
    """The list's rows as xlsx or ods: at once up to REGISTER_SYNC_LIMIT rows, above it as a background job."""
    require_view(model_admin, request)
    if fmt not in FORMATS:
        raise Http404
    register, query = model_admin.register_name, list_query(request.GET)
    try:
        queryset = register_queryset(register=register, user=request.user, query=query)
    except ExportError as error:
        messages.error(request, str(error))
        return redirect(changelist_url(model_admin))
    total = queryset.count()  # the one COUNT: at once or in the background
    if total > registers.REGISTER_SYNC_LIMIT:
        job = export_job_create(user=request.user, register=register, fmt=fmt, query=query)
        messages.info(request, ngettext(
            "В списке %(total)s строка: реестр готовится в фоне. Когда файл будет готов, придёт уведомление, "
            "а скачать его можно будет на этой странице.",
            "В списке %(total)s строк: реестр готовится в фоне. Когда файл будет готов, придёт уведомление, "
            "а скачать его можно будет на этой странице.", total) % {"total": total})
        return redirect("admin:export_job", job.uid)
    out = spooled_file()  # memory up to a few megabytes, then a temporary file; closed by the response
    try:
        register_write(register=register, queryset=queryset, fmt=fmt, out=out)
    except Exception:
        out.close()
        raise
    out.seek(0)
    response = FileResponse(out, as_attachment=True, content_type=content_type(fmt),
                            filename=register_filename(register=register, fmt=fmt))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- «Мои фильтры» ------------------------------------------------------------------------------------------------
def list_tools_context(model_admin: ModelAdmin, request: HttpRequest) -> dict:
    """What the list's toolbar (templates/admin_site/exports/list_tools.html) shows."""
    opts = model_admin.model._meta
    name = model_admin.admin_site.name
    key = list_key(model_admin)
    query = list_query(request.GET)
    current = saved_filter_query(list_key=key, query=query)
    saved = [
        {
            "name": saved_filter.name,
            "url": changelist_url(model_admin, saved_filter.query),
            "delete_url": reverse(f"{name}:{opts.app_label}_{opts.model_name}_saved_filter_delete",
                                  args=[saved_filter.pk]),
            "current": saved_filter.query == current,
        }
        for saved_filter in saved_filters_for(user=request.user, list_key=key)
    ]
    suffix = f"?{query}" if query else ""
    return {
        "register_links": [
            {"label": FORMAT_LABELS[fmt], "fmt": fmt,
             "url": reverse(f"{name}:{opts.app_label}_{opts.model_name}_register", args=[fmt]) + suffix}
            for fmt in FORMATS
        ],
        "register_sync_limit": registers.REGISTER_SYNC_LIMIT,
        "saved_filters": saved,
        "saved_filter_save_url": reverse(f"{name}:{opts.app_label}_{opts.model_name}_saved_filter_save"),
        "saved_filter_query": query,
        "saved_filter_can_save": bool(current),
    }


@require_POST
def saved_filter_save_view(request: HttpRequest, *, model_admin: ModelAdmin) -> HttpResponse:
    require_view(model_admin, request)
    query = request.POST.get("query", "")
    try:
        saved = saved_filter_save(user=request.user, list_key=list_key(model_admin), name=request.POST.get("name", ""),
                                  query=query)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(changelist_url(model_admin, list_query(QueryDict(query))))
    messages.success(request, gettext("Фильтр «%(name)s» сохранён в «Мои фильтры».") % {"name": saved.name})
    return redirect(changelist_url(model_admin, saved.query))


@require_POST
def saved_filter_delete_view(request: HttpRequest, pk: int, *, model_admin: ModelAdmin) -> HttpResponse:
    require_view(model_admin, request)
    try:
        saved = saved_filter_delete(user=request.user, pk=pk)
    except SavedFilter.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, gettext("Фильтр «%(name)s» удалён.") % {"name": saved.name})
    return redirect(changelist_url(model_admin))


# --- a register prepared in the background ------------------------------------------------------------------------
REGISTER_LISTS = {"appeals": "core_appeal", "projects": "core_project"}


def _own_job(request: HttpRequest, uid) -> ExportJob:
    try:
        return export_job_for_user(user=request.user, uid=uid)
    except ExportJob.DoesNotExist as error:  # someone else's job is not found, as anything one may not see
        raise Http404 from error


def export_job_view(request: HttpRequest, uid, *, site) -> HttpResponse:
    """The job's progress (the page reloads itself every 2 s while it runs, without JavaScript) and its file."""
    job = _own_job(request, uid)
    running = job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    list_name = REGISTER_LISTS.get(job.register)
    back = reverse(f"admin:{list_name}_changelist") + (f"?{job.query}" if job.query else "") if list_name else ""
    context = {
        **site.each_context(request),
        "title": gettext("Выгрузка реестра"),
        "job": job,
        "running": running,
        "refresh_seconds": REFRESH_SECONDS,
        "download_url": reverse("admin:export_job_download", args=[job.uid]) if job.status == ExportStatus.DONE
        and job.file else "",
        "back_url": back,
    }
    return TemplateResponse(request, "admin_site/exports/job.html", context)


def export_job_download(request: HttpRequest, uid, *, site) -> HttpResponse:
    job = _own_job(request, uid)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    today = timezone.localdate(job.finished_at) if job.finished_at else None
    try:
        return private_file_response(file=job.file, content_type=content_type(job.file_format),
                                     filename=register_filename(register=job.register, fmt=job.file_format,
                                                                today=today))
    except FileNotFoundError as missing:  # the row outlived its file: a 404 like any missing download
        raise Http404 from missing


# --- «Выгрузка обращений в Word» ----------------------------------------------------------------------------------
BULK_DOCX_LIMIT = 200
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def appeals_docx_response(request: HttpRequest, queryset) -> HttpResponse | None:
    """The selected appeals (the action's queryset is already the list's, so only visible ones) as one DOCX."""
    from core.documents.appeal_docx import appeals_docx

    count = queryset.count()
    if count > BULK_DOCX_LIMIT:
        messages.error(request, gettext("В Word выгружается не больше %(limit)s обращений за раз, выбрано "
                                        "%(count)s.") % {"limit": BULK_DOCX_LIMIT, "count": count})
        return None
    data = appeals_docx(queryset, user=request.user)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="obrashcheniya-{timezone.localdate():%Y-%m-%d}.docx"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
