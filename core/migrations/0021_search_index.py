"""The search index (core.search, docs/search.md): the SearchEntry table and, per database, what searches it.

PostgreSQL: the pg_trgm extension (CREATE EXTENSION needs a superuser or, since PostgreSQL 13, the database owner: pg_trgm
is a trusted extension), two stored tsvector columns of the `russian` configuration with weights A–D (public text and
all text), GIN indexes on both and a trigram GIN index on `names`. SQLite: the FTS5 table of Snowball stems
`core_search_fts` and the trigram FTS5 table `core_search_trgm`, both keyed by the entry's id (rowid). The rows are
written by `manage.py rebuild_search_index` (and kept up to date after every commit), not by this migration.
"""

from django.db import migrations, models

WEIGHTED = (
    "setweight(to_tsvector('russian'::regconfig, title), 'A') || setweight(to_tsvector('russian'::regconfig, body), 'B')"
    " || setweight(to_tsvector('russian'::regconfig, {notes}), 'C') || setweight(to_tsvector('russian'::regconfig, {files}), 'D')"
)
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE core_searchentry ADD COLUMN public_vector tsvector GENERATED ALWAYS AS ("
    + WEIGHTED.format(notes="public_notes", files="public_files") + ") STORED",
    "ALTER TABLE core_searchentry ADD COLUMN all_vector tsvector GENERATED ALWAYS AS ("
    + WEIGHTED.format(notes="all_notes", files="all_files") + ") STORED",
    "CREATE INDEX search_entry_public_vector ON core_searchentry USING gin (public_vector)",
    "CREATE INDEX search_entry_all_vector ON core_searchentry USING gin (all_vector)",
    "CREATE INDEX search_entry_names_trgm ON core_searchentry USING gin (names gin_trgm_ops)",
]
SQLITE = [
    "CREATE VIRTUAL TABLE core_search_fts USING fts5(title, body, public_notes, all_notes, public_files, all_files,"
    " tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE core_search_trgm USING fts5(names, tokenize='trigram')",
]
SQLITE_BACK = ["DROP TABLE IF EXISTS core_search_fts", "DROP TABLE IF EXISTS core_search_trgm"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0020_draft_jobs"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=16, verbose_name="вид")),
                ("object_id", models.BigIntegerField(verbose_name="объект")),
                ("title", models.TextField(blank=True, verbose_name="заголовок")),
                ("body", models.TextField(blank=True, verbose_name="описание")),
                ("public_notes", models.TextField(blank=True, verbose_name="ответы и история для инвестора")),
                ("all_notes", models.TextField(blank=True, verbose_name="ответы и история для сотрудников")),
                ("public_files", models.TextField(blank=True, verbose_name="файлы для инвестора")),
                ("all_files", models.TextField(blank=True, verbose_name="файлы для сотрудников")),
                ("names", models.TextField(blank=True, verbose_name="названия")),
            ],
            options={
                "verbose_name": "запись поискового индекса",
                "verbose_name_plural": "поисковый индекс",
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="search_entry_once")],
            },
        ),
        migrations.RunPython(_run({"postgresql": POSTGRES, "sqlite": SQLITE}),
                             # PostgreSQL: the columns and indexes go with the table; pg_trgm stays
                             _run({"sqlite": SQLITE_BACK})),
    ]
