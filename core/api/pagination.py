"""Keyset pagination: a page is the rows after an opaque cursor (the last row's key), newest first, so a page
costs the same wherever it is and rows added meanwhile do not shift it."""

import base64
import json

from django.db.models import QuerySet
from django.utils.translation import gettext
from ninja import Schema

from core.api.problems import field_error

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


class PageMeta(Schema):
    next_cursor: str | None = None


def _encode(key: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": key}).encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))["k"]
    except (ValueError, TypeError, KeyError):
        raise field_error("cursor", gettext("Неверный курсор: возьмите next_cursor из предыдущей страницы.")) from None
    if not isinstance(key, int) or isinstance(key, bool):
        raise field_error("cursor", gettext("Неверный курсор: возьмите next_cursor из предыдущей страницы."))
    return key


def keyset_page(queryset: QuerySet, *, key: str, cursor: str | None, limit: int | None) -> tuple[list, str | None]:
    """One page of `queryset` ordered by `key` descending, and the cursor of the next page (None on the last)."""
    limit = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= limit <= MAX_LIMIT:
        raise field_error("limit", gettext("От 1 до %(max)s.") % {"max": MAX_LIMIT})
    queryset = queryset.order_by(f"-{key}")
    if cursor:
        queryset = queryset.filter(**{f"{key}__lt": _decode(cursor)})
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, _encode(getattr(rows[-1], key))
