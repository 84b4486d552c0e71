"""The filters of the project lists: the cabinet's «Инвестиционные проекты» and its register, «Мои проекты» in
the portal."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import ProjectStage
from core.filters.base import DayFilter, IdFilter, IsNullFilter, ListFilterSet, or_found, words_q
from core.models import Project
from core.search import PROJECT, matching
from core.selectors.visibility import projects_visible_to

VOLUME = Project._meta.get_field("investment_volume")


class ProjectFilterSet(ListFilterSet):
    visible_to = staticmethod(projects_visible_to)
    search_fields = ("registry_number", "name", "investor__short_name", "investor__full_name", "investor__inn")
    # the cabinet list's columns (admin_site.admin.projects.ProjectAdmin.list_display; the list has no checkbox)
    order_columns = ("registry_number", "name", "district__name", "stage", "investment_volume",
                     "personal_manager__last_name")
    default_ordering = ("-submitted_at",)

    stage__exact = django_filters.ChoiceFilter(field_name="stage", choices=ProjectStage.choices, label=_("Этап"),
                                               empty_label=_("Все этапы"))
    stage__isnull = IsNullFilter("stage", label=_("Этап"))
    district__id__exact = IdFilter("district", label=_("Район"))
    district__isnull = IsNullFilter("district", label=_("Район"))
    industry__id__exact = IdFilter("industry", label=_("Отрасль"))
    industry__isnull = IsNullFilter("industry", label=_("Отрасль"))
    personal_manager__id__exact = IdFilter("personal_manager", label=_("Персональный менеджер"))
    personal_manager__isnull = IsNullFilter("personal_manager", label=_("Персональный менеджер"))
    investment_volume_from = django_filters.NumberFilter(
        field_name="investment_volume", lookup_expr="gte", label=_("Объём инвестиций от, ₽"),
        max_digits=VOLUME.max_digits, decimal_places=VOLUME.decimal_places, localize=True)
    investment_volume_to = django_filters.NumberFilter(
        field_name="investment_volume", lookup_expr="lte", label=_("Объём инвестиций до, ₽"),
        max_digits=VOLUME.max_digits, decimal_places=VOLUME.decimal_places, localize=True)
    accepted_at_from = DayFilter("accepted_at", "gte", label=_("Принят на сопровождение с"))
    accepted_at_to = DayFilter("accepted_at", "lte", label=_("Принят на сопровождение по"))

    def search_q(self, term: str) -> Q:
        """«№ИП-2025-00042» finds the registry number as «ИП-2025-00042» does; words are looked for in the
        number, the name and the investor's names and ИНН (a part of a word is enough), or found by the full-text
        search (core.search: name, passport text, history the person may see)."""
        term = term.strip().lstrip("№#")
        return or_found(words_q(term, self.search_fields), term,
                        lambda words: Q(pk__in=matching(kind=PROJECT, user=self.user, query=words).values("pk")))
