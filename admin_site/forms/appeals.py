"""The forms of the appeal's actions in the cabinet: one per action of core.workflows.appeals.

They only parse input. Field names are the door's keyword arguments, so `door_data()` goes straight into
`appeal_transition(**data)` and the door's Russian errors (keyed by the same names) land on the same fields.
Fields are optional here on purpose: whether a reason or a manager is required is the door's rule.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldBooleanSwitchWidget

from admin_site.forms.common import (
    MultipleFileField,
    StaffChoiceField,
    VersionedForm,
    date_input,
    participant_organisations,
    staff_users,
    text_field,
)
from core.choices import AppealStatus
from core.models import Appeal, Fact, Organisation, Project, User
from core.selectors.visibility import projects_visible_to
from core.workflows.appeals import CONCURRENT_CHANGE


class FactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fact) -> str:
        return f"{obj.subcategory.category} → {obj.subcategory} → {obj.name} ({obj.appeal_type})"


class AppealActionForm(VersionedForm):
    """The base: the version of the appeal the person saw, so a stale page is refused by the door."""

    conflict_message = CONCURRENT_CHANGE

    def __init__(self, *args, appeal: Appeal, user: User, **kwargs):
        super().__init__(*args, version=appeal.updated_at, **kwargs)
        self.appeal, self.user = appeal, user

    def seen_appeal(self) -> Appeal:
        """The appeal as the person saw it: the door compares this version with the row it locks."""
        self.appeal.updated_at = self.seen_version()
        return self.appeal


class RejectForm(AppealActionForm):
    reason = text_field(_("Причина отклонения"), help_text=_("Её увидит инвестор."))


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
    comment = text_field(_("Комментарий"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor_organisation"].queryset = participant_organisations(self.user)
        self.fields["manager"].queryset = self.fields["head"].queryset = staff_users(self.user)
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
    comment = text_field(_("Что нужно сделать исполнителю"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor_organisation"].queryset = participant_organisations(self.user)
        self.fields["manager"].queryset = staff_users(self.user)


class CommentOnlyForm(AppealActionForm):
    comment = text_field(_("Комментарий"))


class ClarificationForm(AppealActionForm):
    comment = text_field(_("Какие сведения нужны от инвестора"), help_text=_("Вопрос увидит инвестор."))


class ReturnForm(AppealActionForm):
    comment = text_field(_("Что исправить в ответе"), help_text=_("Внутренний комментарий: инвестор его не видит."))


class AnswerForm(AppealActionForm):
    answer_text = text_field(_("Текст ответа инвестору"), rows=10)
    files = MultipleFileField(label=_("Файлы к ответу"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_text"].initial = self.appeal.answer_text  # a returned draft is edited, not retyped


class CloseForm(AppealActionForm):
    outcome = forms.ChoiceField(
        label=_("Итог"), required=False, widget=UnfoldAdminSelectWidget,
        choices=[("", "—"), *((value, AppealStatus(value).label) for value in AppealStatus.outcomes())],
    )
    comment = text_field(_("Комментарий"), rows=3)


class ExtendDeadlineForm(AppealActionForm):
    new_deadline = forms.DateField(label=_("Новый срок"), required=False, widget=date_input())
    reason = text_field(_("Причина переноса"), rows=3)


class ReclassifyForm(AppealActionForm):
    fact = FactChoiceField(
        label=_("Факт обращения"), required=False, widget=UnfoldAdminSelectWidget,
        queryset=Fact.objects.filter(is_active=True, subcategory__is_active=True, subcategory__category__is_active=True)
        .select_related("subcategory__category", "appeal_type")
        .order_by("subcategory__category__order", "subcategory__order", "order", "code"),
        help_text=_("Срок ответа будет пересчитан по типу нового факта от даты подачи обращения."),
    )
    comment = text_field(_("Комментарий"), rows=3)


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.registry_number} {obj.name} ({obj.get_stage_display()})"


class LinkProjectForm(AppealActionForm):
    """A project of the appeal's investor that this person sees, or none: the door checks the investor again."""

    project = ProjectChoiceField(
        label=_("Проект"), queryset=Project.objects.none(), required=False, empty_label=_("— без проекта —"),
        widget=UnfoldAdminSelectWidget,
        help_text=_("Обращение появится на вкладке «Обращения» проекта и в его истории."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            projects_visible_to(self.user).filter(investor_id=self.appeal.organisation_id).order_by("registry_number")
        )
        self.fields["project"].initial = self.appeal.project_id

    def clean(self):
        cleaned = super().clean()
        if "project" in cleaned and cleaned["project"] is None and self.appeal.project_id is None:
            self.add_error("project", _("Обращение и так не связано с проектом: выберите проект."))
        return cleaned


class CommentForm(AppealActionForm):
    text = text_field(_("Комментарий"))
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
    "link_project": LinkProjectForm,
    "comment": CommentForm,
}
