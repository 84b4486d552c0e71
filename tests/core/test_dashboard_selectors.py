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
    assert few <= 12, few  # 7 for the cards, charts and table; 5 for «Основные показатели онлайн»


# --- «Основные показатели онлайн» ------------------------------------------------------------------------------
@pytest.fixture
def online_data(file_appeal, apply_project, make_user, omsu, manager, director, executor):
    """Appeals filed in the system (TODAY = 15.06.2025; the last 12 months start 16.06.2024, the 12 before them
    16.06.2023):

    | appeal | status     | created (Moscow) | rating | round 1: received → approved        | days            |
    | a4     | in_work    | 01.03.2024 10:00 | —      | 01.03.2024 10:00 → 08.03.2024 10:00 | 7.0 year before |
    | a1     | resolved   | 18.10.2024 10:00 | 5      | 18.10.2024 10:00 → 20.10.2024 22:00 | 2.5             |
    | a2     | answered   | 01.05.2025 12:00 | 4      | 01.05.2025 12:00 → 05.05.2025 12:00 | 4.0 (*)         |
    | a3     | rejected   | 02.05.2025 09:00 | —      | —                                   |                 |
    | a5     | moderation | 10.06.2025 09:00 | —      | —                                   |                 |
    | legacy | resolved   | 01.02.2020       | 1      | 01.02.2020 → 03.02.2020             | not counted     |

    (*) a2's round 1 was rated 2 and sent back; round 2 (20.05.2025) is rated 4: the final rating.

    Processed (answered or closed, rejected included): a1, a2, a3 = 3, since 01.03.2024 (a4, the first filed).
    Final ratings: (5 + 4) / 2 = 4.5 of 2. First answers: (2.5 + 4.0) / 2 = 3.25 days of 2; the year before 7.0 of 1.
    """
    from core.models import AppealAnswer, Organisation

    def filed(status, created, rating=None, round1=None, **fields):
        item = appeal(file_appeal, status, created_at=created, received_at=created, rating=rating, **fields)
        if round1:
            AppealAnswer.objects.create(appeal=item, number=1, text="Ответ", approved_at=round1, rating=rating)
        return item

    filed(S.IN_WORK, msk(2024, 3, 1, 10), round1=msk(2024, 3, 8, 10), rework_count=1)
    a1 = filed(S.RESOLVED, msk(2024, 10, 18, 10), 5, round1=msk(2024, 10, 20, 22), executor_organisation=omsu)
    a2 = filed(S.ANSWERED, msk(2025, 5, 1, 12), 4)
    AppealAnswer.objects.create(appeal=a2, number=1, text="Ответ", approved_at=msk(2025, 5, 5, 12), rating=2)
    AppealAnswer.objects.create(appeal=a2, number=2, text="Ответ 2", approved_at=msk(2025, 5, 20, 12), rating=4)
    filed(S.REJECTED, msk(2025, 5, 2, 9))
    filed(S.MODERATION, msk(2025, 6, 10, 9))
    filed(S.RESOLVED, msk(2020, 2, 1, 10), 1, round1=msk(2020, 2, 3, 10), is_legacy=True)

    # connected: the Администрация (the ready executor) and one ОИВ; not: an ОИВ whose only user left, an ОМСУ
    # that is no longer active, the agency (not a body)
    from core.choices import OrganisationKind
    from core.roles import Role
    from tests.factories import OrganisationFactory

    oiv = OrganisationFactory(kind=OrganisationKind.OIV)
    make_user(Role.EXECUTOR, organisation=oiv)
    left = OrganisationFactory(kind=OrganisationKind.OIV)
    make_user(Role.EXECUTOR, organisation=left, is_active=False)
    closed = OrganisationFactory(kind=OrganisationKind.OMSU)
    Organisation.objects.filter(pk=closed.pk).update(is_active=False)
    make_user(Role.EXECUTOR, organisation=closed)

    # accepted for support: 2023 — 1, 2024 — 0, 2025 — 2; an application is not accepted
    for accepted in (datetime.date(2023, 5, 1), datetime.date(2025, 2, 1), datetime.date(2025, 6, 1)):
        set_project(apply_project(), stage=ProjectStage.INVESTMENT, accepted_at=accepted)
    apply_project()

    # tasks: one open past its due date, one done past it, one open due today
    from django.utils import timezone

    from core.choices import TaskStatus
    from core.models import Task
    from core.workflows.tasks import task_create

    now = timezone.localdate()  # the door refuses a due date in the past; the dates are set afterwards
    late = task_create(author=manager, assignee=manager, title="Просрочена", due_date=now)
    done = task_create(author=manager, assignee=manager, title="Сделана", due_date=now)
    due_today = task_create(author=manager, assignee=manager, title="Сегодня", due_date=now)
    Task.objects.filter(pk=due_today.pk).update(due_date=TODAY)
    Task.objects.filter(pk=late.pk).update(due_date=days(-2))
    Task.objects.filter(pk=done.pk).update(due_date=days(-2), status=TaskStatus.DONE)
    return a1


def test_online_figures(director, online_data):
    online = dashboard_figures(director, TODAY).online
    assert online.launched == datetime.date(2024, 3, 1)
    assert (online.appeals_processed, online.rated, online.average_rating) == (3, 2, Decimal("4.5"))
    assert (online.answer_days, online.answers) == (Decimal("3.25"), 2)
    assert (online.answer_days_before, online.answers_before) == (Decimal(7), 1)
    assert (online.oiv_connected, online.omsu_connected, online.bodies_connected) == (1, 1, 2)
    assert [(point.year, point.value) for point in online.accepted_by_year] == [(2023, 1), (2024, 0), (2025, 2)]
    assert online.tasks_overdue == 1


def test_online_figures_are_scoped_like_the_cards(executor, online_data):
    """The ОМСУ executor sees a1 only (their organisation executes it), none of the projects or tasks."""
    online = dashboard_figures(executor, TODAY).online
    assert (online.launched, online.appeals_processed, online.average_rating) == (
        datetime.date(2024, 10, 18), 1, Decimal(5))
    assert (online.answer_days, online.answers, online.answers_before) == (Decimal("2.5"), 1, 0)
    assert online.accepted_by_year == [] and online.tasks_overdue == 0
    assert online.bodies_connected == 2  # a fact about the system, the same for everyone


def test_online_figures_on_an_empty_database(director):
    online = dashboard_figures(director, TODAY).online
    assert (online.launched, online.appeals_processed, online.average_rating, online.answer_days) == (
        None, 0, None, None)
    assert (online.bodies_connected, online.accepted_by_year, online.tasks_overdue) == (0, [], 0)
