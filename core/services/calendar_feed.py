"""The private address of a person's .ics feed: a random token created once, replaced when revoked."""

import secrets

from django.db import IntegrityError, transaction

from core.models import CalendarFeed, User
from core.services.personal_data import consent_missing


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_token_for(user: User) -> str:
    """The person's feed token, created on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed.token
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user, token=_new_token()).token
    except IntegrityError:  # created meanwhile by a parallel request
        return CalendarFeed.objects.get(user=user).token


@transaction.atomic
def calendar_feed_revoke(user: User) -> str:
    """A new token: every calendar subscribed with the old address stops receiving the feed."""
    feed, _created = CalendarFeed.objects.update_or_create(user=user, defaults={"token": _new_token()})
    return feed.token


def calendar_feed_user(token: str) -> User | None:
    """Whose feed this address is; None for an unknown or revoked token, for a disabled account and for an investor
    who has not accepted the consent text in force (the same address works again once they accept it)."""
    if not token:
        return None
    feed = CalendarFeed.objects.select_related("user__organisation").filter(token=token, user__is_active=True).first()
    if feed is None:
        return None
    if consent_missing(feed.user):
        return None  # the consent text in force not accepted yet: as for the API, nothing until it is
    return feed.user
