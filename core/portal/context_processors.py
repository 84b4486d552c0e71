"""Template context for every page: the signed-in person's unread in-app notices (the bell in the header)."""

from functools import cache, partial

from django.http import HttpRequest
from django.utils.functional import lazy

from core.selectors.notifications import unread_count


def _call(count) -> int:
    return count()


# made once: lazy() builds a proxy class on every call, which costs more than the rest of this processor
_lazy_count = lazy(_call, int)


def notifications(request: HttpRequest) -> dict:
    """{"unread_notifications": N} for a signed-in person, nothing for a guest.

    The number is lazy and computed once: one COUNT query when a page shows it, none on pages that do not
    (the staff cabinet, downloads rendered from templates)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": _lazy_count(cache(partial(unread_count, user)))}
