"""The statistics the database plans its queries by (which index answers a filter): without them SQLite guesses,
and the filtered appeals list picked the wrong index on a never-analysed file (issue 13)."""

from django.db import connections

SQLITE_ANALYSIS_LIMIT = 1000  # rows sampled per index: ANALYZE stays well under a second on 100 000 appeals


def statistics_refresh(*, using: str = "default") -> None:
    """ANALYZE the whole database; on SQLite sampled, so it may run after every migrate."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")


def sqlite_statistics_after_migrate(*, using: str = "default", **kwargs) -> None:
    """post_migrate on SQLite. SQLite's own `PRAGMA optimize` (3.40 here) re-analyses only the tables its connection
    has queried, so a deploy's migrate would leave a grown file unanalysed; a sampled ANALYZE covers every table.
    An empty table gets no statistics, so a fresh database is not taught that its tables are empty. PostgreSQL's
    autovacuum keeps its own statistics."""
    if connections[using].vendor == "sqlite":
        statistics_refresh(using=using)
