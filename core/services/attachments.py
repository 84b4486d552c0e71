"""Uploaded files: size and type checked by content (not only by name), stored under random private names.

The limits (settings UPLOAD_*): each file, each request and each appeal (count and total size), and a daily quota
per person counted from the files they stored today. A batch is stored all or nothing: `uploads_cleanup` removes
every file written in a block that fails, so a full disk leaves neither a row nor a file behind.
"""

import errno
import logging
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.formatting import format_decimal

logger = logging.getLogger(__name__)
MB = 1024 * 1024
STORAGE_FAILED = _("Файлы не сохранены: на сервере закончилось место или хранилище недоступно. Ничего не записано — "
                   "попробуйте позже; если срочно, позвоните персональному менеджеру.")


def max_file_size() -> int:
    return settings.UPLOAD_MAX_FILE_MB * MB

# extension -> (MIME type, content check)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of .doc and .xls


def _zip_names(head: UploadedFile) -> set[str]:
    head.seek(0)
    try:
        with zipfile.ZipFile(head) as archive:
            return set(archive.namelist())
    except zipfile.BadZipFile:
        return set()
    finally:
        head.seek(0)


def _odf_mimetype(upload: UploadedFile) -> str:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.read("mimetype").decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError):
        return ""
    finally:
        upload.seek(0)


ALLOWED = {
    ".pdf": ("application/pdf", lambda head, f: head.startswith(b"%PDF-")),
    ".doc": ("application/msword", lambda head, f: head.startswith(_OLE)),
    ".xls": ("application/vnd.ms-excel", lambda head, f: head.startswith(_OLE)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head, f: head.startswith(b"PK") and any(n.startswith("word/") for n in _zip_names(f)),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda head, f: head.startswith(b"PK") and any(n.startswith("xl/") for n in _zip_names(f)),
    ),
    ".odt": (
        "application/vnd.oasis.opendocument.text",
        lambda head, f: head.startswith(b"PK") and _odf_mimetype(f) == "application/vnd.oasis.opendocument.text",
    ),
    ".ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        lambda head, f: head.startswith(b"PK")
        and _odf_mimetype(f) == "application/vnd.oasis.opendocument.spreadsheet",
    ),
    ".jpg": ("image/jpeg", lambda head, f: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda head, f: head.startswith(b"\xff\xd8\xff")),
    ".png": ("image/png", lambda head, f: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".zip": ("application/zip", lambda head, f: head.startswith(b"PK") and bool(_zip_names(f))),
}
ALLOWED_LABEL = ", ".join(ALLOWED)  # «.pdf, .doc, …»: one list for the form's hint and its errors


def upload_check(upload: UploadedFile) -> str:
    """The file's MIME type if it is allowed; a Russian ValidationError otherwise."""
    name = upload.name or ""
    if upload.size > max_file_size():
        raise ValidationError(
            _("Файл «%(name)s» больше %(mb)s МБ."), code="file_too_large",
            params={"name": name, "mb": settings.UPLOAD_MAX_FILE_MB},
        )
    if upload.size == 0:
        raise ValidationError(_("Файл «%(name)s» пустой."), code="file_empty", params={"name": name})
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            _("Файл «%(name)s»: такой тип не принимается. Допустимы: %(allowed)s."),
            code="file_type",
            params={"name": name, "allowed": ALLOWED_LABEL},
        )
    content_type, matches = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    matched = matches(head, upload)
    if getattr(upload, "held", None) is not None:  # a held file (core.services.held_uploads) is opened per use
        upload.close()
    if not matched:
        raise ValidationError(
            _("Файл «%(name)s» не похож на %(kind)s: содержимое не совпадает с расширением."),
            code="file_content",
            params={"name": name, "kind": suffix[1:].upper()},
        )
    return content_type


def _size_label(size: int) -> str:
    return format_decimal(size / MB, 1)


def files_genitive(count: int) -> str:
    """«21 файла», «20 файлов»: the count after «не больше», in the genitive of Russian grammar."""
    return ngettext("%(count)s файла", "%(count)s файлов", count) % {"count": count}


def uploads_check(uploads: list[UploadedFile], *, already_count: int = 0, already_size: int = 0) -> list[str]:
    """The MIME types of a batch of uploads; a Russian ValidationError naming every file and limit broken.

    `already_*`: the files the appeal holds already (the per-appeal limit counts them with the new ones)."""
    errors, content_types = [], []
    for upload in uploads:
        try:
            content_types.append(upload_check(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    count, size = len(uploads), sum(upload.size for upload in uploads)
    limit_count, limit_size = settings.UPLOAD_MAX_FILES, settings.UPLOAD_MAX_TOTAL_MB * MB
    if count > limit_count:
        errors.append(_("За один раз можно приложить не больше %(limit)s, выбрано %(count)s.")
                      % {"limit": files_genitive(limit_count), "count": count})
    elif size > limit_size:
        errors.append(_("Файлы вместе больше %(limit)s МБ (выбрано %(size)s МБ): приложите часть сейчас, остальное "
                        "— отдельно.") % {"limit": settings.UPLOAD_MAX_TOTAL_MB, "size": _size_label(size)})
    elif count and already_count + count > limit_count:
        errors.append(_("К обращению можно приложить не больше %(limit)s: уже приложено %(already)s, "
                        "можно добавить ещё %(left)s.") % {
            "limit": files_genitive(limit_count), "already": already_count,
            "left": max(limit_count - already_count, 0)})
    elif count and already_size + size > limit_size:
        errors.append(_("Файлы обращения вместе не могут быть больше %(limit)s МБ: уже приложено %(already)s МБ.")
                      % {"limit": settings.UPLOAD_MAX_TOTAL_MB, "already": _size_label(already_size)})
    if errors:
        raise ValidationError(errors)
    return content_types


def _today_start() -> datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def uploaded_today(user) -> int:
    """Bytes this person stored today (Moscow day): appeal files and project documents."""
    from core.models import AppealFile, ProjectDocument

    since = _today_start()
    return sum(
        model.objects.filter(uploaded_by=user, uploaded_at__gte=since).aggregate(total=Sum("size"))["total"] or 0
        for model in (AppealFile, ProjectDocument)
    )


def upload_quota_check(*, user, uploads: Iterable[UploadedFile]) -> None:
    """The daily quota per person: a Russian ValidationError when today's files and these would exceed it."""
    size = sum(upload.size for upload in uploads)
    if not size or user is None:
        return
    quota, used = settings.UPLOAD_DAILY_QUOTA_MB * MB, uploaded_today(user)
    if used + size > quota:
        raise ValidationError(
            _("Сегодня вы уже загрузили %(used)s МБ, а в сутки можно не больше %(limit)s МБ. Эти файлы (%(size)s МБ) "
              "не сохранены: приложите их завтра или передайте персональному менеджеру."),
            code="upload_quota",
            params={"used": _size_label(used), "limit": settings.UPLOAD_DAILY_QUOTA_MB, "size": _size_label(size)},
        )


def upload_store(instance: models.Model, upload: UploadedFile, stored: list) -> None:
    """Write the upload to the storage of `instance.file` under its private name and record it in `stored`
    (before writing: a write that fails half-way leaves a partial file that must go too)."""
    field = instance._meta.get_field("file")
    name = field.generate_filename(instance, upload.name)
    stored.append((field.storage, name))
    held = getattr(upload, "held", None)  # a file kept from a form shown again (core.services.held_uploads)
    try:
        saved = field.storage.save(name, upload, max_length=field.max_length)
    finally:
        if held is not None:
            upload.close()
    stored[-1] = (field.storage, saved)
    instance.file = saved  # a name already stored: the model's save() does not write the file again
    if held is not None:
        from core.services.held_uploads import held_discard

        transaction.on_commit(partial(held_discard, held))


@contextmanager
def uploads_cleanup() -> Iterator[list]:
    """Yield the list `upload_store` records into; if the block fails, every file in it is deleted. Wrap the
    transaction with it, so the rows are rolled back and the files removed together. A storage error (a full disk,
    ENOSPC) becomes a Russian ValidationError on the files."""
    stored: list = []
    try:
        yield stored
    except BaseException as error:
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not remove the upload %s after a failed request", name)
        if isinstance(error, OSError) and stored:
            logger.error("Storing uploads failed (%s): %s", errno.errorcode.get(error.errno, "?"), error)
            raise ValidationError({"files": [STORAGE_FAILED]}) from error
        raise
