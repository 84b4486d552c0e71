"""Register downloads («Скачать реестр»): written at once while the person waits, or — above
core.reports.registers.REGISTER_SYNC_LIMIT rows — as an ExportJob a django-q2 worker prepares in private storage.

Which rows a register holds is decided by the list the person was looking at, whose address (its query string) the
job stores: the list's selector (core.selectors.appeals.appeal_list, core.selectors.projects.project_list) reads it
through the list's FilterSet (core.filters) — the visibility, the filters, the search and the sorting — exactly as
the cabinet's list does, so a file always holds what the list showed. Filters the FilterSet cannot apply fail the
download with a Russian message; they never widen it to every row.
"""

import logging
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext

from core.filters import FilterError
from core.models import Appeal, ExportJob, Project, User
from core.models.exports import ExportStatus
from core.reports import render as renderers
from core.reports.registers import REGISTERS
from core.reports.table import Row
from core.selectors.appeals import appeal_list
from core.selectors.projects import project_list
from core.selectors.visibility import is_staff_member
from core.services.notifications import notify
from core.services.queue import enqueue_after_commit

log = logging.getLogger(__name__)

FORMATS = ("xlsx", "ods")
PROGRESS_EVERY = 1000  # rows between two updates of ExportJob.rows_done
SPOOL_BYTES = 4 * 1024 * 1024  # a file bigger than this is spooled to a temporary file on disk

# register -> (its model, the selector of its list)
LISTS: dict[str, tuple[type[Model], Callable[..., QuerySet]]] = {
    "appeals": (Appeal, appeal_list),
    "projects": (Project, project_list),
}


class ExportError(Exception):
    """A register cannot be built for this person and query; the message is for them (Russian)."""


def register_queryset(*, register: str, user: User, query: str) -> QuerySet:
    """The rows of the list `register` as `user` sees it with the query string `query` (the list's address, as an
    ExportJob stores it), in the list's order. ExportError with a message for the person when they may no longer
    open the list or the filters are wrong."""
    model, select = LISTS[register]
    opts = model._meta
    if not (is_staff_member(user) and (user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
                                       or user.has_perm(f"{opts.app_label}.change_{opts.model_name}"))):
        raise ExportError(gettext("Нет доступа к списку: выгрузка не сформирована."))
    try:
        return select(user=user, filters=QueryDict(query))
    except FilterError as error:
        raise ExportError(gettext("Фильтры списка заданы неверно: %(errors)s Откройте список заново и закажите "
                                  "выгрузку ещё раз.") % {"errors": error}) from error


def register_write(*, register: str, queryset: QuerySet, fmt: str, out: IO[bytes],
                   progress: Callable[[int], None] | None = None) -> int:
    """Write the register of `queryset` into `out` as `fmt`, calling `progress(rows)` every PROGRESS_EVERY rows;
    returns the number of rows written. Formula-looking text stays text: the renderers write every TEXT column
    as a string cell."""
    table = REGISTERS[register](queryset)
    written = [0]

    def counted(rows) -> Iterator[Row]:
        for row in rows:
            yield row
            written[0] += 1
            if progress is not None and written[0] % PROGRESS_EVERY == 0:
                progress(written[0])

    table.rows = counted(table.rows)
    renderers.render(table, fmt, out)
    return written[0]


def register_filename(*, register: str, fmt: str, today=None) -> str:
    """The download's name, e.g. «Реестр обращений 26.02.2025.xlsx» (core.reports.render decides)."""
    model, _select = LISTS[register]
    table = REGISTERS[register](model.objects.none())  # the title only: its rows are never read
    return renderers.filename(table, fmt, today or timezone.localdate())


def content_type(fmt: str) -> str:
    return renderers.CONTENT_TYPES[fmt]


def spooled_file() -> IO[bytes]:
    """Where a register is written before it is sent or stored: memory up to SPOOL_BYTES, then a temporary file."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)


# --- the background job ----------------------------------------------------------------------------------------
def export_job_create(*, user: User, register: str, fmt: str, query: str) -> ExportJob:
    """Order a register in the background; the q2 task starts once this transaction commits."""
    if register not in REGISTERS:
        raise ValidationError(gettext("Неизвестный реестр."))
    if fmt not in FORMATS:
        raise ValidationError(gettext("Реестр можно выгрузить только в форматах XLSX и ODS."))
    job = ExportJob.objects.create(user=user, register=register, file_format=fmt, query=query)
    enqueue_after_commit("core.tasks.export_register", job.pk)
    return job


def export_job_run(job_id: int) -> ExportJob | None:
    """Build the job's file: select the list's rows for its owner and stored query, stream them into a temporary
    file, store it privately, tell the owner («export_ready», also when it failed). A job already finished is left
    alone; a job a dead worker left «running» starts again from the first row (q2 retries it)."""
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, rows_done=0, error="")
    job.status, job.rows_done = ExportStatus.RUNNING, 0
    try:
        queryset = register_queryset(register=job.register, user=job.user, query=job.query)
        job.rows_total = queryset.count()
        ExportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)

        def progress(rows: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=rows)

        with spooled_file() as out:
            written = register_write(register=job.register, queryset=queryset, fmt=job.file_format, out=out,
                                     progress=progress)
            out.seek(0)
            job.file.save(f"{job.uid.hex}.{job.file_format}", File(out), save=False)
        # the file holds exactly `written` rows, even if the list changed while it was written
        job.status, job.rows_total, job.rows_done = ExportStatus.DONE, written, written
    except ExportError as error:
        job.status, job.error = ExportStatus.FAILED, str(error)
    except Exception:
        log.exception("export job %s failed", job.pk)
        job.status = ExportStatus.FAILED
        job.error = gettext("Не удалось сформировать выгрузку из-за внутренней ошибки. Закажите её ещё раз; "
                            "если ошибка повторится, обратитесь к администратору.")
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "rows_total", "rows_done", "file", "error", "finished_at"])
    notify(event="export_ready", obj=job, recipients=[job.user], level=str(job.pk))
    return job


def export_job_for_user(*, user: User, uid) -> ExportJob:
    """One of the person's own jobs (ExportJob.DoesNotExist otherwise: the pages answer 404)."""
    return ExportJob.objects.get(uid=uid, user=user)
