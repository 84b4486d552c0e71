"""Project reports: staff workload, the project pool and the CRM audit (with its weekly random sample).

Every report starts from the visibility selectors (core.selectors.visibility), aggregates in SQL and runs a
constant number of queries whatever the data size. The exact definition of every column is in
docs/reports.md.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import AppealStatus, MeetingStatus, OrganisationKind, ProjectStage, TaskStatus
from core.models import District, Industry, LandPlot, Meeting, Project, ProjectEvent, RoadmapItem, User
from core.reports.registry import ReportParams
from core.reports.table import DATE, DECIMAL, FULL_TREE_ROWS, INT, MONEY, TEXT, Column, Row, Table
from core.roles import Role
from core.selectors.visibility import (
    appeals_visible_to,
    meetings_visible_to,
    projects_visible_to,
    sees_all_projects,
    tasks_visible_to,
    users_visible_to,
)

P = ProjectStage
STAGE_LABELS = dict(P.choices)
STAGE_ORDER = {value: index for index, value in enumerate(P.values)}


def _person_name(last: str | None, first: str | None, middle: str | None, email: str | None) -> str:
    return " ".join(part for part in (last, first, middle) if part) or (email or "")


def _project_link(pk: int) -> str:
    return reverse("admin:core_project_change", args=[pk])


def _today(params: ReportParams) -> date:
    return params.today or timezone.localdate()


# --------------------------------------------------------------------------------------------------------------
# 1. Staff workload


def _month_bounds(today: date) -> tuple[datetime, datetime]:
    """The first instant of today's month and of the next one, in Moscow time (the default time zone)."""
    first = today.replace(day=1)
    following = (first.replace(year=first.year + 1, month=1) if first.month == 12
                 else first.replace(month=first.month + 1))
    zone = timezone.get_default_timezone()
    return (timezone.make_aware(datetime.combine(first, time.min), zone),
            timezone.make_aware(datetime.combine(following, time.min), zone))


def _agency_managers(user: User) -> QuerySet[User]:
    """The roster shown even with zeros: active users with the manager role in the agency — all of them for
    those who see the whole pool, otherwise only the viewer themself."""
    roster = users_visible_to(user).filter(
        is_active=True, organisation__kind=OrganisationKind.AGENCY, groups__name=Role.MANAGER.group_name
    )
    return roster if sees_all_projects(user) else roster.filter(pk=user.pk)


def _open_appeals_by_person(user: User, today: date) -> tuple[dict[int, tuple[int, int]], dict[int, dict],
                                                               tuple[int, int]]:
    """Open and overdue appeals per person who answers for them: the manager, or — for an appeal its executor
    body has not yet given to a person (after a redirect, seed #737) — that body's head. One GROUP BY, plus one
    query for the heads when there are such appeals. Returns (person pk → counts; a body without a head → its
    name and counts, shown as a row of its own; the counts of the appeals still in moderation)."""
    from core.reports.appeals import executor_heads

    in_moderation = Q(status=AppealStatus.MODERATION)
    # The group key is manager_id + 0, not the bare column: grouping by an indexed column lets SQLite's planner walk
    # that index over every appeal (1 s at 100 000) instead of finding the open ones by status (13 ms).
    person = ExpressionWrapper(F("manager_id") + 0, output_field=IntegerField())
    rows = list(
        appeals_visible_to(user).filter(status__in=AppealStatus.open()).order_by()
        .values(person=person, waiting=Case(When(Q(manager__isnull=True) & ~in_moderation,
                                                 then=F("executor_organisation_id")), output_field=IntegerField()))
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
    )
    heads = executor_heads(row["waiting"] for row in rows if row["person"] is None)
    people: dict[int, tuple[int, int]] = {}
    bodies: dict[int, dict] = {}
    moderation = (0, 0)
    for row in rows:
        counts = (row["open"], row["overdue"])
        if row["person"] is not None or (row["waiting"] is not None and heads[row["waiting"]]["pk"] is not None):
            pk = row["person"] if row["person"] is not None else heads[row["waiting"]]["pk"]
            people[pk] = _plus(people.get(pk, (0, 0)), counts)
        elif row["waiting"] is not None:
            body = bodies.setdefault(row["waiting"], {"short_name": heads[row["waiting"]]["short_name"],
                                                      "appeals": (0, 0)})
            body["appeals"] = _plus(body["appeals"], counts)
        else:  # in moderation: nobody was given it yet
            moderation = _plus(moderation, counts)
    return people, bodies, moderation


def _month_meetings_by_person(user: User, today: date) -> dict[int, int]:
    """How many of this month's meetings the viewer sees (not cancelled) belong to each person: those of the
    projects they manage and those they take part in, a meeting once per person. One query of the month's
    meetings with their project's manager and each participant (a few hundred rows), counted here: a count per
    person in SQL (a correlated subquery) made PostgreSQL match the month's meetings against every person in turn
    (0.5 s for 122 people at 100 000 appeals)."""
    month_start, month_end = _month_bounds(today)
    this_month = Q(starts_at__gte=month_start, starts_at__lt=month_end)
    visible = meetings_visible_to(user).filter(this_month).exclude(status=MeetingStatus.CANCELLED)
    people: dict[int, set[int]] = {}
    rows = (Meeting.objects.filter(this_month, pk__in=visible.values("pk")).order_by()
            .values_list("pk", "project__personal_manager_id", "participants"))
    for meeting, manager, participant in rows:
        for person in (manager, participant):
            if person is not None:
                people.setdefault(person, set()).add(meeting)
    return {person: len(meetings) for person, meetings in people.items()}


def _plus(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def staff_workload(*, user: User, params: ReportParams) -> Table:
    """One row per person: projects by active stage, open and overdue appeals and tasks, this month's meetings.
    An open appeal counts under its manager, or, while its executor body has not given it to a person, under that
    body's head (a row of the body itself when it has no head); appeals still in moderation make a row
    «На модерации». Nothing is counted under «Не назначен».

    Five queries: projects by (manager, stage), appeals by the person answering for them, tasks by assignee, the
    month's meetings with their people, and the people themselves — plus one for the bodies' heads when some
    appeal waits for a person.
    """
    today = _today(params)
    stages = P.active()

    by_stage: dict[int, dict[str, int]] = {}
    project_rows = (
        projects_visible_to(user).filter(stage__in=stages, personal_manager__isnull=False)
        .order_by().values("personal_manager", "stage").annotate(n=Count("pk"))
    )
    for row in project_rows:
        by_stage.setdefault(row["personal_manager"], {})[row["stage"]] = row["n"]

    appeals, bodies, moderation = _open_appeals_by_person(user, today)
    tasks: dict[int, tuple[int, int]] = {
        row["assignee"]: (row["open"], row["overdue"])
        for row in tasks_visible_to(user).filter(status__in=TaskStatus.open())
        .order_by().values("assignee")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    }

    meetings = _month_meetings_by_person(user, today)
    ids = set(by_stage) | set(appeals) | set(tasks)  # the bodies' heads are among the appeals' people
    people = (
        User.objects.filter(Q(pk__in=ids) | Q(pk__in=_agency_managers(user).values("pk")))
        .order_by("last_name", "first_name", "middle_name", "pk")
        .values("pk", "last_name", "first_name", "middle_name", "email", "organisation__short_name")
    )

    rows = []
    for person in people:
        pk = person["pk"]
        counts = [by_stage.get(pk, {}).get(stage, 0) for stage in stages]
        rows.append(Row((
            _person_name(person["last_name"], person["first_name"], person["middle_name"], person["email"]),
            person["organisation__short_name"] or "",
            *counts,
            sum(counts),
            *appeals.get(pk, (0, 0)),
            *tasks.get(pk, (0, 0)),
            meetings.get(pk, 0),
        ), kind="person"))

    no_projects = [0] * (len(stages) + 1)
    for body in sorted(bodies.values(), key=lambda body: body["short_name"] or ""):
        rows.append(Row((body["short_name"] or "", body["short_name"] or "", *no_projects, *body["appeals"], 0, 0,
                         0), kind="organisation"))
    if moderation[0]:
        rows.append(Row((gettext("На модерации"), "", *no_projects, *moderation, 0, 0, 0), kind="moderation"))

    columns = [
        Column("person", gettext("Сотрудник"), TEXT),
        Column("organisation", gettext("Организация"), TEXT),
        *(Column(f"stage_{stage}", str(STAGE_LABELS[stage]), INT) for stage in stages),
        Column("projects", gettext("Проектов всего"), INT),
        Column("appeals_open", gettext("Открытых обращений"), INT),
        Column("appeals_overdue", gettext("Просроченных обращений"), INT),
        Column("tasks_open", gettext("Открытых задач"), INT),
        Column("tasks_overdue", gettext("Просроченных задач"), INT),
        Column("meetings_month", gettext("Встреч в этом месяце"), INT),
    ]
    numbers = len(columns) - 2
    total = Row((gettext("Итого"), "", *(sum(r.values[2 + i] for r in rows) for i in range(numbers))), kind="total")
    # the meetings total counts a meeting once per person it belongs to (two managers' meeting counts twice)
    return Table(
        slug="staff-workload", title=gettext("Загрузка сотрудников"), columns=columns, rows=rows, total=total,
        meta=[(gettext("Дата"), f"{today:%d.%m.%Y}"), (gettext("Месяц встреч"), f"{today:%m.%Y}")],
    )


# --------------------------------------------------------------------------------------------------------------
# 2. Project pool

MONEY_FIELD = DecimalField(max_digits=20, decimal_places=2)


def project_pool(*, user: User, params: ReportParams) -> Table:
    """Projects grouped by district, industry and stage: count, investment, jobs (one GROUP BY query)."""
    projects = projects_visible_to(user)
    meta = []
    if params.district:
        projects = projects.filter(district_id=params.district)
        name = District.objects.filter(pk=params.district).values_list("name", flat=True).first()
        meta.append((gettext("Район"), name or gettext("Не указан")))
    if params.industry:
        projects = projects.filter(industry_id=params.industry)
        name = Industry.objects.filter(pk=params.industry).values_list("name", flat=True).first()
        meta.append((gettext("Отрасль"), name or gettext("Не указана")))
    if params.stage:
        projects = projects.filter(stage=params.stage)
        meta.append((gettext("Этап"), str(STAGE_LABELS.get(params.stage, params.stage))))
    else:
        projects = projects.exclude(stage__in=[P.WITHDRAWN, P.DECLINED])

    groups = (
        projects.order_by()
        .values_list("district_id", "district__name", "district__order", "industry_id", "industry__name",
                     "industry__order", "stage")
        .annotate(
            n=Count("pk"),
            money=Coalesce(Sum("investment_volume"), Value(Decimal("0.00")), output_field=MONEY_FIELD),
            jobs_sum=Coalesce(Sum("jobs"), Value(0), output_field=IntegerField()),
        )
    )
    # A pool of 100 000 appeals' projects has some 1 800 groups: the labels are translated once, not per group.
    stages = {value: str(label) for value, label in P.choices}
    last_stage = len(STAGE_ORDER)

    def order(g: tuple) -> tuple:
        district, district_name, district_order, industry, industry_name, industry_order, stage = g[:7]
        return (district is None, district_order or 0, district_name or "", industry is None, industry_order or 0,
                industry_name or "", STAGE_ORDER.get(stage, last_stage))

    unknown = gettext("Не указан")
    rows = [
        Row((g[1] or unknown, g[4] or unknown, stages.get(g[6], g[6]), g[7], g[8], g[9]))
        for g in sorted(groups, key=order)
    ]
    total = Row((
        gettext("Итого"), "", "",
        sum(r.values[3] for r in rows),
        sum((r.values[4] for r in rows), Decimal("0.00")),
        sum(r.values[5] for r in rows),
    ), kind="total")
    columns = [
        Column("district", gettext("Район"), TEXT),
        Column("industry", gettext("Отрасль"), TEXT),
        Column("stage", gettext("Этап"), TEXT),
        Column("projects", gettext("Проектов"), INT),
        Column("investment", gettext("Инвестиции, руб."), MONEY),
        Column("jobs", gettext("Рабочих мест"), INT),
    ]
    return Table(slug="project-pool", title=gettext("Пул проектов"), columns=columns, rows=rows, total=total,
                 meta=meta)


# --------------------------------------------------------------------------------------------------------------
# 3. CRM audit
#
# The completeness score of an active project, 0–100:
#   passport: name, description, industry, district, investment volume, jobs, planned start, planned launch and
#             at least one land plot — 5 points each (45);
#   a roadmap with at least one item — 20;
#   a personal manager — 15;
#   activity: the last activity is less than `stale_days` days old — 20.
# A text field counts when it is not blank; a number or date when it is set (0 is a value).
# Last activity = the latest ProjectEvent.created_at of the project, else its submitted_at; days since it =
# params.today − its Moscow date; a project is stale (untouched) when that is ≥ stale_days.

PASSPORT_POINTS = 5
ROADMAP_POINTS = 20
MANAGER_POINTS = 15
ACTIVITY_POINTS = 20

# (annotation, missing text): the passport items in the order of the passport
PASSPORT_ITEMS = (
    ("has_name", _("нет названия")),
    ("has_description", _("нет описания")),
    ("has_industry", _("нет отрасли")),
    ("has_district", _("нет района")),
    ("has_investment", _("нет объёма инвестиций")),
    ("has_jobs", _("нет числа рабочих мест")),
    ("has_planned_start", _("нет даты начала строительства")),
    ("has_planned_launch", _("нет даты ввода в эксплуатацию")),
    ("has_land_plot", _("нет участка")),
)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def audit_queryset(user: User) -> QuerySet[Project]:
    """Active visible projects with everything the score needs, computed in SQL (one query when evaluated)."""
    last_event = (  # MAX over the project's events without a GROUP BY: no rows give one NULL
        ProjectEvent.objects.filter(project=OuterRef("pk")).order_by()
        .annotate(last=Func(F("created_at"), function="MAX", output_field=DateTimeField())).values("last")
    )
    return (
        projects_visible_to(user).filter(stage__in=P.active())
        .annotate(
            last_activity=Coalesce(Subquery(last_event), F("submitted_at")),
            has_roadmap=Exists(RoadmapItem.objects.filter(project=OuterRef("pk"))),
            has_land_plot=Exists(LandPlot.objects.filter(project=OuterRef("pk"))),
            name_len=Length(Trim("name")),
            description_len=Length(Trim("description")),
        )
        .annotate(
            has_name=_flag(Q(name_len__gt=0)),
            has_description=_flag(Q(description_len__gt=0)),
            has_industry=_flag(Q(industry__isnull=False)),
            has_district=_flag(Q(district__isnull=False)),
            has_investment=_flag(Q(investment_volume__isnull=False)),
            has_jobs=_flag(Q(jobs__isnull=False)),
            has_planned_start=_flag(Q(planned_start__isnull=False)),
            has_planned_launch=_flag(Q(planned_launch__isnull=False)),
        )
        .order_by()
        .values(
            "pk", "registry_number", "name", "stage", "last_activity", "has_roadmap",
            *(key for key, _label in PASSPORT_ITEMS),
            "personal_manager_id", "personal_manager__last_name", "personal_manager__first_name",
            "personal_manager__middle_name", "personal_manager__email",
        )
    )


@dataclass(frozen=True)
class Audited:
    pk: int
    title: str
    stage: str
    manager_id: int | None
    manager: str
    score: int
    days: int
    last_date: date
    stale: bool
    missing: str


def _audit(row: dict, *, today: date, stale_days: int) -> Audited:
    last_date = timezone.localdate(row["last_activity"])
    days = (today - last_date).days
    stale = days >= stale_days
    passport = [(bool(row[key]), text) for key, text in PASSPORT_ITEMS]
    has_manager = row["personal_manager_id"] is not None
    score = (
        PASSPORT_POINTS * sum(ok for ok, _label in passport)
        + (ROADMAP_POINTS if row["has_roadmap"] else 0)
        + (MANAGER_POINTS if has_manager else 0)
        + (0 if stale else ACTIVITY_POINTS)
    )
    missing = []
    if not row["has_roadmap"]:
        missing.append(gettext("нет дорожной карты"))
    if stale:
        missing.append(gettext("без изменений %(days)s дн.") % {"days": days})
    if not has_manager:
        missing.append(gettext("нет менеджера"))
    missing += [str(text) for ok, text in passport if not ok]
    manager = _person_name(row["personal_manager__last_name"], row["personal_manager__first_name"],
                           row["personal_manager__middle_name"], row["personal_manager__email"]) if has_manager else ""
    return Audited(
        pk=row["pk"], title=f"{row['registry_number']} {row['name']}".strip(),
        stage=str(STAGE_LABELS.get(row["stage"], row["stage"])), manager_id=row["personal_manager_id"],
        manager=manager, score=score, days=days, last_date=last_date, stale=stale, missing=", ".join(missing),
    )


def _average(scores: list[int]) -> float | None:
    return round(sum(scores) / len(scores), 1) if scores else None


def crm_audit(*, user: User, params: ReportParams) -> Table:
    """Managers (level 0) and their active projects (level 1) with the completeness score and staleness."""
    today, stale_days = _today(params), params.stale_days
    audited = [_audit(row, today=today, stale_days=stale_days) for row in audit_queryset(user)]

    by_manager: dict[int | None, list[Audited]] = {}
    for item in audited:
        by_manager.setdefault(item.manager_id, []).append(item)
    no_manager = gettext("Без менеджера")
    managers = sorted(by_manager, key=lambda m: (m is None, by_manager[m][0].manager.casefold() if m else "", m or 0))

    rows = []
    for manager_id in managers:
        items = sorted(by_manager[manager_id], key=lambda a: (a.score, -a.days, a.title))
        rows.append(Row((
            items[0].manager if manager_id else no_manager, "", len(items), sum(a.stale for a in items),
            _average([a.score for a in items]), None, None, "",
        ), level=0, kind="manager", key=_manager_key(manager_id)))
        rows += [_audit_row(a) for a in items]
    total = Row((gettext("Итого"), "", len(audited), sum(a.stale for a in audited),
                 _average([a.score for a in audited]), None, None, ""), kind="total")
    return _audit_table(rows, total, today=today, stale_days=stale_days)


def _audit_row(a: Audited) -> Row:
    return Row((a.title, a.stage, None, None, a.score, a.days, a.last_date, a.missing), level=1, kind="project",
               link=_project_link(a.pk))


def _audit_table(rows: list[Row], total: Row, *, today: date, stale_days: int) -> Table:
    columns = [
        Column("name", gettext("Менеджер / проект"), TEXT),
        Column("stage", gettext("Этап"), TEXT),
        Column("projects", gettext("Проектов"), INT),
        Column("stale", gettext("Без изменений %(days)s дн. и более") % {"days": stale_days}, INT),
        Column("score", gettext("Полнота, баллов из 100"), DECIMAL),
        Column("days", gettext("Дней без изменений"), INT),
        Column("last_activity", gettext("Последнее изменение"), DATE),
        Column("missing", gettext("Чего не хватает"), TEXT),
    ]
    return Table(
        slug="crm-audit", title=gettext("Аудит ведения CRM"), columns=columns, rows=rows, total=total,
        meta=[(gettext("Дата"), f"{today:%d.%m.%Y}"), (gettext("Не обновлялся"), f"{stale_days} дн.")],
        note=gettext("Полнота: паспорт (название, описание, отрасль, район, объём инвестиций, рабочие места, "
                     "даты начала строительства и ввода, земельный участок) — по 5 баллов, дорожная карта — 20, "
                     "персональный менеджер — 15, изменения за последние %(days)s дн. — 20.") % {"days": stale_days},
    )


def _stale_before(today: date, stale_days: int) -> datetime:
    """A project is stale when its last activity is before this instant: its Moscow date is at least
    `stale_days` days before `today` — the first instant of the day after (today − stale_days), in Moscow."""
    day = today - timedelta(days=stale_days - 1)
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _points(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _score_sql(stale_before: datetime) -> tuple[Case, Case]:
    """The completeness score without its activity points, and the stale flag (1 / 0), of a project of
    audit_queryset, as SQL — the same definition as _audit computes row by row. The activity points are
    ACTIVITY_POINTS × (projects − stale ones) of a group: the last activity (a correlated MAX over the project's
    events) is then computed once per project, not once for the flag and again for the score."""
    passport = [Q(**{key: True}) for key, _label in PASSPORT_ITEMS]
    score = sum(
        (_points(condition, PASSPORT_POINTS) for condition in passport),
        _points(Q(has_roadmap=True), ROADMAP_POINTS) + _points(Q(personal_manager__isnull=False), MANAGER_POINTS),
    )
    return score, _points(Q(last_activity__lt=stale_before), 1)


def _manager_key(manager_id: int | None) -> str:
    return f"m{manager_id}" if manager_id is not None else "none"


def crm_audit_page(*, user: User, params: ReportParams, open: frozenset[str] | None) -> Table:
    """The CRM audit as its page shows it: a manager row per manager aggregated in SQL (one GROUP BY), and the
    projects only of the managers whose key is in `open` (one more query; every manager when `open` is None and
    there are at most FULL_TREE_ROWS projects). The figures are those of crm_audit, which the files use."""
    today, stale_days = _today(params), params.stale_days
    score, stale = _score_sql(_stale_before(today, stale_days))
    names = ("personal_manager__last_name", "personal_manager__first_name", "personal_manager__middle_name",
             "personal_manager__email")
    groups = list(
        audit_queryset(user).values("personal_manager_id", *names)
        .annotate(projects=Count("pk"), stale_n=Sum(stale), score_sum=Sum(score)).order_by()
    )
    for group in groups:
        group["score_sum"] += ACTIVITY_POINTS * (group["projects"] - group["stale_n"])
    for group in groups:
        group["name"] = _person_name(*(group[name] for name in names)) if group["personal_manager_id"] else ""
    groups.sort(key=lambda g: (g["personal_manager_id"] is None, g["name"].casefold(), g["personal_manager_id"] or 0))
    projects = sum(group["projects"] for group in groups)
    if open is None:
        open = frozenset(_manager_key(g["personal_manager_id"]) for g in groups) if projects <= FULL_TREE_ROWS \
            else frozenset()
    opened = [g["personal_manager_id"] for g in groups if _manager_key(g["personal_manager_id"]) in open]
    children: dict[int | None, list[Audited]] = {}
    if opened:
        chosen = Q(personal_manager_id__in=[pk for pk in opened if pk is not None])
        if None in opened:
            chosen |= Q(personal_manager__isnull=True)
        for row in audit_queryset(user).filter(chosen):
            children.setdefault(row["personal_manager_id"], []).append(_audit(row, today=today,
                                                                             stale_days=stale_days))
    rows = []
    for group in groups:
        manager_id = group["personal_manager_id"]
        rows.append(Row((
            group["name"] or gettext("Без менеджера"), "", group["projects"], group["stale_n"],
            round(group["score_sum"] / group["projects"], 1), None, None, "",
        ), level=0, kind="manager", key=_manager_key(manager_id), expandable=manager_id not in children))
        rows += [_audit_row(a) for a in sorted(children.get(manager_id, []), key=lambda a: (a.score, -a.days, a.title))]
    total = Row((gettext("Итого"), "", projects, sum(g["stale_n"] for g in groups),
                 round(sum(g["score_sum"] for g in groups) / projects, 1) if projects else None, None, None, ""),
                kind="total")
    return _audit_table(rows, total, today=today, stale_days=stale_days)


def default_seed(today: date) -> int:
    """The weekly sample's seed: ISO year × 100 + ISO week (2025-W09 → 202509)."""
    iso = today.isocalendar()
    return iso.year * 100 + iso.week


def crm_audit_sample(*, user: User, params: ReportParams) -> Table:
    """K random active visible projects, reproducible by the seed: two queries (the ids, then the rows)."""
    today, stale_days = _today(params), params.stale_days
    seed = params.seed if params.seed is not None else default_seed(today)
    ids = list(projects_visible_to(user).filter(stage__in=P.active()).order_by("pk").values_list("pk", flat=True))
    picked = random.Random(seed).sample(ids, min(max(params.sample_size, 0), len(ids)))
    found = {row["pk"]: _audit(row, today=today, stale_days=stale_days)
             for row in audit_queryset(user).filter(pk__in=picked)} if picked else {}
    no_manager = gettext("Без менеджера")
    rows = [
        Row((number, a.title, a.stage, a.manager or no_manager, a.score, a.days, a.last_date, a.missing),
            kind="project", link=_project_link(a.pk))
        for number, a in enumerate((found[pk] for pk in picked if pk in found), start=1)
    ]
    columns = [
        Column("number", gettext("№"), INT),
        Column("project", gettext("Проект"), TEXT),
        Column("stage", gettext("Этап"), TEXT),
        Column("manager", gettext("Менеджер"), TEXT),
        Column("score", gettext("Полнота, баллов из 100"), DECIMAL),  # as in the audit's tree: «75,0»
        Column("days", gettext("Дней без изменений"), INT),
        Column("last_activity", gettext("Последнее изменение"), DATE),
        Column("missing", gettext("Чего не хватает"), TEXT),
    ]
    return Table(
        slug="crm-audit-sample", title=gettext("Случайная выборка для еженедельной проверки"), columns=columns,
        rows=rows,
        meta=[(gettext("Дата"), f"{today:%d.%m.%Y}"), (gettext("Число выборки"), str(seed)),
              (gettext("Размер выборки"), str(len(picked))), (gettext("Активных проектов"), str(len(ids)))],
        note=gettext("Выборка по числу %(seed)s: повторите с тем же числом, чтобы получить тот же список.")
        % {"seed": seed},
    )
