"""List filters the cabinet's lists share: unfold's look in the sidebar. On the appeal, project, task and meeting
lists they only draw themselves and write the parameters core's FilterSets read (core/filters, through the
ModelAdmin's `list_selector`); their queryset() filters only the lists without one (the participant requests)."""

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import DateTimeField, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter as UnfoldChoicesDropdownFilter
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.contrib.filters.admin import RelatedDropdownFilter as UnfoldRelatedDropdownFilter
from unfold.contrib.filters.forms import DropdownForm

from admin_site.forms.reports import ReportSelect


class OptionsDropdownForm(DropdownForm):
    """unfold's dropdown filter form with the options written by ReportSelect, not through a template each: the
    appeal list's filters hold some 90 options, a few milliseconds of every list page. The same markup (ReportSelect
    writes what django/forms/widgets/select_option.html does; tests/admin_site/test_report_filters.py)."""

    widget = ReportSelect(attrs={"data-theme": "admin-autocomplete",  # as DropdownForm's own widget is made
                                 "class": "unfold-admin-autocomplete admin-autocomplete"})


class ChoicesDropdownFilter(UnfoldChoicesDropdownFilter):
    form_class = OptionsDropdownForm


class RelatedDropdownFilter(UnfoldRelatedDropdownFilter):
    form_class = OptionsDropdownForm


class DayRangeFilter(RangeDateFilter):
    """unfold's date range over whole days, both ends included, dates as the Russian calendar widget types them
    (unfold's own filter parses only the global, non-localised input formats). A moment is compared by its day."""

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        field = f"{self.parameter_name}__date" if isinstance(self.field, DateTimeField) else self.parameter_name
        filters = {}
        for suffix, lookup in (("_from", "gte"), ("_to", "lte")):
            value = self.used_parameters.get(self.parameter_name + suffix)
            if value:
                try:
                    filters[f"{field}__{lookup}"] = forms.DateField().clean(value)
                except ValidationError:
                    return queryset
        return queryset.filter(**filters)


class RelatedOnlyDropdownFilter(RelatedDropdownFilter):
    """Only the rows the list refers to (the organisations executing some appeal, the managers of some project),
    not every row of the related table."""

    field_choices = admin.RelatedOnlyFieldListFilter.field_choices


class RelatedChoicesDropdownFilter(RelatedDropdownFilter):
    """Choices read from the related table by a core selector, `choices_for(user)`, so listing them never scans
    the list's own rows (RelatedOnlyDropdownFilter's SELECT DISTINCT over every appeal); see related_choices_filter."""

    choices_for: Callable[..., QuerySet]

    def field_choices(self, field, request, model_admin):
        return [(row.pk, str(row)) for row in self.choices_for(request.user)]


def related_choices_filter(choices_for: Callable[..., QuerySet]) -> type[RelatedChoicesDropdownFilter]:
    return type("RelatedChoicesDropdownFilter", (RelatedChoicesDropdownFilter,),
                {"choices_for": staticmethod(choices_for)})


class OverdueFilter(admin.SimpleListFilter):
    """«Просрочены» / «В срок» by a core selector's Q (appeal_overdue_q, task_overdue_q…); see overdue_filter."""

    title = _("просрочка")
    parameter_name = "overdue"
    overdue_q: Callable[[], Q]

    def lookups(self, request, model_admin):
        return [("yes", _("Просрочены")), ("no", _("В срок"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(self.overdue_q())
        if self.value() == "no":
            return queryset.exclude(self.overdue_q())
        return queryset


def overdue_filter(overdue_q: Callable[[], Q]) -> type[OverdueFilter]:
    return type("OverdueFilter", (OverdueFilter,), {"overdue_q": staticmethod(overdue_q)})
