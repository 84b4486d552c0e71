"""The filters of the cabinet's task list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.choices import TaskStatus
from core.filters.base import DayFilter, IdFilter, IsNullFilter, ListFilterSet, OverdueFilter
from core.selectors.projects import task_overdue_q
from core.selectors.visibility import tasks_visible_to


class TaskFilterSet(ListFilterSet):
    visible_to = staticmethod(tasks_visible_to)
    search_fields = ("title", "project__registry_number", "project__name")
    default_ordering = ("due_date", "pk")

    status__exact = django_filters.ChoiceFilter(field_name="status", choices=TaskStatus.choices, label=_("Статус"),
                                                empty_label=_("Все статусы"))
    status__isnull = IsNullFilter("status", label=_("Статус"))
    overdue = OverdueFilter(task_overdue_q)
    assignee__id__exact = IdFilter("assignee", label=_("Исполнитель"))
    assignee__isnull = IsNullFilter("assignee", label=_("Исполнитель"))
    due_date_from = DayFilter("due_date", "gte", label=_("Срок с"))
    due_date_to = DayFilter("due_date", "lte", label=_("Срок по"))
