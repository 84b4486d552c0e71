"""The appeal reports over a hand-built data set whose every number is derived in the comments.

Export date (params.today): 20.03.2025. Period: 01.03.2025 – 15.03.2025 (creation dates, Moscow).
All times below are Moscow time (UTC+3).

| #   | fact (type)            | manager  | executor org. | status       | created     | due   | answered    | ★ | rw |
|-----|------------------------|----------|---------------|--------------|-------------|-------|-------------|---|----|
| A1  | 06.01.002 Проблема     | Алексеев | Комитет       | resolved     | 02.03 10:00 | 10.03 | 10.03 23:30 | 5 | 0  |
| A2  | 06.01.002 Проблема     | Алексеев | Комитет       | answered     | 03.03 09:00 | 10.03 | 11.03 01:00 | 4 | 1  |
| A3  | 06.01.001 Консультация | Борисов  | Администрация | in_work      | 05.03 12:00 | 12.03 | —           | — | 0  |
| A4  | 01.01.002 Помощь       | Борисов  | Администрация | in_work      | 14.03 12:00 | 25.03 | —           | — | 2  |
| A5  | 06.01.001 Консультация | —        | —             | rejected     | 06.03 10:00 | 08.03 | —           | — | 0  |
| A6  | 01.02.001 Помощь (*)   | Борисов  | Администрация | resolved     | 01.03 00:30 | 11.03 | 04.03 15:00 | 3 | 0  |
| A7  | 06.01.002 Проблема     | Алексеев | Комитет       | in_work      | 28.02 23:30 | 20.03 | —           | — | 0  |
| A8  | 06.01.002 Проблема     | Алексеев | Комитет       | answered     | 16.03 01:00 | 20.03 | 17.03 10:00 | 1 | 0  |
| A9  | 06.01.002 Проблема     | —        | Агентство     | moderation   | 15.03 23:30 | 20.03 | —           | — | 0  |
| A10 | 04.01.001 Консультация | Васильев | Водоканал     | not_resolved | 07.03 10:00 | 12.03 | 12.03 10:00 | 4 | 0  |

★ rating, rw rework_count, (*) legacy (is_legacy); «—» manager: grouped under «Не назначен».

A10's investor is in another district (D2); all the others belong to the ready company (district D1).
In the period: A1–A6, A9, A10 = 8 appeals. A7 (28.02 23:30 Moscow) is outside although it is 28.02 20:30 UTC;
A6 (01.03 00:30 Moscow = 28.02 21:30 UTC) and A9 (15.03 23:30) are inside; A8 (16.03 01:00 Moscow = 15.03
22:00 UTC) is outside — a filter on UTC dates would get both borders wrong.
Answered (answered_at set): A1, A2, A6, A10 = 4 (A5 is rejected: no answer).
In work (open statuses): A3, A4, A9 = 3.
Overdue: A2 (answered on 11.03 Moscow, deadline 10.03 — though 10.03 22:00 UTC) and A3 (open, deadline 12.03 <
20.03) = 2; A9's deadline is today (not yet overdue), A5 is rejected (never overdue), A1 answered at 23:30 on its
deadline day (on time).
Ratings: 5, 4, 3, 4 → overall 16 / 4 = 4.00.
Rework: A2, A4 → 2 / 8 = 25.0 %.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.choices import AppealStatus, OrganisationKind
from core.models import Appeal, AppealType, Category, Fact, Subcategory
from core.reports.appeals import appeals_by_executor, appeals_by_type, authorities_rating
from core.reports.registry import ReportParams, report_build
from core.roles import Role
from tests.factories import DistrictFactory, OrganisationFactory

S = AppealStatus
D = Decimal
MSK = ZoneInfo("Europe/Moscow")
TODAY = date(2025, 3, 20)
PERIOD = ReportParams(date_from=date(2025, 3, 1), date_to=date(2025, 3, 15), today=TODAY)


def msk(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=MSK)


def fact(code: str) -> Fact:
    return Fact.objects.get(code=code)


@pytest.fixture
def data(file_appeal, make_user, agency, omsu, director, problem_fact):
    oiv = OrganisationFactory(kind=OrganisationKind.OIV, short_name="Комитет (тест)")
    rso = OrganisationFactory(kind=OrganisationKind.RSO, short_name="Водоканал (тест)")
    d2 = DistrictFactory(code="41633000", name="Лужский муниципальный район")
    company2 = OrganisationFactory(kind=OrganisationKind.INVESTOR, district=d2, short_name="ООО «Луга»")
    # created against the alphabet, so that neither ids nor creation order can pass for the name order
    vasiliev = make_user(Role.EXECUTOR, organisation=rso, last_name="Васильев", first_name="Василий",
                         middle_name="Васильевич")
    borisov = make_user(Role.EXECUTOR, organisation=omsu, last_name="Борисов", first_name="Борис",
                        middle_name="Борисович")
    alekseev = make_user(Role.EXECUTOR, organisation=oiv, last_name="Алексеев", first_name="Алексей",
                         middle_name="Алексеевич")
    complaint = AppealType.objects.create(code="complaint", name="Жалоба", period_days=5, order=99)

    def appeal(code: str, **fields) -> Appeal:
        created = file_appeal(fact=fact(code))
        fields.setdefault("answered_at", None)
        fields.setdefault("received_at", fields.get("created_at"))
        Appeal.objects.filter(pk=created.pk).update(**fields)
        return created

    a = {}
    a[10] = appeal("04.01.001", manager=vasiliev, executor_organisation=rso, status=S.NOT_RESOLVED,
                   created_at=msk(3, 7, 10), deadline=date(2025, 3, 12), answered_at=msk(3, 12, 10), rating=4,
                   organisation=company2)
    a[9] = appeal("06.01.002", manager=None, executor_organisation=agency, status=S.MODERATION,
                  created_at=msk(3, 15, 23, 30), deadline=date(2025, 3, 20))
    a[6] = appeal("01.02.001", manager=borisov, executor_organisation=omsu, status=S.RESOLVED,
                  created_at=msk(3, 1, 0, 30), deadline=date(2025, 3, 11), answered_at=msk(3, 4, 15), rating=3,
                  is_legacy=True)
    a[5] = appeal("06.01.001", manager=None, executor_organisation=None, status=S.REJECTED,
                  created_at=msk(3, 6, 10), deadline=date(2025, 3, 8))
    a[4] = appeal("01.01.002", manager=borisov, executor_organisation=omsu, status=S.IN_WORK,
                  created_at=msk(3, 14, 12), deadline=date(2025, 3, 25), rework_count=2)
    a[3] = appeal("06.01.001", manager=borisov, executor_organisation=omsu, status=S.IN_WORK,
                  created_at=msk(3, 5, 12), deadline=date(2025, 3, 12))
    a[2] = appeal("06.01.002", manager=alekseev, executor_organisation=oiv, status=S.ANSWERED,
                  created_at=msk(3, 3, 9), deadline=date(2025, 3, 10), answered_at=msk(3, 11, 1), rating=4,
                  rework_count=1)
    a[1] = appeal("06.01.002", manager=alekseev, executor_organisation=oiv, status=S.RESOLVED,
                  created_at=msk(3, 2, 10), deadline=date(2025, 3, 10), answered_at=msk(3, 10, 23, 30), rating=5)
    a[7] = appeal("06.01.002", manager=alekseev, executor_organisation=oiv, status=S.IN_WORK,
                  created_at=msk(2, 28, 23, 30), deadline=date(2025, 3, 20))
    a[8] = appeal("06.01.002", manager=alekseev, executor_organisation=oiv, status=S.ANSWERED,
                  created_at=msk(3, 16, 1), deadline=date(2025, 3, 20), answered_at=msk(3, 17, 10), rating=1)
    return SimpleNamespace(
        appeals=a, oiv=oiv, rso=rso, omsu=omsu, agency=agency, d2=d2, director=director, alekseev=alekseev,
        borisov=borisov, vasiliev=vasiliev, complaint=complaint, types={t.code: t for t in AppealType.objects.all()},
    )


def values(table) -> list[tuple]:
    return [row.values for row in table.rows]


def category(code: str) -> str:
    return Category.objects.get(code=code).name


def subcategory(code: str) -> str:
    return Subcategory.objects.get(code=code).name


def fact_name(code: str) -> str:
    return fact(code).name


# --------------------------------------------------------------------------------------------------------------
# 1. By type


def test_by_type_columns_rows_and_total(data):
    table = appeals_by_type(user=data.director, params=PERIOD)
    assert table.slug == "appeals-by-type"
    assert table.title == "Общее количество обращений по типу"
    assert [c.label for c in table.columns] == [
        "Тип обращения", "Кол-во обращений", "Кол-во ответов", "Кол-во в работе", "Кол-во просроченных",
        "Средняя оценка ответа", "Вынесено на МРГ", "Каналы поступления",
    ]
    assert table.meta == [("Дата выгрузки", "20.03.2025"), ("Дата поступления обращений", "01.03.2025 – 15.03.2025")]
    assert values(table) == [
        # Жалоба: no appeals, listed with zeros (and first: by name, although its order is 99)
        ("Жалоба", 0, 0, 0, 0, None, 0, ""),
        # Консультация: A3, A5, A10 = 3; answered A10; in work A3; overdue A3; rating A10 = 4
        ("Консультация", 3, 1, 1, 1, D("4.00"), 0, "Портал — 3"),
        # Помощь: A4, A6 (legacy, counted) = 2; answered A6; in work A4; none overdue (A4 due 25.03); rating 3
        ("Помощь", 2, 1, 1, 0, D("3.00"), 0, "Портал — 2"),
        # Проблема: A1, A2, A9 = 3; answered A1, A2; in work A9 (due today: not overdue); overdue A2 (late);
        # rating (5 + 4) / 2 = 4.5
        ("Проблема", 3, 2, 1, 1, D("4.50"), 0, "Портал — 3"),
    ]
    # the mean of the rows' averages would be (4 + 3 + 4.5) / 3 = 3.83; the total averages all 4 ratings
    assert table.total.values == ("Итого", 8, 4, 3, 2, D("4.00"), 0, "Портал — 8")
    assert table.total.kind == "total"
    assert all(row.level == 0 for row in table.rows)


def test_answered_on_deadline_day_late_evening_is_on_time_and_just_after_midnight_late(data):
    """A1 answered 10.03 23:30 Moscow (on time); A2 11.03 01:00 Moscow = 10.03 22:00 UTC (late)."""
    only_problems = appeals_by_executor(
        user=data.director, params=ReportParams(**{**PERIOD.__dict__, "appeal_type": data.types["problem"].pk})
    )
    # Проблема: A1, A2 (Алексеев), A9 (Не назначен); overdue only A2
    assert only_problems.total.values[6] == 1
    assert [row.values[6] for row in only_problems.rows if row.kind == "executor"] == [1, 0]


@pytest.mark.parametrize(
    ("date_from", "date_to", "wording", "count"),
    [
        # A6 (01.03 00:30) and A9 (15.03 23:30) inside, A7 (28.02 23:30) and A8 (16.03 01:00) outside
        (date(2025, 3, 1), date(2025, 3, 15), "01.03.2025 – 15.03.2025", 8),
        (date(2025, 3, 1), None, "с 01.03.2025", 9),  # + A8
        (None, date(2025, 3, 15), "по 15.03.2025", 9),  # + A7
        (None, None, "за всё время", 10),
        (date(2025, 2, 28), date(2025, 2, 28), "28.02.2025 – 28.02.2025", 1),  # A7 alone
        (date(2025, 3, 16), date(2025, 3, 16), "16.03.2025 – 16.03.2025", 1),  # A8 alone
    ],
)
def test_period_is_by_moscow_dates(data, date_from, date_to, wording, count):
    params = ReportParams(date_from=date_from, date_to=date_to, today=TODAY)
    for build in (appeals_by_type, appeals_by_executor):
        table = build(user=data.director, params=params)
        assert table.meta[1] == ("Дата поступления обращений", wording)
        assert table.total.values[1] == count


def test_all_time_totals_include_the_appeals_outside_the_period(data):
    table = appeals_by_type(user=data.director, params=ReportParams(today=TODAY))
    # + A7 (in work, due today: not overdue) and A8 (answered 17.03, due 20.03; rating 1):
    # 10 appeals, 5 answers, 4 in work, 2 overdue, (5 + 4 + 3 + 4 + 1) / 5 = 3.40
    assert table.total.values[:6] == ("Итого", 10, 5, 4, 2, D("3.40"))


def test_visibility_scopes_every_report(data, executor):
    # Алексеев (executor of the Комитет): A1, A2 only — the Комитет's appeals in the period
    alekseev = appeals_by_type(user=data.alekseev, params=PERIOD)
    assert alekseev.total.values == ("Итого", 2, 2, 0, 1, D("4.50"), 0, "Портал — 2")
    assert [row.values[1] for row in alekseev.rows] == [0, 0, 0, 2]
    # the ready executor of the Администрация (another organisation) sees A3, A4, A6 and nothing of the Комитет
    omsu = appeals_by_type(user=executor, params=PERIOD)
    assert [row[:6] for row in values(omsu)] == [
        ("Жалоба", 0, 0, 0, 0, None),
        ("Консультация", 1, 0, 1, 1, None),  # A3: open, past its deadline
        ("Помощь", 2, 1, 1, 0, D("3.00")),  # A4, A6
        ("Проблема", 0, 0, 0, 0, None),
    ]
    assert omsu.total.values[:6] == ("Итого", 3, 1, 2, 1, D("3.00"))
    tree = appeals_by_executor(user=executor, params=PERIOD)
    assert [row.values[0] for row in tree.rows if row.kind == "executor"] == ["Борисов Борис Борисович"]
    rating = authorities_rating(user=data.alekseev, params=PERIOD)
    assert [row.values[0] for row in rating.rows] == ["Комитет (тест)"]


# --------------------------------------------------------------------------------------------------------------
# 2. By executor and classifier

ALEKSEEV, BORISOV, VASILIEV, MODERATION, REJECTED = (
    "Алексеев Алексей Алексеевич", "Борисов Борис Борисович", "Васильев Василий Васильевич", "На модерации",
    "Отклонено на модерации",
)


def portal(n: int) -> tuple:
    """The last two columns of a row whose n appeals all came through the portal and none went to the МРГ."""
    return 0, f"Портал — {n}"


def test_by_executor_tree(data):
    table = appeals_by_executor(user=data.director, params=PERIOD)
    assert table.slug == "appeals-by-executor"
    assert table.title == "Обращения по исполнителям и классификатору"
    assert [c.label for c in table.columns] == [
        "Исполнитель / классификатор", "Количество обращений", "Количество ответов", "Количество в работе",
        "На доработке, %", "Средняя оценка ответа", "Количество просроченных", "Вынесено на МРГ",
        "Каналы поступления",
    ]
    rows = [(row.level, row.kind, row.values) for row in table.rows]
    # columns: appeals, answers, in work, rework % (of the appeals answered at least once), average rating,
    # overdue, МРГ, channels
    alekseev = (2, 2, 0, D("50.0"), D("4.50"), 1, *portal(2))  # A1, A2: both answered; A2 reworked, rated 4, late
    a3 = (1, 0, 1, None, None, 1, *portal(1))  # open past its deadline, never answered: no rework share
    a4 = (1, 0, 1, D("100.0"), None, 0, *portal(1))  # answered, sent back twice, due 25.03
    a6 = (1, 1, 0, D("0.0"), D("3.00"), 0, *portal(1))  # answered on time, rated 3
    a10 = (1, 1, 0, D("0.0"), D("4.00"), 0, *portal(1))
    a5 = (1, 0, 0, None, None, 0, *portal(1))  # rejected in moderation: no answer, not in work, never overdue
    a9 = (1, 0, 1, None, None, 0, *portal(1))  # in moderation, due today
    assert rows == [
        (0, "executor", (ALEKSEEV, *alekseev)),
        (1, "category", (category("06"), *alekseev)),
        (2, "subcategory", (subcategory("06.01"), *alekseev)),
        (3, "fact", (fact_name("06.01.002"), *alekseev)),
        # A3, A4, A6: 1 answer, 2 in work, rework 1 of the 2 answered at least once (A4, A6), rating 3, A3 overdue
        (0, "executor", (BORISOV, 3, 1, 2, D("50.0"), D("3.00"), 1, *portal(3))),
        (1, "category", (category("01"), 2, 1, 1, D("50.0"), D("3.00"), 0, *portal(2))),  # A4, A6
        (2, "subcategory", (subcategory("01.01"), *a4)),
        (3, "fact", (fact_name("01.01.002"), *a4)),
        (2, "subcategory", (subcategory("01.02"), *a6)),
        (3, "fact", (fact_name("01.02.001"), *a6)),
        (1, "category", (category("06"), *a3)),
        (2, "subcategory", (subcategory("06.01"), *a3)),
        (3, "fact", (fact_name("06.01.001"), *a3)),
        (0, "executor", (VASILIEV, *a10)),
        (1, "category", (category("04"), *a10)),
        (2, "subcategory", (subcategory("04.01"), *a10)),
        (3, "fact", (fact_name("04.01.001"), *a10)),
        # nobody was given A9 (still in moderation) and A5 (rejected there): labels that say so, never «Не назначен»
        (0, "executor", (MODERATION, *a9)),
        (1, "category", (category("06"), *a9)),
        (2, "subcategory", (subcategory("06.01"), *a9)),
        (3, "fact", (fact_name("06.01.002"), *a9)),
        (0, "executor", (REJECTED, *a5)),
        (1, "category", (category("06"), *a5)),
        (2, "subcategory", (subcategory("06.01"), *a5)),
        (3, "fact", (fact_name("06.01.001"), *a5)),
    ]
    # rework A2, A4 of the 5 answered at least once (A1, A2, A4, A6, A10) = 40.0 %;
    # ratings (5 + 4 + 3 + 4) / 4 = 4.00, not the rows' (4.5 + 3 + 4) / 3 = 3.83
    assert table.total.values == ("Итого", 8, 4, 3, D("40.0"), D("4.00"), 2, *portal(8))
    assert all(row.link == "" for row in table.rows)


def test_by_executor_main_only(data):
    table = appeals_by_executor(user=data.director, params=ReportParams(**{**PERIOD.__dict__, "main_only": True}))
    assert [(row.level, row.kind, row.values[0], row.values[1]) for row in table.rows] == [
        (0, "executor", ALEKSEEV, 2),
        (1, "category", category("06"), 2),
        (0, "executor", BORISOV, 3),
        (1, "category", category("01"), 2),
        (1, "category", category("06"), 1),
        (0, "executor", VASILIEV, 1),
        (1, "category", category("04"), 1),
        (0, "executor", MODERATION, 1),
        (1, "category", category("06"), 1),
        (0, "executor", REJECTED, 1),
        (1, "category", category("06"), 1),
    ]
    assert table.total.values == ("Итого", 8, 4, 3, D("40.0"), D("4.00"), 2, *portal(8))
    assert ("Только основные категории", "да") in table.meta


def label(node: str) -> str:
    """A person's name as is; a classifier code ("06", "06.01", "06.01.002") as the node's name."""
    if not node[:1].isdigit():
        return node
    return {1: category, 2: subcategory, 3: fact_name}[node.count(".") + 1](node)


@pytest.mark.parametrize(
    ("field", "value", "meta", "labels", "total"),
    [
        # Помощь: A4, A6 (Борисов)
        ("appeal_type", lambda d: d.types["help"].pk, ("Тип обращения", "Помощь"),
         [BORISOV, "01", "01.01", "01.01.002", "01.02", "01.02.001"],
         (2, 1, 1, D("50.0"), D("3.00"), 0, *portal(2))),
        # in work: A3, A4 (Борисов); A4 answered once and sent back (1 of 1 answered); A3 overdue; none rated
        ("status", lambda d: S.IN_WORK, ("Статус", "Обращение взято в работу"),
         [BORISOV, "01", "01.01", "01.01.002", "06", "06.01", "06.01.001"],
         (2, 0, 2, D("100.0"), None, 1, *portal(2))),
        # the investor's district D2: A10 only
        ("district", lambda d: d.d2.pk, ("Район инвестора", "Лужский муниципальный район"),
         [VASILIEV, "04", "04.01", "04.01.001"],
         (1, 1, 0, D("0.0"), D("4.00"), 0, *portal(1))),
        # the Комитет as executor: A1, A2
        ("executor_organisation", lambda d: d.oiv.pk, ("Организация-исполнитель", "Комитет (тест)"),
         [ALEKSEEV, "06", "06.01", "06.01.002"],
         (2, 2, 0, D("50.0"), D("4.50"), 1, *portal(2))),
    ],
)
def test_by_executor_filters(data, field, value, meta, labels, total):
    params = ReportParams(**{**PERIOD.__dict__, field: value(data)})
    table = appeals_by_executor(user=data.director, params=params)
    assert [row.values[0] for row in table.rows] == [label(node) for node in labels]
    assert [row.level for row in table.rows] == [0 if not n[:1].isdigit() else n.count(".") + 1 for n in labels]
    assert table.total.values == ("Итого", *total)
    assert meta in table.meta


# --------------------------------------------------------------------------------------------------------------
# 3. The rating of public bodies


def test_authorities_rating(data):
    table = authorities_rating(user=data.director, params=PERIOD)
    assert table.slug == "authorities"
    assert table.title == "Рейтинг органов власти"
    assert [c.label for c in table.columns] == [
        "Организация", "Обращений", "Ответов", "Ответов в срок, %", "Среднее время ответа, дней",
        "На доработке, %", "Средняя оценка", "Оценка первого ответа",
    ]
    # (no answer rounds in this data set: the first-answer column is empty; see test_rounds_… below)
    assert values(table) == [
        # Водоканал: A10 answered on its deadline day (on time), 07.03 10:00 → 12.03 10:00 = 5.0 days, rated 4
        ("Водоканал (тест)", 1, 1, D("100.0"), D("5.0"), D("0.0"), D("4.00"), None),
        # Администрация: A3, A4, A6; A6 answered on time 01.03 00:30 → 04.03 15:00 = 3 d 14.5 h = 3.604 days;
        # rework A4 of the answered A4, A6 → 50.0 %; rated 3. Same on-time % as the Водоканал, lower rating: second
        ("Администрация (тест)", 3, 1, D("100.0"), D("3.6"), D("50.0"), D("3.00"), None),
        # Комитет: A1 on time, A2 late → 50.0 %; A1 02.03 10:00 → 10.03 23:30 = 8.5625 days, A2 03.03 09:00 →
        # 11.03 01:00 = 7 d 16 h = 7.6667 days → 8.1146; rework A2 → 50.0 %; (5 + 4) / 2 = 4.5
        ("Комитет (тест)", 2, 2, D("50.0"), D("8.1"), D("50.0"), D("4.50"), None),
    ]
    # A5 (no executor) and A9 (the agency as executor) are not rated: 6 appeals, 4 answers, 3 on time = 75.0 %;
    # days (5 + 3.6042 + 8.5625 + 7.6667) / 4 = 24.8333 / 4 = 6.2083 (the rows' mean would be 5.57);
    # rework A2, A4 of the 5 answered at least once (A10, A4, A6, A1, A2) = 40.0 %; ratings (4 + 3 + 5 + 4) / 4
    assert table.total.values == ("Итого", 6, 4, D("75.0"), D("6.2"), D("40.0"), D("4.00"), None)


def test_authorities_rate_only_bodies_other_than_the_agency(data):
    table = authorities_rating(user=data.director, params=ReportParams(today=TODAY))
    names = [row.values[0] for row in table.rows]
    assert data.agency.short_name not in names
    # all time: + A7 (in work) and A8 (answered 17.03 10:00, due 20.03; 16.03 01:00 → 17.03 10:00 = 1 d 9 h =
    # 1.375 days, rated 1) for the Комитет: 4 appeals, 3 answers, 2 on time = 66.7 %,
    # days (8.5625 + 7.6667 + 1.375) / 3 = 5.8681, rework 1 / 3 = 33.3 %, rating (5 + 4 + 1) / 3 = 3.33
    assert table.rows[-1].values == ("Комитет (тест)", 4, 3, D("66.7"), D("5.9"), D("33.3"), D("3.33"), None)


def test_empty_population_gives_empty_ratios(data):
    table = authorities_rating(user=data.director, params=ReportParams(date_from=date(2030, 1, 1), today=TODAY))
    assert values(table) == []
    assert table.total.values == ("Итого", 0, 0, None, None, None, None, None)


# --------------------------------------------------------------------------------------------------------------
# The query count does not grow with the data, and the registry builds every report


def _count_queries(build, user, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        build(user=user, params=params)
    return len(captured)


def test_constant_number_of_queries(data, file_appeal, make_user, omsu):
    builds = [
        (appeals_by_type, PERIOD, 2),  # the types, one GROUP BY
        (appeals_by_executor, PERIOD, 1),  # one GROUP BY at the finest level, rolled up in Python
        (appeals_by_executor, ReportParams(**{**PERIOD.__dict__, "main_only": True}), 1),
        (authorities_rating, PERIOD, 1),
    ]
    appeals_by_type(user=data.director, params=PERIOD)  # the director's roles are read once, then cached
    before = [_count_queries(build, data.director, params) for build, params, _expected in builds]
    assert before == [expected for _build, _params, expected in builds]
    for index, code in enumerate(["01.01.001", "02.01.001", "03.01.002", "05.01.001", "07.01.001"]):
        person = make_user(Role.EXECUTOR, organisation=omsu, last_name=f"Новиков{index}", first_name="Ной")
        for _ in range(2):
            created = file_appeal(fact=fact(code))
            Appeal.objects.filter(pk=created.pk).update(
                manager=person, executor_organisation=omsu, status=S.RESOLVED, created_at=msk(3, 10, 12),
                received_at=msk(3, 10, 12), answered_at=msk(3, 11, 12), rating=index % 5 + 1,
            )
    after = [_count_queries(build, data.director, params) for build, params, _expected in builds]
    assert after == before
    assert appeals_by_type(user=data.director, params=PERIOD).total.values[1] == 18


@pytest.mark.parametrize("slug", ["appeals-by-type", "appeals-by-executor", "authorities"])
def test_registry_builds_with_todays_date(data, slug):
    table = report_build(slug, user=data.director, params=ReportParams())
    assert table.slug == slug
    assert table.meta[1] == ("Дата поступления обращений", "за всё время")
    assert table.total.values[1] == (10 if slug != "authorities" else 8)


def test_deadline_extension_counts_against_the_current_deadline(data):
    """A2 was answered on 11.03: once its deadline is moved to 11.03 it is on time and not overdue."""
    Appeal.objects.filter(pk=data.appeals[2].pk).update(deadline=date(2025, 3, 11))
    assert appeals_by_type(user=data.director, params=PERIOD).total.values[:6] == ("Итого", 8, 4, 3, 1, D("4.00"))
    rating = authorities_rating(user=data.director, params=PERIOD)
    assert rating.rows[0].values[:4] == ("Комитет (тест)", 2, 2, D("100.0"))


def test_answer_time_is_summed_in_the_database_and_rounded_half_up(data):
    """The answer time sums durations in the database (interval on PostgreSQL, microseconds on SQLite)."""
    Appeal.objects.filter(pk=data.appeals[10].pk).update(answered_at=msk(3, 7, 10) + timedelta(days=2, hours=6))
    rating = authorities_rating(user=data.director, params=PERIOD)
    row = next(row for row in rating.rows if row.values[0] == "Водоканал (тест)")
    assert row.values[4] == D("2.3")  # 2 days 6 hours = 2.25 → 2.3 (half up)


# --------------------------------------------------------------------------------------------------------------
# Answer rounds: the final rating, the first answer's rating and rework once per appeal (through the door)


def test_rounds_final_and_first_ratings_and_rework(file_appeal, coordinator, executor, head, investor, director):
    """R1: rated 3 on round 1, sent back, answered again and rated 5. R2: answered once, rated 4. Both executed by
    the Администрация. Final ratings (5 + 4) / 2 = 4.50; first answers (3 + 4) / 2 = 3.50; rework: R1 once (not
    twice: one appeal) of the 2 answered = 50.0 %."""
    from tests.admin_site.appeals.helpers import act

    def answered(text: str) -> Appeal:
        appeal = act(file_appeal(), "assign", coordinator, executor_organisation=executor.organisation,
                     manager=executor, head=head)
        appeal = act(appeal, "take_into_work", executor)
        appeal = act(appeal, "submit_for_approval", executor, answer_text=text)
        return act(appeal, "approve", head)

    r1 = act(answered("Первый ответ"), "rate", investor, rating=3, comment="Неполно")
    r1 = act(r1, "send_back_for_rework", investor, reason="Нет сроков")
    r1 = act(r1, "submit_for_approval", executor, answer_text="Ответ со сроками")
    r1 = act(r1, "approve", head)
    r1 = act(r1, "rate", investor, rating=5, comment="Спасибо")
    act(answered("Ответ"), "rate", investor, rating=4, comment="")
    assert list(r1.answers.values_list("number", "rating")) == [(1, 3), (2, 5)]

    params = ReportParams(today=timezone_today())
    rating = authorities_rating(user=director, params=params)
    assert values(rating) == [("Администрация (тест)", 2, 2, D("100.0"), rating.rows[0].values[4], D("50.0"),
                               D("4.50"), D("3.50"))]
    assert appeals_by_type(user=director, params=params).total.values[5] == D("4.50")
    tree = appeals_by_executor(user=director, params=params)
    assert tree.total.values[4:6] == (D("50.0"), D("4.50"))


def timezone_today() -> date:
    from django.utils import timezone

    return timezone.localdate()


# --------------------------------------------------------------------------------------------------------------
# Channels and the МРГ


@pytest.fixture
def channels_and_mrg(data):
    """A3 came by phone, A10 by letter; A10 (closed «Не решено») went to the МРГ twice — it counts once."""
    from core.choices import AppealChannel
    from core.models import AppealEscalation

    Appeal.objects.filter(pk=data.appeals[3].pk).update(channel=AppealChannel.PHONE)
    Appeal.objects.filter(pk=data.appeals[10].pk).update(channel=AppealChannel.LETTER)
    for session in (date(2025, 3, 13), date(2025, 3, 18)):
        AppealEscalation.objects.create(appeal=data.appeals[10], session_date=session, decision="Рассмотреть")
    return data


def test_channel_and_mrg_columns(channels_and_mrg):
    data = channels_and_mrg
    table = appeals_by_type(user=data.director, params=PERIOD)
    # Консультация: A3 (phone), A5 (portal), A10 (letter, МРГ)
    assert values(table)[1][6:] == (1, "Портал — 1, Телефон — 1, Письмо — 1")
    assert table.total.values[6:] == (1, "Портал — 6, Телефон — 1, Письмо — 1")
    tree = appeals_by_executor(user=data.director, params=PERIOD)
    executors = {row.values[0]: row.values[7:] for row in tree.rows if row.kind == "executor"}
    assert executors[VASILIEV] == (1, "Письмо — 1")
    assert executors[BORISOV] == (0, "Портал — 2, Телефон — 1")


@pytest.mark.parametrize(
    ("filters", "meta", "count"),
    [
        ({"channel": "phone"}, [("Канал поступления", "Телефон")], 1),  # A3
        ({"channel": "portal"}, [("Канал поступления", "Портал")], 6),
        ({"mrg": "yes"}, [("Вынесено на МРГ", "да")], 1),  # A10
        ({"mrg": "no"}, [("Вынесено на МРГ", "нет")], 7),
        ({"channel": "letter", "mrg": "yes"}, [("Канал поступления", "Письмо"), ("Вынесено на МРГ", "да")], 1),
        ({"channel": "phone", "mrg": "yes"}, [("Канал поступления", "Телефон"), ("Вынесено на МРГ", "да")], 0),
    ],
)
def test_channel_and_mrg_filters(channels_and_mrg, filters, meta, count):
    params = ReportParams(**{**PERIOD.__dict__, **filters})
    for build in (appeals_by_type, appeals_by_executor):
        table = build(user=channels_and_mrg.director, params=params)
        assert table.total.values[1] == count
        assert table.meta[-len(meta):] == meta


# --------------------------------------------------------------------------------------------------------------
# Seed #737: an appeal without a manager counts under its executor body's head, never under «Не назначен»


@pytest.fixture
def waiting(data, make_user):
    """A3 was redirected to the Администрация, which has not named a person yet; A10 (Водоканал: its only head
    left, so no active head) lost its manager. The Администрация has two heads: the first by pk counts."""
    first = make_user(Role.HEAD, organisation=data.omsu, last_name="Григорьев", first_name="Григорий", middle_name="")
    make_user(Role.HEAD, organisation=data.omsu, last_name="Дмитриев", first_name="Дмитрий", middle_name="")
    make_user(Role.HEAD, organisation=data.rso, last_name="Бывший", first_name="Руководитель", is_active=False)
    Appeal.objects.filter(pk=data.appeals[3].pk).update(manager=None, status=S.REDIRECTED)
    Appeal.objects.filter(pk=data.appeals[10].pk).update(manager=None)
    data.omsu_head = first
    return data


def test_appeals_without_a_manager_count_under_the_bodys_head(waiting):
    tree = appeals_by_executor(user=waiting.director, params=PERIOD)
    executors = [(row.values[0], row.values[1], row.values[3]) for row in tree.rows if row.kind == "executor"]
    assert executors == [
        (ALEKSEEV, 2, 0),
        (BORISOV, 2, 1),  # A4, A6
        ("Водоканал (тест)", 1, 0),  # A10: the body has no head, so the body itself
        ("Григорьев Григорий", 1, 1),  # A3, redirected: in work under the Администрация's first head
        (MODERATION, 1, 1),  # A9
        (REJECTED, 1, 0),  # A5
    ]
    labels = [row.values[0] for row in tree.rows]
    assert "Не назначен" not in labels
    assert tree.total.values[1:4] == (8, 4, 3)


def test_an_inactive_head_is_skipped(waiting):
    waiting.omsu_head.is_active = False
    waiting.omsu_head.save(update_fields=["is_active"])
    tree = appeals_by_executor(user=waiting.director, params=PERIOD)
    assert "Дмитриев Дмитрий" in [row.values[0] for row in tree.rows if row.kind == "executor"]


def test_constant_number_of_queries_with_appeals_waiting_for_a_person(waiting, file_appeal, make_user):
    """One GROUP BY and one query for the heads, whatever the number of bodies and appeals."""
    def count() -> int:
        return _count_queries(appeals_by_executor, waiting.director, PERIOD)

    appeals_by_type(user=waiting.director, params=PERIOD)  # the director's roles, cached
    before = count()
    assert before == 2
    for index in range(4):
        body = OrganisationFactory(kind=OrganisationKind.OMSU, short_name=f"Администрация {index}")
        make_user(Role.HEAD, organisation=body, last_name=f"Руководитель{index}")
        for _ in range(2):
            created = file_appeal(fact=fact("06.01.002"))
            Appeal.objects.filter(pk=created.pk).update(
                manager=None, executor_organisation=body, status=S.REDIRECTED, created_at=msk(3, 10, 12),
                received_at=msk(3, 10, 12))
    assert count() == before
    assert appeals_by_executor(user=waiting.director, params=PERIOD).total.values[1] == 16


def test_the_period_counts_an_appeal_by_when_the_agency_received_it(data):
    """A letter received on 28.02 and registered by staff on 05.03 belongs to February, not to March."""
    march = ReportParams(date_from=date(2025, 3, 1), date_to=date(2025, 3, 15), today=TODAY)
    before = appeals_by_type(user=data.director, params=march).total.values[1]
    moved = Appeal.objects.filter(received_at__gte=msk(3, 1, 0, 0), received_at__lt=msk(3, 16, 0, 0)).order_by(
        "number").first()
    Appeal.objects.filter(pk=moved.pk).update(received_at=msk(2, 20, 10), channel="letter")
    assert appeals_by_type(user=data.director, params=march).total.values[1] == before - 1
    february = ReportParams(date_from=date(2025, 2, 20), date_to=date(2025, 2, 20), today=TODAY)
    assert appeals_by_type(user=data.director, params=february).total.values[1] == 1
