"""Project reports (core.reports.projects): staff workload, the project pool, the CRM audit and its weekly sample.

Every expected number is counted by hand from the data each test builds; the clock stands at noon, Wednesday
12 March 2025, Moscow (ISO week 2025-W11), and the reports are built for that day.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import AppealStatus, MeetingStatus, OrganisationKind, ProjectStage, TaskStatus
from core.models import Appeal, Industry, Project, ProjectEvent, Task, User
from core.reports.projects import (
    crm_audit,
    crm_audit_sample,
    default_seed,
    project_pool,
    staff_workload,
)
from core.reports.registry import ReportParams
from core.roles import Role
from core.services.projects import land_plot_add, meeting_save, meeting_set_status, request_send, roadmap_item_save
from core.workflows.projects import project_transition
from core.workflows.tasks import task_create
from tests.factories import DistrictFactory, OrganisationFactory

TODAY = date(2025, 3, 12)
S = ProjectStage


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2025-03-12 12:00 +03:00", tick=False):
        yield


def msk(text: str) -> datetime:
    """An aware moment written in Moscow time: msk("2025-03-01 00:30")."""
    return datetime.fromisoformat(f"{text}+03:00")


def params(**values) -> ReportParams:
    return ReportParams(today=TODAY, **values)


def set_stage(project: Project, stage: str) -> None:
    Project.objects.filter(pk=project.pk).update(stage=stage)


def fresh(user: User) -> User:
    """The user as a new request sees them (no cached roles)."""
    return User.objects.get(pk=user.pk)


def queries(build, user: User, report_params: ReportParams) -> int:
    user = fresh(user)
    with CaptureQueriesContext(connection) as captured:
        build(user=user, params=report_params)
    return len(captured)


@pytest.fixture
def colleague(make_user, agency):
    return make_user(Role.MANAGER, organisation=agency, last_name="Алексеев", email="colleague@test.zk.example")


@pytest.fixture
def logistics(db):
    return Industry.objects.create(code="test-logistics", name="Логистика", order=1)


@pytest.fixture
def food(db):
    return Industry.objects.create(code="test-food", name="Пищевая промышленность", order=2)


# --------------------------------------------------------------------------------------------------------------
# 1. Staff workload

STAGE_COLUMNS = [f"stage_{s}" for s in S.active()]


@pytest.fixture
def workload(apply_project, manager, colleague, head, director, make_user, agency, file_appeal):
    """Manager «Иванов», colleague «Алексеев», head «Сидоров» (tasks only), idle manager «Яковлев»."""
    User.objects.filter(pk=manager.pk).update(last_name="Иванов")
    User.objects.filter(pk=head.pk).update(last_name="Сидоров")
    idle = make_user(Role.MANAGER, organisation=agency, last_name="Яковлев")
    make_user(Role.MANAGER, organisation=agency, last_name="Уволенный", is_active=False)  # not on the roster
    make_user(Role.MANAGER, organisation=OrganisationFactory(kind=OrganisationKind.OIV), last_name="Чужой")

    # projects: Иванов — application, review, investment ×2 (+ completed, not counted); Алексеев — accepted
    # (+ suspended, not counted)
    p = {name: apply_project(name=name) for name in ("p1", "p2", "p3", "p4", "p5", "p6", "p7")}
    project_transition(project=p["p2"], name="start_review", actor=manager)  # through the door …
    for name, stage in {"p3": S.INVESTMENT, "p4": S.INVESTMENT, "p5": S.COMPLETED, "p6": S.ACCEPTED,
                        "p7": S.SUSPENDED}.items():
        set_stage(p[name], stage)  # … or straight to a later stage
    Project.objects.filter(pk__in=[p["p6"].pk, p["p7"].pk]).update(personal_manager=colleague)
    for name in p:
        p[name].refresh_from_db()

    # appeals: Иванов — open in time, open overdue, resolved; Алексеев — open, due today (not overdue)
    for who, status, deadline in [
        (manager, AppealStatus.IN_WORK, TODAY + timedelta(days=5)),
        (manager, AppealStatus.IN_WORK, TODAY - timedelta(days=1)),
        (manager, AppealStatus.RESOLVED, TODAY - timedelta(days=10)),
        (colleague, AppealStatus.ASSIGNED, TODAY),
    ]:
        appeal = file_appeal()
        Appeal.objects.filter(pk=appeal.pk).update(manager=who, status=status, deadline=deadline, coordinator=None,
                                                   executor_organisation=None)

    # tasks: Иванов — new in time, in work overdue, done (not counted); Сидоров — new overdue
    task_create(author=manager, assignee=manager, title="В срок", due_date=TODAY + timedelta(days=3))
    late = task_create(author=manager, assignee=manager, title="Просрочена", due_date=TODAY, project=p["p1"])
    Task.objects.filter(pk=late.pk).update(status=TaskStatus.IN_WORK, due_date=TODAY - timedelta(days=2))
    done = task_create(author=manager, assignee=manager, title="Сделана", due_date=TODAY)
    Task.objects.filter(pk=done.pk).update(status=TaskStatus.DONE, due_date=TODAY - timedelta(days=9))
    head_task = task_create(author=director, assignee=head, title="Справка", due_date=TODAY)
    Task.objects.filter(pk=head_task.pk).update(due_date=TODAY - timedelta(days=1))

    # meetings of March 2025 (Moscow): Иванов — m1, m2 (participant), m3 (manager and participant: once);
    # Алексеев — m2. m4 is April in Moscow (still March in UTC), m5 cancelled, m6 February.
    def meet(project, actor, when, participants=()):
        return meeting_save(project=project, actor=actor, title=f"Встреча {when}", format="in_person",
                            place="Тосно", starts_at=msk(when), participants=participants)

    meet(p["p1"], manager, "2025-03-20 10:00")
    meet(p["p6"], colleague, "2025-03-01 00:30", participants=[manager])  # 28.02 21:30 UTC
    meet(p["p1"], manager, "2025-03-31 23:30", participants=[manager])
    meet(p["p1"], manager, "2025-04-01 00:30")  # 31.03 21:30 UTC
    cancelled = meet(p["p1"], manager, "2025-03-15 10:00")
    meeting_set_status(meeting=cancelled, actor=manager, status=MeetingStatus.CANCELLED)
    meet(p["p1"], manager, "2025-02-28 23:30")
    return {"idle": idle, **p}


def test_staff_workload_columns_rows_and_total(workload, director):
    table = staff_workload(user=director, params=params())
    assert (table.slug, table.title) == ("staff-workload", "Загрузка сотрудников")
    labels = [c.label for c in table.columns]
    assert labels == [
        "Сотрудник", "Организация", "Заявка", "На рассмотрении", "Принят на сопровождение",
        "Прединвестиционный этап", "Инвестиционный этап", "Эксплуатационный этап", "Проектов всего",
        "Открытых обращений", "Просроченных обращений", "Открытых задач", "Просроченных задач",
        "Встреч в этом месяце",
    ]
    rows = {r["person"].split()[0]: r for r in table.as_dicts()}
    assert [r["person"].split()[0] for r in table.as_dicts()] == ["Алексеев", "Иванов", "Сидоров", "Яковлев"]
    assert rows["Иванов"]["organisation"] == "Агентство (тест)"
    stages = {name: [rows[name][key] for key in STAGE_COLUMNS] for name in rows}
    #                       appl rev acc pre inv op
    assert stages["Иванов"] == [1, 1, 0, 0, 2, 0]
    assert stages["Алексеев"] == [0, 0, 1, 0, 0, 0]
    assert stages["Сидоров"] == stages["Яковлев"] == [0] * 6

    def tail(name):
        keys = ("projects", "appeals_open", "appeals_overdue", "tasks_open", "tasks_overdue", "meetings_month")
        return [rows[name][key] for key in keys]

    assert tail("Иванов") == [4, 2, 1, 2, 1, 3]
    assert tail("Алексеев") == [1, 1, 0, 0, 0, 1]
    assert tail("Сидоров") == [0, 0, 0, 1, 1, 0]
    assert tail("Яковлев") == [0, 0, 0, 0, 0, 0]  # an agency manager with nothing is still listed
    assert table.total.values == ("Итого", "", 1, 1, 1, 0, 2, 0, 5, 3, 1, 3, 2, 4)
    assert all(isinstance(v, int) for r in table.rows for v in r.values[2:])


def test_staff_workload_is_scoped_to_what_the_viewer_sees(workload, colleague):
    """A manager sees their own projects, appeals, tasks and meetings; the roster of idle colleagues is not theirs."""
    table = staff_workload(user=colleague, params=params())
    rows = {r["person"].split()[0]: r for r in table.as_dicts()}
    assert list(rows) == ["Алексеев"]  # Иванов's projects, appeals and tasks are not visible to Алексеев
    assert [rows["Алексеев"][key] for key in STAGE_COLUMNS] == [0, 0, 1, 0, 0, 0]
    assert rows["Алексеев"]["appeals_open"] == 1 and rows["Алексеев"]["meetings_month"] == 1


def test_staff_workload_meetings_follow_the_month_of_the_report_date(workload, director):
    table = staff_workload(user=director, params=ReportParams(today=date(2025, 4, 30)))
    rows = {r["person"].split()[0]: r["meetings_month"] for r in table.as_dicts()}
    assert rows == {"Алексеев": 0, "Иванов": 1, "Сидоров": 0, "Яковлев": 0}  # m4, 01.04 00:30 Moscow


def test_staff_workload_runs_a_constant_number_of_queries(workload, director, manager, apply_project, file_appeal):
    small = queries(staff_workload, director, params())
    for n in range(5):
        project = apply_project(name=f"Ещё {n}")
        meeting_save(project=project, actor=manager, title="Ещё", format="in_person", place="Тосно",
                     starts_at=msk("2025-03-25 10:00"), participants=[manager])
        task_create(author=manager, assignee=manager, title="Ещё", due_date=TODAY, project=project)
        Appeal.objects.filter(pk=file_appeal().pk).update(manager=manager, status=AppealStatus.IN_WORK)
    assert queries(staff_workload, director, params()) == small
    assert small == 6  # the viewer's roles; projects, appeals, tasks grouped by person; the month's meetings; people


# --------------------------------------------------------------------------------------------------------------
# 2. Project pool


@pytest.fixture
def pool(apply_project, district, logistics, food):
    volhov = DistrictFactory(code="41609000", name="Волховский муниципальный район")
    spec = {  # name: (district, industry, stage, investment, jobs)
        "A": (district, logistics, S.INVESTMENT, Decimal("1000000000.00"), 100),
        "B": (district, logistics, S.INVESTMENT, Decimal("500000000.50"), 20),
        "C": (district, logistics, S.APPLICATION, Decimal("300000000.00"), None),
        "D": (district, None, S.ACCEPTED, None, 5),
        "E": (volhov, food, S.OPERATIONAL, Decimal("200000000.00"), 50),
        "F": (volhov, food, S.WITHDRAWN, Decimal("999.00"), 999),
        "G": (district, logistics, S.DECLINED, Decimal("7.00"), 7),
        "H": (None, logistics, S.COMPLETED, Decimal("10000000.00"), 3),
    }
    made = {}
    for name, (where, industry, stage, volume, jobs) in spec.items():
        project = apply_project(name=name, district=where, industry=industry, investment_volume=volume, jobs=jobs)
        Project.objects.filter(pk=project.pk).update(stage=stage, district=where)
        made[name] = project
    return {"volhov": volhov, **made}


POOL_ROWS = [
    # district, industry, stage, projects, investment, jobs
    ("Волховский муниципальный район", "Пищевая промышленность", "Эксплуатационный этап", 1,
     Decimal("200000000.00"), 50),                                                           # E (F withdrawn)
    ("Тосненский муниципальный район", "Логистика", "Заявка", 1, Decimal("300000000.00"), 0),  # C: jobs unknown
    ("Тосненский муниципальный район", "Логистика", "Инвестиционный этап", 2, Decimal("1500000000.50"), 120),  # A+B
    ("Тосненский муниципальный район", "Не указан", "Принят на сопровождение", 1, Decimal("0.00"), 5),  # D
    ("Не указан", "Логистика", "Завершён", 1, Decimal("10000000.00"), 3),                     # H; G declined
]


def test_project_pool_groups_sums_and_total(pool, director):
    table = project_pool(user=director, params=params())
    assert (table.slug, table.title) == ("project-pool", "Пул проектов")
    assert [c.label for c in table.columns] == [
        "Район", "Отрасль", "Этап", "Проектов", "Инвестиции, руб.", "Рабочих мест"]
    assert [c.kind for c in table.columns][3:] == ["int", "money", "int"]
    assert [r.values for r in table.rows] == POOL_ROWS
    # 1 + 1 + 2 + 1 + 1 = 6 projects; 200 000 000 + 300 000 000 + 1 500 000 000.50 + 10 000 000
    assert table.total.values == ("Итого", "", "", 6, Decimal("2010000000.50"), 178)
    assert all(isinstance(r.values[4], Decimal) for r in table.rows)


def test_project_pool_filters(pool, director, logistics):
    by_stage = project_pool(user=director, params=params(stage=S.WITHDRAWN))  # asked for: shown
    assert [r.values for r in by_stage.rows] == [
        ("Волховский муниципальный район", "Пищевая промышленность", "Отозван", 1, Decimal("999.00"), 999)]
    assert ("Этап", "Отозван") in by_stage.meta
    by_district = project_pool(user=director, params=params(district=pool["volhov"].pk))
    assert [r.values for r in by_district.rows] == POOL_ROWS[:1]
    assert ("Район", "Волховский муниципальный район") in by_district.meta
    by_industry = project_pool(user=director, params=params(industry=logistics.pk))
    assert [r.values for r in by_industry.rows] == [POOL_ROWS[1], POOL_ROWS[2], POOL_ROWS[4]]
    assert by_industry.total.values[3:] == (4, Decimal("1810000000.50"), 123)


def test_project_pool_is_scoped_for_an_omsu_executor(pool, manager, executor, omsu):
    request_send(project=pool["A"], actor=manager, organisation=omsu, subject="Возможность подключения",
                 text="Просим сообщить")
    table = project_pool(user=executor, params=params())
    assert [r.values for r in table.rows] == [
        ("Тосненский муниципальный район", "Логистика", "Инвестиционный этап", 1, Decimal("1000000000.00"), 100)]


def test_project_pool_runs_a_constant_number_of_queries(pool, director, apply_project, food):
    small = queries(project_pool, director, params())
    for n in range(6):
        apply_project(name=f"Ещё {n}", industry=food)
    assert queries(project_pool, director, params()) == small == 2  # the viewer's roles; one GROUP BY


# --------------------------------------------------------------------------------------------------------------
# 3. CRM audit

EMPTY_MISSING = (
    "нет дорожной карты, без изменений 70 дн., нет менеджера, нет описания, нет отрасли, нет района, "
    "нет объёма инвестиций, нет числа рабочих мест, нет даты начала строительства, "
    "нет даты ввода в эксплуатацию, нет участка"
)


@pytest.fixture
def audited(apply_project, manager, company, logistics):
    """full: everything (100); partial: no roadmap, no land plot (75); empty: only a name, no manager,
    untouched since 01.01.2025 (5); done: completed, not audited."""
    passport = {"description": "Склад класса А", "industry": logistics, "planned_start": date(2025, 6, 1),
                "planned_launch": date(2027, 1, 1)}
    full = apply_project(name="Полный", **passport)
    land_plot_add(project=full, actor=manager, cadastral_number="47:26:0112015:226", area_m2=8222)
    roadmap_item_save(project=full, actor=manager, title="Получение ТУ", planned_start=TODAY,
                      planned_end=TODAY + timedelta(days=30))
    partial = apply_project(name="Частичный", **passport)
    empty = Project.objects.create(registry_number="ИП-2025-90001", name="Пустой", investor=company,
                                   submitted_at=msk("2025-01-01 10:00"))
    done = apply_project(name="Завершённый")
    set_stage(done, S.COMPLETED)
    return {"full": full, "partial": partial, "empty": empty, "done": done}


def test_crm_audit_scores_a_full_a_partial_and_an_empty_project(audited, director, manager):
    table = crm_audit(user=director, params=params())
    assert (table.slug, table.title) == ("crm-audit", "Аудит ведения CRM")
    assert [c.label for c in table.columns] == [
        "Менеджер / проект", "Этап", "Проектов", "Без изменений 30 дн. и более", "Полнота, баллов из 100",
        "Дней без изменений", "Последнее изменение", "Чего не хватает"]
    full, partial = audited["full"], audited["partial"]
    assert [(r.level, r.kind, r.values) for r in table.rows] == [
        # Иванов-менеджер: 2 projects, none stale, (75 + 100) / 2
        (0, "manager", (manager.full_name, "", 2, 0, 87.5, None, None, "")),
        # 8 passport items × 5 + manager 15 + activity 20 = 75
        (1, "project", (f"{partial.registry_number} Частичный", "Заявка", None, None, 75, 0, TODAY,
                        "нет дорожной карты, нет участка")),
        (1, "project", (f"{full.registry_number} Полный", "Заявка", None, None, 100, 0, TODAY, "")),
        (0, "manager", ("Без менеджера", "", 1, 1, 5.0, None, None, "")),
        # name only: 5; submitted 01.01.2025, no events: 70 days by 12.03.2025
        (1, "project", ("ИП-2025-90001 Пустой", "Заявка", None, None, 5, 70, date(2025, 1, 1), EMPTY_MISSING)),
    ]
    assert table.rows[1].link == reverse("admin:core_project_change", args=[partial.pk])
    assert table.rows[0].link == ""
    assert table.total.values == ("Итого", "", 3, 1, 60.0, None, None, "")  # (100 + 75 + 5) / 3
    assert not any("Завершённый" in r.values[0] for r in table.rows)  # completed: not audited


def test_crm_audit_last_activity_is_the_latest_event_in_moscow_days(apply_project, director):
    """30 days before 12.03.2025 is 10.02.2025: 23:30 that day is stale, 00:30 the next (still 10.02 in UTC)
    is not."""
    late = apply_project(name="Поздний вечер")
    early = apply_project(name="Сразу за полночь")
    ProjectEvent.objects.filter(project=late).update(created_at=msk("2025-02-10 23:30"))
    ProjectEvent.objects.filter(project=early).update(created_at=msk("2025-01-05 09:00"))
    ProjectEvent.objects.create(project=early, kind="comment", text="Созвон", created_at=msk("2025-02-11 00:30"))
    rows = {r.values[0].split(" ", 1)[1]: r.values for r in crm_audit(user=director, params=params()).rows
            if r.kind == "project"}
    assert rows["Поздний вечер"][5:7] == (30, date(2025, 2, 10))
    assert rows["Сразу за полночь"][5:7] == (29, date(2025, 2, 11))
    # name, district, investment, jobs: 4 × 5 = 20; manager 15; fresh activity 20
    assert rows["Поздний вечер"][4] == 35
    assert rows["Поздний вечер"][7].startswith("нет дорожной карты, без изменений 30 дн., нет описания")
    assert rows["Сразу за полночь"][4] == 55
    assert rows["Сразу за полночь"][7] == (
        "нет дорожной карты, нет описания, нет отрасли, нет даты начала строительства, "
        "нет даты ввода в эксплуатацию, нет участка")
    manager_row = crm_audit(user=director, params=params()).rows[0]
    assert manager_row.values[2:5] == (2, 1, 45.0)  # (35 + 55) / 2
    stricter = crm_audit(user=director, params=params(stale_days=29))
    assert stricter.rows[0].values[2:5] == (2, 2, 35.0)
    assert stricter.columns[3].label == "Без изменений 29 дн. и более"


def test_crm_audit_is_scoped_for_an_omsu_executor(audited, manager, executor, omsu):
    request_send(project=audited["partial"], actor=manager, organisation=omsu, subject="Подключение к сетям",
                 text="Просим сообщить")
    rows = crm_audit(user=executor, params=params()).rows
    assert [(r.kind, r.values[0]) for r in rows] == [
        ("manager", manager.full_name), ("project", f"{audited['partial'].registry_number} Частичный")]


def test_crm_audit_runs_a_constant_number_of_queries(audited, director, apply_project, manager):
    small = queries(crm_audit, director, params())
    for n in range(5):
        project = apply_project(name=f"Ещё {n}")
        roadmap_item_save(project=project, actor=manager, title="Пункт", planned_start=TODAY, planned_end=TODAY)
        land_plot_add(project=project, actor=manager, cadastral_number=f"47:26:0112015:{n + 1}")
    assert queries(crm_audit, director, params()) == small == 2  # the viewer's roles; the annotated projects


# --------------------------------------------------------------------------------------------------------------
# The weekly random sample


@pytest.fixture
def many(company, manager):
    """Twelve active projects and one completed (never sampled)."""
    made = [Project.objects.create(registry_number=f"ИП-2025-{n:05d}", name=f"Проект {n}", investor=company,
                                   personal_manager=manager) for n in range(1, 13)]
    completed = Project.objects.create(registry_number="ИП-2025-00099", name="Завершён", investor=company)
    set_stage(completed, S.COMPLETED)
    return made


def sampled(table) -> list[str]:
    return [r.values[1].split(" ")[0] for r in table.rows]


def test_the_sample_is_reproducible_by_its_seed(many, director):
    first = crm_audit_sample(user=director, params=params(sample_size=5, seed=20250311))
    again = crm_audit_sample(user=director, params=params(sample_size=5, seed=20250311))
    other = crm_audit_sample(user=director, params=params(sample_size=5, seed=7))
    assert (first.slug, first.title) == ("crm-audit-sample", "Случайная выборка для еженедельной проверки")
    assert sampled(first) == sampled(again) and len(sampled(first)) == 5
    assert sampled(first) != sampled(other)
    ids = sorted(p.pk for p in many)
    expected = [Project.objects.get(pk=pk).registry_number for pk in random.Random(20250311).sample(ids, 5)]
    assert sampled(first) == expected
    assert [r.values[0] for r in first.rows] == [1, 2, 3, 4, 5]
    assert first.note == "Выборка по числу 20250311: повторите с тем же числом, чтобы получить тот же список."
    assert ("Число выборки", "20250311") in first.meta
    assert first.rows[0].link.startswith("/") and first.rows[0].values[3] == many[0].personal_manager.full_name


def test_a_sample_larger_than_the_pool_takes_every_active_project(many, director):
    table = crm_audit_sample(user=director, params=params(sample_size=50, seed=1))
    assert sorted(sampled(table)) == [f"ИП-2025-{n:05d}" for n in range(1, 13)]
    assert crm_audit_sample(user=director, params=params(sample_size=0, seed=1)).rows == []


def test_the_default_seed_is_the_iso_year_and_week():
    assert default_seed(TODAY) == 202511  # Wednesday of ISO week 11
    assert default_seed(date(2024, 12, 30)) == 202501  # Monday of 2025-W01
    assert default_seed(date(2021, 1, 3)) == 202053  # Sunday still in 2020-W53


def test_the_sample_uses_the_week_seed_by_default(many, director):
    table = crm_audit_sample(user=director, params=params(sample_size=4))
    assert ("Число выборки", "202511") in table.meta
    assert sampled(table) == sampled(crm_audit_sample(user=director, params=params(sample_size=4, seed=202511)))
    assert table.note.startswith("Выборка по числу 202511:")


def test_the_sample_is_scoped_and_runs_a_constant_number_of_queries(many, director, colleague, company):
    assert crm_audit_sample(user=colleague, params=params(sample_size=5, seed=1)).rows == []  # not their projects
    small = queries(crm_audit_sample, director, params(sample_size=5, seed=1))
    for n in range(20):
        Project.objects.create(registry_number=f"ИП-2025-{n + 200:05d}", name="Ещё", investor=company)
    assert queries(crm_audit_sample, director, params(sample_size=5, seed=1)) == small == 3  # roles, ids, rows


# --------------------------------------------------------------------------------------------------------------
# Seed #737: a redirected appeal counts under the receiving body's person, never under «Не назначен»


@pytest.fixture
def redirected(workload, make_user, omsu, file_appeal):
    """Three more open appeals without a manager: redirected to the Администрация (its head «Петров» answers for
    it until the body names a person; overdue), redirected to a body without a head (the row is the body's), and
    one still in moderation (a row «На модерации»)."""
    petrov = make_user(Role.HEAD, organisation=omsu, last_name="Петров", first_name="Пётр", middle_name="")
    headless = OrganisationFactory(kind=OrganisationKind.OIV, short_name="Комитет без руководителя")
    for body, status, deadline in [
        (omsu, AppealStatus.REDIRECTED, TODAY - timedelta(days=3)),
        (headless, AppealStatus.IN_WORK, TODAY + timedelta(days=3)),
        (None, AppealStatus.MODERATION, TODAY + timedelta(days=3)),
    ]:
        Appeal.objects.filter(pk=file_appeal().pk).update(
            manager=None, executor_organisation=body, status=status, deadline=deadline)
    return petrov


def test_staff_workload_counts_waiting_appeals_under_the_bodys_head(redirected, director):
    table = staff_workload(user=director, params=params())
    rows = {r["person"]: r for r in table.as_dicts()}
    assert (rows["Петров Пётр"]["organisation"], rows["Петров Пётр"]["appeals_open"],
            rows["Петров Пётр"]["appeals_overdue"]) == ("Администрация (тест)", 1, 1)
    assert (rows["Комитет без руководителя"]["appeals_open"], rows["Комитет без руководителя"]["projects"]) == (1, 0)
    assert rows["На модерации"]["appeals_open"] == 1
    assert list(rows)[-2:] == ["Комитет без руководителя", "На модерации"]
    assert "Не назначен" not in rows
    # the total adds the three: 3 + 3 open appeals, 1 + 1 overdue
    assert table.total.values[9:11] == (6, 2)


def test_staff_workload_with_waiting_appeals_keeps_a_constant_number_of_queries(redirected, director, file_appeal,
                                                                                 omsu):
    small = queries(staff_workload, director, params())
    assert small == 7  # + the bodies' heads
    for _ in range(4):
        Appeal.objects.filter(pk=file_appeal().pk).update(
            manager=None, executor_organisation=omsu, status=AppealStatus.REDIRECTED)
        body = OrganisationFactory(kind=OrganisationKind.OMSU)
        Appeal.objects.filter(pk=file_appeal().pk).update(
            manager=None, executor_organisation=body, status=AppealStatus.IN_WORK)
    assert queries(staff_workload, director, params()) == small
