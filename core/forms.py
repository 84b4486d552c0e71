"""Form pieces shared by both faces (they only parse input; the rules live in workflows and services)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.formatting import format_integer
from core.services.attachments import ALLOWED, files_genitive, uploads_check
from core.services.content_limits import TEXT_MAX


def _files_help() -> str:
    return _("Можно выбрать несколько файлов: %(types)s — до %(size)s МБ каждый, за раз не больше %(count)s "
             "и %(total)s МБ.") % {
        "types": ", ".join(ALLOWED),
        "size": settings.UPLOAD_MAX_FILE_MB,
        "count": files_genitive(settings.UPLOAD_MAX_FILES),
        "total": settings.UPLOAD_MAX_TOTAL_MB,
    }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several attachments at once, each checked by size and content and the batch by count and total size, as the
    workflow will check them, so the person sees every problem on the field at once."""

    def __init__(self, *, attrs: dict | None = None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Файлы"))
        kwargs.setdefault("help_text", lazy(_files_help, str)())
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED), **(attrs or {})}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [super(MultipleFileField, self).clean(item, initial) for item in (data or [])]
        uploads_check(uploads)
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        return uploads


COUNTER_TEXT = _("{used} из {limit} — осталось {left}")


class LimitedTextField(forms.CharField):
    """Typed text with its length limit (core.services.content_limits): the browser's `maxlength`, a hint «до N
    символов» that needs no script, and the live counter of static/portal/counter.js (`data-counter`). A line break
    counts once, as the browser counts it (it sends CR LF)."""

    def __init__(self, *, max_length: int = TEXT_MAX, counter_class: str = "muted", **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(max_length=max_length, **kwargs)
        self.widget.attrs.update({"data-counter": COUNTER_TEXT, "data-counter-class": counter_class})
        hint = format_lazy(_("До {} символов."), format_integer(max_length))
        self.help_text = format_lazy("{} {}", self.help_text, hint) if self.help_text else hint

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value
