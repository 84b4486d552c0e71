"""The side panel of a report page: the filters its ReportSpec offers, checked, turned into ReportParams."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminIntegerFieldWidget, UnfoldAdminSelectWidget, UnfoldBooleanWidget

from admin_site.forms.common import date_input, participant_organisations
from core.choices import AppealChannel, AppealStatus, ProjectStage
from core.models import AppealType, District, Industry, Organisation, User
from core.reports.registry import ReportParams, ReportSpec

ALL = _("Все")
NOT_NEGATIVE = _("Число не может быть отрицательным.")
SEED_MAX = 2**31 - 1


def _number(label, *, min_value: int, max_value: int, help_text="", required=True) -> forms.IntegerField:
    too_small = NOT_NEGATIVE if min_value == 0 else _("Число должно быть не меньше %(limit_value)s.")
    return forms.IntegerField(
        label=label, min_value=min_value, max_value=max_value, required=required, help_text=help_text,
        widget=UnfoldAdminIntegerFieldWidget,
        error_messages={
            "invalid": _("Введите целое число."),
            "required": _("Укажите число."),
            "min_value": too_small,
            "max_value": _("Число должно быть не больше %(limit_value)s."),
        },
    )


REPORT_DATE_MIN, REPORT_DATE_MAX = date(1990, 1, 1), date(2100, 12, 31)  # sane bounds: 9999-12-31 overflows


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=date_input(),
        validators=[MinValueValidator(REPORT_DATE_MIN, _("Дата должна быть не раньше 01.01.1990.")),
                    MaxValueValidator(REPORT_DATE_MAX, _("Дата должна быть не позже 31.12.2100."))],
        error_messages={"invalid": _("Введите дату в формате ДД.ММ.ГГГГ.")},
    )


class ReportSelect(UnfoldAdminSelectWidget):
    """unfold's select with its options written here instead of one template render each: a report page draws
    selects of up to dozens of districts, industries or organisations, and an option through the template engine
    costs more than the rest of the select. The select around them is still unfold's template; the options are
    what django/forms/widgets/select_option.html writes (tests/admin_site/test_report_filters.py compares the
    two)."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        context = self.get_context(name, value, attrs)
        groups = context["widget"]["optgroups"]
        if any(group_name for group_name, _options, _index in groups):  # optgroups: the stock way
            return self._render(self.template_name, context, renderer)
        context["widget"]["optgroups"] = []
        html = self._render(self.template_name, context, renderer)
        # as the templates lay them out: indented in unfold's select, each ending the line of select_option.html
        options = "".join(f"\n            {_option(option)}\n" for _name, group, _index in groups for option in group)
        end = html.index(">", html.index("<select")) + 1  # attribute values are escaped: no ">" inside the tag
        return mark_safe(html[:end] + options + html[end:])  # the values and labels are escaped by _option


def _option(option: dict) -> str:
    attrs = "".join(f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
                    for name, value in option["attrs"].items() if value is not False)
    value, label = conditional_escape(str(option["value"])), conditional_escape(option["label"])
    return f'<option value="{value}"{attrs}>{label}</option>'


def _pick(label, queryset) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=queryset, required=False, empty_label=ALL, widget=ReportSelect,
        error_messages={"invalid_choice": _("Такого значения нет в списке.")},
    )


def _choice(label, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", ALL), *choices], required=False, widget=ReportSelect,
        error_messages={"invalid_choice": _("Такого значения нет в списке.")},
    )


class ReportFilterForm(forms.Form):
    """Bound to the page's query string; fields the report does not offer are dropped, missing keys take the
    defaults (a new visit to an appeal report shows the year so far)."""

    date_from = _date(_("Период с"))
    date_to = _date(_("Период по"))
    appeal_type = _pick(_("Тип обращения"), AppealType.objects.none())
    status = _choice(_("Статус"), AppealStatus.choices)
    district = _pick(_("Район"), District.objects.none())
    executor_organisation = _pick(_("Организация-исполнитель"), Organisation.objects.none())
    channel = _choice(_("Канал поступления"), AppealChannel.choices)
    mrg = _choice(_("Вынесено на МРГ"), [("yes", _("да")), ("no", _("нет"))])
    industry = _pick(_("Отрасль"), Industry.objects.none())
    stage = _choice(_("Этап"), ProjectStage.choices)
    main_only = forms.BooleanField(label=_("Только основные категории"), required=False, widget=UnfoldBooleanWidget,
                                   help_text=_("Исполнители и категории без подкатегорий и фактов."))
    stale_days = _number(_("Не обновлялся, дней"), min_value=1, max_value=3650)
    sample_size = _number(_("Проектов в выборке"), min_value=1, max_value=200)
    seed = _number(_("Число выборки"), min_value=0, max_value=SEED_MAX, required=False,
                   help_text=_("Одно и то же число даёт ту же выборку; по умолчанию — год и номер недели."))

    def __init__(self, query: QueryDict, *, spec: ReportSpec, user: User, today: date, default_seed: int | None):
        self.spec = spec
        self.today = today
        defaults = {
            "date_from": today.replace(month=1, day=1).isoformat(),
            "date_to": today.isoformat(),
            "stale_days": ReportParams.stale_days,
            "sample_size": ReportParams.sample_size,
            "seed": default_seed,
        }
        data = {name: query[name] if name in query else defaults.get(name, "") for name in spec.filters}
        super().__init__(data)
        for name in set(self.fields) - set(spec.filters):
            del self.fields[name]
        querysets = {  # lazy: only the selects the page draws ask the database
            "appeal_type": AppealType.objects.filter(is_active=True),
            "district": District.objects.filter(is_active=True),
            "executor_organisation": participant_organisations(user),
            "industry": Industry.objects.all(),
        }
        for name, queryset in querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Дата окончания периода раньше даты начала."))
        return cleaned

    def params(self) -> ReportParams:
        values = {name: value for name, value in self.cleaned_data.items() if value is not None}
        for name in ("appeal_type", "district", "executor_organisation", "industry"):
            if name in values:
                values[name] = values[name].pk
        return ReportParams(**values, today=self.today)

    def query(self) -> dict[str, str]:
        """The filters as the page's query string carries them, for the download links."""
        return {name: self.data[name] for name in self.spec.filters if self.data.get(name) not in (None, "")}
