"""django-q2 signal receivers (connected in CoreConfig.ready): the request id travels with the task, and a worker
that starts a task records its heartbeat for /readyz.

* pre_enqueue (the web process): a task queued during a request carries that request's id in its package (signed
  with the rest of it; the task function's arguments stay as they are).
* pre_execute (the worker): the task's log lines carry that id until post_execute_in_worker; the worker's
  heartbeat is recorded, at most every health.HEARTBEAT_EVERY per process. A task run inline (`sync`, the test
  settings) runs in the web process, not in a worker: it beats nothing.
"""

from contextvars import Token
from datetime import datetime

from django.dispatch import receiver
from django.utils import timezone
from django_q.signals import post_execute_in_worker, pre_enqueue, pre_execute

from core import request_id
from core.services import health

TASK_KEY = "request_id"

_bound: dict[str, Token] = {}  # task id -> the token that restores the worker's context after the task
_last_beat: datetime | None = None


@receiver(pre_enqueue, dispatch_uid="core.q2_signals.stamp")
def stamp_request_id(sender, task: dict, **kwargs) -> None:
    current = request_id.current_request_id()
    if current:
        task[TASK_KEY] = current


@receiver(pre_execute, dispatch_uid="core.q2_signals.bind")
def bind_request_id(sender, func, task: dict, **kwargs) -> None:
    _bound[task["id"]] = request_id.bind(task.get(TASK_KEY))
    if not task.get("sync"):
        _beat()


@receiver(post_execute_in_worker, dispatch_uid="core.q2_signals.unbind")
def unbind_request_id(sender, func, task: dict, **kwargs) -> None:
    token = _bound.pop(task["id"], None)
    if token is not None:
        request_id.unbind(token)


def _beat() -> None:
    global _last_beat
    now = timezone.now()
    if _last_beat is None or now - _last_beat >= health.HEARTBEAT_EVERY:
        health.worker_heartbeat_record(now)
        _last_beat = now
