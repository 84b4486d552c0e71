"""Appeal reports: appeals by type, by executor and classifier (a tree), and the rating of public bodies.

Every report starts from `appeals_visible_to(user)`, so each person counts only the appeals they may see,
and aggregates in SQL: one GROUP BY per level, a constant number of queries whatever the data size. Rows
carry sums and counts; the Python side only divides them, so a total row is computed from all the appeals
of the population (never as a mean of the rows' means). The exact definition of every column is in
docs/reports.md.
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
    """The aggregates of one group of appeals; `authorities` adds the on-time count and the answer time."""
    answered = Q(answered_at__isnull=False)
    answered_late = answered & Q(GreaterThan(_answered_date(), F("deadline")))
    overdue = Q(status__in=AppealStatus.open(), deadline__lt=today) | answered_late
    measures = {
        "appeals": Count("pk"),
        "answered": Count("pk", filter=answered),
        "in_work": Count("pk", filter=Q(status__in=AppealStatus.open())),
        "overdue": Count("pk", filter=overdue),
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


_CATEGORY = "fact__subcategory__category"
_SUBCATEGORY = "fact__subcategory"


def appeals_by_executor(*, user: User, params: ReportParams) -> Table:
    """Executor (the appeal's manager) → category → subcategory → fact: one GROUP BY per level (4 queries,
    2 with `main_only`, plus one per name of a chosen filter for the header); the tree is assembled here."""
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
    measures = _measures(params.today)

    def level(**keys) -> list[dict]:
        return list(qs.values(**keys).annotate(**measures).order_by())

    people = level(
        person=F("manager_id"), last_name=F("manager__last_name"), first_name=F("manager__first_name"),
        middle_name=F("manager__middle_name"), email=F("manager__email"),
    )

    def named(prefix: str) -> dict:
        return {"code": F(f"{prefix}__code"), "name": F(f"{prefix}__name")}

    categories = level(person=F("manager_id"), node=F(f"{_CATEGORY}_id"), **named(_CATEGORY))
    subcategories: list[dict] = []
    facts: list[dict] = []
    if not params.main_only:
        subcategories = level(person=F("manager_id"), parent=F(f"{_SUBCATEGORY}__category_id"),
                              node=F(f"{_SUBCATEGORY}_id"), **named(_SUBCATEGORY))
        facts = level(person=F("manager_id"), parent=F(f"{_SUBCATEGORY}_id"), node=F("fact_id"),
                      **named("fact"))

    def children(entries: list[dict]) -> dict:
        """(person, parent node) → the nodes under it, by code, then name."""
        grouped = defaultdict(list)
        for entry in sorted(entries, key=lambda e: (e["code"], _collation_key(e["name"]), e["node"])):
            grouped[(entry["person"], entry.get("parent"))].append(entry)
        return grouped

    categories_of = children(categories)
    subcategories_of = children(subcategories)
    facts_of = children(facts)
    unassigned = gettext("Не назначен")

    def person_key(entry: dict) -> tuple:
        return (
            entry["person"] is None,
            *(_collation_key(entry[part] or "") for part in ("last_name", "first_name", "middle_name")),
            entry["person"] or 0,
        )

    rows = []
    for person in sorted(people, key=person_key):
        pk = person["person"]
        name = _person_name(person) if pk is not None else unassigned
        rows.append(_executor_row(name, person, level=0, kind="executor"))
        for category in categories_of[(pk, None)]:
            rows.append(_executor_row(category["name"], category, level=1, kind="category"))
            for subcategory in subcategories_of[(pk, category["node"])]:
                rows.append(_executor_row(subcategory["name"], subcategory, level=2, kind="subcategory"))
                for fact in facts_of[(pk, subcategory["node"])]:
                    rows.append(_executor_row(fact["name"], fact, level=3, kind="fact"))
    total = _total(Stats.of(person) for person in people)
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


def _executor_row(label: str, values: dict, *, level: int, kind: str) -> Row:
    return Row((label, *_executor_values(Stats.of(values))), level=level, kind=kind)


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
