"""Uploading the .docx templates of «Справка по проекту» and the letter drafts (docs/documents.md).

A template is checked before anything is written: a Word file (.docx by name and by content, within the upload
size limit, UPLOAD_MAX_FILE_MB), one python-docx can open, whose placeholders are all known and whose repeated rows
name one list each. A refused file leaves no row and no file behind; the Russian error names what to fix.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document

from core.documents.templated import known_names, mixed_rows, template_placeholders
from core.models import DocumentTemplate, User
from core.services.attachments import upload_check, upload_store, uploads_cleanup


def _braces(names) -> str:
    return ", ".join(f"{{{{ {name} }}}}" for name in sorted(names))


def document_template_check(upload: UploadedFile) -> None:
    """A Russian ValidationError (on the field "file") if `upload` cannot serve as a template."""
    name = upload.name or ""
    if PurePosixPath(name).suffix.lower() != ".docx":
        raise ValidationError({"file": [_("Шаблон — это документ Word: загрузите файл .docx (выбран «%(name)s»). "
                                          "Файл .doc сохраните в Word или LibreOffice как .docx.") % {"name": name}]})
    try:
        upload_check(upload)  # the size limit, an empty file, the content of a .docx
        upload.seek(0)
        document = Document(BytesIO(upload.read()))
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    except Exception as error:  # python-docx raises many kinds on a broken file (zip, XML, missing parts)
        raise ValidationError({"file": [_("Файл «%(name)s» не открывается как документ Word: сохраните его в Word "
                                          "или LibreOffice как .docx и загрузите снова.") % {"name": name}]}) from error
    finally:
        upload.seek(0)
    errors = []
    found = template_placeholders(document)
    unknown = set().union(*(names for names, _lists in found)) - known_names() if found else set()
    if unknown:
        errors.append(_("В шаблоне неизвестные поля: %(names)s. Исправьте их по списку полей или возьмите за основу "
                        "встроенный шаблон («Скачать встроенный шаблон»).") % {"names": _braces(unknown)})
    mixed = sorted({", ".join(sorted(lists)) for lists in [*(lists for _names, lists in found), *mixed_rows(document)]
                    if len(lists) > 1})
    if mixed:
        errors.append(_("В одной строке таблицы или в одном абзаце поля разных списков (%(lists)s): такая строка "
                        "повторяется для каждого элемента одного списка — разнесите их по разным строкам.")
                      % {"lists": "; ".join(mixed)})
    if errors:
        raise ValidationError({"file": errors})


def document_template_save(*, kind: str, title: str, upload: UploadedFile | None, user: User,
                           template: DocumentTemplate | None = None, is_active: bool = True) -> DocumentTemplate:
    """Add a template (or change `template`: its title, whether it is used, a new file). The file is checked
    first; a failure anywhere leaves neither the row nor the stored file."""
    template = template or DocumentTemplate()
    if template.pk is None and upload is None:
        raise ValidationError({"file": [_("Выберите файл шаблона (.docx).")]})
    if upload is not None:
        document_template_check(upload)
    template.kind, template.title, template.is_active = kind, title.strip(), is_active
    if not template.title:
        raise ValidationError({"title": [_("Назовите шаблон.")]})
    with uploads_cleanup() as stored, transaction.atomic():
        if upload is not None:
            upload_store(template, upload, stored)
            template.original_name, template.size = PurePosixPath(upload.name).name[:255], upload.size
            template.uploaded_by, template.uploaded_at = user, timezone.now()
        template.save()
    return template
