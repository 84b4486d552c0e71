"""Form pieces shared by both faces (they only parse input; the rules live in workflows and services)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formatting import format_integer
from core.services.attachments import ALLOWED, ALLOWED_LABEL, files_genitive, uploads_check
from core.services.content_limits import TEXT_MAX


def _files_help() -> str:
    return _("Можно выбрать несколько файлов: %(types)s — до %(size)s МБ каждый, за раз не больше %(count)s "
             "и %(total)s МБ.") % {
        "types": ALLOWED_LABEL,
        "size": settings.UPLOAD_MAX_FILE_MB,
        "count": files_genitive(settings.UPLOAD_MAX_FILES),
        "total": settings.UPLOAD_MAX_TOTAL_MB,
    }


HELD_SUFFIX = "-held"  # the field's name + this: the tokens of its held files (core.services.held_uploads)
HELD_GONE = _("Файл, выбранный раньше, больше не хранится: форму не отправляли дольше суток. Выберите его снова.")


class _HeldGone:
    """In a field's data: a held file's token that found nothing."""


HELD_GONE_MARK = _HeldGone()


def _hold_note(count: int) -> str:
    # «этот» or «эти» by how many files there are, not by the plural rule of a number (21 files are «эти»)
    if count == 1:
        return gettext("Этот файл уже получен: выбирать его снова не нужно. Снимите отметку, чтобы не прикладывать "
                       "его.")
    return gettext("Эти файлы уже получены: выбирать их снова не нужно. Снимите отметку у файла, который прикладывать "
                   "не нужно.")


class MultipleFileInput(forms.FileInput):
    """Several files, and above them the files this person chose before the form came back with an error: a ticked
    box each, sent as the token of the held file (the box unticked leaves that file out)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        uploads = files.getlist(name) if hasattr(files, "getlist") else [files[name]] if files.get(name) else []
        tokens = data.getlist(name + HELD_SUFFIX) if hasattr(data, "getlist") else []
        if not tokens:
            return uploads
        cache = self.__dict__.setdefault("_held", {})
        key = tuple(tokens)
        if key not in cache:
            from core.request_id import current_user
            from core.services.held_uploads import held_files

            user = current_user()
            found, missing = held_files(user=user, tokens=tokens) if user else ([], len(set(tokens)))
            cache[key] = [*found, *([HELD_GONE_MARK] if missing else [])]
        return [*cache[key], *uploads]

    def use_required_attribute(self, initial) -> bool:
        return False  # a held file satisfies a required field, which the browser cannot know: the server checks

    def wrap_input(self, html: str) -> str:
        """The file input's own markup, as a face wants it around the input (the cabinet's: admin_site.forms)."""
        return html

    def render(self, name, value, attrs=None, renderer=None):
        from core.services.held_uploads import HeldFile

        html = self.wrap_input(super().render(name, value, attrs, renderer))
        held = [item for item in (value or []) if isinstance(item, HeldFile)]
        if not self.allow_multiple_selected:
            held = held[-1:]  # one file: the latest chosen
        not_held = getattr(value, "not_held", ())
        parts = []
        if held:
            rows = format_html_join(
                "", '<li><label><input type="checkbox" name="{}" value="{}" checked data-held-file> '
                    '<span class="zk-held-name">{}</span> <span class="zk-held-size">{}</span></label></li>',
                ((name + HELD_SUFFIX, item.token, item.name, filesizeformat(item.size)) for item in held),
            )
            note = _hold_note(len(held)) if self.allow_multiple_selected else gettext(
                "Этот файл уже получен: выбирать его снова не нужно. Выберите другой, чтобы заменить его.")
            parts.append(format_html('<p>{}</p><ul>{}</ul>', note, rows))
        if not_held:
            parts.append(format_html("<p>{}</p>", gettext("Не сохранены, выберите снова: %(names)s.")
                                     % {"names": ", ".join(f"«{item}»" for item in not_held)}))
        if not parts:
            return html
        return format_html('<div class="zk-held" role="group" aria-label="{}">{}</div>{}',
                           gettext("Уже полученные файлы"), mark_safe("".join(parts)), html)


class _HeldFilesBoundField(BoundField):
    """The field's value shown on a page: once the form has errors, the fresh uploads are held first."""

    def value(self):
        value = super().value()
        if self.form.is_bound and self.form.errors:
            return hold_uploads(self.form, self.name)
        return value


def hold_uploads(form: forms.Form, name: str = "files") -> list:
    """The files of a bound form's field, fresh uploads held for the signed-in person (once per form): what a page
    shows again, or the `initial` of a fresh form that must keep them. Without a signed-in person nothing is held."""
    held = form.__dict__.setdefault("_held_values", {})
    if name not in held:
        from core.request_id import current_user
        from core.services.attachments import STORAGE_FAILED
        from core.services.held_uploads import HeldFile, HeldList, uploads_hold

        data = [item for item in (form[name].data or []) if item is not HELD_GONE_MARK]
        user = current_user()
        errors = form.errors.values() if form.is_bound else ()
        storage_failed = any(str(STORAGE_FAILED) in messages for messages in errors)
        if storage_failed or len(data) > settings.UPLOAD_MAX_FILES:
            # nothing new is written to a storage that just failed; more files than a form takes must be chosen anew
            data = [item for item in data if isinstance(item, HeldFile)]
        held[name] = uploads_hold(user=user, uploads=data) if user else HeldList()
    return held[name]


class MultipleFileField(forms.FileField):
    """Several attachments at once, each checked by size and content and the batch by count and total size, as the
    workflow will check them, so the person sees every problem on the field at once. Files chosen before the form
    came back with an error are kept and sent again as ticked boxes (core.services.held_uploads)."""

    def __init__(self, *, attrs: dict | None = None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Файлы"))
        kwargs.setdefault("help_text", lazy(_files_help, str)())
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED), **(attrs or {})}))
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        return _HeldFilesBoundField(form, self, field_name)

    def clean(self, data, initial=None):
        from core.services.held_uploads import HeldFile

        data = list(data or [])
        if HELD_GONE_MARK in data:
            raise ValidationError(HELD_GONE, code="held_gone")
        uploads, errors = [], []
        for item in data:
            if isinstance(item, HeldFile):
                uploads.append(item)
                continue
            try:
                uploads.append(super().clean(item, initial))
            except ValidationError as error:
                if getattr(error, "code", None) == "empty" and getattr(item, "name", ""):
                    uploads.append(item)  # uploads_check names it, beside every other file's problem
                else:
                    errors.extend(error.messages)
        try:
            uploads_check(uploads)
        except ValidationError as error:
            errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        return uploads


class SingleFileInput(MultipleFileInput):
    allow_multiple_selected = False


class HeldFileField(MultipleFileField):
    """One attachment, kept like MultipleFileField's when the form comes back with an error; a file chosen anew
    replaces the one kept. Cleans to the file (or None)."""

    def __init__(self, *, attrs: dict | None = None, **kwargs):
        kwargs.setdefault("required", True)
        kwargs.setdefault("label", _("Файл"))
        kwargs.setdefault("widget", SingleFileInput(attrs={"accept": ",".join(ALLOWED), **(attrs or {})}))
        super().__init__(attrs=attrs, **kwargs)

    def clean(self, data, initial=None):
        from core.services.held_uploads import HeldFile

        data = list(data or [])
        held = [item for item in data if isinstance(item, HeldFile)]
        fresh = [item for item in data if item is not HELD_GONE_MARK and not isinstance(item, HeldFile)]
        files = super().clean(fresh[-1:] or held[-1:] or data[:1], initial)  # the latest chosen, else the gone mark
        return files[0] if files else None


COUNTER_TEXT = _("{used} из {limit} — осталось {left}")
COUNTER_OVER_TEXT = _("{used} из {limit} — лишних {over}: сократите текст или приложите его файлом")


class LimitedTextField(forms.CharField):
    """Typed text with its length limit (core.services.content_limits): a hint «до N символов» that needs no script,
    the live counter of static/portal/counter.js (`data-counter`, the limit in `data-maxlength`) and the server's
    check. Not the browser's `maxlength`: it cut a pasted text at the limit without a word, and the rest was lost;
    now the whole text stays in the box, the counter says how much is over, and the form refuses it with the limit
    named. A line break counts once, as the browser counts it (it sends CR LF)."""

    def __init__(self, *, max_length: int = TEXT_MAX, counter_class: str = "muted", **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(max_length=max_length, **kwargs)
        self.widget.attrs.update({"data-counter": COUNTER_TEXT, "data-counter-over": COUNTER_OVER_TEXT,
                                  "data-counter-class": counter_class})
        hint = format_lazy(_("До {} символов."), format_integer(max_length))
        self.help_text = format_lazy("{} {}", self.help_text, hint) if self.help_text else hint

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "maxlength" in attrs:
            attrs["data-maxlength"] = attrs.pop("maxlength")
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value
