"""The search index (core.search): one row per appeal, project, organisation and published FAQ entry, holding the
text a reader may search in two versions — public (what an investor may read) and all (what staff read).

The database keeps its own search structures beside this table (migration core.0021_search): on PostgreSQL two
stored tsvector columns (`public_vector`, `all_vector`, the `russian` configuration, weights A–D) with GIN indexes and
a pg_trgm GIN index on `names`; on SQLite the FTS5 tables `core_search_fts` (Snowball stems) and `core_search_trgm`
(trigrams of `names`), written by core.search.index beside these rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    kind = models.CharField(_("вид"), max_length=16)
    object_id = models.BigIntegerField(_("объект"))
    title = models.TextField(_("заголовок"), blank=True)  # weight A: number, subject, name, ИНН
    body = models.TextField(_("описание"), blank=True)  # weight B
    public_notes = models.TextField(_("ответы и история для инвестора"), blank=True)  # weight C
    all_notes = models.TextField(_("ответы и история для сотрудников"), blank=True)
    public_files = models.TextField(_("файлы для инвестора"), blank=True)  # weight D
    all_files = models.TextField(_("файлы для сотрудников"), blank=True)
    names = models.TextField(_("названия"), blank=True)  # trigram similarity: company, subject, project name

    class Meta:
        verbose_name = _("запись поискового индекса")
        verbose_name_plural = _("поисковый индекс")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
