"""The forms of the appeal's actions in the cabinet: one per action of core.workflows.appeals.

They only parse input. Field names are the door's keyword arguments, so `door_data()` goes straight into
`appeal_transition(**data)` and the door's Russian errors (keyed by the same names) land on the same fields.
Fields are optional here on purpose: whether a reason or a manager is required is the door's rule.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    INPUT_CLASSES,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldBooleanSwitchWidget,
)

from core import forms as core_forms
from core.choices import AppealStatus, OrganisationKind
from core.models import Appeal, Fact, Organisation, User
from core.selectors.visibility import organisations_visible_to, users_visible_to
from core.workflows.appeals import CONCURRENT_CHANGE


class MultipleFileField(core_forms.MultipleFileField):
    def __init__(self, **kwargs):
        super().__init__(attrs={"class": " ".join(INPUT_CLASSES)}, **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class FactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fact) -> str:
        return f"{obj.subcategory.category} → {obj.subcategory} → {obj.name} ({obj.appeal_type})"


def _text(label, *, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, strip=False, help_text=help_text,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": rows}),
    )


def _participants(user: User) -> QuerySet[Organisation]:
    return organisations_visible_to(user).filter(kind__in=OrganisationKind.participants(), is_active=True)


def _staff(user: User) -> QuerySet[User]:
    return users_visible_to(user).filter(is_staff=True, is_active=True).select_related("organisation")


class AppealActionForm(forms.Form):
    """The base: the version of the appeal the person saw, so a stale page is refused by the door."""

    version = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, *args, appeal: Appeal, user: User, **kwargs):
        kwargs.setdefault("initial", {"version": appeal.updated_at.isoformat()})
        super().__init__(*args, **kwargs)
        self.appeal, self.user = appeal, user

    def clean(self):
        if "version" in self.errors:  # a page without a readable version cannot prove what its author saw
            raise ValidationError(CONCURRENT_CHANGE)
        return super().clean()

    def seen_appeal(self) -> Appeal:
        """The appeal as the person saw it: the door compares this version with the row it locks."""
        self.appeal.updated_at = self.cleaned_data["version"]
        return self.appeal

    def door_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def add_door_errors(self, error: ValidationError) -> None:
        """Show the door's messages on the fields they name; the rest above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error("files" if "files" in self.fields else None, error.messages)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class RejectForm(AppealActionForm):
    reason = _text(_("Причина отклонения"), help_text=_("Её увидит инвестор."))


class AssignForm(AppealActionForm):
    executor_organisation = forms.ModelChoiceField(
        label=_("Организация-исполнитель"), queryset=Organisation.objects.none(), required=False,
        widget=UnfoldAdminSelectWidget,
    )
    manager = StaffChoiceField(
        label=_("Менеджер"), queryset=User.objects.none(), required=False, widget=UnfoldAdminSelectWidget,
        help_text=_("Сотрудник организации-исполнителя, который готовит ответ."),
    )
    head = StaffChoiceField(
        label=_("Руководитель"), queryset=User.objects.none(), required=False, widget=UnfoldAdminSelectWidget,
        help_text=_("Согласует ответ. Если не выбран — руководитель организации-исполнителя."),
    )
    comment = _text(_("Комментарий"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor_organisation"].queryset = _participants(self.user)
        self.fields["manager"].queryset = self.fields["head"].queryset = _staff(self.user)
        # the fact's default executor (or the director's office for a letter to the director) is proposed
        self.fields["executor_organisation"].initial = self.appeal.executor_organisation_id
        self.fields["head"].initial = self.appeal.head_id


class RedirectForm(AppealActionForm):
    executor_organisation = forms.ModelChoiceField(
        label=_("Новая организация-исполнитель"), queryset=Organisation.objects.none(), required=False,
        widget=UnfoldAdminSelectWidget,
    )
    manager = StaffChoiceField(
        label=_("Менеджер"), queryset=User.objects.none(), required=False, widget=UnfoldAdminSelectWidget
    )
    comment = _text(_("Что нужно сделать исполнителю"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor_organisation"].queryset = _participants(self.user)
        self.fields["manager"].queryset = _staff(self.user)


class CommentOnlyForm(AppealActionForm):
    comment = _text(_("Комментарий"))


class ClarificationForm(AppealActionForm):
    comment = _text(_("Какие сведения нужны от инвестора"), help_text=_("Вопрос увидит инвестор."))


class ReturnForm(AppealActionForm):
    comment = _text(_("Что исправить в ответе"), help_text=_("Внутренний комментарий: инвестор его не видит."))


class AnswerForm(AppealActionForm):
    answer_text = _text(_("Текст ответа инвестору"), rows=10)
    files = MultipleFileField(label=_("Файлы к ответу"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_text"].initial = self.appeal.answer_text  # a returned draft is edited, not retyped


class CloseForm(AppealActionForm):
    outcome = forms.ChoiceField(
        label=_("Итог"), required=False, widget=UnfoldAdminSelectWidget,
        choices=[("", "—"), *((value, AppealStatus(value).label) for value in AppealStatus.outcomes())],
    )
    comment = _text(_("Комментарий"), rows=3)


class ExtendDeadlineForm(AppealActionForm):
    new_deadline = forms.DateField(
        label=_("Новый срок"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": " ".join(INPUT_CLASSES)}, format="%Y-%m-%d"),
    )
    reason = _text(_("Причина переноса"), rows=3)


class ReclassifyForm(AppealActionForm):
    fact = FactChoiceField(
        label=_("Факт обращения"), required=False, widget=UnfoldAdminSelectWidget,
        queryset=Fact.objects.filter(is_active=True, subcategory__is_active=True, subcategory__category__is_active=True)
        .select_related("subcategory__category", "appeal_type")
        .order_by("subcategory__category__order", "subcategory__order", "order", "code"),
        help_text=_("Срок ответа будет пересчитан по типу нового факта от даты подачи обращения."),
    )
    comment = _text(_("Комментарий"), rows=3)


class CommentForm(AppealActionForm):
    text = _text(_("Комментарий"))
    is_public = forms.BooleanField(
        label=_("Видно инвестору"), required=False, widget=UnfoldBooleanSwitchWidget,
        help_text=_("Без отметки комментарий внутренний: его видят только сотрудники."),
    )
    files = MultipleFileField()


ACTION_FORMS: dict[str, type[AppealActionForm]] = {
    "reject": RejectForm,
    "assign": AssignForm,
    "redirect": RedirectForm,
    "take_into_work": CommentOnlyForm,
    "request_clarification": ClarificationForm,
    "submit_for_approval": AnswerForm,
    "approve": CommentOnlyForm,
    "return_to_executor": ReturnForm,
    "close": CloseForm,
    "extend_deadline": ExtendDeadlineForm,
    "reclassify": ReclassifyForm,
    "comment": CommentForm,
}
