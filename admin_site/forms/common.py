"""Pieces every cabinet form shares: the version a person saw, the door's errors on the right fields, the widgets
in unfold's look, and the people and organisations a person may pick (always through core's visibility)."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    INPUT_CLASSES,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectMultipleWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldAdminURLInputWidget,
    UnfoldBooleanSwitchWidget,
)

from core import forms as core_forms
from core.choices import OrganisationKind
from core.models import Organisation, User
from core.selectors.visibility import organisations_visible_to, users_visible_to
from core.services.content_limits import TEXT_MAX

INPUT = " ".join(INPUT_CLASSES)


class _UnfoldFileName:
    """unfold's app.js gives every file input of a cabinet page a listener that writes the chosen file's name into
    the first text input three levels above it (the name box of unfold's own file widget). Around a plain file input
    that is another field of the form (a document's «Название» took the file's name) or nothing (a script error on
    choosing a file). This wrapper gives the listener a box of its own, hidden and nameless, so it is never sent."""

    def wrap_input(self, html: str) -> str:
        return format_html('<div class="zk-file"><div><span>{}</span></div>'
                           '<input type="text" hidden disabled aria-hidden="true" tabindex="-1"></div>', html)


class CabinetFileInput(_UnfoldFileName, core_forms.MultipleFileInput):
    pass


class CabinetSingleFileInput(_UnfoldFileName, core_forms.SingleFileInput):
    pass


class MultipleFileField(core_forms.MultipleFileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", CabinetFileInput(attrs={"class": INPUT, "accept": ",".join(core_forms.ALLOWED)}))
        super().__init__(**kwargs)


class HeldFileField(core_forms.HeldFileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", CabinetSingleFileInput(attrs={"class": INPUT,
                                                                  "accept": ",".join(core_forms.ALLOWED)}))
        super().__init__(**kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = StaffChoiceField.label_from_instance


def text_field(label, *, rows: int = 4, help_text: str = "", required: bool = False,
               max_length: int = TEXT_MAX) -> forms.CharField:
    """A textarea with its length limit and counter (core.forms.LimitedTextField); the door checks the limit too."""
    return core_forms.LimitedTextField(
        label=label, required=required, strip=False, help_text=help_text, max_length=max_length,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": rows}), counter_class="text-xs text-base-500 mt-1",
    )


def date_input() -> forms.DateInput:
    """The browser's own date picker: it works inside unfold's modal, where the admin's calendar script does not."""
    return forms.DateInput(attrs={"type": "date", "class": INPUT}, format="%Y-%m-%d")


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", "class": INPUT}, format="%Y-%m-%dT%H:%M")


def unfold_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A model field's form field in unfold's look (ModelForm's Meta.formfield_callback): the cabinet's own forms
    open in unfold's modal, outside the ModelAdmin that would otherwise pick these widgets."""
    if isinstance(db_field, models.DateTimeField):
        kwargs["widget"] = datetime_input()
    elif isinstance(db_field, models.DateField):
        kwargs["widget"] = date_input()
    elif isinstance(db_field, models.ManyToManyField):
        kwargs["widget"] = UnfoldAdminSelectMultipleWidget(attrs={"size": 6})
    elif db_field.choices or isinstance(db_field, models.ForeignKey):
        kwargs["widget"] = UnfoldAdminSelectWidget
    elif isinstance(db_field, models.TextField):
        kwargs["widget"] = UnfoldAdminTextareaWidget(attrs={"rows": 4})
    elif isinstance(db_field, models.DecimalField):
        kwargs["widget"] = UnfoldAdminDecimalFieldWidget
    elif isinstance(db_field, models.IntegerField):
        kwargs["widget"] = UnfoldAdminIntegerFieldWidget
    elif isinstance(db_field, models.BooleanField):
        kwargs["widget"] = UnfoldBooleanSwitchWidget
    elif isinstance(db_field, models.URLField):
        kwargs.update(widget=UnfoldAdminURLInputWidget, assume_scheme="https")
    elif isinstance(db_field, models.CharField):
        kwargs["widget"] = UnfoldAdminTextInputWidget
    return db_field.formfield(**kwargs)


def participant_organisations(user: User) -> QuerySet[Organisation]:
    return organisations_visible_to(user).filter(kind__in=OrganisationKind.participants(), is_active=True)


def staff_users(user: User) -> QuerySet[User]:
    return users_visible_to(user).filter(is_staff=True, is_active=True).select_related("organisation")


class DoorErrorsMixin:
    """Show a core service's or door's ValidationError on the fields it names, the rest above the form."""

    def add_door_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error("files" if "files" in self.fields else None, error.messages)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


STALE_MESSAGE = _("Пока вы заполняли форму, {what} изменил другой пользователь. Введённое вами сохранено: "
                  "проверьте его с учётом изменений и отправьте снова.")


class ShowAgainMixin:
    """A refused stale page (a Conflict) keeps the form as it was sent — typed text, choices, files (held,
    core.services.held_uploads) — with «Пока вы заполняли форму, <stale_what> изменил…» above it and the row's current
    version in its hidden `version_input`, so that sending it again is a conscious choice."""

    stale_what = _("данные")  # the accusative: «…, обращение изменил другой пользователь»
    version_input = "version"

    def current_version(self) -> str | None:
        """The version of the row as stored now, as the hidden input holds it; None when there is none to offer."""
        raise NotImplementedError

    def show_again_after_conflict(self) -> bool:
        current = self.current_version()
        if current is None:
            return False
        data = self.data.copy()
        data[self.add_prefix(self.version_input)] = current
        self.data = data
        self.add_error(None, format_lazy(STALE_MESSAGE, what=self.stale_what))
        return True


class VersionedForm(ShowAgainMixin, DoorErrorsMixin, forms.Form):
    """A form that moves a row through its door: it carries the version (updated_at) of the row the person saw,
    and the door refuses the change when the row has moved on since."""

    version = forms.DateTimeField(widget=forms.HiddenInput)
    conflict_message = _("Данные уже изменены другим пользователем. Обновите страницу и повторите действие.")

    def __init__(self, *args, version: datetime, row: models.Model | None = None, **kwargs):
        kwargs["initial"] = {"version": version.isoformat(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.versioned_row = row

    def current_version(self) -> str | None:
        row = self.versioned_row
        current = type(row).objects.filter(pk=row.pk).values_list("updated_at", flat=True).first() if row else None
        return current.isoformat() if current else None

    def clean(self):
        if "version" in self.errors:  # a page without a readable version cannot prove what its author saw
            raise ValidationError(self.conflict_message)
        return super().clean()

    def seen_version(self) -> datetime:
        return self.cleaned_data["version"]

    def door_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}
