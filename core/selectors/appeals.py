"""Reads of appeals for both faces; every one starts from appeals_visible_to(user)."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.choices import AppealEventKind, AppealStatus
from core.models import Appeal, AppealEvent, AppealFile, Fact, User
from core.selectors.visibility import appeals_visible_to, is_staff_member

LIST_RELATED = ("organisation", "appeal_type", "manager", "executor_organisation", "fact__subcategory__category")


def appeal_list_for_user(user: User) -> QuerySet[Appeal]:
    """The list pages: what the user may see, with what a row shows loaded in the same query."""
    return appeals_visible_to(user).select_related(*LIST_RELATED)


def appeal_get_for_user(*, user: User, pk: int) -> Appeal:
    """One appeal the user may see (Appeal.DoesNotExist otherwise: the screens answer 404)."""
    return appeal_list_for_user(user).select_related(
        "applicant", "head__organisation", "coordinator__organisation", "manager__organisation"
    ).get(pk=pk)


def appeal_overdue_q() -> Q:
    return Q(status__in=AppealStatus.open(), deadline__lt=timezone.localdate())


def appeal_history_for(*, appeal: Appeal, user: User) -> QuerySet[AppealEvent]:
    """The timeline; investors see only its public part."""
    events = appeal.events.select_related("actor__organisation")
    if is_staff_member(user):
        return events.prefetch_related("files")
    public_files = Prefetch("files", queryset=AppealFile.objects.filter(is_public=True))
    return events.filter(is_public=True).prefetch_related(public_files)


def appeal_files_for(*, appeal: Appeal, user: User) -> QuerySet[AppealFile]:
    files = appeal.files.select_related("uploaded_by")
    return files if is_staff_member(user) else files.filter(is_public=True)


def appeal_file_get_for_user(*, user: User, pk: int) -> AppealFile:
    """A file to download: its appeal must be visible to the user, and an internal file only to staff."""
    files = AppealFile.objects.filter(appeal__in=appeals_visible_to(user))
    if not is_staff_member(user):
        files = files.filter(is_public=True)
    return files.select_related("appeal").get(pk=pk)


def fact_stream_counts(*, fact: Fact, user: User) -> dict[str, int]:
    """The seed's «Поток» counters: appeals of the fact per status, plus those whose deadline was extended."""
    appeals = appeals_visible_to(user).filter(fact=fact)
    per_status = dict(appeals.order_by().values_list("status").annotate(total=Count("pk")))
    counts = {status: per_status.get(status, 0) for status in AppealStatus.values}
    counts["deadline_extended"] = appeals.filter(events__kind=AppealEventKind.DEADLINE_EXTENDED).distinct().count()
    return counts
