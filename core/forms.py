"""Form pieces shared by both faces (they only parse input; the rules live in workflows and services)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.services.attachments import ALLOWED, MAX_UPLOAD_SIZE, upload_check


def _files_help() -> str:
    return _("Можно выбрать несколько файлов: %(types)s — до %(size)s МБ каждый.") % {
        "types": ", ".join(ALLOWED),
        "size": MAX_UPLOAD_SIZE // (1024 * 1024),
    }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several attachments at once, each checked by size and content as the workflow will check it, so the
    person sees every problem on the field at once."""

    def __init__(self, *, attrs: dict | None = None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Файлы"))
        kwargs.setdefault("help_text", lazy(_files_help, str)())
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED), **(attrs or {})}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [super(MultipleFileField, self).clean(item, initial) for item in (data or [])]
        errors = []
        for upload in uploads:
            try:
                upload_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads
