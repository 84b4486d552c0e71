"""The forms of the project page in the cabinet: one per change the page offers.

They only parse input; whether a change is allowed and what it writes is core's (the stage door, the task door
and core.services.projects). Every form takes the project, the person and, for a change of one row of the
project (a roadmap item, a meeting, a request), that row as `target`; `data()` is what the service takes.
"""

from copy import copy

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget, UnfoldBooleanSwitchWidget

from admin_site.forms.common import (
    DoorErrorsMixin,
    HeldFileField,
    MultipleFileField,
    ShowAgainMixin,
    StaffChoiceField,
    StaffMultipleChoiceField,
    VersionedForm,
    date_input,
    participant_organisations,
    staff_users,
    text_field,
    unfold_formfield,
)
from core.choices import DocumentKind, MeasureStatus, MeetingStatus, OrganisationKind
from core.formatting import input_number
from core.http_guard import bound_formfield
from core.models import LandPlot, Meeting, Organisation, Project, RoadmapItem, SupportMeasure, Task, User
from core.region import current_region
from core.selectors.visibility import organisations_visible_to, users_visible_to
from core.services.attachments import ALLOWED
from core.services.projects import STAFF_PASSPORT_FIELDS, passport_people
from core.workflows.projects import ACTIONS, CONCURRENT_CHANGE
from core.workflows.tasks import CONCURRENT_CHANGE as TASK_CHANGED


class SeenVersionMixin(ShowAgainMixin):
    """A form that changes a stored row with a version counter (`version_field`: a meeting's `sequence`, a roadmap
    item's `version`) carries the value the person saw, hidden; the service refuses a stale one with a Conflict, and
    the form then comes back with what was typed and the current value (`show_again_after_conflict`)."""

    version_field: str | None = None
    version_input = "seen_version"
    stale_what = _("запись")

    def _add_seen_version(self) -> None:
        if self.version_field and self.target is not None and self.target.pk is not None:
            self.fields["seen_version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=getattr(self.target, self.version_field))

    def clean(self):
        """A change of a stored row sent without the version its page showed (a page from before the field, or one
        made by hand) cannot prove what its author saw: it comes back like a stale one, with the current version."""
        data = super().clean()
        if "seen_version" in self.fields and (data.get("seen_version") is None or "seen_version" in self.errors):
            self.errors.pop("seen_version", None)
            self.show_again_after_conflict()
        return data

    def current_version(self) -> str | None:
        if "seen_version" not in self.fields:
            return None
        current = type(self.target).objects.filter(pk=self.target.pk).values_list(
            self.version_field, flat=True).first()
        return None if current is None else str(current)


class ProjectForm(SeenVersionMixin, DoorErrorsMixin, forms.Form):
    """The base: the project, the person and the row the change is about."""

    def __init__(self, *args, project: Project, user: User, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.user, self.target = project, user, target
        self._add_seen_version()

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class ProjectModelForm(SeenVersionMixin, DoorErrorsMixin, forms.ModelForm):
    """A form over a row of the project. It validates a copy, so the service gets the row as it was stored and
    decides itself what changed."""

    def __init__(self, *args, project: Project, user: User, target=None, **kwargs):
        super().__init__(*args, instance=self.instance_for(project, target), **kwargs)
        self.project, self.user, self.target = project, user, target
        self._add_seen_version()
        for field in self.fields.values():  # an id its column cannot hold is a form error (core/http_guard.py)
            bound_formfield(field)

    def instance_for(self, project: Project, target):
        return copy(target) if target is not None else self._meta.model(project=project)

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}  # seen_version too, when there is one


# --- stage -----------------------------------------------------------------------------------------------
class StageForm(VersionedForm):
    """A stage action of core.workflows.projects: the version of the project the person saw and the reason."""

    conflict_message = CONCURRENT_CHANGE
    stale_what = _("проект")

    def __init__(self, *args, project: Project, name: str, **kwargs):
        super().__init__(*args, version=project.updated_at, row=project, **kwargs)
        required = ACTIONS[name].reason_required
        self.fields["reason"] = text_field(
            _("Причина") if required else _("Комментарий"), rows=3,
            help_text=_("Её увидит инвестор в истории проекта.") if required else _("Необязательно."),
        )


# --- passport --------------------------------------------------------------------------------------------
class PassportForm(ProjectModelForm):
    """The passport fields this person may change now (core.services.projects.project_passport_editable_by), with
    the version of the project the person saw: the service refuses a change over someone else's."""

    version = forms.DateTimeField(widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = STAFF_PASSPORT_FIELDS
        formfield_callback = unfold_formfield
        field_classes = dict.fromkeys(("personal_manager", "district_commissioner", "director"), StaffChoiceField)

    def __init__(self, *args, allowed: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.project.updated_at.isoformat()
        for name in set(self.fields) - {*allowed, "version"}:
            del self.fields[name]
        for name in ("personal_manager", "district_commissioner", "director"):
            if name in self.fields:
                # those with the field's role, and whoever holds it now (imported data), so saving other fields
                # never empties it
                self.fields[name].queryset = staff_users(self.user).filter(
                    Q(pk__in=passport_people(name).values("pk")) | Q(pk=getattr(self.project, f"{name}_id")))

    def instance_for(self, project: Project, target) -> Project:
        return copy(project)

    def clean(self):
        if "version" in self.errors:
            raise forms.ValidationError(CONCURRENT_CHANGE)
        return super().clean()

    def data_for_service(self) -> dict:
        changed = {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}
        return {"version": self.cleaned_data["version"], **changed}


class LandPlotForm(ProjectModelForm):
    class Meta:
        model = LandPlot
        fields = ("cadastral_number", "area_m2", "address", "rights")
        formfield_callback = unfold_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadastral_number"].help_text = _("Например, %(example)s") % {
            "example": current_region().cadastral_example}
        if "area_m2" in self.initial:
            self.initial["area_m2"] = input_number(self.initial["area_m2"])  # «85000», not «85000.00»


class LandPlotRemoveForm(ProjectForm):
    """«Удалить участок»: a confirmation; the plot is named in the dialog's heading."""


# --- checklist and support measures ------------------------------------------------------------------------
class ChecklistTickForm(ProjectForm):
    comment = forms.CharField(label=_("Комментарий"), required=False, max_length=500,
                              widget=UnfoldAdminTextInputWidget)


class MeasureForm(ProjectForm):
    measure = forms.ModelChoiceField(label=_("Мера поддержки"), queryset=SupportMeasure.objects.filter(is_active=True),
                                     widget=UnfoldAdminSelectWidget)
    status = forms.ChoiceField(label=_("Статус"), choices=MeasureStatus.choices, widget=UnfoldAdminSelectWidget)
    comment = forms.CharField(label=_("Комментарий"), required=False, max_length=500,
                              widget=UnfoldAdminTextInputWidget)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.target is not None:  # opened from a measure's row: that measure, its current status
            self.fields["measure"].initial = self.target.measure_id
            self.fields["status"].initial = self.target.status

    def data_for_service(self) -> dict:
        return {"measure": self.cleaned_data["measure"], "status": self.cleaned_data["status"],
                "comment": self.cleaned_data["comment"]}


# --- roadmap and tasks -----------------------------------------------------------------------------------
class RoadmapItemForm(ProjectModelForm):
    version_field = "version"
    stale_what = _("пункт дорожной карты")

    class Meta:
        model = RoadmapItem
        fields = ("title", "planned_start", "planned_end", "actual_end", "status", "responsible_user",
                  "responsible_organisation", "predecessors", "order")
        formfield_callback = unfold_formfield
        field_classes = {"responsible_user": StaffChoiceField}
        help_texts = {
            "planned_end": _("Открытые задачи пункта получат этот срок."),
            "predecessors": _("Пункты, после которых начинается этот (Ctrl — выбрать несколько)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = self.project.roadmap.all()
        self.fields["predecessors"].queryset = others.exclude(pk=self.target.pk) if self.target else others
        self.fields["responsible_user"].queryset = staff_users(self.user)
        self.fields["responsible_organisation"].queryset = organisations_visible_to(self.user).filter(
            Q(kind__in=OrganisationKind.participants()) | Q(pk=self.project.investor_id), is_active=True
        )


class TaskForm(ProjectForm):
    title = forms.CharField(label=_("Что сделать"), max_length=300, required=False, widget=UnfoldAdminTextInputWidget)
    description = text_field(_("Описание"), rows=3)
    assignee = StaffChoiceField(label=_("Исполнитель"), queryset=User.objects.none(), required=False,
                                widget=UnfoldAdminSelectWidget)
    due_date = forms.DateField(label=_("Срок"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users(self.user)
        self.fields["assignee"].initial = self.user.pk


class RoadmapTaskForm(TaskForm):
    """A task made from a roadmap item: its due date is the item's planned end and follows it when it moves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item: RoadmapItem = self.target
        del self.fields["due_date"]
        self.fields["title"].initial = item.title
        self.fields["assignee"].initial = item.responsible_user_id or self.user.pk
        self.intro = _("Срок задачи — окончание пункта по плану, %(date)s; он сдвинется вместе с пунктом.") % {
            "date": f"{item.planned_end:%d.%m.%Y}"
        }


class TaskActionForm(VersionedForm):
    """A step of core.workflows.tasks: the version of the task the person saw; «выполнена» asks for the result."""

    conflict_message = TASK_CHANGED
    stale_what = _("задачу")

    def __init__(self, *args, task: Task, name: str, **kwargs):
        super().__init__(*args, version=task.updated_at, row=task, **kwargs)
        if name == "finish":
            self.fields["result"] = text_field(_("Результат"), rows=3)


# --- meetings --------------------------------------------------------------------------------------------
class MeetingForm(ProjectModelForm):
    version_field = "sequence"
    stale_what = _("встречу")

    class Meta:
        model = Meeting
        fields = ("title", "starts_at", "duration_minutes", "format", "place", "link", "participants",
                  "organisations", "agenda")
        formfield_callback = unfold_formfield
        field_classes = {"participants": StaffMultipleChoiceField}
        help_texts = {
            "link": _("Обязательна для ВКС."),
            "place": _("Обязательно для очной встречи."),
            "participants": _("Ctrl — выбрать несколько."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = users_visible_to(self.user).filter(
            Q(is_staff=True) | Q(organisation_id=self.project.investor_id), is_active=True
        ).select_related("organisation")
        self.fields["organisations"].queryset = organisations_visible_to(self.user).filter(
            Q(kind__in=OrganisationKind.participants()) | Q(pk=self.project.investor_id), is_active=True
        )


class MeetingStatusForm(ProjectForm):
    version_field = "sequence"
    stale_what = MeetingForm.stale_what
    status = forms.ChoiceField(label=_("Статус"), choices=MeetingStatus.choices, widget=UnfoldAdminSelectWidget)
    minutes = text_field(_("Протокол"), rows=6, help_text=_("Итоги встречи и договорённости."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = self.initial.get("status") or self.target.status
        self.fields["minutes"].initial = self.target.minutes


# --- documents, requests, comments -----------------------------------------------------------------------
class DocumentForm(ProjectForm):
    kind = forms.ChoiceField(label=_("Вид документа"), choices=DocumentKind.choices, widget=UnfoldAdminSelectWidget)
    title = forms.CharField(label=_("Название"), required=False, max_length=300, widget=UnfoldAdminTextInputWidget)
    upload = HeldFileField(label=_("Файл"), help_text=", ".join(ALLOWED))
    is_internal = forms.BooleanField(label=_("Внутренний"), required=False, widget=UnfoldBooleanSwitchWidget,
                                     help_text=_("Инвестор не видит внутренние документы."))

    def add_door_errors(self, error) -> None:
        if hasattr(error, "error_dict") and "file" in error.error_dict:  # the service names it «file»
            error.error_dict["upload"] = error.error_dict.pop("file")
        super().add_door_errors(error)


class RequestForm(ProjectForm):
    organisation = forms.ModelChoiceField(label=_("Кому"), queryset=Organisation.objects.none(),
                                          widget=UnfoldAdminSelectWidget)
    subject = forms.CharField(label=_("Тема"), max_length=300, widget=UnfoldAdminTextInputWidget,
                              help_text=_("Например: «Возможность подключения к сетям газоснабжения»."))
    text = text_field(_("Текст запроса"), rows=6)
    due_date = forms.DateField(label=_("Ответить до"), required=False, widget=date_input(),
                               help_text=_("Если не указан — по сроку для вида организации (обычно 7 дней)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = participant_organisations(self.user)


class RequestAnswerForm(ProjectForm):
    answer_text = text_field(_("Ответ"), rows=8)
    files = MultipleFileField(label=_("Файлы к ответу"))


class CommentForm(ProjectForm):
    text = text_field(_("Комментарий"), rows=3)
    is_public = forms.BooleanField(label=_("Видно инвестору"), required=False, widget=UnfoldBooleanSwitchWidget,
                                   help_text=_("Без отметки комментарий внутренний: его видят только сотрудники."))
