"""«Мои фильтры»: a person's named filters of a list, reopened with one click.

A filter is the list's query string reduced to the parameters that list understands — its filters, search and
ordering, the parameters of its FilterSet (core.filters, LIST_PARAMETERS). The page number, popup and
preserved-filter noise, and anything else typed into the address bar, are dropped, so a saved filter reopens the
list from its first page. tests/admin_site/test_registers.py checks that the cabinet's list filters write no
parameter the FilterSet does not read.
"""

from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from core.filters.appeals import AppealFilterSet
from core.filters.projects import ProjectFilterSet
from core.models import SavedFilter, User

NAME_MAX = 100
QUERY_MAX = 2000  # characters of the reduced query string
PER_LIST_MAX = 50  # saved filters per person and list

LIST_PARAMETERS: dict[str, frozenset[str]] = {
    "core.appeal": AppealFilterSet.parameters(),
    "core.project": ProjectFilterSet.parameters(),
}


def saved_filter_query(*, list_key: str, query: str) -> str:
    """`query` reduced to the parameters of the list `list_key`, empty values dropped, in the order given."""
    allowed = LIST_PARAMETERS.get(list_key, frozenset())
    return urlencode([(key, value) for key, value in parse_qsl(query.lstrip("?")) if key in allowed and value])


def saved_filters_for(*, user: User, list_key: str) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(user=user, list_key=list_key).order_by("name", "pk")


def saved_filter_save(*, user: User, list_key: str, name: str, query: str) -> SavedFilter:
    """Save the list's current filters under `name`. ValidationError (Russian, on "name" or "query") when the name
    is empty, too long or already taken in this list, or the list has no filters to save."""
    if list_key not in LIST_PARAMETERS:
        raise ValidationError(gettext("Для этого списка фильтры не сохраняются."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": gettext("Укажите название фильтра.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": gettext("Название фильтра — не длиннее %(max)s символов.") % {"max": NAME_MAX}})
    reduced = saved_filter_query(list_key=list_key, query=query or "")
    if not reduced:
        raise ValidationError({"query": gettext("Сначала выберите фильтры или введите поиск: сохранять нечего.")})
    if len(reduced) > QUERY_MAX:
        raise ValidationError({"query": gettext("Слишком длинный набор фильтров: сохраните его по частям.")})
    existing = saved_filters_for(user=user, list_key=list_key)
    if existing.filter(name=name).exists():
        raise ValidationError({"name": gettext("Фильтр «%(name)s» уже есть в этом списке: выберите другое название.")
                               % {"name": name}})
    if existing.count() >= PER_LIST_MAX:
        raise ValidationError({"name": gettext("В списке уже %(max)s сохранённых фильтров: удалите ненужные.")
                               % {"max": PER_LIST_MAX}})
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(user=user, list_key=list_key, name=name, query=reduced)
    except IntegrityError as error:  # the same name saved a moment ago in another tab
        raise ValidationError({"name": gettext("Фильтр «%(name)s» уже есть в этом списке: выберите другое "
                                               "название.") % {"name": name}}) from error


def saved_filter_delete(*, user: User, pk: int) -> SavedFilter:
    """Delete one of the person's own filters (SavedFilter.DoesNotExist for anyone else's: the pages answer 404)."""
    saved = SavedFilter.objects.get(user=user, pk=pk)
    saved.delete()
    return saved
