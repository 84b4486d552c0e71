"""Every save and delete of an indexed model queues its object for indexing after commit (core.search.index); after
`migrate`, an empty index over a database that holds appeals, projects or organisations is built (the upgrade that
brings the search: migration 0021 creates the tables, this fills them once), and so is the index again when the
migrations just applied include one marked `rebuilds_search_index = True` (the rows' text changed: 0022).

Bulk writes pass by signals: the places that bulk-update indexed text call index_later themselves (the answer's files
made public on approval, core.workflows.appeals); the data set generator and the demo rebuild the whole index.
"""

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models.signals import post_delete, post_migrate, post_save

from core.models import (
    Appeal,
    AppealAnswer,
    AppealEvent,
    AppealFile,
    FaqEntry,
    Organisation,
    Project,
    ProjectDocument,
    ProjectEvent,
)
from core.search.index import APPEAL, FAQ, ORGANISATION, PROJECT, index_later, search_index_rebuild

_OWNERS = {
    Appeal: (APPEAL, "pk"),
    AppealEvent: (APPEAL, "appeal_id"),
    AppealAnswer: (APPEAL, "appeal_id"),
    AppealFile: (APPEAL, "appeal_id"),
    Project: (PROJECT, "pk"),
    ProjectEvent: (PROJECT, "project_id"),
    ProjectDocument: (PROJECT, "project_id"),
    Organisation: (ORGANISATION, "pk"),
    FaqEntry: (FAQ, "pk"),
}


def _changed(sender, instance, **kwargs) -> None:
    kind, attribute = _OWNERS[sender]
    if kwargs.get("raw"):  # loaddata: the rebuild after it writes the rows
        return
    index_later(kind, getattr(instance, attribute))
    if sender is Organisation and instance.pk is not None and kwargs.get("signal") is post_save:
        # a project's row holds its investor's names: a renamed company's projects are found by the new name
        for project_id in Project.objects.filter(investor_id=instance.pk).values_list("pk", flat=True):
            index_later(PROJECT, project_id)


for _model in _OWNERS:
    post_save.connect(_changed, sender=_model, dispatch_uid=f"search-{_model.__name__}-save")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"search-{_model.__name__}-delete")


def _built_after_migrate(sender, using=DEFAULT_DB_ALIAS, verbosity=1, stdout=None, **kwargs) -> None:
    from core.models import SearchEntry

    if using != DEFAULT_DB_ALIAS or SearchEntry._meta.db_table not in connection.introspection.table_names():
        return  # another database, or migrated back to before the index
    rebuilds = any(getattr(migration, "rebuilds_search_index", False) and not backwards
                   for migration, backwards in (kwargs.get("plan") or ()))
    if SearchEntry.objects.exists() and not rebuilds:
        return
    if not (Appeal.objects.exists() or Project.objects.exists() or Organisation.objects.exists()):
        return
    counts = search_index_rebuild()
    if verbosity and stdout:
        stdout.write(f"Поисковый индекс построен: записей {sum(counts.values())}.\n")


def connect_migrate(app_config) -> None:
    post_migrate.connect(_built_after_migrate, sender=app_config, dispatch_uid="search-built-after-migrate")
