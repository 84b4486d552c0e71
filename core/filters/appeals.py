"""The filters of the appeal lists: the cabinet's «Обращения» and its register, «Мои обращения» in the portal, the
appeal reports' shared filters."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import AppealChannel, AppealStatus
from core.filters.base import DayFilter, IdFilter, IsNullFilter, ListFilterSet, OverdueFilter, or_found, words_q
from core.search import matching_appeal_ids_q
from core.selectors.appeals import appeal_number_or_inn_q, appeal_overdue_q
from core.selectors.visibility import appeals_visible_to


class AppealFilterSet(ListFilterSet):
    visible_to = staticmethod(appeals_visible_to)
    search_fields = ("subject", "organisation_inn", "organisation_name", "=pos_number")
    # the cabinet list's columns (admin_site.admin.appeals.AppealAdmin.list_display after the row checkbox, 0)
    order_columns = (None, "number", "subject", "fact__name", "status", "deadline",
                     "executor_organisation__short_name", "channel")
    default_ordering = ("-number",)

    status__exact = django_filters.ChoiceFilter(field_name="status", choices=AppealStatus.choices, label=_("Статус"),
                                                empty_label=_("Все статусы"))
    status__isnull = IsNullFilter("status", label=_("Статус"))
    channel__exact = django_filters.ChoiceFilter(field_name="channel", choices=AppealChannel.choices,
                                                 label=_("Канал поступления"), empty_label=_("Все каналы"))
    channel__isnull = IsNullFilter("channel", label=_("Канал поступления"))
    appeal_type__id__exact = IdFilter("appeal_type", label=_("Тип обращения"))
    appeal_type__isnull = IsNullFilter("appeal_type", label=_("Тип обращения"))
    fact__subcategory__category__id__exact = IdFilter("fact__subcategory__category", label=_("Категория"))
    fact__subcategory__category__isnull = IsNullFilter("fact__subcategory__category", label=_("Категория"))
    executor_organisation__id__exact = IdFilter("executor_organisation", label=_("Исполнитель"))
    executor_organisation__isnull = IsNullFilter("executor_organisation", label=_("Исполнитель"))
    organisation__district__id__exact = IdFilter("organisation__district", label=_("Район"))
    organisation__district__isnull = IsNullFilter("organisation__district", label=_("Район"))
    overdue = OverdueFilter(appeal_overdue_q)
    created_at_from = DayFilter("created_at", "gte", moment=True, label=_("Создано с"))
    created_at_to = DayFilter("created_at", "lte", moment=True, label=_("Создано по"))

    def search_q(self, term: str) -> Q:
        """«№724», «#724» or «724» is the appeal's number, digits may be the investor's ИНН or a ПОС message's
        number: found by their indexes. Words go to the full-text search (core.search: subject, description,
        answers, comments and file names the person may see), and, as before it, are also looked for in the
        subject and the investor's ИНН and name, and a word that is a whole ПОС number («AB-2026/17») finds its
        appeal — so a part of a word («Старое») and a ПОС number still find what they found."""
        term = term.strip().lstrip("№#")
        return appeal_number_or_inn_q(term) or or_found(
            words_q(term, self.search_fields), term, lambda words: matching_appeal_ids_q(user=self.user, query=words))

