"""The forms of the appeal's actions in the cabinet: one per action of core.workflows.appeals.

They only parse input. Field names are the door's keyword arguments, so `door_data()` goes straight into
`appeal_transition(**data)` and the door's Russian errors (keyed by the same names) land on the same fields.
Fields are optional here on purpose: whether a reason or a manager is required is the door's rule.
"""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectMultipleWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextInputWidget,
    UnfoldAdminURLInputWidget,
    UnfoldBooleanSwitchWidget,
)

from admin_site.forms.common import (
    MultipleFileField,
    StaffMultipleChoiceField,
    VersionedForm,
    date_input,
    datetime_input,
    participant_organisations,
    staff_users,
    text_field,
)
from admin_site.forms.people import PersonChoiceField, head_field, manager_field, manager_picker
from core.choices import AppealStatus, FileKind, MeetingFormat, MeetingStatus
from core.http_guard import parse_int
from core.models import Appeal, AppealFile, Fact, Meeting, Organisation, Project, User
from core.search import SimilarAppeal, similar_appeals
from core.selectors.answers import answer_templates_for_appeal
from core.selectors.appeal_people import appeal_meeting_invitees
from core.selectors.visibility import projects_visible_to
from core.services.content_limits import DESCRIPTION_MAX
from core.services.drafts import llm_enabled
from core.workflows.appeals import (
    ACTIONS,
    CONCURRENT_CHANGE,
    PUBLIC,
    answer_draft_line,
    approval_is_executor_step,
)

PUBLIC_LINE = _("Этот текст увидит инвестор")
INTERNAL_LINE = _("Этот текст видят только сотрудники")
ANSWER_ACTION = "submit_for_approval"  # the dialog whose text «Вставить в ответ» fills
SIMILAR_LIMIT = 5


class FactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fact) -> str:
        return f"{obj.subcategory.category} → {obj.subcategory} → {obj.name} ({obj.appeal_type})"


class AppealActionForm(VersionedForm):
    """The base: the version of the appeal the person saw, so a stale page is refused by the door.

    `text_field_name` is the field whose text may reach the investor (SPEC «Visibility of typed text»): where the
    action lets the dialog choose (`Action.text_choice`), a «Видно инвестору» switch follows it and goes to the
    door as `text_public`; otherwise a line under it says who reads it. `text_public_fixed` overrides the
    action's default for dialogs whose text is not the history line's (the head's remark when approving)."""

    conflict_message = CONCURRENT_CHANGE
    stale_what = _("обращение")
    text_field_name = "comment"
    text_public_fixed: bool | None = None
    public_line, internal_line = PUBLIC_LINE, INTERNAL_LINE

    def __init__(self, *args, appeal: Appeal, user: User, action: str = "", **kwargs):
        super().__init__(*args, version=appeal.updated_at, row=appeal, **kwargs)
        self.appeal, self.user = appeal, user
        self.visibility_line: tuple[bool, str] | None = None
        if action and self.text_field_name in self.fields:
            self._offer_visibility(ACTIONS[action])

    def _offer_visibility(self, action) -> None:
        if self.text_public_fixed is None and action.text_choice:
            fields = list(self.fields.items())
            at = [name for name, _field in fields].index(self.text_field_name) + 1
            switch = forms.BooleanField(
                label=_("Видно инвестору"), required=False, widget=UnfoldBooleanSwitchWidget,
                initial=action.text_default == PUBLIC,
                help_text=_("Без отметки текст видят только сотрудники: инвестор увидит строку истории без него."),
            )
            self.fields = dict([*fields[:at], ("text_public", switch), *fields[at:]])
            return
        public = self.text_public_fixed if self.text_public_fixed is not None else (
            action.text_default == PUBLIC and action.row_public
        )
        self.visibility_line = (public, self.public_line if public else self.internal_line)

    def seen_appeal(self) -> Appeal:
        """The appeal as the person saw it: the door compares this version with the row it locks."""
        self.appeal.updated_at = self.seen_version()
        return self.appeal


class TemplatePickField(forms.ModelChoiceField):
    """Only a picker for «Вставить»: what it holds when the form is sent means nothing (the text was typed or
    inserted already), so a template switched off meanwhile is no error."""

    def label_from_instance(self, obj) -> str:
        return obj.title

    def clean(self, value):
        return None


class AnswerTemplateMixin:
    """«Шаблон ответа»: a select of the templates that fit the appeal (core.selectors.answers) above the text
    `template_target`, and a hidden `answer_template` that static/admin_site/answer-templates.js fills when
    «Вставить» puts a template's text (rendered for this appeal by the cabinet) into it; the view counts that use
    once the form is sent (core.services.answer_templates.answer_template_record_use)."""

    template_target = "comment"
    templates_later = False  # the options are loaded by the script after the page (the card's comment box)

    def _offer_templates(self) -> None:
        templates = answer_templates_for_appeal(self.appeal)
        attrs = {
            "data-answer-template-select": "",
            "data-url": reverse("admin:core_appeal_answer_template", args=[self.appeal.pk]),
            "data-target": self.template_target,
        }
        if self.templates_later:
            attrs["data-load"] = "1"
        pick = TemplatePickField(
            label=_("Шаблон ответа"), queryset=templates.none() if self.templates_later else templates,
            required=False, empty_label=_("— выберите шаблон —"), widget=UnfoldAdminSelectWidget(attrs=attrs),
        )
        used = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-answer-template-used": ""}))
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index(self.template_target)
        self.fields = dict([*fields[:at], ("answer_template_pick", pick), ("answer_template", used), *fields[at:]])

    def used_template(self) -> int | None:
        """The id of the fitting template inserted before sending, if any (anything else in the field: none)."""
        value = parse_int(self.cleaned_data.get("answer_template") or "", minimum=1, maximum=2**63 - 1)
        if value is None:
            return None
        return answer_templates_for_appeal(self.appeal).filter(pk=value).values_list("pk", flat=True).first()

    def door_data(self) -> dict:
        data = super().door_data()
        data.pop("answer_template_pick", None)
        data.pop("answer_template", None)
        return data


class RejectForm(AppealActionForm):
    text_field_name = "reason"
    reason = text_field(_("Причина отклонения"))


class AssignForm(AppealActionForm):
    executor_organisation = forms.ModelChoiceField(
        label=_("Организация-исполнитель"), queryset=Organisation.objects.none(), required=False,
        widget=UnfoldAdminSelectWidget,
    )
    manager = manager_field()
    head = head_field()
    comment = text_field(_("Комментарий"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor_organisation"].queryset = participant_organisations(self.user)
        # any visible staff member is accepted here: the door explains why a person does not fit
        self.fields["manager"].queryset = staff_users(self.user)
        self.fields["head"].queryset = staff_users(self.user)
        # the fact's default executor (or the director's office for a letter to the director) is proposed
        self.fields["executor_organisation"].initial = self.appeal.executor_organisation_id
        self.fields["head"].initial = self.appeal.head_id


class RedirectForm(AppealActionForm):
    executor_organisation = forms.ModelChoiceField(
        label=_("Новая организация-исполнитель"), queryset=Organisation.objects.none(), required=False,
        widget=UnfoldAdminSelectWidget,
    )
    manager = PersonChoiceField(
        label=_("Менеджер"), queryset=User.objects.none(), required=False, widget=manager_picker(),
        with_organisation=False,
        help_text=_("Можно не выбирать: ответственного назначит руководитель этой организации, или им станет "
                    "тот, кто возьмёт обращение в работу."),
    )
    comment = text_field(_("Что нужно сделать исполнителю"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor_organisation"].queryset = participant_organisations(self.user)
        self.fields["manager"].queryset = staff_users(self.user)


class CommentOnlyForm(AppealActionForm):
    comment = text_field(_("Комментарий"))


class ClarificationForm(AnswerTemplateMixin, AppealActionForm):
    comment = text_field(_("Какие сведения нужны от инвестора"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer_templates()


class ApproveForm(CommentOnlyForm):
    """The investor reads the answer as the executor wrote it; the head's remark stays among staff."""

    text_public_fixed = False
    comment = text_field(_("Комментарий"), rows=3,
                         help_text=_("Инвестор получит ответ, подготовленный исполнителем."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if approval_is_executor_step(self.appeal, self.user):  # the body's own approval: the agency's head is next
            self.fields["comment"].help_text = _("Ответ уйдёт на согласование руководителю агентства; инвестор "
                                                 "получит его после этого согласования.")


class ReturnForm(AppealActionForm):
    comment = text_field(_("Что исправить в ответе"))


def similar_answers_for(appeal: Appeal, user: User) -> list[SimilarAppeal]:
    """«Похожие обращения»: the closest answered appeals the person may open (core.search), only those whose answer
    has been sent to their investor (a draft awaiting approval is no answer to start from); the same fact first, as
    core.search promises (kept here too: a stable sort that changes nothing when the search already did it)."""
    found = [item for item in similar_appeals(appeal=appeal, user=user, limit=SIMILAR_LIMIT)
             if item.appeal.answered_at is not None and item.answer_text.strip()]
    return sorted(found, key=lambda item: not item.same_fact)


class AnswerForm(AnswerTemplateMixin, AppealActionForm):
    text_field_name = template_target = "answer_text"
    internal_line = _("Пока руководитель не согласовал ответ, его видят только сотрудники; после согласования "
                      "ответ и файлы к нему увидит инвестор")
    answer_text = text_field(_("Текст ответа инвестору"), rows=10)
    files = MultipleFileField(label=_("Файлы к ответу"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_text"].initial = self.appeal.answer_text  # a returned draft is edited, not retyped
        self._name_returned_files()
        self._offer_templates()
        # «Составить черновик» (core.services.drafts; static/admin_site/drafts.js): only while LLM_URL is set
        self.draft_url = reverse("admin:core_appeal_draft_start", args=[self.appeal.pk]) if llm_enabled() else ""
        # «Похожие обращения» under the text, loaded when opened (admin_site.views.similar_appeals)
        self.similar_url = reverse("admin:core_appeal_similar", args=[self.appeal.pk])

    def _name_returned_files(self) -> None:
        """A returned draft's files stay on its history line and go no further: the dialog names them, so the
        executor attaches again those the new draft still needs."""
        if self.appeal.status != AppealStatus.IN_WORK or not self.appeal.answer_text:
            return
        names = list(AppealFile.objects.filter(event_id=answer_draft_line(self.appeal), answer__isnull=True,
                                               kind=FileKind.ANSWER).values_list("original_name", flat=True))
        if names:
            returned = gettext("Файлы возвращённого проекта ответа к новому не переносятся — приложите заново те, что "
                               "нужны: %(names)s.") % {"names": ", ".join(f"«{name}»" for name in names)}
            self.fields["files"].help_text = f"{returned} {self.fields['files'].help_text}"

    def start_from_similar(self, similar_id: str | None) -> None:
        """«Вставить в ответ» on the card opens this dialog with ?similar=<id>: that appeal's public answer becomes
        the text to edit (after the saved draft, if any), when it is among those the panel offers this person."""
        pk = parse_int(similar_id, minimum=1, maximum=2**63 - 1)
        text = next((item.answer_text for item in similar_answers_for(self.appeal, self.user)
                     if item.appeal.pk == pk), None) if pk else None
        if text:
            current = (self.fields["answer_text"].initial or "").rstrip()
            self.initial["answer_text"] = f"{current}\n\n{text}" if current else text


class CloseForm(AppealActionForm):
    outcome = forms.ChoiceField(
        label=_("Итог"), required=False, widget=UnfoldAdminSelectWidget,
        choices=[("", "—"), *((value, AppealStatus(value).label) for value in AppealStatus.outcomes())],
    )
    comment = text_field(_("Комментарий"), rows=3)


class ExtendDeadlineForm(AppealActionForm):
    text_field_name = "reason"
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


class CommentForm(AnswerTemplateMixin, AppealActionForm):
    text_field_name = ""  # the comment box keeps its own choice, `is_public`
    template_target = "text"
    templates_later = True
    text = text_field(_("Комментарий"))
    is_public = forms.BooleanField(
        label=_("Видно инвестору"), required=False, widget=UnfoldBooleanSwitchWidget,
        help_text=_("Без отметки комментарий внутренний: его видят только сотрудники."),
    )
    files = MultipleFileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer_templates()


class CorrectForm(AppealActionForm):
    """Moderation (seed «Ятэк Рус»): the subject and description as the investor will read them."""

    text_public_fixed = False
    subject = forms.CharField(label=_("Тема обращения"), max_length=300, required=False, strip=False,
                              widget=UnfoldAdminTextInputWidget)
    description = text_field(
        _("Описание"), rows=10, max_length=DESCRIPTION_MAX,
        help_text=_("Инвестор увидит исправленный текст и строку «Текст обращения уточнён»; исходный текст "
                    "останется в истории для сотрудников."),
    )
    comment = text_field(_("Комментарий к правке"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].initial = self.appeal.subject
        self.fields["description"].initial = self.appeal.description


class AppointManagerForm(AppealActionForm):
    manager = PersonChoiceField(
        label=_("Ответственный"), queryset=User.objects.none(), required=False, with_organisation=False,
        help_text=_("Сотрудник организации-исполнителя, который готовит ответ; на карточке он — «Менеджер»."),
    )
    comment = text_field(_("Комментарий"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = staff_users(self.user)
        self.fields["manager"].widget = manager_picker(organisation=self.appeal.executor_organisation_id)
        self.fields["manager"].widget.choices = self.fields["manager"].choices
        self.fields["manager"].initial = self.appeal.manager_id


class ScheduleMeetingForm(AppealActionForm):
    text_field_name = "title"  # the history line names the meeting: the investor reads it
    title = forms.CharField(label=_("Тема встречи"), max_length=300, required=False,
                            widget=UnfoldAdminTextInputWidget)
    starts_at = forms.DateTimeField(label=_("Дата и время (московское)"), required=False, widget=datetime_input(),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
    duration_minutes = forms.IntegerField(label=_("Длительность, минут"), required=False, initial=60,
                                          widget=UnfoldAdminIntegerFieldWidget)
    format = forms.ChoiceField(label=_("Формат"), choices=MeetingFormat.choices, initial=MeetingFormat.VIDEO,
                               required=False, widget=UnfoldAdminSelectWidget)
    place = forms.CharField(label=_("Место"), max_length=300, required=False, widget=UnfoldAdminTextInputWidget)
    link = forms.URLField(label=_("Ссылка на ВКС"), required=False, assume_scheme="https",
                          widget=UnfoldAdminURLInputWidget)
    participants = StaffMultipleChoiceField(
        label=_("Участники"), queryset=User.objects.none(), required=False,
        widget=UnfoldAdminSelectMultipleWidget(attrs={"size": 8}),
        help_text=_("Сотрудники агентства и органов власти (и тех, кому обращение ещё не передано), пользователи "
                    "компании-инвестора: каждый получит приглашение с файлом .ics."),
    )
    agenda = text_field(_("Повестка"), rows=3, help_text=_("Повестку получат участники в приглашении."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = appeal_meeting_invitees(self.appeal)
        self.fields["title"].initial = _("Обращение №%(number)s: %(subject)s") % {
            "number": self.appeal.number, "subject": self.appeal.subject}

    def door_data(self) -> dict:
        data = super().door_data()
        if data.get("duration_minutes") is None:
            data["duration_minutes"] = 0  # the door says what is allowed
        if not data.get("format"):
            data.pop("format", None)
        return data


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{timezone.localtime(obj.starts_at):%d.%m.%Y %H:%M} — {obj.title}"


class ChangeMeetingForm(AppealActionForm):
    """Move, cancel or mark held a planned meeting about the appeal; the history line is written by the door."""

    text_field_name = ""  # the line is generated; the minutes stay with the meeting
    meeting = MeetingChoiceField(label=_("Встреча"), queryset=Meeting.objects.none(), required=False,
                                 widget=UnfoldAdminSelectWidget)
    change = forms.ChoiceField(
        label=_("Что сделать"), required=False, widget=UnfoldAdminSelectWidget,
        choices=[("move", _("Перенести")), ("cancel", _("Отменить")), ("held", _("Отметить проведённой"))],
        help_text=_("Участники получат обновлённое приглашение .ics; инвестор увидит строку в истории."),
    )
    starts_at = forms.DateTimeField(label=_("Новые дата и время (московское)"), required=False,
                                    widget=datetime_input(),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
                                    help_text=_("Только для переноса."))
    minutes = text_field(_("Протокол"), rows=3, help_text=_("Для проведённой встречи; инвестору не показывается."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = self.appeal.meetings.filter(status=MeetingStatus.PLANNED).order_by(
            "starts_at", "pk")


class EscalateForm(AppealActionForm):
    text_field_name = "decision"
    session_date = forms.DateField(label=_("Дата заседания МРГ"), required=False, widget=date_input())
    decision = text_field(_("Решение МРГ"), rows=4)
    follow_up_deadline = forms.DateField(label=_("Срок исполнения решения"), required=False, widget=date_input())


ACTION_FORMS: dict[str, type[AppealActionForm]] = {
    "correct": CorrectForm,
    "appoint_manager": AppointManagerForm,
    "schedule_meeting": ScheduleMeetingForm,
    "change_meeting": ChangeMeetingForm,
    "escalate": EscalateForm,
    "reject": RejectForm,
    "assign": AssignForm,
    "redirect": RedirectForm,
    "take_into_work": CommentOnlyForm,
    "request_clarification": ClarificationForm,
    "submit_for_approval": AnswerForm,
    "approve": ApproveForm,
    "return_to_executor": ReturnForm,
    "close": CloseForm,
    "extend_deadline": ExtendDeadlineForm,
    "reclassify": ReclassifyForm,
    "link_project": LinkProjectForm,
    "comment": CommentForm,
}
