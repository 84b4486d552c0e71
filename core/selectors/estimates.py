"""Row counts the database already knows, for pages where an exact COUNT(*) over a large table costs more than the
page itself."""

from django.db import connection
from django.db.models import Model


def table_rows_estimate(model: type[Model]) -> int | None:
    """PostgreSQL's estimate of the rows of `model`'s table (pg_class.reltuples, kept by ANALYZE and autovacuum);
    None on other databases or before the table was ever analysed."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None
