"""Uploaded files: size and type checked by content (not only by name), stored under random private names."""

import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_SIZE = 25 * 1024 * 1024

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
ALLOWED_LABEL = "pdf, doc, docx, xls, xlsx, odt, ods, jpg, png, zip"


def upload_check(upload: UploadedFile) -> str:
    """The file's MIME type if it is allowed; a Russian ValidationError otherwise."""
    name = upload.name or ""
    if upload.size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("Файл «%(name)s» больше 25 МБ."), code="file_too_large", params={"name": name}
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
    if not matches(head, upload):
        raise ValidationError(
            _("Файл «%(name)s» не похож на %(kind)s: содержимое не совпадает с расширением."),
            code="file_content",
            params={"name": name, "kind": suffix[1:].upper()},
        )
    return content_type
