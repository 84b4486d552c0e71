"""Two workers run the deadline sweep at the same moment (PostgreSQL, real concurrent transactions): each
warning is written and sent once."""

import threading
from unittest import mock

import pytest
import time_machine
from django.db import connection

from core.models import Appeal, Notification
from core.services import deadlines
from core.workflows.appeals import appeal_transition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WAIT = 10


def test_two_sweeps_at_once_warn_once(file_appeal, coordinator, manager, head):
    with time_machine.travel("2025-02-21 12:47 +03:00", tick=False):
        appeals = [
            appeal_transition(appeal=file_appeal(), name="assign", actor=coordinator,
                              executor_organisation=manager.organisation, manager=manager, head=head)
            for _ in range(3)
        ]
    real_advance = deadlines._advance
    meet = threading.Barrier(2)

    def advance_together(model, obj, level, actor, **fields):
        """Both workers have read the same level before either moves it: the worst moment for a race."""
        meet.wait(timeout=WAIT)
        return real_advance(model, obj, level, actor, **fields)

    results, errors = [], []

    def worker() -> None:
        try:
            results.append(deadlines.sweep_appeals())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel("2025-03-15 09:00 +03:00", tick=False), \
            mock.patch.object(deadlines, "_advance", advance_together):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT * 3)
    assert not errors
    assert len(results) == 2 and sum(results) == 3  # each appeal advanced by exactly one worker
    for appeal in appeals:
        rows = Notification.objects.filter(object_kind="appeal", object_id=appeal.pk, event="appeal_overdue",
                                           channel="email")
        assert sorted(rows.values_list("recipient__email", flat=True)) == sorted(
            [manager.email, coordinator.email, head.email])
        assert Appeal.objects.get(pk=appeal.pk).alert_level == f"{appeal.deadline.isoformat()}:overdue"
