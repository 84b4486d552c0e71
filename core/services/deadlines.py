"""Deadline control on a schedule: the warning ladder of appeals and the overdue tasks, roadmap items and
requests to participants, and the daily digest to heads.

Each step is given once. The object's `alert_level` records the step already given for its current deadline
("<deadline>:<step>"); the sweep moves it on with a conditional UPDATE (… WHERE alert_level = <what it read>),
the way healthchecks flips a check's status, and only the worker whose update changed the row writes the
notices, in the same transaction. A second run, or a second worker at the same moment, finds the level moved
and does nothing; the outbox's uniqueness rule is the second guard. A moved deadline starts a new ladder.
All «today» and «half the period» are Moscow time, whatever the server's clock zone.

An appeal also stores when its next step falls due (`next_alert_at`, healthchecks' indexed `alert_after`): every
writer of its deadline, status or level sets it with `appeal_next_alert_at`, and the sweep reads only the rows
whose moment has come, through a partial index, instead of walking every open appeal every 15 minutes.

A sweep never keeps a database cursor open while it works (`_one_by_one`): each notice queues its letter after
its commit, and django-q2's ORM broker closes the connection before it writes the queue row.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.choices import (
    AppealEventKind,
    AppealStatus,
    OrganisationKind,
    ProjectEventKind,
    RequestStatus,
    RoadmapStatus,
    TaskStatus,
)
from core.models import Appeal, AppealEvent, ParticipantRequest, ProjectEvent, RoadmapItem, Task, User, WebhookEvent
from core.notifications import rules
from core.roles import Role
from core.services.notifications import notify
from core.services.system import system_user
from core.services.webhooks import webhook_emit

STEPS = ("50", "80", "overdue")
DUE_SOON_DAYS = 3  # the digest's «скоро срок»
BATCH = 500  # rows a sweep loads at a time
_OPEN = frozenset(AppealStatus.open())  # (asked for every generated appeal: AppealStatus.open() builds a list)


def _rank(level: str, deadline: date) -> int:
    """How far up the ladder of this deadline the object has been warned (0 = not at all)."""
    prefix = f"{deadline.isoformat()}:"
    if not level.startswith(prefix):
        return 0
    step = level[len(prefix):]
    return STEPS.index(step) + 1 if step in STEPS else 0


def _end_of(day: date) -> datetime:
    """The moment a deadline day is over in Moscow: the next local midnight."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), timezone.get_default_timezone())


def appeal_step_moments(appeal: Appeal) -> dict[str, datetime]:
    """When each step of the ladder of the appeal's current deadline falls due, in order: half and 80 % of its
    period gone, and the deadline day over. The period runs from when the agency received the appeal (a letter
    registered days later is already partly spent). A period with no length has only the overdue step."""
    end = _end_of(appeal.deadline)
    period = end - appeal.received_at
    if period <= timedelta(0):
        return {"overdue": end}
    return {"50": appeal.received_at + period * 0.5, "80": appeal.received_at + period * 0.8, "overdue": end}


def appeal_step(appeal: Appeal, now: datetime) -> str | None:
    """The highest ladder step the appeal has reached at `now` (None before half its period)."""
    reached = [step for step, moment in appeal_step_moments(appeal).items() if moment <= now]
    return reached[-1] if reached else None


def appeal_next_alert_at(appeal: Appeal, level: str | None = None) -> datetime | None:
    """When the sweep has the next step to give: the first step of the current deadline's ladder above the one
    already given (`level`, else the appeal's `alert_level`). None for a closed or legacy appeal and once the
    overdue notice is given. Whoever changes the status, the deadline, the receipt or `alert_level` stores it in
    `Appeal.next_alert_at`, the column the sweep reads (the doors, the sweep itself, the imports, the data set).

    core/migrations/0014_appeal_next_alert_at.py fills existing rows with a copy of this rule: change both."""
    if appeal.is_legacy or appeal.status not in _OPEN:
        return None
    given = _rank(appeal.alert_level if level is None else level, appeal.deadline)
    pending = [moment for step, moment in appeal_step_moments(appeal).items() if STEPS.index(step) + 1 > given]
    return pending[0] if pending else None


def _one_by_one[M: Model](queryset: QuerySet[M]) -> Iterator[M]:
    """The rows of `queryset`, BATCH at a time, with no cursor open while the caller handles them.

    Only the primary keys are read up front; each batch is read whole, again through `queryset`, so a row that
    left it in the meantime (answered, done) is skipped. A lazy `.iterator()` would keep its cursor across the
    caller's `notify`, whose letter is queued after the commit by django-q2's ORM broker, and the broker closes
    the connection first (`close_old_connections`): the sweep died on the next fetch, «Cannot operate on a
    closed database» on SQLite (CONN_MAX_AGE 0), and on PostgreSQL once a sweep outlived CONN_MAX_AGE.
    """
    # sorted here, not by the database: with ORDER BY pk SQLite walks the whole table in its order rather than
    # search the index of the filter (appeal_next_alert_due) and sort the few keys it finds
    pks = sorted(queryset.order_by().values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        yield from list(queryset.filter(pk__in=pks[start:start + BATCH]).order_by("pk"))


def _advance(model: type[Model], obj, new_level: str, actor: User, *, unchanged: tuple[str, ...] = (),
             **also) -> bool:
    """Move the object's alert level from what we read to `new_level`, with the other columns in `also`; False if
    someone else already did, or changed one of the fields named in `unchanged` since we read them."""
    still = {name: getattr(obj, name) for name in unchanged}
    moved = model.objects.filter(pk=obj.pk, alert_level=obj.alert_level, **still).update(
        alert_level=new_level, **also)
    if moved:
        LogEntry.objects.log_create(
            obj, action=LogEntry.Action.UPDATE, changes={"alert_level": [obj.alert_level, new_level]}, actor=actor
        )
        obj.alert_level = new_level
        for name, value in also.items():
            setattr(obj, name, value)
    return bool(moved)


def _redirected(appeal: Appeal) -> bool:
    organisation = appeal.executor_organisation
    return bool(organisation and organisation.kind != OrganisationKind.AGENCY)


def _appeal_recipients(appeal: Appeal, step: str) -> list[User | None]:
    executor = rules._executor_side(appeal) if appeal.executor_organisation_id else [appeal.coordinator]
    if step == "50":
        return executor
    if step == "80":  # the coordinator of a redirected appeal follows the executor body's deadline
        return [*executor, appeal.coordinator] if _redirected(appeal) else executor
    return [*executor, appeal.manager, appeal.coordinator, appeal.head]


# what the next moment is counted from: a door that changed any of them since the sweep read the row wins
_APPEAL_INPUTS = ("deadline", "received_at", "status", "is_legacy", "next_alert_at")


def appeals_due(now: datetime) -> QuerySet[Appeal]:
    """The appeals whose next step has come, through the partial index appeal_next_alert_due. Only the moment is
    asked: a closed or legacy appeal has none, and the sweep checks both again on the rows it reads (asked here
    too, `status IN (…)` makes SQLite, which keeps no statistics, walk every open appeal by appeal_status_number)."""
    return Appeal.objects.filter(next_alert_at__lte=now)


def sweep_appeals(now: datetime | None = None) -> int:
    """Give each appeal whose `next_alert_at` has come the highest step it has reached, once. Only those rows are
    read, and each leaves with the moment of its following step."""
    now = now or timezone.now()
    system, given = system_user(), 0
    candidates = appeals_due(now).select_related("manager", "coordinator", "head", "applicant",
                                                 "executor_organisation")
    for appeal in _one_by_one(candidates):
        step = appeal_step(appeal, now) if appeal.status in _OPEN and not appeal.is_legacy else None
        if step is None or STEPS.index(step) + 1 <= _rank(appeal.alert_level, appeal.deadline):
            # a moment stored by a writer that counted otherwise (or forgot a closing): store the right one, or
            # none, so the row is not read again
            Appeal.objects.filter(pk=appeal.pk, alert_level=appeal.alert_level,
                                  **{name: getattr(appeal, name) for name in _APPEAL_INPUTS}).update(
                next_alert_at=appeal_next_alert_at(appeal))
            continue
        level = f"{appeal.deadline.isoformat()}:{step}"
        with transaction.atomic(), set_actor(system):
            if not _advance(Appeal, appeal, level, system, unchanged=_APPEAL_INPUTS,
                            next_alert_at=appeal_next_alert_at(appeal, level)):
                continue
            code = {"50": "appeal_deadline_50", "80": "appeal_deadline_80", "overdue": "appeal_overdue"}[step]
            notify(event=code, obj=appeal, recipients=_appeal_recipients(appeal, step), level=appeal.alert_level)
            if step == "overdue":
                webhook_emit(event=WebhookEvent.APPEAL_OVERDUE, obj=appeal, level=appeal.alert_level)
                AppealEvent.objects.create(
                    appeal=appeal, kind=AppealEventKind.DEADLINE_WARNING, name="overdue", actor=system,
                    is_public=False, from_status=appeal.status, to_status=appeal.status,
                    text=gettext("Срок ответа %(date)s истёк: уведомлены исполнитель, координатор и руководитель")
                    % {"date": f"{appeal.deadline:%d.%m.%Y}"},
                )
            given += 1
    return given


def _overdue_sweep(model, queryset, due_field: str, code: str, recipients, history) -> int:
    system, given, today = system_user(), 0, timezone.localdate()
    for obj in _one_by_one(queryset.filter(**{f"{due_field}__lt": today})):
        due = getattr(obj, due_field)
        level = f"{due.isoformat()}:overdue"
        if obj.alert_level == level:
            continue
        with transaction.atomic(), set_actor(system):
            if not _advance(model, obj, level, system):
                continue
            notify(event=code, obj=obj, recipients=recipients(obj), level=level)
            if obj.project_id:
                ProjectEvent.objects.create(
                    project_id=obj.project_id, kind=ProjectEventKind.DEADLINE, name=code, actor=system,
                    is_public=False, text=history(obj),
                )
            given += 1
    return given


def sweep_tasks() -> int:
    return _overdue_sweep(
        Task, Task.objects.filter(status__in=TaskStatus.open()).select_related("assignee", "author"), "due_date",
        "task_overdue", lambda t: [t.assignee, t.author if t.author.is_staff else None],
        lambda t: gettext("Просрочена задача «%(title)s» (срок %(date)s)") % {
            "title": t.title, "date": f"{t.due_date:%d.%m.%Y}"},
    )


def sweep_roadmap() -> int:
    return _overdue_sweep(
        RoadmapItem,
        RoadmapItem.objects.exclude(status=RoadmapStatus.DONE).filter(actual_end__isnull=True)
        .select_related("project__personal_manager", "responsible_user"),
        "planned_end", "roadmap_overdue", lambda i: [i.project.personal_manager, i.responsible_user],
        lambda i: gettext("Просрочен пункт дорожной карты «%(title)s» (план %(date)s)") % {
            "title": i.title, "date": f"{i.planned_end:%d.%m.%Y}"},
    )


def sweep_requests() -> int:
    return _overdue_sweep(
        ParticipantRequest,
        ParticipantRequest.objects.filter(status=RequestStatus.SENT).select_related("author", "organisation"),
        "due_date", "request_overdue", lambda r: [*rules.organisation_staff(r.organisation_id), r.author],
        lambda r: gettext("Истёк срок ответа на запрос «%(subject)s» в %(org)s") % {
            "subject": r.subject, "org": r.organisation.short_name},
    )


def deadline_sweep(now: datetime | None = None) -> dict[str, int]:
    """One pass over everything with a deadline. Safe to run as often and on as many workers as you like."""
    return {
        "appeals": sweep_appeals(now),
        "tasks": sweep_tasks(),
        "roadmap": sweep_roadmap(),
        "requests": sweep_requests(),
    }


# --- the head's daily digest -------------------------------------------------------------------------------
def digest_for(head: User, today: date) -> dict[str, list]:
    """The overdue and due-soon items of the head's people (the staff of the head's organisation)."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    people = User.objects.filter(organisation_id=head.organisation_id, is_active=True, is_staff=True)
    appeals = list(
        Appeal.objects.filter(status__in=AppealStatus.open(), is_legacy=False, deadline__lte=soon)
        .filter(Q(manager__in=people) | Q(manager__isnull=True, executor_organisation_id=head.organisation_id))
        .select_related("manager").order_by("deadline", "number")
    )
    tasks = list(
        Task.objects.filter(status__in=TaskStatus.open(), due_date__lte=soon, assignee__in=people)
        .select_related("assignee", "project").order_by("due_date", "pk")
    )
    requests = list(
        ParticipantRequest.objects.filter(status=RequestStatus.SENT, due_date__lte=soon,
                                          organisation_id=head.organisation_id)
        .select_related("project").order_by("due_date", "pk")
    )
    roadmap = list(
        RoadmapItem.objects.exclude(status=RoadmapStatus.DONE)
        .filter(actual_end__isnull=True, planned_end__lte=soon, project__personal_manager__in=people)
        .select_related("project", "project__personal_manager").order_by("planned_end", "pk")
    )
    return {"appeals": appeals, "tasks": tasks, "requests": requests, "roadmap": roadmap}


def head_digest(today: date | None = None) -> int:
    """Send each head the day's digest once (the day is the outbox level); a head with nothing due gets none."""
    today = today or timezone.localdate()
    heads = User.objects.filter(
        is_active=True, is_staff=True, organisation__isnull=False, groups__name=Role.HEAD.group_name
    ).distinct()
    sent = 0
    for head in heads:
        items = digest_for(head, today)
        if not any(items.values()):
            continue
        with transaction.atomic():
            rows = notify(event="head_digest", obj=head, recipients=[head], level=today.isoformat(),
                          context={"today": today, "items": items,
                                   "overdue_appeals": [a for a in items["appeals"] if a.deadline < today]})
        sent += bool(rows)
    return sent
