"""Reports as JSON (each report's Table with the same ReportParams as its cabinet page, core.reports.registry) and
registers as background exports (core.services.exports): start, poll, download. Staff with the reports' roles
(core.selectors.reports) for reports; registers for staff of the cabinet."""

from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from core.api.common import READ_ERRORS, WRITE_ERRORS, InSchema
from core.api.problems import ApiProblem, Problem, invalid
from core.choices import AppealChannel, AppealStatus, ProjectStage
from core.http import private_file_response
from core.models import ExportJob
from core.models.exports import ExportStatus
from core.reports.projects import default_seed
from core.reports.registers import REGISTERS
from core.reports.registry import ReportParams, report_build, reports
from core.selectors.reports import reports_available_to
from core.selectors.visibility import is_staff_member
from core.services.exports import (
    FORMATS,
    ExportError,
    content_type,
    export_job_create,
    export_job_for_user,
    register_filename,
    register_queryset,
)

router = Router(tags=["Отчёты и реестры"])
DATE_MIN, DATE_MAX = date(1990, 1, 1), date(2100, 12, 31)  # as the cabinet's report form


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class RowOut(Schema):
    values: list[str | int | float | Decimal | date | datetime | None]
    level: int
    kind: str


class TableOut(Schema):
    slug: str
    title: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    total: RowOut | None
    meta: list[list[str]]
    note: str


class ReportOut(Schema):
    slug: str
    title: str
    description: str
    filters: list[str]


class ReportQuery(Schema):
    date_from: date | None = None
    date_to: date | None = None
    appeal_type: int | None = None
    status: str | None = None
    district: int | None = None
    executor_organisation: int | None = None
    channel: str | None = None
    mrg: str | None = None
    industry: int | None = None
    stage: str | None = None
    main_only: bool | None = None
    stale_days: int | None = Field(None, ge=0, le=3650)
    sample_size: int | None = Field(None, ge=1, le=500)
    seed: int | None = Field(None, ge=0, le=2**31 - 1)


CHOICES = {"status": AppealStatus.values, "channel": AppealChannel.values, "stage": ProjectStage.values,
           "mrg": ["yes", "no"]}


def _require_reports(request: HttpRequest) -> None:
    if not reports_available_to(request.user):
        raise ApiProblem(403, gettext("Действие запрещено"), gettext("Отчёты доступны сотрудникам с ролями, "
                                                                      "работающими с обращениями и проектами."))


def _params(spec, query: ReportQuery) -> ReportParams:
    given = query.dict(exclude_none=True)
    errors = [{"field": key, "message": gettext("Этот отчёт не принимает такой фильтр.")}
              for key in given if key not in spec.filters]
    for key, allowed in CHOICES.items():
        if key in given and given[key] not in allowed:
            errors.append({"field": key, "message": gettext("Такого значения нет в списке.")})
    for key in ("date_from", "date_to"):
        if key in given and not DATE_MIN <= given[key] <= DATE_MAX:
            errors.append({"field": key, "message": gettext("Дата — с 01.01.1990 по 31.12.2100.")})
    if errors:
        raise invalid(errors)
    known = {f.name for f in fields(ReportParams)}
    params = ReportParams(**{key: value for key, value in given.items() if key in known})
    if "seed" in spec.filters and params.seed is None:
        params = ReportParams(**{**params.__dict__, "seed": default_seed(params.resolved().today)})
    return params


def _row(row) -> dict:
    return {"values": list(row.values), "level": row.level, "kind": row.kind}


@router.get("/reports", response={200: list[ReportOut], 403: Problem, **READ_ERRORS}, operation_id="reports_list",
            summary="Отчёты и их фильтры")
def reports_list(request: HttpRequest):
    _require_reports(request)
    return [{"slug": spec.slug, "title": str(spec.title), "description": str(spec.description),
             "filters": list(spec.filters)} for spec in reports().values()]


@router.get("/reports/{slug}", response={200: TableOut, 403: Problem, 400: Problem, **READ_ERRORS},
            operation_id="report_get", summary="Отчёт как таблица (те же фильтры, что на странице отчёта)")
def report_get(request: HttpRequest, slug: str, query: Query[ReportQuery]):
    _require_reports(request)
    spec = reports().get(slug)
    if spec is None:
        raise ApiProblem(404, gettext("Не найдено"), gettext("Нет такого отчёта."))
    table = report_build(slug, user=request.user, params=_params(spec, query))
    return {"slug": table.slug, "title": str(table.title),
            "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
            "rows": [_row(row) for row in table.rows], "total": _row(table.total) if table.total else None,
            "meta": [[str(label), str(value)] for label, value in table.meta], "note": str(table.note)}


class ExportIn(InSchema):
    format: str = Field("xlsx", description="xlsx или ods")
    query: str = Field("", description="Строка фильтров списка в кабинете (то, что после «?» в адресе списка).")


class ExportOut(Schema):
    id: UUID
    register_name: str
    format: str
    status: str
    status_label: str
    rows_total: int
    rows_done: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    download_url: str | None


def _job_out(job: ExportJob) -> dict:
    done = job.status == ExportStatus.DONE and bool(job.file)
    return {"id": job.uid, "register_name": job.register, "format": job.file_format, "status": job.status,
            "status_label": str(job.get_status_display()), "rows_total": job.rows_total, "rows_done": job.rows_done,
            "error": job.error, "created_at": job.created_at, "finished_at": job.finished_at,
            "download_url": reverse("api:register_export_download", kwargs={"job_id": job.uid}) if done else None}


def _require_staff(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise ApiProblem(403, gettext("Действие запрещено"), gettext("Реестры выгружают сотрудники."))


@router.post("/registers/{name}/exports", response={202: ExportOut, **WRITE_ERRORS},
             operation_id="register_export_start", summary="Заказать выгрузку реестра (appeals или projects)")
def register_export_start(request: HttpRequest, name: str, payload: ExportIn):
    _require_staff(request)
    if name not in REGISTERS:
        raise ApiProblem(404, gettext("Не найдено"), gettext("Нет такого реестра: appeals или projects."))
    if payload.format not in FORMATS:
        raise invalid([{"field": "format", "message": gettext("Реестр можно выгрузить только в форматах XLSX и "
                                                              "ODS.")}])
    try:  # as the cabinet's «Скачать реестр»: wrong filters are refused now, not by a failed job later
        register_queryset(register=name, user=request.user, query=payload.query)
    except ExportError as error:
        raise invalid([{"field": "query", "message": str(error)}]) from None
    job = export_job_create(user=request.user, register=name, fmt=payload.format, query=payload.query)
    return Status(202, _job_out(job))


@router.get("/registers/exports/{job_id}", response={200: ExportOut, **READ_ERRORS},
            operation_id="register_export_get", summary="Состояние выгрузки")
def register_export_get(request: HttpRequest, job_id: UUID):
    return _job_out(export_job_for_user(user=request.user, uid=job_id))


@router.get("/registers/exports/{job_id}/file", response={200: None, **READ_ERRORS},
            operation_id="register_export_download", url_name="register_export_download",
            summary="Скачать готовую выгрузку")
def register_export_download(request: HttpRequest, job_id: UUID):
    job = export_job_for_user(user=request.user, uid=job_id)
    if job.status != ExportStatus.DONE or not job.file:
        raise ApiProblem(404, gettext("Не найдено"), gettext("Выгрузка ещё не готова или не удалась."))
    try:
        return private_file_response(file=job.file, content_type=content_type(job.file_format),
                                     filename=register_filename(register=job.register, fmt=job.file_format,
                                                                today=job.created_at.date()))
    except FileNotFoundError:
        raise ApiProblem(404, gettext("Не найдено"), gettext("Файл выгрузки не найден в хранилище.")) from None
