"""The small filter forms over «Мои обращения» and «Мои проекты»: a few fields of the list's FilterSet
(core.filters), read from the address by the list's selector and kept in the page links."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest

from core.filters import FilterError, ListFilterSet
from core.search import highlight


@dataclass(frozen=True)
class ListFilter:
    rows: QuerySet | None  # None when the filter is wrong: the page shows its errors instead of rows
    form: forms.Form  # the FilterSet's form, bound to the address, with its errors
    fields: list[forms.BoundField]  # the fields the portal offers (templates/portal/includes/list_filter.html)
    query: str  # the filter's part of the address, for the page links ("" without a filter)


def list_filter(request: HttpRequest, *, select: Callable[..., QuerySet], filterset: type[ListFilterSet],
                fields: dict[str, str]) -> ListFilter:
    """`select(user=…, filters=…)` (a core list selector) over the `fields` of the address that are filled in;
    `fields` maps each to the placeholder of its input. Any other parameter of the address is not a filter here."""
    data = {name: request.GET[name] for name in fields if request.GET.get(name, "").strip()}
    try:
        rows = select(user=request.user, filters=data)
        form = filterset(data, user=request.user).form
    except FilterError as error:
        rows, form = None, error.form
    for name, placeholder in fields.items():
        if placeholder:  # a search box
            widget = form.fields[name].widget
            widget.input_type = "search"
            widget.attrs["placeholder"] = placeholder
    return ListFilter(rows=rows, form=form, fields=[form[name] for name in fields], query=urlencode(data))


def marked(rows: list, field: str, query: str) -> None:
    """With a search, each row's `<field>_marked`: the field escaped with the words the search finds in <mark> (the
    row's own text the person already sees, so nothing more is shown)."""
    for row in rows:
        text = getattr(row, field)
        setattr(row, f"{field}_marked", highlight(text, query) if query.strip() else text)
