"""Register downloads («Скачать реестр»): written at once while the person waits, or — above
core.reports.registers.REGISTER_SYNC_LIMIT rows — as an ExportJob a django-q2 worker prepares in private storage.

Which rows a register holds is decided by the list the person was looking at: its visibility, filters, search
and ordering. Those are the cabinet's ChangeList (unfold's filter classes read the query string, and the list's
ordering `o=` names columns of list_display), so they cannot be re-expressed here without a second copy that
would drift. Instead the cabinet registers, per register, a *source* — `source(*, user, query) -> QuerySet` that
rebuilds its ChangeList for that user and query string (admin_site.admin.registers) — and both the immediate
download and the background job call the same source, so a file always holds what the list showed. core never
imports the cabinet: the cabinet plugs itself in when Django loads its admin, in the web and in q2 workers alike.
"""

import logging
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.models import ExportJob, User
from core.models.exports import ExportStatus
from core.reports import render as renderers
from core.reports.registers import REGISTERS
from core.reports.table import Row
from core.services.notifications import notify
from core.services.queue import enqueue_after_commit

log = logging.getLogger(__name__)

FORMATS = ("xlsx", "ods")
PROGRESS_EVERY = 1000  # rows between two updates of ExportJob.rows_done
SPOOL_BYTES = 4 * 1024 * 1024  # a file bigger than this is spooled to a temporary file on disk

Source = Callable[..., QuerySet]  # source(*, user, query) -> the list's queryset; raises ExportError
_SOURCES: dict[str, Source] = {}


class ExportError(Exception):
    """A register cannot be built for this person and query; the message is for them (Russian)."""


def export_source_set(register: str, source: Source) -> None:
    """The cabinet names how its list chooses rows for `register` ("appeals" | "projects")."""
    if register not in REGISTERS:
        raise ValueError(f"unknown register {register!r}")
    _SOURCES[register] = source


def register_queryset(*, register: str, user: User, query: str) -> QuerySet:
    """The rows of the list `register` as `user` sees it with the query string `query`."""
    source = _SOURCES.get(register)
    if source is None:
        raise ExportError(gettext("Этот реестр сейчас нельзя выгрузить."))
    return source(user=user, query=query)


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
    from core.models import Appeal, Project

    model = Appeal if register == "appeals" else Project
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
    """Build the job's file: rebuild the list for its owner and query, stream the rows into a temporary file,
    store it privately, tell the owner («export_ready», also when it failed). A job already finished is left
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
