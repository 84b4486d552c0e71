"""Eighteen months of appeals for the demo, so the dashboard and the reports have something to show.

About 300 appeals, received over the last 18 months, are played through the same doors as real ones: the portal
and staff intake (`appeal_submit`) and `appeal_transition`. Statuses, answer rounds, ratings, redirects to other
bodies, extensions, clarifications, rejections and the history therefore agree with each other exactly as the
product writes them. The people, companies and texts are invented (fixtures/demo/history.json).

Each appeal's life is planned first, as steps with moments (random.Random(SEED): the same demo on every machine
on the same day), then played: a step whose moment is still ahead is not played, so recent appeals stay open on
their own, and a few older ones stall in work and are overdue.

The doors stamp what they write with the real moment. Freezing the clock (time-machine) is a dev dependency and
has no place in production code, so the backfill moves the rows instead: the staff intake takes `received_at`;
a portal appeal gets its filing moment and its deadline (counted again by the door's own `appeal_deadline`)
right after filing; after every step `_Clock.stamp` moves the rows that step wrote (history lines, answer rounds,
outbox rows, the appeal's answered/closed moments) to the step's planned moment with queryset updates. The
forensic audit log (django-auditlog) is off while the history is played: it would record every change as made
today, and the history is invented anyway (the domain history tells its story).

The outbox stays calm: every letter the backfill causes is written as already sent at its moment, no sending task
is queued (`queue_paused`), and in-app notices older than a week are read. Otherwise `make run`'s worker would
«send» thousands of letters about events of last year. At the end the real deadline sweep runs once over the
open appeals, so the overdue ones carry their warning line and `alert_level` (moved to 9:00 the day after their
deadline, or left at the sweep's moment if that morning is still to come) and the first sweep of `make run` finds
nothing to say about them.
"""

import copy
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from auditlog.context import disable_auditlog
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.test.utils import override_settings
from django.utils import timezone

from core.choices import AppealChannel, AppealEventKind, AppealStatus
from core.models import (
    Appeal,
    AppealAnswer,
    AppealEscalation,
    AppealEvent,
    Fact,
    Notification,
    Organisation,
    Project,
    User,
)
from core.models.notifications import Channel, OutboxStatus
from core.roles import Role
from core.search.index import search_index_paused, search_index_rebuild
from core.selectors.visibility import user_roles
from core.services.deadlines import appeal_next_alert_at, sweep_appeals
from core.services.demo import (
    _organisations_by_key,
    demo_answers_load,
    demo_appeals_load,
    demo_dir,
    demo_load,
    demo_people_load,
    demo_projects_load,
)
from core.services.queue import queue_paused
from core.workflows.appeals import appeal_deadline, appeal_submit, appeal_transition

SEED = 20_261_012  # fixed: the same demo on every machine
APPEALS = 300
DAYS = 548  # eighteen months
READ_AFTER = timedelta(days=7)  # in-app notices older than this were read long ago
S = AppealStatus
STAFF_CHANNELS = [AppealChannel.PHONE, AppealChannel.EMAIL, AppealChannel.LETTER, AppealChannel.VISIT,
                  AppealChannel.POS, AppealChannel.EVENT]
STAFF_CHANNEL_WEIGHTS = [30, 25, 20, 12, 8, 5]
RATINGS, RATING_WEIGHTS = [5, 4, 3, 2, 1], [48, 26, 12, 8, 6]
# where an appeal may wait (most recent appeals, and a few old ones, overdue)
STALLS = [S.MODERATION, S.ASSIGNED, S.REDIRECTED, S.IN_WORK, S.CLARIFICATION, S.APPROVAL]
OUTCOMES, OUTCOME_WEIGHTS = [S.RESOLVED, S.NOT_RESOLVED, S.POSTPONED, S.DECLINED], [80, 9, 6, 5]


def _history() -> dict:
    return json.loads((demo_dir() / "history.json").read_text(encoding="utf-8"))


@dataclass
class _Step:
    at: datetime
    name: str
    actor: User
    data: Any = field(default_factory=dict)  # a dict, or a function of the appeal (for the moved deadline)


@dataclass
class _Plan:
    received_at: datetime
    company: Organisation
    channel: str
    fact: Fact
    subject: str
    description: str
    project: Project | None
    registered_at: datetime  # when staff typed it in (the portal: the filing moment itself)
    registrar: User  # who typed it in (unused for the portal)
    steps: list[_Step]


class _Clock:
    """Moves what the doors wrote «now» to the moments the steps were planned for (see the module's docstring).

    While one appeal is played the real clock only grows, so the rows a step wrote carry a real moment between
    that step's start and the next one's: `mark` notes each step's real start with its planned moment before it
    runs, and `settle` maps each real interval to its planned moment — one UPDATE per table per appeal."""

    def __init__(self) -> None:
        self.started = timezone.now()
        self.read_before = self.started - READ_AFTER
        self.marks: list[tuple[datetime, datetime]] = []  # (real start of a step, its planned moment)

    def mark(self, moment: datetime) -> None:
        self.marks.append((timezone.now(), moment))

    def _moved(self, column: str) -> tuple[str, list]:
        """SQL moving `column` from its real interval to the planned moment (NULL and older values stay)."""
        name, ops = connection.ops.quote_name(column), connection.ops
        whens, params = [], []
        for real, planned in reversed(self.marks):
            whens.append(f"WHEN {name} >= %s THEN %s")
            params += [ops.adapt_datetimefield_value(real), ops.adapt_datetimefield_value(planned)]
        return f"CASE {' '.join(whens)} ELSE {name} END", params

    def _read_at(self) -> tuple[str, list]:
        """In-app notices older than a week were read back then; letters have no reading moment."""
        whens, params = [], []
        for real, planned in reversed(self.marks):
            whens.append("WHEN channel = %s AND created_at >= %s THEN %s")
            params += [Channel.SITE, connection.ops.adapt_datetimefield_value(real),
                       connection.ops.adapt_datetimefield_value(planned) if planned < self.read_before else None]
        return f"CASE {' '.join(whens)} ELSE read_at END", params  # (the column gives PostgreSQL the type)

    def _update(self, model, columns: dict[str, tuple[str, list]], where: str, where_params: list) -> None:
        """Raw SQL on purpose: the same CASE built with Django expressions costs ~20 ms of compiling per appeal,
        a quarter of the whole history's time budget. Table and column names come from the models."""
        sets = ", ".join(f"{connection.ops.quote_name(column)} = {sql}" for column, (sql, _) in columns.items())
        params = [param for _, values in columns.values() for param in values]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {sets} WHERE {where}",
                           [*params, *where_params])

    def refile(self, appeal: Appeal, plan: _Plan) -> None:
        """The intake wrote the moment of loading: move the filing to the planned one before the next step. A portal
        appeal's deadline was counted from today: count it again from the day it was received, and put that date
        into the texts the door wrote with the other one (its history line and its notices)."""
        fields = {"created_at": plan.registered_at, "received_at": plan.received_at}
        if appeal.channel == AppealChannel.PORTAL:
            deadline = appeal_deadline(fact=plan.fact, start=timezone.localdate(plan.received_at))
            fields["deadline"] = deadline
            old, new = f"{appeal.deadline:%d.%m.%Y}", f"{deadline:%d.%m.%Y}"
            AppealEvent.objects.filter(appeal=appeal).update(text=Replace("text", Value(old), Value(new)))
            Notification.objects.filter(created_at__gte=self.marks[0][0]).update(**{
                column: Replace(column, Value(old), Value(new)) for column in ("subject", "body_text", "body_html")
            })
        moved = copy.copy(appeal)  # the deadline sweep's next moment counts from the moved receipt and deadline
        for name, value in fields.items():
            setattr(moved, name, value)
        fields["next_alert_at"] = appeal_next_alert_at(moved)
        Appeal.objects.filter(pk=appeal.pk).update(**fields)

    def settle(self, appeal: Appeal) -> None:
        moved = self._moved("created_at")
        first = connection.ops.adapt_datetimefield_value(self.marks[0][0])
        self._update(AppealEvent, {"created_at": moved}, "appeal_id = %s", [appeal.pk])
        # every letter of the demo's past went out at its moment (see the module docstring)
        self._update(Notification, {"created_at": moved, "next_attempt_at": moved, "sent_at": moved,
                                    "status": ("%s", [OutboxStatus.SENT]), "read_at": self._read_at()},
                     "created_at >= %s", [first])
        last = connection.ops.adapt_datetimefield_value(self.marks[-1][1])
        self._update(Appeal, {"updated_at": ("%s", [last]), **{
            column: self._moved(column) for column in ("answered_at", "closed_at", "executor_approved_at")}},
            "id = %s", [appeal.pk])
        self._update(AppealAnswer, {column: self._moved(column) for column in ("approved_at", "rated_at",
                                                                                "sent_back_at")},
                     "appeal_id = %s", [appeal.pk])
        self._update(AppealEscalation, {"created_at": moved}, "appeal_id = %s", [appeal.pk])
        self.marks = []


def _at_work(moment: datetime, rng: random.Random) -> datetime:
    """Staff act on working days between 9:00 and 18:00 (Moscow): a moment outside is moved to the next morning."""
    local = timezone.localtime(moment)
    if local.weekday() < 5 and 9 <= local.hour < 18:
        return moment
    day = local.date() + timedelta(days=1 if local.hour >= 18 or local.weekday() >= 5 else 0)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(9, rng.randrange(0, 60, 5))))


class _Planner:
    """Draws the appeals' lives: who files what when, who routes, answers, approves, rates and closes."""

    def __init__(self, rng: random.Random, cast: "_Cast", now: datetime) -> None:
        self.rng, self.cast, self.now = rng, cast, now
        self.texts = cast.history["texts"]
        self.stalls = 0
        self.redirected_to: set[str] = set()  # the bodies some appeal went to so far

    def after(self, moment: datetime, low_hours: float, high_hours: float, *, staff: bool = True) -> datetime:
        moment = moment + timedelta(hours=self.rng.uniform(low_hours, high_hours))
        return _at_work(moment, self.rng) if staff else moment

    def received(self) -> datetime:
        # more appeals in recent months (the portal grows), every day of the eighteen months possible
        days_ago = int(DAYS * self.rng.random() ** 1.35)
        day = timezone.localdate(self.now) - timedelta(days=days_ago)
        if day.weekday() >= 5 and self.rng.random() < 0.8:
            day -= timedelta(days=day.weekday() - 4)
        moment = timezone.make_aware(datetime.combine(day, time(self.rng.randrange(8, 20), self.rng.randrange(60))))
        return min(moment, self.now - timedelta(hours=self.rng.uniform(1, 6)))

    def plan(self) -> _Plan:
        rng, cast = self.rng, self.cast
        company = rng.choice(cast.companies)
        investor = cast.investors.get(company.pk)
        channel = AppealChannel.PORTAL if investor and rng.random() < 0.75 else rng.choices(
            STAFF_CHANNELS, STAFF_CHANNEL_WEIGHTS)[0]
        fact = rng.choice(cast.facts)
        subject, description = rng.choice(cast.history["facts"][fact.code]["subjects"])
        received = self.received()
        registered = received if channel == AppealChannel.PORTAL else min(
            self.after(received, 0.3, 20), self.now - timedelta(minutes=30))
        registered = max(registered, received)
        projects = [p for p in cast.projects.get(company.pk, []) if p.submitted_at <= received]
        project = rng.choice(projects) if projects and rng.random() < 0.4 else None
        registrar = rng.choice([*cast.coordinators, *cast.managers])
        plan = _Plan(received, company, channel, fact, subject, description, project, registered, registrar, [])
        stalls = self.stalls
        plan.steps = self.life(plan, investor)
        if self.stalls != stalls and plan.steps and plan.steps[-1].at > self.now:
            # the step that would leave it waiting there lies ahead (a night's appeal is handled in the morning),
            # so the appeal would wait one status earlier: the next appeal takes this turn, and every open status
            # is in the demo whatever the hour of the seed
            self.stalls = stalls
        return plan

    def stall(self, investor: User | None) -> str:
        """Where the next waiting appeal waits: each of STALLS in turn, so every open status is there. Only a company
        with portal users can be asked for a clarification: the turn waits for one."""
        stall = STALLS[self.stalls % len(STALLS)]
        if stall == S.CLARIFICATION and investor is None:
            return S.IN_WORK
        self.stalls += 1
        return stall

    def life(self, plan: _Plan, investor: User | None) -> list[_Step]:
        """The steps of one appeal from filing to closing (or to where it stalls: most recent appeals and a few old
        ones wait in some open status, the old ones overdue)."""
        rng, cast, texts = self.rng, self.cast, self.texts
        steps: list[_Step] = []
        coordinator = rng.choice(cast.coordinators)
        # most recent appeals wait somewhere; a few of the last four months were forgotten and are overdue
        age = self.now - plan.received_at
        chance = 0.3 if age < timedelta(days=40) else 0.08 if age < timedelta(days=120) else 0
        stall = self.stall(investor) if rng.random() < chance else None

        def add(name: str, actor: User, low: float, high: float, data: Any = None, *, staff: bool = True) -> None:
            last = steps[-1].at if steps else plan.registered_at
            steps.append(_Step(self.after(last, low, high, staff=staff), name, actor, data or {}))

        if stall is None and rng.random() < 0.06:  # an appeal meant to wait somewhere is not rejected first
            add("reject", coordinator, 0.5, 20, {"reason": rng.choice(texts["reject"])})
            return steps
        if plan.channel == AppealChannel.PORTAL and rng.random() < 0.06:
            add("correct", coordinator, 0.2, 4, {
                "subject": plan.subject, "description": f"{plan.description} (Уточнено со слов инвестора по телефону.)",
                "comment": "Дополнил описание после звонка инвестору."})
        if stall == S.MODERATION:
            return steps
        manager = rng.choice(cast.managers)
        add("assign", coordinator, 0.2, 6, {"executor_organisation": cast.agency, "manager": manager,
                                           "head": cast.agency_head})
        if stall == S.ASSIGNED:
            return steps
        add("take_into_work", manager, 0.2, 8)
        worker, body = manager, cast.agency
        if rng.random() < 0.05:  # the same type of appeal, so the same period
            other = rng.choice([f for f in cast.facts if f.appeal_type_id == plan.fact.appeal_type_id
                                and f.pk != plan.fact.pk])
            add("reclassify", manager, 1, 6, {"fact": other, "comment": "Уточнили суть вопроса с инвестором."})
        if stall == S.REDIRECTED or rng.random() < 0.35:
            # a body of the fact's that no appeal went to yet comes first, so every body is in the demo (the two
            # networks' and federal bodies are the bodies of a few facts only) whatever the hour of the seed
            bodies = cast.history["facts"][plan.fact.code]["bodies"]
            key = rng.choice([key for key in bodies if key not in self.redirected_to] or bodies)
            self.redirected_to.add(key)
            body = cast.organisations[key]
            named = rng.choice(cast.executors[body.pk]) if rng.random() < 0.5 else None
            add("redirect", manager, 1, 8, {"executor_organisation": body, "manager": named,
                                            "comment": rng.choice(texts["redirect"])})
            if stall == S.REDIRECTED:
                return steps
            worker = named or rng.choice(cast.executors[body.pk])
            add("take_into_work", worker, 1, 12)
        if investor and (stall == S.CLARIFICATION or rng.random() < 0.1):
            add("request_clarification", worker, 1, 24, {"comment": rng.choice(texts["clarify"])})
            if stall == S.CLARIFICATION:
                return steps
            add("provide_clarification", investor, 4, 48, {"comment": rng.choice(texts["clarified"])}, staff=False)
        deadline = appeal_deadline(fact=plan.fact, start=timezone.localdate(plan.received_at))
        due = timezone.make_aware(datetime.combine(deadline, time(17)))
        extended = rng.random() < 0.08
        if extended:
            days = rng.randint(5, 12)
            add("extend_deadline", coordinator, 2, 24, lambda appeal, days=days: {
                "new_deadline": appeal.deadline + timedelta(days=days), "reason": rng.choice(texts["extend"])})
            due += timedelta(days=days)
        if stall in {S.IN_WORK, S.CLARIFICATION}:
            return steps
        late = not extended and rng.random() < 0.12
        answer_at = due + timedelta(days=rng.uniform(1, 9)) if late else (
            plan.received_at + (due - plan.received_at) * rng.uniform(0.3, 0.7))
        self.answer(steps, plan, worker, body, max(answer_at, steps[-1].at + timedelta(hours=2)))
        if stall == S.APPROVAL:
            del steps[next(i for i, step in enumerate(steps) if step.name == "approve"):]
            return steps
        if investor and rng.random() < 0.16:  # the investor sends the answer back for rework
            rating = rng.choice([1, 2, 3])
            add("rate", investor, 2, 72, {"rating": rating, "comment": rng.choice(texts["rating"][str(rating)])},
                staff=False)
            add("send_back_for_rework", investor, 0.1, 4, {"reason": rng.choice(texts["rework"])}, staff=False)
            self.answer(steps, plan, worker, body, self.after(steps[-1].at, 24, 96))
        if investor and rng.random() < 0.82:
            rating = rng.choices(RATINGS, RATING_WEIGHTS)[0]
            add("rate", investor, 2, 96, {"rating": rating, "comment": rng.choice(texts["rating"][str(rating)])},
                staff=False)
        if rng.random() < 0.93:
            outcome = rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
            add("close", coordinator, 4, 96, {"outcome": outcome,
                                              "comment": texts["close_comment"].get(outcome, "")})
            if outcome == S.NOT_RESOLVED and rng.random() < 0.5:  # taken to the working group (МРГ)
                add("escalate", cast.agency_head, 24 * 7, 24 * 20, {"decision": rng.choice(texts["mrg"])})
                session = timezone.localdate(steps[-1].at)
                steps[-1].data.update(session_date=session, follow_up_deadline=session + timedelta(days=14))
        return steps

    def answer(self, steps: list[_Step], plan: _Plan, worker: User, body: Organisation, at: datetime) -> None:
        rng, cast = self.rng, self.cast
        text = rng.choice(cast.history["facts"][plan.fact.code]["answers"])
        at = _at_work(at, rng)
        steps.append(_Step(at, "submit_for_approval", worker, {"answer_text": text}))
        approvers = [*cast.body_heads.get(body.pk, [])[:1], cast.agency_head] if body.approves_own_answers else [
            cast.agency_head]
        if rng.random() < 0.07:  # the head whose turn it is returns the draft once (a body that approves its own
            at = self.after(at, 1, 8)  # answers first: the agency's head may not until that body has approved)
            steps.append(_Step(at, "return_to_executor", approvers[0],
                               {"comment": rng.choice(self.texts["return"])}))
            at = self.after(at, 4, 30)
            steps.append(_Step(at, "submit_for_approval", worker, {"answer_text": f"{text} Ответственный и срок "
                                                                   "исполнения указаны в приложении."}))
        for approver in approvers:
            at = self.after(at, 0.5, 6)
            steps.append(_Step(at, "approve", approver))


class _Cast:
    """The people, companies, facts and projects the appeals are drawn from."""

    def __init__(self, history: dict, organisations: dict[str, Organisation]) -> None:
        self.history = history
        users = list(User.objects.filter(email__endswith="@zk.example").select_related("organisation"))
        by_email = {user.email: user for user in users}
        self.organisations = organisations
        self.agency = organisations["agency"]
        self.agency_head = by_email["head@zk.example"]
        self.coordinators = [by_email["coordinator@zk.example"], by_email["coordinator2@zk.example"]]
        self.managers = [by_email[f"{name}@zk.example"] for name in ("manager", "manager2", "manager3")]
        self.companies = [org for org in organisations.values() if org.kind == "investor"]
        self.investors = {user.organisation_id: user for user in users
                          if user.organisation and user.organisation.kind == "investor"}
        staff = [u for u in users if u.is_staff and u.organisation and u.organisation.kind != "agency"]
        self.executors: dict[int, list[User]] = {}
        self.body_heads: dict[int, list[User]] = {}
        for user in staff:
            roles = user_roles(user)
            if Role.HEAD in roles:
                self.body_heads.setdefault(user.organisation_id, []).append(user)
            elif Role.EXECUTOR in roles:
                self.executors.setdefault(user.organisation_id, []).append(user)
        for body_pk, heads in self.body_heads.items():  # a body without a specialist: its head takes the work
            self.executors.setdefault(body_pk, heads)
        self.facts = list(Fact.objects.filter(code__in=history["facts"]).select_related("appeal_type").order_by("code"))
        self.projects: dict[int, list[Project]] = {}
        for project in Project.objects.filter(investor__in=self.companies).order_by("pk"):
            self.projects.setdefault(project.investor_id, []).append(project)


def _contact(cast: _Cast, company: Organisation) -> dict:
    name, email, phone = cast.history["contacts"][_key(cast, company)]
    return {"contact_name": name, "contact_email": email, "contact_phone": phone}


def _key(cast: _Cast, company: Organisation) -> str:
    return next(key for key, org in cast.organisations.items() if org.pk == company.pk)


def _file(plan: _Plan, cast: _Cast) -> Appeal:
    common = {"fact": plan.fact, "subject": plan.subject, "description": plan.description, "project": plan.project}
    if plan.channel == AppealChannel.PORTAL:
        return appeal_submit(applicant=cast.investors[plan.company.pk], **common)
    return appeal_submit(actor=plan.registrar, organisation=plan.company, channel=plan.channel,
                         received_at=plan.received_at, **_contact(cast, plan.company), **common)


def _play(plan: _Plan, cast: _Cast, clock: _Clock, now: datetime) -> Appeal:
    clock.mark(plan.registered_at)
    appeal = _file(plan, cast)
    clock.refile(appeal, plan)
    for step in plan.steps:
        if step.at > now:
            break
        data = step.data(appeal) if callable(step.data) else step.data
        clock.mark(step.at)
        appeal = appeal_transition(appeal=appeal, name=step.name, actor=step.actor, **data)
    clock.settle(appeal)
    return appeal


def _settle_sweep(clock: _Clock) -> None:
    """The real sweep warns the open appeals; an overdue one was warned the morning after its deadline, or now if
    that morning has not come yet (a seed run between midnight and 9:00 the day after a deadline)."""
    sweep_appeals()
    swept = timezone.now()
    warned = AppealEvent.objects.filter(kind=AppealEventKind.DEADLINE_WARNING, created_at__gte=clock.started)
    for event in warned.select_related("appeal"):
        morning = timezone.make_aware(datetime.combine(event.appeal.deadline + timedelta(days=1), time(9)))
        moment = min(morning, swept)
        AppealEvent.objects.filter(pk=event.pk).update(created_at=moment)
        notices = Notification.objects.filter(created_at__gte=clock.started, object_kind="appeal",
                                              object_id=event.appeal_id, event="appeal_overdue")
        if moment < clock.read_before:  # (first: the next update moves them out of `notices`)
            notices.filter(channel=Channel.SITE).update(read_at=moment)
        notices.update(created_at=moment, next_attempt_at=moment, sent_at=moment, status=OutboxStatus.SENT)
    Notification.objects.filter(created_at__gte=clock.started, channel=Channel.EMAIL).update(
        status=OutboxStatus.SENT, sent_at=F("created_at"))


@transaction.atomic
def demo_history_load() -> dict[str, int]:
    """About 300 appeals over the last eighteen months (see the module docstring), with the bodies, people and
    companies they need. Runs once: if the history's own companies already have appeals, no appeal is added.
    Returns the numbers of organisations and people in the history's fixture and of appeals added."""
    history = _history()
    organisations = demo_people_load(history["organisations"], history["users"])
    loaded = {"organisations": len(history["organisations"]),
              "users": len(history["users"]), "history": 0}
    own = [org for org in organisations.values() if org.kind == "investor"]
    if Appeal.objects.filter(organisation__in=own).exists():
        return loaded
    everyone = {**_organisations_by_key(), **organisations}
    cast = _Cast(history, everyone)
    rng = random.Random(SEED)
    clock = _Clock()
    now = clock.started
    planner = _Planner(rng, cast, now)
    plans = sorted((planner.plan() for _ in range(APPEALS)), key=lambda plan: plan.received_at)
    with disable_auditlog():  # see the module docstring: the forensic log would say it all happened today
        for plan in plans:
            _play(plan, cast, clock, now)
    _settle_sweep(clock)
    return {**loaded, "history": len(plans)}


def demo_seed(*, history: bool = True) -> dict[str, int]:
    """Everything `manage.py seed_demo` loads: the people, the named appeals, the projects and, unless told not to,
    the eighteen months of appeals. Nothing is queued: the demo's letters are written as sent (see above)."""
    started = timezone.now()
    # DEBUG (which the command requires) makes every cursor record its SQL; thousands of door steps do not need it.
    # the search index is written once at the end, not after each of the doors' thousands of commits
    with queue_paused(), override_settings(DEBUG=False), search_index_paused():
        counts = demo_load()
        counts["appeals"] = demo_appeals_load()
        counts["projects"] = demo_projects_load()
        counts["answers"] = demo_answers_load()
        more = demo_history_load() if history else {"organisations": 0, "users": 0, "history": 0}
    search_index_rebuild()
    counts = {**counts, "history": more["history"], "organisations": counts["organisations"] + more["organisations"],
              "users": counts["users"] + more["users"]}
    # the named appeals' and the projects' letters too: the demo world's letters went out when it happened
    Notification.objects.filter(channel=Channel.EMAIL, status=OutboxStatus.PENDING, created_at__gte=started).update(
        status=OutboxStatus.SENT, sent_at=F("created_at"))
    _demo_notices_read()
    return counts


DEMO_UNREAD = 5  # the newest notices each demo person has not read yet


def _demo_notices_read() -> None:
    """The demo is a working agency, whose people read their notices as they came: each person's notices in the
    system are marked read, except the newest DEMO_UNREAD (a new investor's bell showed 36 at the first login)."""
    unread = Notification.objects.filter(channel=Channel.SITE, read_at__isnull=True)
    for recipient in unread.order_by().values_list("recipient_id", flat=True).distinct():
        theirs = unread.filter(recipient_id=recipient)
        newest = list(theirs.order_by("-created_at", "-pk").values_list("pk", flat=True)[:DEMO_UNREAD])
        theirs.exclude(pk__in=newest).update(read_at=F("created_at"))

