"""Every save and delete of an indexed model queues its object for indexing after commit (core.search.index).

Bulk writes pass by signals: the places that bulk-update indexed text call index_later themselves (the answer's files
made public on approval, core.workflows.appeals); the data set generator and the demo rebuild the whole index.
"""

from django.db.models.signals import post_delete, post_save

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
from core.search.index import APPEAL, FAQ, ORGANISATION, PROJECT, index_later

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
    if not kwargs.get("raw"):  # loaddata: the rebuild after it writes the rows
        index_later(kind, getattr(instance, attribute))


for _model in _OWNERS:
    post_save.connect(_changed, sender=_model, dispatch_uid=f"search-{_model.__name__}-save")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"search-{_model.__name__}-delete")
