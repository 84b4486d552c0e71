"""Handing work to the django-q2 queue after the change that needs it has committed."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import transaction
from django_q.tasks import async_task

log = logging.getLogger(__name__)

_paused: ContextVar[bool] = ContextVar("queue_paused", default=False)


@contextmanager
def queue_paused() -> Iterator[None]:
    """Queue nothing asked for inside the block. For a backfill whose rows need no work afterwards: the demo's
    eighteen months of history (core.services.demo_history) write their letters as already sent, so a task per
    letter would only make the worker look at hundreds of rows with nothing to do."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _enqueue(task: str, *args) -> None:
    """The change is already committed: if the queue is down, the person must not see an error for a change
    that was saved (and later commit hooks must still run). The caller's own recovery covers the task:
    the outbox flush for letters; a new request for account letters («Отправить письмо ещё раз»)."""
    try:
        async_task(task, *args)
    except Exception:
        log.exception("task %s%r was not queued", task, args)


def enqueue_after_commit(task: str, *args) -> None:
    """Queue `task(*args)` (ids only, never personal data) once the current transaction commits."""
    if _paused.get():
        return
    transaction.on_commit(partial(_enqueue, task, *args))
