"""The director's dashboard («Основные показатели онлайн»): the figures of the cabinet's start page.

Every figure starts from the visibility selectors, so each role counts only what it may see (an ОМСУ executor:
the appeals of their organisation and the projects it takes part in). Each block is one aggregate query
(GROUP BY in SQL), so the page costs the same few queries for ten rows as for a million. The functions return
plain values; the cabinet (admin_site.dashboard) only formats them.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import AppealStatus, OrganisationKind, ProjectStage, TaskStatus
from core.models import Appeal, AppealAnswer, Organisation, Project, User
from core.selectors.visibility import appeals_visible_to, projects_visible_to, tasks_visible_to

WINDOW_MONTHS = 12  # the quality figures and the monthly chart cover the last twelve months
TOP_CATEGORIES = 8  # the category chart shows the eight largest and sums the rest as «прочие»
MOST_OVERDUE = 10
CLOSED = "closed"  # the key of the group «закрыты» (rejected or closed with an outcome) in the status chart
OTHER = "other"  # the key of «прочие» in the category chart


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a stable key (a stage, a status, a category's pk), its label and its count."""

    key: str
    label: str
    value: int
    full_label: str = ""  # when `label` is a short form (a category's short name): the whole name


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date  # the first day of the month
    value: int


@dataclass(frozen=True)
class OverdueAppeal:
    pk: int
    number: int
    subject: str
    investor: str
    manager: str  # «Фамилия Имя Отчество», empty when no manager is assigned yet
    deadline: datetime.date
    days_overdue: int


@dataclass(frozen=True)
class YearCount:
    year: int
    value: int


@dataclass(frozen=True)
class OnlineFigures:
    """The seed's «Основные показатели онлайн» (docs/reports.md has the exact definitions). «Since launch» counts
    the appeals filed in this system (not the legacy ones imported from the previous one)."""

    launched: datetime.date | None  # the Moscow date of the first appeal filed in the system (None: none yet)
    appeals_processed: int  # answered or closed: status «рассмотрено», a closing outcome or rejected
    rated: int
    average_rating: Decimal | None  # final ratings (Appeal.rating mirrors the last round's)
    # days from receipt to the first answer (round 1 approved), answers approved in the window / the year before
    answer_days: Decimal | None
    answers: int
    answer_days_before: Decimal | None
    answers_before: int
    oiv_connected: int  # ОИВ with at least one active user
    omsu_connected: int
    accepted_by_year: list[YearCount]  # projects accepted for support, by the year of acceptance
    tasks_overdue: int

    @property
    def bodies_connected(self) -> int:
        return self.oiv_connected + self.omsu_connected


@dataclass(frozen=True)
class DashboardFigures:
    today: datetime.date
    window_start: datetime.date  # the first day of the twelve months window (answered appeals)
    # projects on support (ProjectStage.supported())
    projects_supported: int
    investment: Decimal  # rubles
    jobs: int
    # appeals now
    appeals_open: int
    appeals_overdue: int
    # appeals answered in the window (Moscow date of answered_at)
    appeals_answered: int
    answered_on_time: int
    appeals_rated: int
    average_rating: Decimal | None
    appeals_reworked: int
    # charts and the table
    projects_by_stage: list[Bar]
    projects_accepted_by_month: list[MonthCount]
    appeals_by_status: list[Bar]
    appeals_by_category: list[Bar]
    most_overdue: list[OverdueAppeal]
    online: OnlineFigures | None = None

    @property
    def on_time_share(self) -> Decimal | None:
        """Answered on time among answered in the window, 0…1; None when nothing was answered."""
        return _share(self.answered_on_time, self.appeals_answered)

    @property
    def rework_share(self) -> Decimal | None:
        """Answers sent back for rework at least once, among answered in the window, 0…1."""
        return _share(self.appeals_reworked, self.appeals_answered)


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def months_back(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the 31st becomes the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_start(today: datetime.date) -> datetime.date:
    """The first day of the last twelve months up to today: 15.06.2025 → 16.06.2024."""
    return months_back(today, WINDOW_MONTHS) + datetime.timedelta(days=1)


def _moscow_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def dashboard_figures(user: User, today: datetime.date | None = None) -> DashboardFigures:
    """Everything the dashboard shows, as far as `user` may see; `today` is a Moscow date (default: now)."""
    today = today or timezone.localdate()
    projects = projects_visible_to(user).order_by()
    appeals = appeals_visible_to(user).order_by()
    by_stage = _projects_by_stage(projects)
    by_status, open_now, overdue_now = _appeals_by_status(appeals, today)
    quality = _answered_in_window(appeals, today)
    return DashboardFigures(
        today=today,
        window_start=window_start(today),
        projects_supported=sum(row["total"] for row in by_stage.values()),
        investment=sum((row["investment"] or Decimal(0) for row in by_stage.values()), Decimal(0)),
        jobs=sum(row["jobs"] or 0 for row in by_stage.values()),
        appeals_open=open_now,
        appeals_overdue=overdue_now,
        appeals_answered=quality["answered"],
        answered_on_time=quality["on_time"],
        appeals_rated=quality["rated"],
        average_rating=None if quality["rating"] is None else Decimal(str(quality["rating"])),
        appeals_reworked=quality["reworked"],
        projects_by_stage=[
            Bar(stage, str(ProjectStage(stage).label), by_stage.get(stage, {}).get("total", 0))
            for stage in ProjectStage.supported()
        ],
        projects_accepted_by_month=_accepted_by_month(projects, today),
        appeals_by_status=by_status,
        appeals_by_category=_appeals_by_category(appeals),
        most_overdue=_most_overdue(appeals, today),
        online=online_figures(user, today, appeals=appeals, projects=projects),
    )


DAY = datetime.timedelta(days=1)


def online_figures(user: User, today: datetime.date, *, appeals: QuerySet[Appeal] | None = None,
                   projects: QuerySet[Project] | None = None) -> OnlineFigures:
    """The «Основные показатели онлайн» block, as far as `user` may see: five queries whatever the data size.
    The connected bodies are a fact about the system, the same for everyone who sees the dashboard."""
    appeals = (appeals if appeals is not None else appeals_visible_to(user).order_by()).filter(is_legacy=False)
    projects = projects if projects is not None else projects_visible_to(user).order_by()
    launch = appeals.aggregate(
        first=Min("created_at"),
        processed=Count("pk", filter=~Q(status__in=AppealStatus.open())),
        rated=Count("rating"),
        rating=Avg("rating"),
    )
    recent, before = _first_answer_days(appeals, today)
    bodies = _bodies_connected()
    return OnlineFigures(
        launched=timezone.localdate(launch["first"]) if launch["first"] else None,
        appeals_processed=launch["processed"],
        rated=launch["rated"],
        average_rating=None if launch["rating"] is None else Decimal(str(launch["rating"])),
        answer_days=recent[0],
        answers=recent[1],
        answer_days_before=before[0],
        answers_before=before[1],
        oiv_connected=bodies["oiv"],
        omsu_connected=bodies["omsu"],
        accepted_by_year=_accepted_by_year(projects, today),
        tasks_overdue=tasks_visible_to(user).filter(status__in=TaskStatus.open(), due_date__lt=today).count(),
    )


def _first_answer_days(appeals: QuerySet[Appeal], today: datetime.date) -> tuple[tuple, tuple]:
    """One query: the mean days from the appeal's receipt to its first answer's approval, for first answers
    approved in the last twelve months and in the twelve months before. Returns ((days, answers), (days, answers))."""
    start = _moscow_midnight(window_start(today))
    end = _moscow_midnight(today + DAY)
    start_before = _moscow_midnight(window_start(months_back(today, WINDOW_MONTHS)))
    recent = Q(approved_at__gte=start, approved_at__lt=end)
    before = Q(approved_at__gte=start_before, approved_at__lt=start)
    waited = ExpressionWrapper(F("approved_at") - F("appeal__received_at"), output_field=DurationField())
    row = AppealAnswer.objects.filter(number=1, appeal__in=appeals.values("pk")).aggregate(
        recent_time=Sum(waited, filter=recent), recent=Count("pk", filter=recent),
        before_time=Sum(waited, filter=before), before=Count("pk", filter=before),
    )

    def mean(time: datetime.timedelta | None, count: int) -> tuple[Decimal | None, int]:
        if not count or time is None:
            return None, count
        return Decimal(time // datetime.timedelta(microseconds=1)) / Decimal(DAY // datetime.timedelta(
            microseconds=1) * count), count

    return mean(row["recent_time"], row["recent"]), mean(row["before_time"], row["before"])


def _bodies_connected() -> dict[str, int]:
    """One query: active ОИВ and ОМСУ with at least one active user."""
    active_user = User.objects.filter(organisation=OuterRef("pk"), is_active=True)
    return Organisation.objects.filter(
        kind__in=[OrganisationKind.OIV, OrganisationKind.OMSU], is_active=True
    ).filter(Exists(active_user)).aggregate(
        oiv=Count("pk", filter=Q(kind=OrganisationKind.OIV)), omsu=Count("pk", filter=Q(kind=OrganisationKind.OMSU)),
    )


def _accepted_by_year(projects: QuerySet[Project], today: datetime.date) -> list[YearCount]:
    """One query: projects accepted for support (Project.accepted_at, set by the «accept» transition) per calendar
    year, from the first year with an acceptance to this one, zeros included."""
    rows = (
        projects.filter(accepted_at__isnull=False, accepted_at__lte=today)
        .annotate(year=ExtractYear("accepted_at")).values("year").annotate(total=Count("pk"))
    )
    counts = {row["year"]: row["total"] for row in rows}
    if not counts:
        return []
    return [YearCount(year, counts.get(year, 0)) for year in range(min(counts), today.year + 1)]


def _projects_by_stage(projects: QuerySet[Project]) -> dict[str, dict]:
    """One query: count, investment and jobs of the supported projects per stage."""
    rows = (
        projects.filter(stage__in=ProjectStage.supported())
        .values("stage")
        .annotate(total=Count("pk"), investment=Sum("investment_volume"), jobs=Sum("jobs"))
    )
    return {row["stage"]: row for row in rows}


def _accepted_by_month(projects: QuerySet[Project], today: datetime.date) -> list[MonthCount]:
    """One query: projects accepted on support in each of the last twelve calendar months, this one included."""
    months = [months_back(today.replace(day=1), back) for back in range(WINDOW_MONTHS - 1, -1, -1)]
    rows = (
        projects.filter(accepted_at__gte=months[0], accepted_at__lte=today)
        .annotate(month=TruncMonth("accepted_at"))
        .values("month")
        .annotate(total=Count("pk"))
    )
    counts = {_as_date(row["month"]): row["total"] for row in rows}
    return [MonthCount(month, counts.get(month, 0)) for month in months]


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _appeals_by_status(appeals: QuerySet[Appeal], today: datetime.date) -> tuple[list[Bar], int, int]:
    """One query: appeals per status with the overdue among them. Returns the chart's bars (each open status,
    «рассмотрено», «закрыты»), the open count and the overdue count."""
    rows = appeals.values("status").annotate(total=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
    per_status = {row["status"]: row for row in rows}
    open_statuses = AppealStatus.open()

    def total(statuses) -> int:
        return sum(per_status.get(status, {}).get("total", 0) for status in statuses)

    bars = [Bar(status, str(AppealStatus(status).label), total([status])) for status in open_statuses]
    bars.append(Bar(AppealStatus.ANSWERED.value, str(AppealStatus.ANSWERED.label), total([AppealStatus.ANSWERED])))
    bars.append(Bar(CLOSED, str(_("Закрыты или отклонены")), total(AppealStatus.closed())))
    overdue = sum(per_status.get(status, {}).get("overdue", 0) for status in open_statuses)
    return bars, total(open_statuses), overdue


def _answered_in_window(appeals: QuerySet[Appeal], today: datetime.date) -> dict:
    """One query: appeals answered in the last twelve months (Moscow dates, the stored answered_on) — on time,
    rated, reworked."""
    answered = appeals.filter(answered_on__gte=window_start(today), answered_on__lte=today)
    return answered.aggregate(
        answered=Count("pk"),
        on_time=Count("pk", filter=Q(answered_on__lte=F("deadline"))),
        rated=Count("rating"),
        rating=Avg("rating"),
        reworked=Count("pk", filter=Q(rework_count__gt=0)),
    )


def _appeals_by_category(appeals: QuerySet[Appeal]) -> list[Bar]:
    """One query: appeals per category of the classifier (labelled by the short name, if it has one); the largest
    eight, then «прочие» if any."""
    category = "fact__subcategory__category"
    rows = sorted(
        appeals.values(f"{category}_id", f"{category}__name", f"{category}__short_name").annotate(total=Count("pk")),
        key=lambda row: (-row["total"], row[f"{category}__name"]),
    )
    bars = [
        Bar(str(row[f"{category}_id"]), row[f"{category}__short_name"] or row[f"{category}__name"], row["total"],
            full_label=row[f"{category}__name"])
        for row in rows[:TOP_CATEGORIES]
    ]
    rest = sum(row["total"] for row in rows[TOP_CATEGORIES:])
    if rest:
        bars.append(Bar(OTHER, str(_("Прочие")), rest))
    return bars


def _most_overdue(appeals: QuerySet[Appeal], today: datetime.date) -> list[OverdueAppeal]:
    """One query: the open appeals whose deadline passed longest ago."""
    rows = (
        appeals.filter(status__in=AppealStatus.open(), deadline__lt=today)
        .order_by("deadline", "number")
        .values(
            "pk", "number", "subject", "deadline", "organisation__short_name", "organisation_name",
            "manager__last_name", "manager__first_name", "manager__middle_name",
        )[:MOST_OVERDUE]
    )
    return [
        OverdueAppeal(
            pk=row["pk"],
            number=row["number"],
            subject=row["subject"],
            investor=row["organisation__short_name"] or row["organisation_name"],
            manager=" ".join(
                part
                for part in (row["manager__last_name"], row["manager__first_name"], row["manager__middle_name"])
                if part
            ),
            deadline=row["deadline"],
            days_overdue=(today - row["deadline"]).days,
        )
        for row in rows
    ]
