"""The SQL that finds and ranks index rows, per database. Both take the same Terms (core.search.text) and answer
with a condition and a rank over the alias `e` of core_searchentry.

PostgreSQL: the stored tsvector of the reader's text (`all_vector` for staff, `public_vector` for investors) against
a to_tsquery of Snowball stems (prefixes for long stems), ranked by ts_rank_cd (weights A 1.0, B 0.4, C 0.2, D 0.1),
plus pg_trgm's word similarity of every word to `names` (`%>`, its threshold set per connection in core.settings)
for typos.
SQLite: FTS5 over the stemmed columns of the reader's text ranked by bm25 (weights 10, 4, 2, 1), plus the trigram
FTS5 table for substrings of names (no similarity: a word with a wrong letter is not found there).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from core.search.text import Terms, fts5_query, fts5_trigram_query, pg_tsquery

TRIGRAM_MAX_WORDS = 4  # a typed name or subject, not a paragraph
_TRIGRAM_WEIGHT = 0.3


@dataclass(frozen=True)
class Match:
    where: str
    where_params: list
    rank: str
    rank_params: list
    joins: str = ""
    join_params: tuple = ()


def _trigram_words(found: Terms, any_word: bool) -> list[str]:
    """The words matched by trigrams: each of three letters or more, in a query of a few words (a typed name)."""
    if any_word or not found or len(found.words) > TRIGRAM_MAX_WORDS:
        return []
    return [word for word in found.words if len(word) >= 3]


def match(found: Terms, *, staff: bool, any_word: bool = False) -> Match:
    if connection.vendor == "postgresql":
        return _postgres(found, staff=staff, any_word=any_word)
    return _sqlite(found, staff=staff, any_word=any_word)


def _postgres(found: Terms, *, staff: bool, any_word: bool) -> Match:
    vector = "e.all_vector" if staff else "e.public_vector"
    tsquery = pg_tsquery(found, any_word=any_word)
    rank = f"ts_rank_cd({vector}, to_tsquery('simple', %s))"
    trigram = _trigram_words(found, any_word)
    if not trigram:
        return Match(f"{vector} @@ to_tsquery('simple', %s)", [tsquery], rank, [tsquery])
    # every word close to a word of the names (not the whole query to any of them: «Зенит-Порт» found every «…-Порт»)
    similar = " AND ".join("e.names %%> %s" for _ in trigram)
    return Match(
        f"({vector} @@ to_tsquery('simple', %s) OR ({similar}))", [tsquery, *trigram],
        f"{rank} + {_TRIGRAM_WEIGHT} * word_similarity(%s, e.names)", [tsquery, " ".join(trigram)],
    )


_PUBLIC = ("title", "body", "public_notes", "public_files")
_ALL = ("title", "body", "all_notes", "all_files")
# bm25 weights in the table's column order: title, body, public_notes, all_notes, public_files, all_files
_BM25 = "bm25(core_search_fts, 10.0, 4.0, 2.0, 2.0, 1.0, 1.0)"


def _sqlite(found: Terms, *, staff: bool, any_word: bool) -> Match:
    expression = fts5_query(found, columns=_ALL if staff else _PUBLIC, any_word=any_word)
    words = "SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s"
    joins = (f" LEFT JOIN (SELECT rowid AS entry_id, -{_BM25} AS score FROM core_search_fts"
             " WHERE core_search_fts MATCH %s) fts ON fts.entry_id = e.id")
    trigram = fts5_trigram_query(found) if _trigram_words(found, any_word) else None
    if trigram is None:
        return Match(f"e.id IN ({words})", [expression], "COALESCE(fts.score, 0)", [], joins, (expression,))
    names = "SELECT rowid FROM core_search_trgm WHERE core_search_trgm MATCH %s"
    return Match(
        f"(e.id IN ({words}) OR e.id IN ({names}))", [expression, trigram],
        f"COALESCE(fts.score, 0) + CASE WHEN e.id IN ({names}) THEN {_TRIGRAM_WEIGHT} ELSE 0 END", [trigram],
        joins, (expression,),
    )
