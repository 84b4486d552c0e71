"""The version a client saw: the row's `updated_at` as an opaque ETag, sent back in If-Match on writes so the door
can refuse a stale change (core/workflows/door.py compares it with the locked row)."""

from datetime import UTC, datetime, timedelta

from django.http import HttpRequest
from django.utils.translation import gettext

from core.api.problems import ApiProblem

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STEP = timedelta(microseconds=1)


def etag(updated_at: datetime) -> str:
    return f'"{(updated_at - EPOCH) // STEP}"'


def if_match(request: HttpRequest, *, required: bool) -> datetime | None:
    """The version named by If-Match; None when absent and not required. A header that is not one of our ETags
    proves nothing about what the client saw: 412."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        if required:
            raise ApiProblem(428, gettext("Нужен заголовок If-Match"),
                             gettext("Передайте в If-Match значение ETag, полученное при чтении объекта."))
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ApiProblem(412, gettext("Неверный If-Match"),
                         gettext("If-Match должен содержать ETag, полученный при чтении объекта."))
    try:
        return EPOCH + int(value) * STEP
    except OverflowError:
        raise ApiProblem(412, gettext("Неверный If-Match"),
                         gettext("If-Match должен содержать ETag, полученный при чтении объекта.")) from None
