"""Appeal reports: appeals by type, by executor and classifier (a tree), and the rating of public bodies.

Every report starts from `appeals_visible_to(user)`, so each person counts only the appeals they may see,
and aggregates in SQL: one GROUP BY per report, a constant number of queries whatever the data size. Rows
carry sums and counts, which add up exactly: the tree of the executor report is rolled up in Python from its
finest level, and the Python side otherwise only divides them, so a total row is computed from all the
appeals of the population (never as a mean of the rows' means). The exact definition of every column is in
docs/reports.md.

The Moscow date of `answered_at` is the expensive part (on SQLite it is a Python function called per row), so
each query uses it in one aggregate only — overdue, or on time for the rating of bodies — and every appeal's
date is computed once per report.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext

from core.choices import AppealChannel, AppealStatus, OrganisationKind
from core.filters.appeals import AppealFilterSet
from core.filters.base import filtered
from core.models import Appeal, AppealEscalation, AppealType, District, Organisation, User
from core.reports.registry import ReportParams
from core.reports.table import DECIMAL, FULL_TREE_ROWS, INT, PERCENT, RATING, TEXT, Column, Row, Table
from core.roles import Role
from core.selectors.visibility import appeals_visible_to

ONE_DECIMAL, TWO_DECIMALS = Decimal("0.1"), Decimal("0.01")
MRG_YES, MRG_NO = "yes", "no"  # ReportParams.mrg: «Вынесено на МРГ» да / нет
CHANNEL = "channel"  # the prefix of the per-channel counts: channel_portal, channel_phone, …
DAY_MICROSECONDS = 86_400 * 1_000_000


# --------------------------------------------------------------------------------------------------------------
# The population and the shared measures


def _local_midnight(day: date) -> datetime:
    """The first instant of `day` in Moscow (settings.TIME_ZONE), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _population(user: User, params: ReportParams) -> QuerySet[Appeal]:
    """The appeals `user` may see, legacy ones included, created on a Moscow date within the period."""
    qs = appeals_visible_to(user)
    if params.date_from:
        qs = qs.filter(received_at__gte=_local_midnight(params.date_from))
    if params.date_to:
        qs = qs.filter(received_at__lt=_local_midnight(params.date_to + timedelta(days=1)))
    return qs.order_by()


def _filtered(user: User, params: ReportParams) -> QuerySet[Appeal]:
    """The population narrowed by the side-panel filters: the channel, type, status, investor's district and executor
    are the appeal list's own (core.filters.appeals.AppealFilterSet, one definition for the cabinet, the registers,
    the portal and the reports); «Вынесено на МРГ» (yes / no) is the reports' alone. A report offers only some of
    them (core.reports.registry); the others are empty."""
    shared = {
        "channel__exact": params.channel, "appeal_type__id__exact": params.appeal_type, "status__exact": params.status,
        "organisation__district__id__exact": params.district,
        "executor_organisation__id__exact": params.executor_organisation,
    }
    chosen = {name: value for name, value in shared.items() if value}
    qs = filtered(AppealFilterSet(chosen, user=user, queryset=_population(user, params))).order_by()
    if params.mrg:
        escalated = Exists(AppealEscalation.objects.filter(appeal=OuterRef("pk")))
        qs = qs.filter(escalated if params.mrg == MRG_YES else ~escalated)
    return qs


# Moscow has kept UTC+3 all year since 26.10.2014 02:00 local time (25.10.2014 22:00 UTC).
MOSCOW = "Europe/Moscow"
MOSCOW_FIXED_SINCE = "2014-10-25 22:00:00"  # as SQLite stores a UTC moment, so that text comparison holds


class LocalDate(TruncDate):
    """TruncDate to the default time zone. SQLite has no time zones, so Django calls a Python function per row
    there; for Moscow after 2014 the date is plain arithmetic (`date(moment, '+3 hours')`), and only older
    moments (legacy data) still go through the exact function."""

    def as_sqlite(self, compiler, connection, **extra_context):
        exact, exact_params = self.as_sql(compiler, connection, **extra_context)
        if self.get_tzname() != MOSCOW:
            return exact, exact_params
        moment, params = compiler.compile(self.lhs)
        sql = (f"CASE WHEN {moment} IS NULL THEN NULL WHEN {moment} >= %s THEN date({moment}, '+3 hours') "
               f"ELSE {exact} END")
        return sql, (*params, *params, MOSCOW_FIXED_SINCE, *params, *exact_params)


def _answered_date() -> TruncDate:
    """The Moscow date the answer was sent (NULL while there is none), computed by the database."""
    return LocalDate("answered_at", tzinfo=timezone.get_default_timezone())


def answered_ever_q() -> Q:
    """At least one answer round went to the investor: the current answer is sent (answered_at), or an earlier
    one was sent back for rework (rework_count counts the rounds sent back, so an appeal back in work after an
    answer still counts). The denominator of «На доработке, %»."""
    return Q(answered_at__isnull=False) | Q(rework_count__gt=0)


def _measures(today: date, *, authorities: bool = False) -> dict:
    """The aggregates of one group of appeals. The appeal reports count in work, overdue and the appeals taken to
    the МРГ; the rating of bodies (`authorities`) counts answers on time, the answer time and the first answers'
    ratings instead. Either way the Moscow date of the answer appears in one aggregate only, so the database
    computes it once per appeal. `rating` is the appeal's final rating (it mirrors its last round's)."""
    answered = Q(answered_at__isnull=False)
    in_work = Q(status__in=AppealStatus.open())
    measures = {
        "appeals": Count("pk"),
        "answered": Count("pk", filter=answered),
        "answered_ever": Count("pk", filter=answered_ever_q()),
        "rework": Count("pk", filter=Q(rework_count__gt=0)),
        "rating_sum": Sum("rating"),
        "rated": Count("rating"),
    }
    if not authorities:  # the appeals per channel as columns: a group per channel would multiply the rows
        measures |= {f"{CHANNEL}_{value}": Count("pk", filter=Q(channel=value)) for value in AppealChannel.values}
    if authorities:
        measures["on_time"] = Count("pk", filter=answered & Q(LessThanOrEqual(_answered_date(), F("deadline"))))
        measures["answer_time"] = Sum(
            ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField()),
            filter=answered,
        )
        # round 1 joined through a FilteredRelation: (appeal, number) is unique, so no appeal is counted twice
        measures["first_rating_sum"] = Sum("first_round__rating")
        measures["first_rated"] = Count("first_round__rating")
    else:
        answered_late = answered & Q(GreaterThan(_answered_date(), F("deadline")))
        measures["in_work"] = Count("pk", filter=in_work)
        measures["overdue"] = Count("pk", filter=(in_work & Q(deadline__lt=today)) | answered_late)
        measures["mrg"] = Count("pk", filter=Q(Exists(AppealEscalation.objects.filter(appeal=OuterRef("pk")))))
    return measures


@dataclass
class Stats:
    """The sums and counts of a group of appeals; ratios are computed from them, so groups add up exactly."""

    appeals: int = 0
    answered: int = 0
    answered_ever: int = 0
    in_work: int = 0
    overdue: int = 0
    rework: int = 0
    rating_sum: int = 0
    rated: int = 0
    first_rating_sum: int = 0
    first_rated: int = 0
    on_time: int = 0
    mrg: int = 0
    answer_time: timedelta = timedelta(0)
    channels: Counter = field(default_factory=Counter)  # appeals per channel

    @classmethod
    def of(cls, values: dict) -> "Stats":
        stats = cls(**{name: values[name] for name in _STAT_FIELDS if values.get(name) is not None})
        stats.channels = Counter({value: values[f"{CHANNEL}_{value}"] for value in AppealChannel.values
                                  if values.get(f"{CHANNEL}_{value}")})
        return stats

    def __add__(self, other: "Stats") -> "Stats":
        return Stats(**{name: getattr(self, name) + getattr(other, name) for name in _STAT_FIELDS})

    def __iadd__(self, other: "Stats") -> "Stats":
        """Adds in place: the roll-up of the tree adds every group into each node above it."""
        for name in _STAT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def rating(self) -> Decimal | None:
        """The mean of the appeals' final ratings (2 decimals); None when nothing is rated."""
        return _ratio(self.rating_sum, self.rated, TWO_DECIMALS)

    @property
    def first_rating(self) -> Decimal | None:
        """The mean of the ratings given to the first answers (round 1), 2 decimals."""
        return _ratio(self.first_rating_sum, self.first_rated, TWO_DECIMALS)

    @property
    def rework_percent(self) -> Decimal | None:
        """Appeals sent back at least once among the appeals answered at least once."""
        return _ratio(100 * self.rework, self.answered_ever, ONE_DECIMAL)

    @property
    def on_time_percent(self) -> Decimal | None:
        return _ratio(100 * self.on_time, self.answered, ONE_DECIMAL)

    @property
    def answer_days(self) -> Decimal | None:
        """The mean time from receipt to the current answer, in days (1 decimal); None without answers."""
        return _ratio(self.answer_time // timedelta(microseconds=1), DAY_MICROSECONDS * self.answered, ONE_DECIMAL)

    @property
    def channels_text(self) -> str:
        """«Портал — 3, Телефон — 1»: the appeals per channel in the choices' order, zeros left out."""
        if not self.channels:
            return ""
        return ", ".join(f"{channel.label} — {self.channels[channel]}" for channel in AppealChannel
                         if self.channels.get(channel))


_STAT_FIELDS = tuple(f.name for f in fields(Stats))  # dataclasses.fields() is slow to call per row


def _ratio(numerator: int, denominator: int, places: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def _total(stats: Iterable[Stats]) -> Stats:
    return sum(stats, Stats())


def _collation_key(text: str) -> str:
    """Russian alphabetical order for names (ё sorts with е, case ignored)."""
    return text.casefold().replace("ё", "е")


def _date(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _period(params: ReportParams) -> str:
    if params.date_from and params.date_to:
        return f"{_date(params.date_from)} – {_date(params.date_to)}"
    if params.date_from:
        return gettext("с %(date)s") % {"date": _date(params.date_from)}
    if params.date_to:
        return gettext("по %(date)s") % {"date": _date(params.date_to)}
    return gettext("за всё время")


def _meta(params: ReportParams) -> list[tuple[str, str]]:
    return [(gettext("Дата выгрузки"), _date(params.today)), (gettext("Дата поступления обращений"), _period(params))]


# --------------------------------------------------------------------------------------------------------------
# 1. Appeals by type


def appeals_by_type(*, user: User, params: ReportParams) -> Table:
    """One row per appeal type (every type, by name, zeros included) and the total: 2 queries (the GROUP BY by
    type, and the types)."""
    params = params.resolved()
    grouped: dict[int, Stats] = defaultdict(Stats)
    population = _filtered(user, params)
    for values in population.values("appeal_type_id").annotate(**_measures(params.today)):
        grouped[values["appeal_type_id"]] += Stats.of(values)
    rows, all_stats = [], []
    for appeal_type in AppealType.objects.order_by("name", "pk").values("pk", "name"):
        stats = grouped.get(appeal_type["pk"], Stats())
        all_stats.append(stats)
        rows.append(Row((appeal_type["name"], *_type_values(stats)), kind="type"))
    return Table(
        slug="appeals-by-type",
        title=gettext("Общее количество обращений по типу"),
        columns=[
            Column("type", gettext("Тип обращения"), TEXT),
            Column("appeals", gettext("Кол-во обращений"), INT),
            Column("answered", gettext("Кол-во ответов"), INT),
            Column("in_work", gettext("Кол-во в работе"), INT),
            Column("overdue", gettext("Кол-во просроченных"), INT),
            Column("rating", gettext("Средняя оценка ответа"), RATING),
            Column("mrg", gettext("Вынесено на МРГ"), INT),
            Column("channels", gettext("Каналы поступления"), TEXT),
        ],
        rows=rows,
        meta=_meta(params) + _channel_meta(params),
        total=Row((gettext("Итого"), *_type_values(_total(all_stats))), kind="total"),
    )


def _type_values(stats: Stats) -> tuple:
    return (stats.appeals, stats.answered, stats.in_work, stats.overdue, stats.rating, stats.mrg,
            stats.channels_text)


# --------------------------------------------------------------------------------------------------------------
# 2. Appeals by executor and classifier


# The classifier levels under an executor: (row kind, the path from the appeal to the node)
_LEVELS = (("category", "fact__subcategory__category"), ("subcategory", "fact__subcategory"), ("fact", "fact"))
_PERSON_PARTS = ("last_name", "first_name", "middle_name", "email")
# The groups of appeals nobody answers for yet (no manager): still in moderation, or rejected there.
MODERATION, REJECTED = "moderation", "rejected"


def _without_manager() -> tuple[Case, Case]:
    """Two group keys for appeals without a manager. `waiting_org`: the executor organisation of an appeal past
    moderation that its body has not yet given to a person (after a redirect, seed #737) — it counts under that
    body's head. `unassigned`: MODERATION for an appeal still in moderation, REJECTED for one rejected there
    (never given to an executor); empty otherwise."""
    no_manager = Q(manager__isnull=True)
    in_moderation = Q(status=AppealStatus.MODERATION)
    waiting_org = Case(
        When(no_manager & ~in_moderation, then=F("executor_organisation_id")),
        default=None, output_field=IntegerField(),
    )
    unassigned = Case(
        When(no_manager & in_moderation, then=Value(MODERATION)),
        When(no_manager & Q(executor_organisation__isnull=True), then=Value(REJECTED)),
        default=Value(""), output_field=CharField(),
    )
    return waiting_org, unassigned


def executor_heads(organisation_ids: Iterable[int]) -> dict[int, dict]:
    """Whom the appeals an executor body has not yet given to a person count under: its head (an active user with
    the head role in it; the first by pk if several). One query; each value has the organisation's `short_name`
    and the head's `pk` and name parts (all None when the body has no head)."""
    ids = sorted({pk for pk in organisation_ids if pk is not None})
    if not ids:
        return {}
    heads = User.objects.filter(
        organisation=OuterRef("pk"), is_active=True, groups__name=Role.HEAD.group_name
    ).order_by("pk")
    parts = ("pk", *_PERSON_PARTS)
    rows = Organisation.objects.filter(pk__in=ids).annotate(
        **{f"head_{part}": Subquery(heads.values(part)[:1]) for part in parts}
    ).values("pk", "short_name", *(f"head_{part}" for part in parts))
    return {row["pk"]: {"short_name": row["short_name"], **{part: row[f"head_{part}"] for part in parts}}
            for row in rows}


def _executor_label(executor: tuple, people: dict[tuple, dict]) -> str:
    kind, ident = executor
    if kind == "person":
        return _person_name(people[(executor,)])
    if kind == "organisation":
        return people[(executor,)]["short_name"] or ""
    return gettext("На модерации") if ident == MODERATION else gettext("Отклонено на модерации")


def appeals_by_executor(*, user: User, params: ReportParams) -> Table:
    """The whole tree (the files): see _executor_table."""
    return _executor_table(user, params, open=None, whole=True)


def appeals_by_executor_page(*, user: User, params: ReportParams, open: frozenset[str] | None) -> Table:
    """The tree as its page shows it: every executor's row with the same figures, and the rows under an executor
    only when its key is in `open` (every one when `open` is None and the whole tree has at most FULL_TREE_ROWS
    rows). The same queries as the whole tree: only the rows not shown are never made."""
    return _executor_table(user, params, open=open, whole=False)


def _executor_table(user: User, params: ReportParams, *, open: frozenset[str] | None, whole: bool) -> Table:
    """Executor (the appeal's manager) → category → subcategory → fact: one GROUP BY at the finest level
    (executor, fact), rolled up here into the tree and the total — 1 query, plus one for the heads of
    bodies holding appeals without a manager, plus one per name of a chosen filter for the header.

    An appeal without a manager counts under its executor body's head (or the body itself when it has no head);
    only appeals nobody was given yet fall under a label: «На модерации», «Отклонено на модерации»."""
    params = params.resolved()
    qs = _filtered(user, params)
    # The groups are (executor, fact) and every other key depends on these, so they come first in the
    # GROUP BY: the database sorts by integers, the names only ride along (re-setting "fact_node" below keeps
    # its place in the dict).
    waiting_org, unassigned = _without_manager()
    keys = {"person": F("manager_id"), "fact_node": F("fact_id"), "waiting_org": waiting_org,
            "unassigned": unassigned}
    keys |= {part: F(f"manager__{part}") for part in _PERSON_PARTS}
    for kind, path in _LEVELS:
        keys |= {f"{kind}_node": F(f"{path}_id"), f"{kind}_code": F(f"{path}__code"),
                 f"{kind}_name": F(f"{path}__name")}
    levels = _LEVELS[:1] if params.main_only else _LEVELS
    entries = list(qs.values(**keys).annotate(**_measures(params.today)).order_by())
    heads = executor_heads(entry["waiting_org"] for entry in entries if entry["person"] is None)

    # An executor is ("person", pk), ("organisation", pk) or ("unassigned", MODERATION | REJECTED); a node is the
    # path from its executor: (executor,), (executor, category), … Every appeal counts in its executor and in each
    # classifier node above its fact, so each node's stats are the sum of its facts'.
    stats: dict[tuple, Stats] = defaultdict(Stats)
    people: dict[tuple, dict] = {}
    nodes: dict[tuple, tuple] = {}  # a classifier node -> its sort key (code, name, id) and its name
    children: dict[tuple, set[tuple]] = defaultdict(set)
    for entry in entries:
        executor, person = _executor_of(entry, heads)
        entry_stats, key = Stats.of(entry), (executor,)
        people[key] = person
        stats[key] += entry_stats
        for kind, _path in levels:
            parent, key = key, (*key, entry[f"{kind}_node"])
            name = entry[f"{kind}_name"]
            nodes[key] = (entry[f"{kind}_code"], _collation_key(name), key[-1]), name
            children[parent].add(key)
            stats[key] += entry_stats
    kinds = [kind for kind, _path in levels]
    group_order = {"person": 0, "organisation": 0, "unassigned": 1}

    def executor_key(key: tuple) -> tuple:
        (kind, ident), label = key[0], _executor_label(key[0], people)
        return group_order[kind], _collation_key(label), kind, str(ident)

    rows = []

    def add_children(parent: tuple) -> None:
        for key in sorted(children[parent], key=lambda node: nodes[node][0]):
            level = len(key) - 1
            rows.append(_executor_row(nodes[key][1], stats[key], level=level, kind=kinds[level - 1]))
            add_children(key)

    if not whole and open is None:
        open = frozenset(_branch_key(key) for key in people) if len(people) + len(nodes) <= FULL_TREE_ROWS \
            else frozenset()
    for key in sorted(people, key=executor_key):
        built = whole or _branch_key(key) in open
        row = _executor_row(_executor_label(key[0], people), stats[key], level=0, kind="executor")
        row.key, row.expandable = _branch_key(key), not built and bool(children[key])
        rows.append(row)
        if built:
            add_children(key)
    total = _total(stats[key] for key in people)
    return Table(
        slug="appeals-by-executor",
        title=gettext("Обращения по исполнителям и классификатору"),
        columns=[
            Column("name", gettext("Исполнитель / классификатор"), TEXT),
            Column("appeals", gettext("Количество обращений"), INT),
            Column("answered", gettext("Количество ответов"), INT),
            Column("in_work", gettext("Количество в работе"), INT),
            Column("rework", gettext("На доработке, %"), PERCENT),
            Column("rating", gettext("Средняя оценка ответа"), RATING),
            Column("overdue", gettext("Количество просроченных"), INT),
            Column("mrg", gettext("Вынесено на МРГ"), INT),
            Column("channels", gettext("Каналы поступления"), TEXT),
        ],
        rows=rows,
        meta=_meta(params) + _filter_meta(params),
        total=Row((gettext("Итого"), *_executor_values(total)), kind="total"),
    )


def _branch_key(node: tuple) -> str:
    """An executor's row key for the page's «open» links: person-12, organisation-3, unassigned-moderation."""
    kind, ident = node[0]
    return f"{kind}-{ident}"


def _executor_of(entry: dict, heads: dict[int, dict]) -> tuple[tuple, dict]:
    """The executor an entry counts under, and the names to label it with."""
    if entry["person"] is not None:
        return ("person", entry["person"]), entry
    if entry["waiting_org"] is not None:
        body = heads[entry["waiting_org"]]
        if body["pk"] is not None:
            return ("person", body["pk"]), body
        return ("organisation", entry["waiting_org"]), body
    return ("unassigned", entry["unassigned"] or REJECTED), {}


def _person_name(entry: dict) -> str:
    return " ".join(entry[part] for part in ("last_name", "first_name", "middle_name") if entry[part]) or (
        entry["email"] or ""
    )


def _executor_row(label: str, stats: Stats, *, level: int, kind: str) -> Row:
    return Row((label, *_executor_values(stats)), level=level, kind=kind)


def _executor_values(stats: Stats) -> tuple:
    return (stats.appeals, stats.answered, stats.in_work, stats.rework_percent, stats.rating, stats.overdue,
            stats.mrg, stats.channels_text)


def _channel_meta(params: ReportParams) -> list[tuple[str, str]]:
    lines = []
    if params.channel:
        lines.append((gettext("Канал поступления"), str(dict(AppealChannel.choices).get(params.channel,
                                                                                        params.channel))))
    if params.mrg:
        lines.append((gettext("Вынесено на МРГ"), gettext("да") if params.mrg == MRG_YES else gettext("нет")))
    return lines


def _filter_meta(params: ReportParams) -> list[tuple[str, str]]:
    """Header lines naming the filters chosen (one small query per named filter)."""
    lines = []
    if params.appeal_type:
        name = AppealType.objects.filter(pk=params.appeal_type).values_list("name", flat=True).first()
        lines.append((gettext("Тип обращения"), name or str(params.appeal_type)))
    if params.status:
        lines.append((gettext("Статус"), str(dict(AppealStatus.choices).get(params.status, params.status))))
    if params.district:
        name = District.objects.filter(pk=params.district).values_list("name", flat=True).first()
        lines.append((gettext("Район инвестора"), name or str(params.district)))
    if params.executor_organisation:
        name = (Organisation.objects.filter(pk=params.executor_organisation)
                .values_list("short_name", flat=True).first())
        lines.append((gettext("Организация-исполнитель"), name or str(params.executor_organisation)))
    if params.main_only:
        lines.append((gettext("Только основные категории"), gettext("да")))
    return lines + _channel_meta(params)


# --------------------------------------------------------------------------------------------------------------
# 3. The rating of public bodies


def authority_kinds() -> list[str]:
    """The executor organisations rated: the participants of the system other than the agency itself."""
    return [kind for kind in OrganisationKind.participants() if kind != OrganisationKind.AGENCY]


def authorities_rating(*, user: User, params: ReportParams) -> Table:
    """One row per public body that is the current executor of at least one appeal of the population: 1 query."""
    params = params.resolved()
    grouped = (
        _population(user, params)
        .filter(executor_organisation__kind__in=authority_kinds())
        .annotate(first_round=FilteredRelation("answers", condition=Q(answers__number=1)))
        .values("executor_organisation_id", "executor_organisation__short_name")
        .annotate(**_measures(params.today, authorities=True))
        .order_by()
    )
    entries = [(values["executor_organisation__short_name"], Stats.of(values)) for values in grouped]

    def order(entry: tuple[str, Stats]) -> tuple:
        name, stats = entry
        on_time, rating = stats.on_time_percent, stats.rating
        return on_time is None, -(on_time or 0), rating is None, -(rating or 0), _collation_key(name)

    entries.sort(key=order)
    rows = [Row((name, *_authority_values(stats)), kind="organisation") for name, stats in entries]
    return Table(
        slug="authorities",
        title=gettext("Рейтинг органов власти"),
        columns=[
            Column("organisation", gettext("Организация"), TEXT),
            Column("appeals", gettext("Обращений"), INT),
            Column("answered", gettext("Ответов"), INT),
            Column("on_time", gettext("Ответов в срок, %"), PERCENT),
            Column("days", gettext("Среднее время ответа, дней"), DECIMAL),
            Column("rework", gettext("На доработке, %"), PERCENT),
            Column("rating", gettext("Средняя оценка"), RATING),
            Column("first_rating", gettext("Оценка первого ответа"), RATING),
        ],
        rows=rows,
        meta=_meta(params),
        total=Row((gettext("Итого"), *_authority_values(_total(s for _name, s in entries))), kind="total"),
    )


def _authority_values(stats: Stats) -> tuple:
    return (stats.appeals, stats.answered, stats.on_time_percent, stats.answer_days, stats.rework_percent,
            stats.rating, stats.first_rating)
