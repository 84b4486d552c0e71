"""Log formats (settings.LOGGING, LOG_FORMAT): one JSON object per line for production, readable text for DEBUG.

Every JSON line has the same keys, null when they do not apply, so a log pipeline needs no per-line schema:
time (ISO 8601, UTC), level, logger, message, request_id, user_id, path, method, status, duration_ms; plus
`exception` when the record carries a traceback. request_id and user_id come from core.request_id's filter;
path, method, status and duration_ms from the access line (or any record logged with them as `extra`).
"""

import copy
import json
import logging
from datetime import UTC, datetime

CONTEXT_FIELDS = ("request_id", "user_id", "path", "method", "status", "duration_ms")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({field: getattr(record, field, None) for field in CONTEXT_FIELDS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes line breaks, so a multi-line message or traceback stays one line.
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The DEBUG format; a record that skipped the request filter (another handler) shows «-» for the id."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record = copy.copy(record)  # other handlers get the record as it was
            record.request_id = "-"
        return super().format(record)


class ClientMistakeFilter(logging.Filter):
    """On the `django.security.DisallowedHost` logger: a request for a host not in ALLOWED_HOSTS (a scanner trying the
    bare IP address, a stale DNS record) is the client's mistake, answered with a 400. Django logs it as an ERROR with
    a traceback, which would page whoever watches the errors several times an hour; it becomes one WARNING line with
    the message («Invalid HTTP_HOST header: …»), no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = None
        return True


class RoutineTaskFilter(logging.Filter):
    """On django-q2's `django-q` logger: its INFO lines for every task that went as it should — queued, created from
    a schedule, taken by a worker process, processed — and a worker process's own start and stop. The two one-minute
    schedules (the outbox, the webhooks) made an idle worker write some 11 500 such lines a day, burying what
    matters. They become DEBUG lines: written only when LOG_LEVEL=DEBUG. The cluster's start, stop and recycled
    workers stay INFO; a failed task stays an ERROR. django-q2 logs them from these functions (module, function)."""

    ROUTINE = frozenset({("tasks", "async_task"), ("scheduler", "scheduler"), ("worker", "worker"),
                         ("monitor", "monitor")})

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or (record.module, record.funcName) not in self.ROUTINE:
            return True
        if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return False
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return True
