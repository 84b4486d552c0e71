"""The director's dashboard figures (core.selectors.dashboard), on small data sets computed by hand."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.choices import AppealStatus, ProjectStage
from core.models import Appeal, AppealType, Category, Fact, ParticipantRequest, Project, Subcategory
from core.selectors.dashboard import CLOSED, OTHER, dashboard_figures, months_back, window_start

TODAY = datetime.date(2025, 6, 15)
MOSCOW = ZoneInfo("Europe/Moscow")
S = AppealStatus


def msk(*args) -> datetime.datetime:
    """An aware datetime on the Moscow clock."""
    return datetime.datetime(*args, tzinfo=MOSCOW)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def set_project(project: Project, **fields) -> None:
    Project.objects.filter(pk=project.pk).update(**fields)  # stage is a protected FSM field


def appeal(file_appeal, status=S.MODERATION, **fields) -> Appeal:
    filed = file_appeal(fact=fields.pop("fact", None))
    Appeal.objects.filter(pk=filed.pk).update(status=status, **fields)
    return filed


def bars(items) -> dict[str, int]:
    return {bar.key: bar.value for bar in items}


# --- dates ---------------------------------------------------------------------------------------------------
def test_months_back_and_the_window():
    assert months_back(datetime.date(2025, 3, 31), 1) == datetime.date(2025, 2, 28)
    assert months_back(datetime.date(2025, 1, 15), 12) == datetime.date(2024, 1, 15)
    assert months_back(datetime.date(2025, 2, 1), 11) == datetime.date(2024, 3, 1)
    assert window_start(TODAY) == datetime.date(2024, 6, 16)
    assert window_start(datetime.date(2024, 2, 29)) == datetime.date(2023, 3, 1)


# --- an empty database ---------------------------------------------------------------------------------------
def test_nothing_to_count(director):
    figures = dashboard_figures(director, TODAY)
    assert (figures.projects_supported, figures.investment, figures.jobs) == (0, Decimal(0), 0)
    assert (figures.appeals_open, figures.appeals_overdue, figures.appeals_answered) == (0, 0, 0)
    assert figures.on_time_share is None and figures.rework_share is None and figures.average_rating is None
    assert bars(figures.projects_by_stage) == dict.fromkeys(ProjectStage.supported(), 0)
    assert [point.value for point in figures.projects_accepted_by_month] == [0] * 12
    assert sum(bar.value for bar in figures.appeals_by_status) == 0
    assert figures.appeals_by_category == [] and figures.most_overdue == []


# --- projects ------------------------------------------------------------------------------------------------
def test_projects_on_support(director, apply_project):
    accepted = apply_project(investment_volume=Decimal("1500000000"), jobs=120)
    pre = apply_project(investment_volume=Decimal("2000000000"), jobs=200)
    investing = apply_project(investment_volume=Decimal("250000000.50"), jobs=None)
    application = apply_project(investment_volume=Decimal("5000000000"), jobs=1000)  # not on support yet
    completed = apply_project(investment_volume=Decimal("7000000000"), jobs=70)  # support is over
    set_project(accepted, stage=ProjectStage.ACCEPTED, accepted_at=datetime.date(2025, 6, 1))
    set_project(pre, stage=ProjectStage.PRE_INVESTMENT, accepted_at=TODAY)
    set_project(investing, stage=ProjectStage.INVESTMENT, accepted_at=datetime.date(2024, 7, 1))  # first month
    set_project(completed, stage=ProjectStage.COMPLETED, accepted_at=datetime.date(2024, 6, 30))  # before it
    set_project(application, accepted_at=days(1))  # a date after today is not counted

    figures = dashboard_figures(director, TODAY)

    assert figures.projects_supported == 3
    assert figures.investment == Decimal("3750000000.50")
    assert figures.jobs == 320
    assert bars(figures.projects_by_stage) == {
        ProjectStage.ACCEPTED: 1, ProjectStage.PRE_INVESTMENT: 1, ProjectStage.INVESTMENT: 1,
        ProjectStage.OPERATIONAL: 0,
    }
    months = figures.projects_accepted_by_month
    assert [point.month for point in months][:2] == [datetime.date(2024, 7, 1), datetime.date(2024, 8, 1)]
    assert months[-1].month == datetime.date(2025, 6, 1) and len(months) == 12
    assert [point.value for point in months] == [1, *[0] * 10, 2]


# --- appeals -------------------------------------------------------------------------------------------------
@pytest.fixture
def appeals(file_appeal):
    """Three open (two overdue), three answered in the window, one answered before it, one rejected."""
    return {
        "in_work": appeal(file_appeal, S.IN_WORK, deadline=days(-5)),
        "assigned": appeal(file_appeal, S.ASSIGNED, deadline=days(-1)),
        "moderation": appeal(file_appeal, S.MODERATION, deadline=TODAY),  # due today: not overdue yet
        # 23:30 in Moscow on the deadline: on time
        "on_time": appeal(file_appeal, S.ANSWERED, deadline=datetime.date(2025, 6, 10),
                          answered_at=msk(2025, 6, 10, 23, 30), rating=5),
        # 00:30 in Moscow the day after (still the deadline in UTC): late; sent back once, closed
        "late": appeal(file_appeal, S.RESOLVED, deadline=datetime.date(2025, 6, 10),
                       answered_at=msk(2025, 6, 11, 0, 30), rating=4, rework_count=1),
        "unrated": appeal(file_appeal, S.ANSWERED, deadline=datetime.date(2025, 1, 20),
                          answered_at=msk(2025, 1, 15, 12, 0)),
        # the day before the window
        "last_year": appeal(file_appeal, S.DECLINED, deadline=datetime.date(2024, 6, 1),
                            answered_at=msk(2024, 6, 15, 23, 59), rating=1, rework_count=2),
        "rejected": appeal(file_appeal, S.REJECTED, deadline=days(-30)),
    }


def test_appeal_figures(director, appeals):
    figures = dashboard_figures(director, TODAY)

    assert figures.appeals_open == 3
    assert figures.appeals_overdue == 2
    assert figures.appeals_answered == 3
    assert figures.answered_on_time == 2
    assert figures.on_time_share == Decimal(2) / Decimal(3)
    assert (figures.appeals_rated, figures.average_rating) == (2, Decimal("4.5"))
    assert figures.appeals_reworked == 1 and figures.rework_share == Decimal(1) / Decimal(3)


def test_appeals_by_status_shows_open_statuses_then_answered_and_closed(director, appeals):
    status_bars = dashboard_figures(director, TODAY).appeals_by_status
    assert [bar.key for bar in status_bars] == [*AppealStatus.open(), S.ANSWERED, CLOSED]
    assert bars(status_bars) == {
        S.MODERATION: 1, S.ASSIGNED: 1, S.REDIRECTED: 0, S.IN_WORK: 1, S.CLARIFICATION: 0, S.APPROVAL: 0,
        S.ANSWERED: 2, CLOSED: 3,
    }
    assert status_bars[0].label == S.MODERATION.label


def test_the_ten_most_overdue(director, manager, file_appeal, company):
    manager_fields = {"manager": manager}
    overdue = [appeal(file_appeal, S.IN_WORK, deadline=days(-day), **manager_fields) for day in range(1, 13)]
    appeal(file_appeal, S.DECLINED, deadline=days(-100))  # closed: no longer overdue
    appeal(file_appeal, S.ANSWERED, deadline=days(-100))  # answered: the deadline has been met
    appeal(file_appeal, S.IN_WORK, deadline=TODAY)

    rows = dashboard_figures(director, TODAY).most_overdue

    assert [row.pk for row in rows] == [a.pk for a in reversed(overdue)][:10]
    assert [row.days_overdue for row in rows] == list(range(12, 2, -1))
    first = rows[0]
    assert first.number == overdue[-1].number and first.deadline == days(-12)
    assert first.subject == overdue[-1].subject
    assert first.investor == company.short_name
    assert first.manager == manager.full_name


def make_fact(index: int) -> Fact:
    category = Category.objects.create(code=f"9{index:02d}", name=f"Категория {index:02d}")
    subcategory = Subcategory.objects.create(code=f"9{index:02d}.01", name="Подкатегория", category=category)
    return Fact.objects.create(
        code=f"9{index:02d}.01.001", name="Факт", subcategory=subcategory, appeal_type=AppealType.objects.first()
    )


def test_appeals_by_category_top_eight_and_the_rest(director, file_appeal, classifier):
    facts = [make_fact(index) for index in range(10)]
    for index, fact in enumerate(facts):
        for _ in range(10 - index):  # category 00: 10 appeals … category 09: 1
            appeal(file_appeal, fact=fact)

    categories = dashboard_figures(director, TODAY).appeals_by_category

    assert [(bar.label, bar.value) for bar in categories] == [
        *[(f"Категория {index:02d}", 10 - index) for index in range(8)], ("Прочие", 2 + 1)
    ]
    assert categories[-1].key == OTHER


# --- who sees what -------------------------------------------------------------------------------------------
def test_an_omsu_executor_counts_only_their_organisation(
    director, executor, omsu, agency, manager, file_appeal, apply_project
):
    ours = appeal(file_appeal, S.IN_WORK, deadline=days(-3), executor_organisation=omsu)
    appeal(file_appeal, S.IN_WORK, deadline=days(-3), executor_organisation=agency)
    appeal(file_appeal, S.ASSIGNED, deadline=days(2), executor_organisation=agency)
    with_request = apply_project(investment_volume=Decimal("1000000000"), jobs=10)
    other = apply_project(investment_volume=Decimal("9000000000"), jobs=90)
    for project in (with_request, other):
        set_project(project, stage=ProjectStage.INVESTMENT, accepted_at=TODAY)
    ParticipantRequest.objects.create(
        project=with_request, organisation=omsu, subject="Запрос", text="Текст", due_date=TODAY, author=manager
    )

    own = dashboard_figures(executor, TODAY)
    everything = dashboard_figures(director, TODAY)

    assert (own.appeals_open, own.appeals_overdue, [row.pk for row in own.most_overdue]) == (1, 1, [ours.pk])
    assert (own.projects_supported, own.investment, own.jobs) == (1, Decimal("1000000000"), 10)
    assert (everything.appeals_open, everything.appeals_overdue) == (3, 2)
    assert (everything.projects_supported, everything.jobs) == (2, 100)


# --- cost ----------------------------------------------------------------------------------------------------
def test_the_number_of_queries_does_not_grow_with_the_data(director, file_appeal, apply_project):
    def add(count: int) -> None:
        for index in range(count):
            project = apply_project(investment_volume=Decimal(index + 1) * 10**8, jobs=index)
            set_project(project, stage=ProjectStage.supported()[index % 4], accepted_at=days(-30 * index))
            appeal(file_appeal, AppealStatus.open()[index % 6], deadline=days(-index))
            appeal(file_appeal, S.RESOLVED, deadline=days(-index), answered_at=msk(2025, 5, 1, 12, 0),
                   rating=index % 5 + 1, rework_count=index % 2)

    def queries() -> int:
        director._role_cache = None  # a fresh request: the roles are read again
        with CaptureQueriesContext(connection) as captured:
            dashboard_figures(director, TODAY)
        return len(captured)

    add(2)
    few = queries()
    add(15)
    assert queries() == few
    assert few <= 8, few
