"""The numbers the cabinet's frame draws on every page, counted in one query.

The bell in the header (the person's unread notices) and the sidebar's badges — letters and webhook deliveries that
gave up, for those who see those lists — were a COUNT query each. The first number a page draws now counts all of the
person's at once (a subquery each, in one SELECT); the others read the result. They are still counted on every
request, so they are as fresh as before.
"""

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.http import HttpRequest

from core.models import User
from core.notifications.links import object_kind
from core.selectors.notifications import notices_for, outbox_failed
from core.selectors.webhooks import webhook_deliveries_failed
from core.services.notifications import notices_seen

COUNTED = {
    "unread_notices": lambda user: notices_for(user).filter(read_at__isnull=True),
    "failed_letters": outbox_failed,
    "failed_deliveries": webhook_deliveries_failed,
}


def frame_count(request: HttpRequest, name: str) -> int:
    """One of the COUNTED numbers of the signed-in person, all of them read on the first call of a request."""
    counts = request.__dict__.get("_frame_counts")
    if counts is None:
        counts = request._frame_counts = counts_together(request.user)
    return counts[name]


def counts_together(user: User, extra: dict[str, QuerySet] | None = None) -> dict[str, int]:
    """Each COUNTED queryset's number of rows for the user, and each of `extra`'s; those the user may not see at all
    are 0 without asking."""
    extra = extra or {}
    if not user.is_authenticated:
        return dict.fromkeys([*COUNTED, *extra], 0)
    querysets = {name: select(user) for name, select in COUNTED.items()} | extra
    asked = {name: _count(queryset) for name, queryset in querysets.items() if not queryset.query.is_empty()}
    counts = dict.fromkeys(querysets, 0)
    if asked:
        counts.update(User.objects.filter(pk=user.pk).values(**asked).get())
    return counts


def notices_seen_here(request: HttpRequest, obj) -> None:
    """The person opened the cabinet's card of `obj` (an appeal, a project, a task, a meeting, a request) by any
    way — a letter's link, a list, the search —: their unread notices about it are read, as if opened from the bell
    (core.services.notifications.notices_seen), and the bell counts what is still new. How many there are comes with
    the frame's one counting query, asked now instead of when the header is drawn: a card with nothing new about it
    costs no query more, the first opening after a notice one UPDATE."""
    user = request.user
    if not user.is_authenticated:
        return
    here = notices_for(user).filter(read_at__isnull=True, object_kind=object_kind(obj), object_id=obj.pk)
    counts = request._frame_counts = counts_together(user, {"unread_here": here})
    if counts.pop("unread_here"):
        counts["unread_notices"] -= notices_seen(user=user, obj=obj)


def _count(queryset: QuerySet) -> Subquery:
    """The queryset's COUNT(*) as a subquery (the queryset filters, never joins to many or DISTINCTs)."""
    return Subquery(queryset.order_by().values(n=Func(F("pk"), function="COUNT")), output_field=IntegerField())
