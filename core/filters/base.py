"""What every list's FilterSet shares: the search `q`, the sorting `o`, ids, dates, «(пусто)», and the rule that a
query string holds only the list's own filters.

The parameter names are the ones the cabinet's sidebar writes into the address («status__exact»,
«created_at_from»…), because saved filters (SavedFilter.query) and export jobs (ExportJob.query) store that address:
a FilterSet reads them back unchanged. A value that cannot be a filter (a letter where an id goes, an unknown
status, a date that is none) and a key that is no filter of the list are form errors, which the selectors raise as
FilterError — never a 500, and never the unfiltered rows instead.
"""

from collections.abc import Callable, Sequence

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.text import Truncator, smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Parameters of a list's address that choose no rows: its page (the cabinet's «p», the portal's «page»), «show all»,
# the admin's error flag, popups, facets and the preserved filters of a change page.
NAVIGATION_PARAMS = frozenset({"p", "page", "all", "e", "_popup", "_to_field", "_changelist_filters", "_facets"})
BIGINT_MAX = 2**63 - 1


class FilterError(Exception):
    """The filters cannot be applied. `messages` say why in Russian («Тип обращения»: Введите целое число.);
    `form` is the bound form with its errors, for a face that shows them beside its fields."""

    def __init__(self, form: forms.Form):
        self.form = form
        self.messages = [
            " ".join(errors) if name == NON_FIELD_ERRORS else f"«{form.fields[name].label}»: {' '.join(errors)}"
            for name, errors in form.errors.items()
        ]
        super().__init__(" ".join(self.messages))


class FilterForm(forms.Form):
    """A key of the query string that is neither a filter of the list nor a navigation parameter is an error: a
    mistyped or outdated filter must not quietly widen a register to every row."""

    def clean(self):
        unknown = sorted(set(self.data) - set(self.fields) - NAVIGATION_PARAMS)
        if unknown:
            names = ", ".join(f"«{Truncator(name).chars(40)}»" for name in unknown[:5])
            raise ValidationError(gettext("Такого фильтра у списка нет: %(names)s.") % {"names": names})
        return super().clean()


class IdFilter(django_filters.Filter):
    """A related row by its id («appeal_type__id__exact=3»): an integer a bigint column holds, else a form error.
    The id is not looked up (no query): one that nobody has, or that the person may not see, finds no rows."""

    field_class = forms.IntegerField

    def __init__(self, field_name: str, **kwargs):
        super().__init__(field_name, "exact", min_value=-BIGINT_MAX - 1, max_value=BIGINT_MAX, **kwargs)


class YesNoField(forms.Field):
    """«True» / «False» (also «1» / «0», any case), as Django's list filters write `__isnull`."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise ValidationError(gettext("Укажите True или False."), code="invalid") from None


class IsNullFilter(django_filters.Filter):
    """`<field>__isnull`: the cabinet's «(пусто)» choice of a list filter."""

    field_class = YesNoField

    def __init__(self, field_name: str, **kwargs):
        super().__init__(field_name, "isnull", **kwargs)


class DayFilter(django_filters.DateFilter):
    """One end of a range of days, both ends included, typed as the Russian calendar widget writes it
    («21.02.2025») or in ISO; a date and time is compared by its local day."""

    def __init__(self, field_name: str, lookup: str, *, moment: bool = False, **kwargs):
        super().__init__(field_name, f"date__{lookup}" if moment else lookup, **kwargs)


class OverdueFilter(django_filters.ChoiceFilter):
    """«Просрочены» (yes) / «В срок» (no) by a core selector's Q (appeal_overdue_q, task_overdue_q)."""

    def __init__(self, overdue_q: Callable[[], Q], **kwargs):
        self.overdue_q = overdue_q
        super().__init__(choices=[("yes", _("Просрочены")), ("no", _("В срок"))], label=_("Просрочка"), **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value == "yes":
            return qs.filter(self.overdue_q())
        if value == "no":
            return qs.exclude(self.overdue_q())
        return qs


class ColumnOrderFilter(django_filters.Filter):
    """`o`: the sorting as the cabinet's list writes it — its column numbers joined by dots, «-» for descending
    («-2.1»: column 2 descending, then column 1). The FilterSet's `order_columns` name the column numbers; a number
    that names no sortable column is skipped, as the list skips it. Always orders, by `default_ordering` at least."""

    field_class = forms.CharField

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return qs.order_by(*self.parent.ordering(value))


def words_q(term: str, fields: Sequence[str]) -> Q:
    """Django admin's search over `fields`: every word of `term` (words in quotes stay together) is found in one of
    the fields — a field named «=field» holds the whole word, «^field» starts with it, any other contains it."""
    lookups = [
        f"{field[1:]}__iexact" if field.startswith("=") else
        f"{field[1:]}__istartswith" if field.startswith("^") else f"{field}__icontains"
        for field in fields
    ]
    condition = Q()
    for word in smart_split(term):
        if word.startswith(('"', "'")) and word[0] == word[-1]:
            word = unescape_string_literal(word)
        condition &= Q.create([(lookup, word) for lookup in lookups], connector=Q.OR)
    return condition


def or_found(fields_q: Q, term: str, found: Callable[[str], Q]) -> Q:
    """`fields_q` (words_q over a list's columns) or the rows the full-text search finds for `term` (`found`, a Q
    from core.search). A term of no words («№» alone) keeps `fields_q` as it is: every row, as before."""
    if not fields_q or not " ".join(term.split()):
        return fields_q
    return fields_q | found(term)


class ListFilterSet(django_filters.FilterSet):
    """The base of a list's FilterSet. Built for a person (`user`), it filters what `visible_to(user)` lets them
    see (core.selectors.visibility), or a `queryset` the caller already scoped to them (a report's population).

    Subclasses set `visible_to`, `search_fields` (Django admin's syntax), `default_ordering` and, for a list whose
    sorting is stored with its filters (the registers), `order_columns`: the sort key of each of the cabinet list's
    columns in their order, None for a column that does not sort."""

    visible_to: Callable[..., QuerySet]
    search_fields: tuple[str, ...] = ()
    order_columns: tuple[str | None, ...] = ()
    default_ordering: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_search", label=_("Поиск"))
    o = ColumnOrderFilter(label=_("Сортировка"))

    class Meta:
        form = FilterForm

    def __init__(self, data=None, *, user, queryset: QuerySet | None = None):
        self.user = user  # the full-text search (core.search) scopes its hits to the same person
        super().__init__(data, queryset if queryset is not None else self.visible_to(user))

    @classmethod
    def parameters(cls) -> frozenset[str]:
        """Every query-string key this list reads (for «Мои фильтры», which keeps only these)."""
        return frozenset(cls.base_filters)

    def filter_search(self, queryset: QuerySet, name: str, term: str) -> QuerySet:
        return queryset.filter(self.search_q(term))

    def search_q(self, term: str) -> Q:
        return words_q(term, self.search_fields)

    def ordering(self, columns: str) -> list[str]:
        """The `o` columns (as the cabinet's ChangeList reads them), then the default ordering, then the primary
        key unless a unique column already orders every row (as Django's ChangeList makes its order total)."""
        chosen = []
        for token in (columns or "").split("."):
            _none, descending, index = token.rpartition("-")
            try:
                key = self.order_columns[int(index)]
            except (ValueError, IndexError):
                continue
            if key and descending:
                chosen.append(key[1:] if key.startswith("-") else f"-{key}")
            elif key:
                chosen.append(key)
        ordering = list(dict.fromkeys([*chosen, *self.default_ordering]))
        return ordering if _is_total(ordering, self.queryset.model) else [*ordering, "-pk"]


def _is_total(ordering: Sequence[str], model: type[Model]) -> bool:
    unique = {"pk"} | {field.name for field in model._meta.fields if field.unique and not field.null}
    return any(key.lstrip("-") in unique for key in ordering)


def filtered(filterset: ListFilterSet) -> QuerySet:
    """The FilterSet's rows, ordered; FilterError when its data is not a valid set of this list's filters."""
    if not filterset.is_valid():
        raise FilterError(filterset.form)
    return filterset.qs
