"""The filters of the cabinet's meeting list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.choices import MeetingFormat, MeetingStatus
from core.filters.base import DayFilter, IsNullFilter, ListFilterSet
from core.selectors.visibility import meetings_visible_to


class MeetingFilterSet(ListFilterSet):
    visible_to = staticmethod(meetings_visible_to)
    search_fields = ("title", "project__registry_number", "project__name", "=appeal__number")
    default_ordering = ("-starts_at",)

    status__exact = django_filters.ChoiceFilter(field_name="status", choices=MeetingStatus.choices,
                                                label=_("Статус"), empty_label=_("Все статусы"))
    status__isnull = IsNullFilter("status", label=_("Статус"))
    format__exact = django_filters.ChoiceFilter(field_name="format", choices=MeetingFormat.choices,
                                                label=_("Формат"), empty_label=_("Все форматы"))
    format__isnull = IsNullFilter("format", label=_("Формат"))
    starts_at_from = DayFilter("starts_at", "gte", moment=True, label=_("Начало с"))
    starts_at_to = DayFilter("starts_at", "lte", moment=True, label=_("Начало по"))
