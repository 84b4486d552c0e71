"""Forms of the investor's projects: they parse input; the rules live in core.workflows and core.services."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import DocumentKind, ProjectEventKind
from core.forms import LimitedTextField, MultipleFileField
from core.models import District, Industry, LandPlot, Project, User
from core.region import current_region
from core.services.projects import INVESTOR_PASSPORT_FIELDS


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(step: str) -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": "0", "step": step, "inputmode": "decimal"})


INFRASTRUCTURE_FIELDS = ("gas_m3_per_hour", "electricity_kw", "water_m3_per_day", "heat_gcal_per_hour")
DATE_FIELDS = ("planned_start", "planned_launch")


class VersionForm(forms.Form):
    """Carries the version of the object the investor saw, so a stale page is refused."""

    required_css_class = "required"

    version = forms.CharField(widget=forms.HiddenInput)

    def clean_version(self) -> datetime | None:
        """The time the object was last changed; an unreadable one counts as stale, never as an error to show."""
        try:
            return datetime.fromisoformat(self.cleaned_data["version"])
        except ValueError:
            return None


class PassportForm(forms.Form):
    """The passport fields an investor fills: «Подать заявку на проект» and, while it is an application, its edit.
    A plain form over the model's fields: a ModelForm would change the project before the service compares it."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "investment_volume": _number("0.01"),
            "jobs": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
            **{name: _number("0.001") for name in INFRASTRUCTURE_FIELDS},
            **{name: _date_input() for name in DATE_FIELDS},
        }
        self.fields.update(forms.fields_for_model(Project, fields=INVESTOR_PASSPORT_FIELDS, widgets=widgets))
        self.fields["district"].queryset = District.objects.order_by("name")
        self.fields["district"].empty_label = _("— район вашей компании —")
        self.fields["district"].help_text = _("Где будет реализован проект. Если не выбрать, укажем район компании.")
        self.fields["industry"].queryset = Industry.objects.all()
        self.fields["industry"].empty_label = _("— выберите отрасль —")
        self.fields["description"].help_text = _("Что будет построено или произведено, продукция, этапы, партнёры.")
        self.fields["investment_volume"].help_text = _("В рублях, например 1500000000.")
        self.fields["jobs"].help_text = _("Сколько новых рабочих мест создаст проект.")
        for name in INFRASTRUCTURE_FIELDS:
            self.fields[name].help_text = _("Требуемая мощность; оставьте пустым, если не нужно.")

    def clean(self):
        data = super().clean()
        start, launch = data.get("planned_start"), data.get("planned_launch")
        if start and launch and launch < start:
            self.add_error("planned_launch", _("Ввод в эксплуатацию не может быть раньше начала строительства."))
        return data

    def general_fields(self):
        return [self[name] for name in INVESTOR_PASSPORT_FIELDS if name not in (*INFRASTRUCTURE_FIELDS, *DATE_FIELDS)]

    def infrastructure_fields(self):
        return [self[name] for name in INFRASTRUCTURE_FIELDS]

    def date_fields(self):
        return [self[name] for name in DATE_FIELDS]

    @classmethod
    def initial_for(cls, project: Project) -> dict:
        return {name: getattr(project, name) for name in INVESTOR_PASSPORT_FIELDS}


class PassportEditForm(VersionForm, PassportForm):
    """The same passport once filed: the district was settled at filing, so it is chosen, not left to default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].required = True
        self.fields["district"].empty_label = _("— выберите район —")
        self.fields["district"].help_text = _("Где будет реализован проект.")


class LandPlotForm(forms.Form):
    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(
            LandPlot, fields=("cadastral_number", "area_m2", "address", "rights"),
            widgets={"area_m2": _number("0.01")},
        ))
        self.fields["cadastral_number"].widget.attrs.update(placeholder=current_region().cadastral_example,
                                                            inputmode="numeric")
        self.fields["cadastral_number"].help_text = _("Из выписки ЕГРН: округ:район:квартал:участок.")
        self.fields["rights"].help_text = _("Например: собственность, аренда, участок подбирается.")


class WithdrawForm(VersionForm):
    reason = LimitedTextField(
        label=_("Причина отзыва"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Её увидит персональный менеджер."),
    )


class DocumentForm(forms.Form):
    required_css_class = "required"

    # «Ответ участника системы» comes from the participants themselves, not from the investor.
    kind = forms.ChoiceField(
        label=_("Вид документа"),
        choices=[(value, label) for value, label in DocumentKind.choices if value != DocumentKind.ANSWER],
        initial=DocumentKind.OTHER,
    )
    title = forms.CharField(
        label=_("Название"), max_length=300, required=False,
        help_text=_("Если не указать, в списке будет имя файла."),
    )
    files = MultipleFileField(required=True)


class TaskForm(forms.Form):
    """A task for the people accompanying the project; `people` are the ones task_create accepts."""

    required_css_class = "required"

    assignee = forms.TypedChoiceField(label=_("Кому"), coerce=int)
    title = forms.CharField(label=_("Что нужно сделать"), max_length=300)
    description = LimitedTextField(label=_("Подробности"), required=False)
    due_date = forms.DateField(label=_("Срок"), widget=_date_input())

    def __init__(self, *args, people: list[tuple[User, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person, _role in people}
        self.fields["assignee"].choices = [(person.pk, f"{person.full_name}, {role}") for person, role in people]
        self.fields["due_date"].widget.attrs["min"] = f"{timezone.localdate():%Y-%m-%d}"

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Срок не может быть в прошлом."))
        return due

    def task_data(self) -> dict:
        """The keyword arguments of task_create that come from the form."""
        return {**self.cleaned_data, "assignee": self.people[self.cleaned_data["assignee"]]}


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("События"), required=False, choices=[("", _("Все события")), *ProjectEventKind.choices]
    )
