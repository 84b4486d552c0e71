"""Every request gets an id that follows it through the logs, the 500 page and the background tasks it queues.

* `RequestIdMiddleware` (first in MIDDLEWARE) takes the id from an incoming `X-Request-ID` when it is a sane token
  (what nginx's `$request_id` or another proxy sends), else makes one; returns it in the `X-Request-ID` response
  header and writes one access line per request (logger `core.access`: method, path, status, duration).
* `RequestContextFilter` (on the log handler, settings.LOGGING) stamps every log record with the request id, the
  signed-in user's id and the request's method and path (and Django's own lines with the status they report), so a
  line written anywhere during the request carries them.
* The id travels to django-q2 tasks queued during the request (core/q2_signals.py) and stamps the worker's lines.
* `current_user()` is the signed-in person of the running request, for the form pieces that act on their behalf
  without a view passing them (core.forms: the files a form keeps when it is shown again).

The access line never holds the query string (a search for an e-mail, a filter by a person) nor the secrets some
paths carry (the e-mail confirmation and password-reset tokens, the calendar feed's token): those segments are
written as «***».
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

HEADER = "X-Request-ID"
# Letters, digits and . _ : - only, 8 to 64 of them: a UUID, nginx's 32 hex digits; nothing that could forge a log line.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}\Z")
# URL parameters that are secrets (core/portal/urls.py): never written to a log.
SECRET_URL_KWARGS = frozenset({"token", "uidb64"})
# Load balancers ask these every few seconds: their access lines are DEBUG, below the default LOG_LEVEL.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})

access_log = logging.getLogger("core.access")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("request", default=None)


def current_request_id() -> str | None:
    """The id of the request (or of the task queued by one) this code runs for; None outside of both."""
    return _request_id.get()


def current_user():
    """The signed-in person of the request this code runs for; None outside a request or when nobody is signed in."""
    user = getattr(_request.get(), "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def bind(request_id: str | None) -> Token:
    """Log lines from here on carry `request_id` (a background task run for a request); undo with `unbind`."""
    return _request_id.set(request_id)


def unbind(token: Token) -> None:
    _request_id.reset(token)


def request_id_from(incoming: str | None) -> str:
    incoming = (incoming or "").strip()
    return incoming if SANE_ID.match(incoming) else uuid.uuid4().hex


def _user_id(request: HttpRequest | None) -> int | None:
    """The signed-in user's id if the request has already looked the user up: logging never queries the database
    (a lazy user not yet read stays unread)."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


def loggable_path(request: HttpRequest) -> str:
    """The path without the query string, with secret URL parameters masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in (match.kwargs.items() if match else ()):
        if name in SECRET_URL_KWARGS and value:  # a whole segment (or its stem before «.ics»), never a part of one
            path = re.sub(rf"(?<=/){re.escape(str(value))}(?=[/.]|\Z)", "***", path)
    return path


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record (None outside a request or a task queued by one).

    Django logs a 4xx or 5xx response («Service Unavailable: /readyz») after the whole middleware chain has returned,
    so after RequestIdMiddleware: that record carries the request itself (`extra={"request": …}`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get() or getattr(record, "request", None)
        if not isinstance(request, HttpRequest):  # runserver's own lines carry the socket as `request`
            request = None
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get() or getattr(request, "request_id", None)
        if getattr(record, "user_id", None) is None:
            record.user_id = _user_id(request)
        if request is not None:  # any line written for a request names its method and path, as the access line does
            if getattr(record, "path", None) is None:
                record.path = loggable_path(request)
            if getattr(record, "method", None) is None:
                record.method = request.method
        if getattr(record, "status", None) is None and isinstance(getattr(record, "status_code", None), int):
            record.status = record.status_code  # Django's «Not Found: …» and «Bad Request: …» lines
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_from(request.headers.get(HEADER))
        id_token, request_token = _request_id.set(request.request_id), _request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            _request.reset(request_token)
            _request_id.reset(id_token)

    @staticmethod
    def _log(request: HttpRequest, status: int, started: float) -> None:
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        path = loggable_path(request)
        level = logging.DEBUG if request.path_info in QUIET_PATHS else logging.INFO
        access_log.log(level, "%s %s %s %sms", request.method, path, status, duration_ms, extra={
            "method": request.method, "path": path, "status": status, "duration_ms": duration_ms,
        })
