"""The cabinet's organisations list searches as the appeals and projects lists do: every word in the short or full
name, the ИНН or the ОГРН (a part of a word is enough), or the full-text search (core.search: the names and
requisites in any word form) — so the list shows every organisation the header's search counts for the same words
(admin_site.views.search «Показать все N»)."""

from django.db.models import Q

from core.filters.base import or_found, words_q
from core.search import ORGANISATION, matching

SEARCH_FIELDS = ("short_name", "full_name", "inn", "ogrn")


def organisation_search_q(term: str, *, user) -> Q:
    """The organisations `term` finds for `user` (the caller scopes the rows to what the person may see)."""
    term = term.strip().lstrip("№#")
    return or_found(words_q(term, SEARCH_FIELDS), term,
                    lambda words: Q(pk__in=matching(kind=ORGANISATION, user=user, query=words).values("pk")))
