"""The numbers the cabinet's frame draws on every page, counted in one query.

The bell in the header (the person's unread notices) and the sidebar's badges — letters and webhook deliveries that
gave up, for those who see those lists — were a COUNT query each. The first number a page draws now counts all of the
person's at once (a subquery each, in one SELECT); the others read the result. They are still counted on every
request, so they are as fresh as before.
"""

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.http import HttpRequest

from core.models import User
from core.selectors.notifications import notices_for, outbox_failed
from core.selectors.webhooks import webhook_deliveries_failed

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


def counts_together(user: User) -> dict[str, int]:
    """Each COUNTED queryset's number of rows for the user; those the user may not see at all are 0 without asking."""
    if not user.is_authenticated:
        return dict.fromkeys(COUNTED, 0)
    querysets = {name: select(user) for name, select in COUNTED.items()}
    asked = {name: _count(queryset) for name, queryset in querysets.items() if not queryset.query.is_empty()}
    counts = dict.fromkeys(COUNTED, 0)
    if asked:
        counts.update(User.objects.filter(pk=user.pk).values(**asked).get())
    return counts


def _count(queryset: QuerySet) -> Subquery:
    """The queryset's COUNT(*) as a subquery (the queryset filters, never joins to many or DISTINCTs)."""
    return Subquery(queryset.order_by().values(n=Func(F("pk"), function="COUNT")), output_field=IntegerField())
