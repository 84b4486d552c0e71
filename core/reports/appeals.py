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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext

from core.choices import AppealStatus, OrganisationKind
from core.models import Appeal, AppealType, District, Organisation, User
from core.reports.registry import ReportParams
from core.reports.table import DECIMAL, INT, PERCENT, RATING, TEXT, Column, Row, Table
from core.selectors.visibility import appeals_visible_to

ONE_DECIMAL, TWO_DECIMALS = Decimal("0.1"), Decimal("0.01")
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
        qs = qs.filter(created_at__gte=_local_midnight(params.date_from))
    if params.date_to:
        qs = qs.filter(created_at__lt=_local_midnight(params.date_to + timedelta(days=1)))
    return qs.order_by()


def _answered_date() -> TruncDate:
    """The Moscow date the answer was sent (NULL while there is none), computed by the database."""
    return TruncDate("answered_at", tzinfo=timezone.get_default_timezone())


def _measures(today: date, *, authorities: bool = False) -> dict:
    """The aggregates of one group of appeals. The appeal reports count in work and overdue; the rating of
    bodies (`authorities`) counts answers on time and the answer time instead. Either way the Moscow date of the
    answer appears in one aggregate only, so the database computes it once per appeal."""
    answered = Q(answered_at__isnull=False)
    in_work = Q(status__in=AppealStatus.open())
    measures = {
        "appeals": Count("pk"),
        "answered": Count("pk", filter=answered),
        "rework": Count("pk", filter=Q(rework_count__gt=0)),
        "rating_sum": Sum("rating"),
        "rated": Count("rating"),
    }
    if authorities:
        measures["on_time"] = Count("pk", filter=answered & Q(LessThanOrEqual(_answered_date(), F("deadline"))))
        measures["answer_time"] = Sum(
            ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField()),
            filter=answered,
        )
    else:
        answered_late = answered & Q(GreaterThan(_answered_date(), F("deadline")))
        measures["in_work"] = Count("pk", filter=in_work)
        measures["overdue"] = Count("pk", filter=(in_work & Q(deadline__lt=today)) | answered_late)
    return measures


@dataclass
class Stats:
    """The sums and counts of a group of appeals; ratios are computed from them, so groups add up exactly."""

    appeals: int = 0
    answered: int = 0
    in_work: int = 0
    overdue: int = 0
    rework: int = 0
    rating_sum: int = 0
    rated: int = 0
    on_time: int = 0
    answer_time: timedelta = timedelta(0)

    @classmethod
    def of(cls, values: dict) -> "Stats":
        return cls(**{f.name: values[f.name] for f in fields(cls) if values.get(f.name) is not None})

    def __add__(self, other: "Stats") -> "Stats":
        return Stats(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def rating(self) -> Decimal | None:
        """The mean of the ratings given (2 decimals); None when nothing is rated."""
        return _ratio(self.rating_sum, self.rated, TWO_DECIMALS)

    @property
    def rework_percent(self) -> Decimal | None:
        return _ratio(100 * self.rework, self.appeals, ONE_DECIMAL)

    @property
    def on_time_percent(self) -> Decimal | None:
        return _ratio(100 * self.on_time, self.answered, ONE_DECIMAL)

    @property
    def answer_days(self) -> Decimal | None:
        """The mean time from creation to the answer, in days (1 decimal); None without answers."""
        return _ratio(self.answer_time // timedelta(microseconds=1), DAY_MICROSECONDS * self.answered, ONE_DECIMAL)


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
    return [(gettext("Дата выгрузки"), _date(params.today)), (gettext("Дата создания обращений"), _period(params))]


# --------------------------------------------------------------------------------------------------------------
# 1. Appeals by type


def appeals_by_type(*, user: User, params: ReportParams) -> Table:
    """One row per appeal type (every type, by name, zeros included) and the total: 2 queries."""
    params = params.resolved()
    grouped = {
        values["appeal_type_id"]: Stats.of(values)
        for values in _population(user, params).values("appeal_type_id").annotate(**_measures(params.today))
    }
    rows, all_stats = [], []
    for appeal_type in AppealType.objects.order_by("name", "pk").values("pk", "name"):
        stats = grouped.get(appeal_type["pk"], Stats())
        all_stats.append(stats)
        rows.append(Row((appeal_type["name"], *_type_values(stats)), kind="type"))
    return Table(
        slug="appeals-by-type",
        title=gettext("Общее количество обращений по типу"),
        columns=[
            Column("type", gettext("Тип обращения"), TEXT, 30),
            Column("appeals", gettext("Кол-во обращений"), INT),
            Column("answered", gettext("Кол-во ответов"), INT),
            Column("in_work", gettext("Кол-во в работе"), INT),
            Column("overdue", gettext("Кол-во просроченных"), INT),
            Column("rating", gettext("Средняя оценка ответа"), RATING),
        ],
        rows=rows,
        meta=_meta(params),
        total=Row((gettext("Итого"), *_type_values(_total(all_stats))), kind="total"),
    )


def _type_values(stats: Stats) -> tuple:
    return stats.appeals, stats.answered, stats.in_work, stats.overdue, stats.rating


# --------------------------------------------------------------------------------------------------------------
# 2. Appeals by executor and classifier


# The classifier levels under an executor: (row kind, the path from the appeal to the node)
_LEVELS = (("category", "fact__subcategory__category"), ("subcategory", "fact__subcategory"), ("fact", "fact"))
_PERSON_PARTS = ("last_name", "first_name", "middle_name", "email")


def appeals_by_executor(*, user: User, params: ReportParams) -> Table:
    """Executor (the appeal's manager) → category → subcategory → fact: one GROUP BY at the finest level
    (executor, fact), rolled up here into the tree and the total — 1 query, plus one per name of a chosen filter
    for the header."""
    params = params.resolved()
    qs = _population(user, params)
    if params.appeal_type:
        qs = qs.filter(appeal_type_id=params.appeal_type)
    if params.status:
        qs = qs.filter(status=params.status)
    if params.district:
        qs = qs.filter(organisation__district_id=params.district)
    if params.executor_organisation:
        qs = qs.filter(executor_organisation_id=params.executor_organisation)
    # The groups are (executor, fact) and every other key depends on these two, so they come first in the
    # GROUP BY: the database sorts by two integers, the names only ride along (re-setting "fact_node" below
    # keeps its place in the dict).
    keys = {"person": F("manager_id"), "fact_node": F("fact_id")}
    keys |= {part: F(f"manager__{part}") for part in _PERSON_PARTS}
    for kind, path in _LEVELS:
        keys |= {f"{kind}_node": F(f"{path}_id"), f"{kind}_code": F(f"{path}__code"),
                 f"{kind}_name": F(f"{path}__name")}
    levels = _LEVELS[:1] if params.main_only else _LEVELS

    # A node is the path of ids from its executor: (person,), (person, category), … Every appeal counts in
    # its executor and in each classifier node above its fact, so each node's stats are the sum of its facts'.
    stats: dict[tuple, Stats] = defaultdict(Stats)
    people: dict[tuple, dict] = {}
    nodes: dict[tuple, tuple] = {}  # a classifier node -> its sort key (code, name, id) and its name
    children: dict[tuple, set[tuple]] = defaultdict(set)
    for entry in qs.values(**keys).annotate(**_measures(params.today)).order_by():
        entry_stats, key = Stats.of(entry), (entry["person"],)
        people[key] = entry
        stats[key] += entry_stats
        for kind, _path in levels:
            parent, key = key, (*key, entry[f"{kind}_node"])
            name = entry[f"{kind}_name"]
            nodes[key] = (entry[f"{kind}_code"], _collation_key(name), key[-1]), name
            children[parent].add(key)
            stats[key] += entry_stats
    kinds = [kind for kind, _path in levels]
    unassigned = gettext("Не назначен")

    def person_key(key: tuple) -> tuple:
        entry = people[key]
        return (
            entry["person"] is None,
            *(_collation_key(entry[part] or "") for part in ("last_name", "first_name", "middle_name")),
            entry["person"] or 0,
        )

    rows = []

    def add_children(parent: tuple) -> None:
        for key in sorted(children[parent], key=lambda node: nodes[node][0]):
            level = len(key) - 1
            rows.append(_executor_row(nodes[key][1], stats[key], level=level, kind=kinds[level - 1]))
            add_children(key)

    for key in sorted(people, key=person_key):
        name = _person_name(people[key]) if key[0] is not None else unassigned
        rows.append(_executor_row(name, stats[key], level=0, kind="executor"))
        add_children(key)
    total = _total(stats[key] for key in people)
    return Table(
        slug="appeals-by-executor",
        title=gettext("Обращения по исполнителям и классификатору"),
        columns=[
            Column("name", gettext("Исполнитель / классификатор"), TEXT, 60),
            Column("appeals", gettext("Количество обращений"), INT),
            Column("answered", gettext("Количество ответов"), INT),
            Column("in_work", gettext("Количество в работе"), INT),
            Column("rework", gettext("На доработке, %"), PERCENT),
            Column("rating", gettext("Средняя оценка ответа"), RATING),
            Column("overdue", gettext("Количество просроченных"), INT),
        ],
        rows=rows,
        meta=_meta(params) + _filter_meta(params),
        total=Row((gettext("Итого"), *_executor_values(total)), kind="total"),
    )


def _person_name(entry: dict) -> str:
    return " ".join(entry[part] for part in ("last_name", "first_name", "middle_name") if entry[part]) or (
        entry["email"] or ""
    )


def _executor_row(label: str, stats: Stats, *, level: int, kind: str) -> Row:
    return Row((label, *_executor_values(stats)), level=level, kind=kind)


def _executor_values(stats: Stats) -> tuple:
    return stats.appeals, stats.answered, stats.in_work, stats.rework_percent, stats.rating, stats.overdue


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
    return lines


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
            Column("organisation", gettext("Организация"), TEXT, 50),
            Column("appeals", gettext("Обращений"), INT),
            Column("answered", gettext("Ответов"), INT),
            Column("on_time", gettext("Ответов в срок, %"), PERCENT),
            Column("days", gettext("Среднее время ответа, дней"), DECIMAL),
            Column("rework", gettext("На доработке, %"), PERCENT),
            Column("rating", gettext("Средняя оценка"), RATING),
        ],
        rows=rows,
        meta=_meta(params),
        total=Row((gettext("Итого"), *_authority_values(_total(s for _name, s in entries))), kind="total"),
    )


def _authority_values(stats: Stats) -> tuple:
    return (stats.appeals, stats.answered, stats.on_time_percent, stats.answer_days, stats.rework_percent,
            stats.rating)
