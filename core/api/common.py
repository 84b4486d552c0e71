"""Pieces the API's routes share: the problem responses each operation declares, and the lists' filters."""

from collections.abc import Mapping

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext
from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from core.api.problems import Problem, field_error
from core.filters.base import ListFilterSet

READ_ERRORS = {401: Problem, 404: Problem, 429: Problem}
WRITE_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem}
VERSIONED_ERRORS = {**WRITE_ERRORS, 409: Problem, 412: Problem, 428: Problem}
PAGE_PARAMS = {"cursor": (str | None, Field(None, description="next_cursor предыдущей страницы.")),
               "limit": (int | None, Field(None, description="Строк на странице: 1–200, по умолчанию 50."))}


def person(user) -> str | None:
    return (user.full_name or user.email) if user else None


class InSchema(Schema):
    """A request body: a key the call does not take is refused («Лишнее поле.»), never silently dropped — a
    misspelt `is_public` would otherwise leave a comment internal without a word."""

    model_config = ConfigDict(extra="forbid")


def filter_schema(name: str, filterset: type[ListFilterSet]) -> type[Schema]:
    """The query parameters of a list: the cabinet list's own filters (core/filters, the same names and rules, so the
    OpenAPI schema lists them) and the page's cursor and limit. Values stay strings: the FilterSet checks them."""
    fields = {key: (str | None, Field(None, description=str(spec.label or key)))
              for key, spec in filterset.base_filters.items() if key != "o"}
    return create_model(name, __base__=Schema, **fields, **PAGE_PARAMS)


def list_filters(request: HttpRequest) -> QueryDict:
    """The filters for the list selector: the query string as sent (an unknown key is the FilterSet's error, never
    ignored), without the page's own parameters."""
    filters = request.GET.copy()
    for key in PAGE_PARAMS:
        filters.pop(key, None)
    return filters


def refuse_ordering(raw: Mapping[str, str]) -> None:
    if "o" in raw:
        raise field_error("o", gettext("Порядок в API постоянный — новые первыми: страницы идут по курсору."))
