"""The skeleton every door shares (appeals, projects, tasks), as helpdesk's one `update_ticket()`.

`door_pass` runs one status change: atomic, the row locked, a stale view refused, the status and then the
person checked, the change made in memory, saved with the auditlog actor set, and the history (with its
notification rows, sent on commit) written. What each machine allows, says and records stays in its module.
"""

from collections.abc import Callable

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from core.models import User


class Conflict(Exception):
    """The row changed since the person looked at it; nothing was written. Each machine names its row."""

    message = ""

    def __init__(self) -> None:
        super().__init__(str(self.message))


def door_pass[Row: models.Model, Change](
    *,
    row: Row,
    actor: User,
    conflict: type[Conflict],
    state: str,
    status_allows: Callable[[Row], bool],
    status_refusal: Callable[[Row], str],
    may: Callable[[Row], bool],
    refusal: str,
    change: Callable[[Row], Change],
    record: Callable[[Row, str, Change], object],
) -> Row:
    """Apply `change` to a locked copy of `row`, the version the person saw (its `updated_at` and `state` field).

    `status_allows` / `status_refusal` say whether the status permits the action and why not; `may` and
    `refusal` the same for the person. `change` works in memory (it may refuse with a ValidationError);
    `record(locked, state_before, what_change_returned)` writes the history after the save."""
    with transaction.atomic(), set_actor(actor):
        locked = type(row).objects.select_for_update().get(pk=row.pk)
        if locked.updated_at != row.updated_at or getattr(locked, state) != getattr(row, state):
            raise conflict
        if not status_allows(locked):
            raise PermissionDenied(status_refusal(locked))
        if not may(locked):
            raise PermissionDenied(refusal)
        before = getattr(locked, state)
        changed = change(locked)
        locked.save()
        record(locked, before, changed)
    return locked
