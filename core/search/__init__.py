"""Full-text search over appeals, projects and organisations, and the «similar» lookups built on it (docs/search.md).

The interface the faces use (cabinet header search, portal search, the list searches, «Похожие обращения» on the
appeal card, the FAQ suggestions on filing). Every function scopes by the `*_visible_to` selectors: a user never
finds, nor sees a snippet of, what they may not open, and an investor searches, and sees snippets of, public text
only (core.search.index builds both texts). The index lives in core_searchentry and the database's own search
structures (core.search.backends); core.search.index keeps it current.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from core.models import Appeal, AppealAnswer, FaqEntry, Organisation, Project, User
from core.search import backends
from core.search.index import (
    APPEAL,
    FAQ,
    ORGANISATION,
    PROJECT,
    index_later,
    index_objects,
    search_index_paused,
    search_index_rebuild,
)
from core.search.text import Terms, snippet, terms
from core.search.text import highlight as _highlight
from core.selectors.visibility import (
    appeals_visible_to,
    is_staff_member,
    organisations_visible_to,
    projects_visible_to,
)

ALL_KINDS: tuple[str, ...] = (APPEAL, PROJECT, ORGANISATION)

__all__ = [
    "ALL_KINDS", "APPEAL", "FAQ", "ORGANISATION", "PROJECT", "Hit", "SearchResults", "SimilarAppeal", "highlight",
    "index_later", "index_objects", "matching", "matching_appeal_ids_q", "matching_faq", "normalise_query", "search",
    "search_index_paused", "search_index_rebuild", "similar_appeals", "similar_faq",
]


@dataclass(frozen=True)
class Hit:
    """One found object. `obj` is the model instance (loaded with what a result row shows: an appeal's status,
    number, organisation name; a project's registry number and stage; an organisation's short name and ИНН).
    `snippet` is escaped HTML with the matched words in <mark>; empty when only the title matched."""

    kind: str
    obj: Appeal | Project | Organisation
    title: str
    snippet: SafeString
    rank: float


@dataclass
class SearchResults:
    query: str
    groups: dict[str, list[Hit]] = field(default_factory=dict)  # kind -> best hits first, at most `limit`
    totals: dict[str, int] = field(default_factory=dict)  # kind -> how many match in all (for «ещё N»)

    def __bool__(self) -> bool:
        return any(self.groups.values())


@dataclass(frozen=True)
class SimilarAppeal:
    """An answered appeal close to the one being answered: its last public answer's text, the rating of that
    answer (None when not rated), its executor body's short name and manager (None when unknown)."""

    appeal: Appeal
    same_fact: bool
    score: float
    answer_text: str
    rating: int | None
    executor: str


def normalise_query(query: str) -> str:
    """The query as searched: whitespace collapsed, at most 200 characters."""
    return " ".join((query or "").split())[:200]


def _visible(kind: str, user: User) -> QuerySet:
    if kind == APPEAL:
        return appeals_visible_to(user)
    if kind == PROJECT:
        return projects_visible_to(user)
    if kind == ORGANISATION:
        return organisations_visible_to(user)
    raise ValueError(kind)


_HIT_RELATED = {APPEAL: ("organisation",), PROJECT: ("investor",), ORGANISATION: ()}


def _ranked(kind: str, visible: QuerySet, found: Terms, *, staff: bool, limit: int,
            any_word: bool = False) -> list[tuple]:
    """(object id, rank, title, body, notes, files, total) of the best `limit` rows the visible objects match."""
    found_sql = backends.match(found, staff=staff, any_word=any_word)
    visible_sql, visible_params = visible.order_by().values("pk").query.sql_with_params()
    notes, files = ("all_notes", "all_files") if staff else ("public_notes", "public_files")
    # ranked narrow (ids and rank), the texts read for the best rows only
    sql = (
        f"SELECT h.object_id, h.rank, t.title, t.body, t.{notes}, t.{files}, h.total FROM ("
        f"SELECT e.id, e.object_id, {found_sql.rank} AS rank, COUNT(*) OVER () AS total"
        f" FROM core_searchentry e{found_sql.joins}"
        f" WHERE e.kind = %s AND {found_sql.where} AND e.object_id IN ({visible_sql})"
        " ORDER BY rank DESC, e.object_id DESC LIMIT %s) h JOIN core_searchentry t ON t.id = h.id"
        " ORDER BY h.rank DESC, h.object_id DESC"
    )
    params = [*found_sql.rank_params, *found_sql.join_params, kind, *found_sql.where_params, *visible_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def search(*, user: User, query: str, kinds: Sequence[str] = ALL_KINDS, limit: int = 10) -> SearchResults:
    """Ranked hits per kind the user may see, with snippets of the text the user may read. An empty/blank query
    gives empty results. Two queries per kind whatever the number of rows."""
    query = normalise_query(query)
    results = SearchResults(query=query)
    found = terms(query)
    if not found:
        return results
    staff = is_staff_member(user)
    for kind in kinds:
        visible = _visible(kind, user)
        rows = _ranked(kind, visible, found, staff=staff, limit=limit)
        results.totals[kind] = rows[0][-1] if rows else 0
        objects = visible.filter(pk__in=[row[0] for row in rows]).select_related(*_HIT_RELATED[kind]).in_bulk()
        results.groups[kind] = [
            Hit(kind=kind, obj=objects[pk], title=str(objects[pk]), rank=float(rank),
                snippet=snippet([body, notes, files], found))
            for pk, rank, _title, body, notes, files, _total in rows if pk in objects
        ]
    return results


def _matching_sql(kind: str, found: Terms, *, staff: bool, any_word: bool = False) -> RawSQL:
    found_sql = backends.match(found, staff=staff, any_word=any_word)
    return RawSQL(f"SELECT e.object_id FROM core_searchentry e WHERE e.kind = %s AND {found_sql.where}",
                  [kind, *found_sql.where_params])


def matching(*, kind: str, user: User, query: str) -> QuerySet:
    """The visible objects of `kind` the query finds, as a queryset (unordered), for lists that keep their own
    ordering and pagination (the cabinet and portal appeal/project lists use it for their word search)."""
    visible = _visible(kind, user)
    found = terms(normalise_query(query))
    if not found:
        return visible.none()
    return visible.filter(pk__in=_matching_sql(kind, found, staff=is_staff_member(user)))


def matching_appeal_ids_q(*, user: User, query: str) -> Q:
    """A Q over Appeal for a FilterSet's `search_q`: the appeals the words find (scope is the FilterSet's). The
    words are searched in the text the user may read (all of it for staff, the public part for investors)."""
    found = terms(normalise_query(query))
    if not found:
        return Q(pk__in=[])
    return Q(pk__in=_matching_sql(APPEAL, found, staff=is_staff_member(user)))


def matching_faq(*, query: str) -> QuerySet[FaqEntry]:
    """The published FAQ entries whose question or answer holds every word of the query in any of its forms (as the
    search finds appeals: «присоединения» finds «присоединение»), unordered, for the «Частые вопросы» page. None
    when the query has no word to search (empty, stop words only)."""
    published = FaqEntry.objects.filter(is_published=True)
    found = terms(normalise_query(query))
    if not found:
        return published.none()
    return published.filter(pk__in=_matching_sql(FAQ, found, staff=False))


SIMILAR_WORDS = 12


def _similar_terms(text: str) -> Terms:
    """The longest distinct words of a text (the ones that tell most), for an «any of these words» search."""
    found = terms(text, limit=200)
    order = sorted(range(len(found.words)), key=lambda i: -len(found.words[i]))[:SIMILAR_WORDS]
    return Terms(tuple(found.words[i] for i in order), tuple(found.stems[i] for i in order))


SAME_FACT_POOL = 200  # the latest answered appeals of the same fact ranked by their text


def _scores(ids: list[int], found: Terms, *, staff: bool) -> dict[int, float]:
    """The text rank of these appeals' rows for an «any of these words» search (those it does not find: absent)."""
    found_sql = backends.match(found, staff=staff, any_word=True)
    marks = ", ".join(["%s"] * len(ids))
    sql = (f"SELECT e.object_id, {found_sql.rank} FROM core_searchentry e{found_sql.joins}"
           f" WHERE e.kind = %s AND e.object_id IN ({marks}) AND {found_sql.where}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*found_sql.rank_params, *found_sql.join_params, APPEAL, *ids, *found_sql.where_params])
        return {pk: float(rank or 0) for pk, rank in cursor.fetchall()}


def similar_appeals(*, appeal: Appeal, user: User, limit: int = 5) -> list[SimilarAppeal]:
    """Answered appeals (not `appeal` itself) the user may see, closest first: the same fact before others, then by
    text similarity (rank of the appeal's own subject and description words in the text the user may read). At most
    five queries whatever the number of appeals: the same fact's latest SAME_FACT_POOL answered appeals are ranked
    by their rows; other facts' appeals are searched by text for the places the same fact leaves."""
    found = _similar_terms(f"{appeal.subject} {appeal.description}")
    staff = is_staff_member(user)
    answered = (appeals_visible_to(user).filter(answered_at__isnull=False).exclude(pk=appeal.pk)
                .exclude(answer_text=""))
    same = list(answered.filter(fact_id=appeal.fact_id).order_by("-answered_at", "-pk")
                .values_list("pk", flat=True)[:SAME_FACT_POOL])
    scores = _scores(same or [0], found, staff=staff) if found else {}
    chosen = sorted(same, key=lambda pk: -scores.get(pk, 0.0))[:limit]  # ties keep the latest answered first
    if found:  # asked even for none (LIMIT 0 reads nothing): the same queries whatever the same fact holds
        others = answered.exclude(fact_id=appeal.fact_id)
        for row in _ranked(APPEAL, others, found, staff=staff, limit=limit - len(chosen), any_word=True):
            scores[row[0]] = float(row[1] or 0)
            chosen.append(row[0])
    rows = answered.filter(pk__in=chosen).select_related("executor_organisation", "manager").in_bulk()
    last_rounds: dict[int, AppealAnswer] = {}
    for answer in AppealAnswer.objects.filter(appeal__in=chosen).order_by("appeal_id", "number"):
        last_rounds[answer.appeal_id] = answer
    similar = []
    for pk in chosen:
        other = rows.get(pk)
        if other is None:
            continue
        answer = last_rounds.get(pk)
        executor = ", ".join(part for part in (
            getattr(other.executor_organisation, "short_name", ""),
            other.manager.get_full_name() if other.manager else "",
        ) if part)
        similar.append(SimilarAppeal(
            appeal=other, same_fact=other.fact_id == appeal.fact_id, score=scores.get(pk, 0.0),
            answer_text=answer.text if answer else other.answer_text,
            rating=answer.rating if answer else other.rating, executor=executor,
        ))
    return similar


def similar_faq(*, text: str, limit: int = 3) -> list[FaqEntry]:
    """Up to `limit` published FAQ entries closest to what an investor is typing (subject + description): ranked
    by the same index as the search (FAQ rows hold published entries only). Two queries at most."""
    found = _similar_terms(normalise_query(text))
    if not found:
        return []
    rows = _ranked(FAQ, FaqEntry.objects.filter(is_published=True), found, staff=False, limit=limit, any_word=True)
    entries = FaqEntry.objects.filter(is_published=True).select_related("category").in_bulk([row[0] for row in rows])
    return [entries[row[0]] for row in rows if row[0] in entries]


def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, with the words `query` finds in <mark> (for a title a face shows beside the snippet)."""
    return _highlight(text or "", terms(normalise_query(query)))
