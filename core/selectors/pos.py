"""Reads for the federal platform ПОС: the answers to upload back to it (docs/integrations/pos.md)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Case, F, OuterRef, QuerySet, Subquery, When
from django.utils import timezone

from core.choices import AppealChannel, AppealStatus
from core.models import Appeal, AppealAnswer, User
from core.selectors.visibility import appeals_visible_to

ANSWER_TEXT, ANSWER_AT = "pos_answer_text", "pos_answer_at"  # annotated by pos_answers_for


def _moscow_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def pos_answers_for(*, user: User, start: date, end: date) -> QuerySet[Appeal]:
    """The ПОС messages this user may see that got their public answer between `start` and `end` (Moscow days,
    inclusive), in the order they were answered. The answer is the last approved round (what the investor read) or,
    for a rejected message, the rejection reason; drafts and internal notes are never read. One query: the last
    round is a correlated subquery."""
    last_round = AppealAnswer.objects.filter(appeal=OuterRef("pk")).order_by("-number")
    rejected = When(status=AppealStatus.REJECTED, then=F("rejection_reason"))
    return (
        appeals_visible_to(user)
        .filter(channel=AppealChannel.POS)
        .exclude(pos_number="")
        .annotate(**{
            ANSWER_TEXT: Case(rejected, default=Subquery(last_round.values("text")[:1])),
            ANSWER_AT: Case(When(status=AppealStatus.REJECTED, then=F("closed_at")),
                            default=Subquery(last_round.values("approved_at")[:1])),
        })
        .filter(**{f"{ANSWER_AT}__gte": _moscow_midnight(start),
                   f"{ANSWER_AT}__lt": _moscow_midnight(end + timedelta(days=1))})
        .order_by(ANSWER_AT, "number")
    )
