"""Reads of appeals for both faces; every one starts from appeals_visible_to(user)."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.choices import AppealEventKind, AppealStatus, MeetingStatus
from core.filters.base import filtered
from core.models import Appeal, AppealAnswer, AppealEscalation, AppealEvent, AppealFile, Fact, Meeting, User
from core.selectors.projects import meetings_readable
from core.selectors.visibility import (
    appeals_visible_to,
    is_staff_member,
    mark_visible,
    meetings_visible_to,
    projects_visible_to,
)

LIST_RELATED = ("organisation", "appeal_type", "manager", "executor_organisation", "fact__subcategory__category")


def appeal_list_for_user(user: User) -> QuerySet[Appeal]:
    """The list pages: what the user may see, with what a row shows loaded in the same query."""
    return appeals_visible_to(user).select_related(*LIST_RELATED)


def appeal_list(*, user: User, filters: Mapping[str, str]) -> QuerySet[Appeal]:
    """The appeals `user` sees, narrowed by `filters` — a query string's parameters as the cabinet's list writes them
    (core.filters.appeals.AppealFilterSet: status__exact, q, o…) — and ordered by its `o` or newest first. Raises
    core.filters.FilterError (its `messages` in Russian, its `form` with the errors) when a value or a key is not a
    filter of this list: never every row instead. Related rows are the caller's to load."""
    from core.filters.appeals import AppealFilterSet  # it builds on this module's conditions below

    return filtered(AppealFilterSet(filters, user=user))


def appeal_get_for_user(*, user: User, pk: int) -> Appeal:
    """One appeal the user may see (Appeal.DoesNotExist otherwise: the screens answer 404)."""
    return mark_visible(_one_for_user(user).get(pk=pk), user)


def _one_for_user(user: User) -> QuerySet[Appeal]:
    return appeal_list_for_user(user).select_related(
        "applicant__organisation", "registered_by", "answered_by", "head__organisation", "coordinator__organisation",
        "manager__organisation",
    )


def appeal_page_get_for_user(*, user: User, pk: int) -> Appeal:
    """The appeal for its page in the cabinet: appeal_get_for_user with, in the same query, its project, whether the
    user may open that project (`project_visible`) and who approved the answer for the executor; its meetings with
    their participants (`meetings.all()`, in the order of the day; the door's «a planned meeting» reads them too)
    and its working group's sessions (`escalations.all()`) come with it — the page's query count does not depend
    on how much the appeal holds."""
    meetings = Meeting.objects.order_by("starts_at", "pk").prefetch_related("participants")
    escalations = AppealEscalation.objects.select_related("created_by").order_by("session_date", "pk")
    appeal = (
        _one_for_user(user).select_related("project", "executor_approved_by")
        .annotate(project_visible=Exists(projects_visible_to(user).filter(pk=OuterRef("project_id"))))
        .prefetch_related(Prefetch("meetings", queryset=meetings), Prefetch("escalations", queryset=escalations))
        .get(pk=pk)
    )
    return mark_visible(appeal, user)


def appeal_meetings_for(*, appeal: Appeal, user: User) -> list[Meeting]:
    """The meetings about the appeal that `user` may see (meetings_visible_to), in the order of the day, with their
    participants and organisations and their status colour, the minutes as the user may read them
    (core.selectors.projects.meetings_readable): the portal's appeal page lists them."""
    meetings = meetings_readable(
        meetings_visible_to(user).filter(appeal=appeal).order_by("starts_at", "pk")
        .prefetch_related("participants", "organisations"), user
    )
    for meeting in meetings:
        meeting.status_colour = MeetingStatus.colour(meeting.status)
    return meetings


def appeal_overdue_q() -> Q:
    return Q(status__in=AppealStatus.open(), deadline__lt=timezone.localdate())


def appeal_number_or_inn_q(term: str) -> Q | None:
    """A search of digits only is an appeal's number, its investor's ИНН or its ПОС message number, found by their
    indexes (not a LIKE over every row); None for anything else (words are searched in the text columns)."""
    if not (term.isascii() and term.isdigit()) or len(term) > 18:  # 18 digits always fit the number's bigint
        return None
    # The ПОС number's index holds only the appeals that have one (WHERE NOT pos_number = ''): repeating that
    # condition lets SQLite use it, which it cannot infer from `pos_number = term` (it scanned every appeal).
    return Q(number=int(term)) | Q(organisation_inn=term) | (Q(pos_number=term) & ~Q(pos_number=""))


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


def appeal_rounds_for(*, appeal: Appeal, user: User, files: list[AppealFile] | None = None) -> list[AppealAnswer]:
    """The approved answers, round 1, 2, …, each with the files the reader may see in `visible_files` (two queries
    whatever the number of rounds; one when the caller already holds `files`, the appeal's files as
    appeal_files_for gives them to this reader). An appeal answered before rounds existed (legacy, generated data)
    shows its one sent answer as an unsaved round 1 — it cannot be rated or sent back through the door."""
    rounds = appeal.answers.select_related("author", "approved_by").order_by("number")
    if files is not None:
        by_round: dict[int, list[AppealFile]] = {}
        for file in sorted(files, key=lambda file: file.pk):
            by_round.setdefault(file.answer_id, []).append(file)
        rounds = list(rounds)
        for answer in rounds:
            answer.visible_files = by_round.get(answer.pk, [])
        return _or_sent_answer(appeal, rounds)
    visible = AppealFile.objects.order_by("pk")
    if not is_staff_member(user):
        visible = visible.filter(is_public=True)
    return _or_sent_answer(appeal, list(rounds.prefetch_related(
        Prefetch("files", queryset=visible, to_attr="visible_files"))))


def _or_sent_answer(appeal: Appeal, rounds: list[AppealAnswer]) -> list[AppealAnswer]:
    if rounds or not (appeal.answered_at and appeal.answer_text) or appeal.status == AppealStatus.APPROVAL:
        return rounds
    sent = AppealAnswer(appeal=appeal, number=1, text=appeal.answer_text, approved_at=appeal.answered_at,
                        rating=appeal.rating, rating_comment=appeal.rating_comment)
    sent.visible_files = []
    return [sent]


@dataclass(frozen=True)
class AppealCard:
    """What the appeal's DOCX shows to one reader, read up front so the renderer stays free of queries."""

    appeal: Appeal
    staff: bool
    files: list[AppealFile]
    history: list[AppealEvent]
    rounds: list[AppealAnswer]


CARD_RELATED = (
    *LIST_RELATED, "project", "applicant", "registered_by", "answered_by", "head__organisation",
    "coordinator__organisation", "manager__organisation",
)


def appeal_card_for(*, appeal: Appeal, user: User) -> AppealCard:
    """The card of an appeal the user may see: an investor's holds the public history and files only, the rounds'
    public files and no draft answer; staff see everything."""
    appeal = appeal_list_for_user(user).select_related(*CARD_RELATED).get(pk=appeal.pk)
    return AppealCard(
        appeal=appeal, staff=is_staff_member(user), files=list(appeal_files_for(appeal=appeal, user=user)),
        history=list(appeal_history_for(appeal=appeal, user=user)), rounds=appeal_rounds_for(appeal=appeal, user=user),
    )


def appeal_cards_for(*, appeals: QuerySet[Appeal], user: User) -> list[AppealCard]:
    """Several cards (a queryset the caller already limited to what `user` may see) in a fixed number of queries."""
    staff = is_staff_member(user)
    events = AppealEvent.objects.select_related("actor__organisation")
    files = AppealFile.objects.select_related("uploaded_by")
    if not staff:  # as appeal_history_for and appeal_files_for: an investor reads only the public part
        events, files = events.filter(is_public=True), files.filter(is_public=True)
    rounds = AppealAnswer.objects.select_related("author", "approved_by").order_by("number").prefetch_related(
        Prefetch("files", queryset=files.order_by("pk"), to_attr="visible_files")
    )
    appeals = appeals.select_related(*CARD_RELATED).prefetch_related(
        Prefetch("events", queryset=events, to_attr="card_history"),
        Prefetch("files", queryset=files, to_attr="card_files"),
        Prefetch("answers", queryset=rounds, to_attr="card_rounds"),
    )
    return [
        AppealCard(appeal=appeal, staff=staff, files=appeal.card_files, history=appeal.card_history,
                   rounds=_or_sent_answer(appeal, appeal.card_rounds))
        for appeal in appeals
    ]


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
