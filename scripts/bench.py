"""`make bench`: every row of issue 13's performance table as a ratio against hand-written SQL for the same rows.

For each size of `--sizes` (appeals; projects are a twentieth of them) the script runs itself once more in a child
process on that size's own database — `var/bench-<size>.sqlite3`, or `<BENCH_DATABASE_URL>_<size>` on PostgreSQL
(created when missing) — never the development or production one. The child migrates it, loads the reference
data, generates the data set once (core.services.dataset; reused by later runs) and measures, in the same run:

* each cabinet page of the table (median of `--requests` requests through django.test.Client as the data set's
  director, after a warm-up) and the SQL queries of one request;
* the hand-written SQL that fetches the same rows (median of as many runs): its ratio is the row's figure;
* the appeals register as xlsx next to XlsxWriter's constant_memory sheet fed the same rows, and as ods.

The parent prints the table, writes var/bench/<time>.json, var/bench/latest.json and var/bench/latest.md, and
exits 1 when a ratio (or a page's query count) exceeds its goal by more than 50 % at a size of at least
`--enforce-from` appeals (100 000: on a few thousand rows the cabinet's frame, not the data, is the page's time).
See docs/performance.md.
"""

import argparse
import io
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
TOLERANCE = 1.5  # a ratio may exceed its goal by up to 50 % before the bench fails
ENFORCE_FROM = 100_000


# --- the goals (issue 13) -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Goal:
    name: str
    title: str
    ratio: float | None  # the page (or job) against its hand-written SQL; None: recorded, no goal
    sqlite_ratio: float | None = None  # a goal of its own on SQLite
    queries: int | None = None  # at most this many SQL queries per request

    def ratio_on(self, vendor: str) -> float | None:
        return self.sqlite_ratio if vendor == "sqlite" and self.sqlite_ratio is not None else self.ratio


GOALS = [
    Goal("appeal-list", "Список обращений, страница 1", 3),
    Goal("appeal-search", "Список обращений, поиск по номеру", 3),
    Goal("appeal-page", "Карточка обращения", 4, queries=12),
    Goal("search-list", "Список обращений, поиск по словам", 2),
    Goal("search", "Поиск по кабинету: search() по обращениям, проектам, организациям", 2),
    Goal("dashboard", "Главная страница (сумма её агрегатов)", 2),
    Goal("crm-audit", "Отчёт «Аудит ведения CRM»", 1.5),
    Goal("project-pool", "Отчёт «Пул проектов»", 1.5),
    Goal("staff-workload", "Отчёт «Загрузка сотрудников»", 1.5),
    Goal("appeals-by-executor", "Отчёт «По исполнителям и классификатору»", 1.5),
    Goal("appeals-by-type", "Отчёт «Обращения по типу»", 1.5, sqlite_ratio=2),
    Goal("authorities", "Отчёт «Рейтинг органов власти»", 1.5, sqlite_ratio=2),
    Goal("register-xlsx", "Реестр обращений, xlsx (против XlsxWriter constant_memory)", 1.2),
    Goal("register-ods", "Реестр обращений, ods", None),
    Goal("frame", "Рамка кабинета: список отчётов (без данных)", None),
]
GOAL_BY_NAME = {goal.name: goal for goal in GOALS}

MET, ABOVE, FAILED = "в цели", "выше цели", "ПРОВАЛ"


def ratio(ms: float | None, sql_ms: float | None) -> float | None:
    """How many times slower than its SQL; None when there is nothing to compare with."""
    if ms is None or not sql_ms:
        return None
    return round(ms / sql_ms, 2)


def verdict(value: float | None, goal: float | None, tolerance: float = TOLERANCE) -> str:
    """MET within the goal, ABOVE it by at most `tolerance` times, FAILED beyond; "" without a goal."""
    if value is None or goal is None:
        return ""
    if value <= goal:
        return MET
    return ABOVE if value <= goal * tolerance else FAILED


def evaluate(entry: dict, vendor: str) -> dict:
    """The entry with its ratio, goals and verdicts (the goal of its name in GOALS)."""
    goal = GOAL_BY_NAME[entry["name"]]
    value = ratio(entry.get("ms"), entry.get("sql_ms"))
    out = {**entry, "title": goal.title, "ratio": value, "goal": goal.ratio_on(vendor),
           "verdict": verdict(value, goal.ratio_on(vendor))}
    if goal.queries is not None and entry.get("queries") is not None:
        out["query_goal"] = goal.queries
        out["query_verdict"] = verdict(entry["queries"], goal.queries)
    return out


def with_frame(entries: list[dict]) -> list[dict]:
    """Each page's ratio without the cabinet's frame (the same size's «frame» page: the menu, the header, the
    session — what every page costs before its data): how the part that grows with the data compares with its
    SQL. Shown beside the ratio; the goals are checked on the ratio itself."""
    frames = {entry["size"]: entry["ms"] for entry in entries if entry["name"] == "frame" and "ms" in entry}
    out = []
    for entry in entries:
        frame = frames.get(entry["size"])
        if entry.get("url") and entry.get("sql_ms") and frame is not None:
            entry = {**entry, "frame_ms": frame, "net_ratio": ratio(max(entry["ms"] - frame, 0), entry["sql_ms"])}
        out.append(entry)
    return out


def failures(entries: list[dict], enforce_from: int = ENFORCE_FROM) -> list[str]:
    """The evaluated entries that fail, at sizes the goals are enforced for, as lines for the console."""
    lines = []
    for entry in entries:
        if entry["size"] < enforce_from:
            continue
        if entry.get("verdict") == FAILED:
            lines.append(f"{entry['title']} ({entry['size']}): {entry['ratio']}× при цели ≤ {entry['goal']}×")
        if entry.get("query_verdict") == FAILED:
            lines.append(f"{entry['title']} ({entry['size']}): {entry['queries']} запросов при цели ≤ "
                         f"{entry['query_goal']}")
    return lines


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}".replace(",", " ")
    return text.replace(".", ",")


def markdown(report: dict) -> str:
    """The table of docs/performance.md: a line per measurement and size."""
    lines = [
        f"Database: {report['machine']['database']}; sizes: {', '.join(str(s) for s in report['sizes'])} appeals; "
        f"medians of {report['settings']['requests']} requests; {report['started_at']}.",
        "",
        "| page / job | appeals | ours, ms | queries | hand-written SQL, ms | ratio | without the frame | goal | |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for entry in report["results"]:
        if entry.get("skipped"):
            lines.append(f"| {entry['title']} | {entry['size']} | {entry['skipped']} | | | | | | |")
            continue
        goal = "—" if entry.get("goal") is None else f"≤ {_number(entry['goal'])}×"
        if entry.get("query_goal") is not None:
            goal += f", ≤ {entry['query_goal']} запросов"
        marks = " ".join(mark for mark in (entry.get("verdict"), entry.get("query_verdict")) if mark)
        lines.append(
            f"| {entry['title']} | {entry['size']} | {_number(entry.get('ms'))} | {entry.get('queries', '—')} | "
            f"{_number(entry.get('sql_ms'))} | {_number(entry.get('ratio'), 2)} | "
            f"{_number(entry.get('net_ratio'), 2)} | {goal} | {marks} |"
        )
    return "\n".join(lines) + "\n"


def print_table(entries: list[dict]) -> None:
    headers = ("Замер", "Обращений", "Наше, мс", "Запросов", "SQL, мс", "Раз", "Без рамки", "Цель", "Итог")
    widths = (62, 9, 10, 8, 9, 7, 9, 6, 10)
    print()
    print(" ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print(" ".join("-" * w for w in widths))
    for entry in entries:
        if entry.get("skipped"):
            print(f"{entry['title'][:62].ljust(62)} {str(entry['size']).rjust(9)} {entry['skipped']}")
            continue
        cells = (entry["title"][:62].ljust(62), str(entry["size"]).rjust(9), _number(entry.get("ms")).rjust(10),
                 str(entry.get("queries", "—")).rjust(8), _number(entry.get("sql_ms")).rjust(9),
                 _number(entry.get("ratio"), 2).rjust(7), _number(entry.get("net_ratio"), 2).rjust(9),
                 ("—" if entry.get("goal") is None else _number(entry["goal"])).rjust(6),
                 " ".join(m for m in (entry.get("verdict"), entry.get("query_verdict")) if m))
        print(" ".join(cells))
    print()


# --- one size, in a child process on its own database -----------------------------------------------------------
def _setup(database_url: str) -> None:
    """Django on the bench database, whatever the environment says (DEBUG on: the generator requires it)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings"
    os.environ["DEBUG"] = "true"
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    logging.disable(logging.INFO)  # the access log's line per request would drown the progress lines


def _timed(run: Callable[[], object], times: int, *, warm_up: bool = True) -> dict:
    """Median wall and CPU time of `times` runs (ms) and the SQL queries of one run. CPU time is this process
    only (on SQLite that includes the database; PostgreSQL works in its own processes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if warm_up:
        run()
    wall, cpu = [], []
    for _ in range(times):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return {"ms": round(statistics.median(wall), 1), "cpu_ms": round(statistics.median(cpu), 1),
            "queries": len(captured)}


def _fetch(statements: list[tuple[str, list]]) -> list[list[tuple]]:
    from django.db import connection

    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


def _against_sql(run: Callable[[], object], statements: list[tuple[str, list]], times: int) -> dict:
    """The page or job and its hand-written SQL, measured alternately in the same run."""
    ours = _timed(run, times)
    sql = _timed(lambda: _fetch(statements), times)
    return {**ours, "sql_ms": sql["ms"], "sql_cpu_ms": sql["cpu_ms"], "sql_queries": len(statements)}


def prepare(size: int, seed: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from core.models import Appeal, Project, SearchEntry
    from core.search import search_index_rebuild
    from core.services.dataset import dataset_generate, dataset_present

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_reference", stdout=io.StringIO())  # idempotent; its summary line is not needed here
    projects = max(size // 20, 50)
    info = {"seed": seed, "generated": False, "seconds": None}
    if dataset_present(seed=seed):
        print(f"[{size}] Набор данных с seed {seed} уже в базе — используется повторно.", flush=True)
    else:
        print(f"[{size}] Генерация: {projects} проектов, {size} обращений, seed {seed}…", flush=True)
        cpu = time.process_time()
        result = dataset_generate(projects=projects, appeals=size, seed=seed,
                                  progress=lambda line: print(f"[{size}] {line}", flush=True))
        info.update(generated=True, seconds=round(result.seconds, 1), cpu_seconds=round(time.process_time() - cpu, 1))
    if not SearchEntry.objects.exists() and Appeal.objects.exists():  # a data set from before the search index
        print(f"[{size}] Поисковый индекс: построение…", flush=True)
        search_index_rebuild()
    with connection.cursor() as cursor:  # what autovacuum (or the project's PRAGMA optimize) does soon after
        cursor.execute("ANALYZE")
    info.update(appeals=Appeal.objects.count(), projects=Project.objects.count())
    return info


# --- hand-written SQL -------------------------------------------------------------------------------------------
def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _moscow_date(column: str) -> str:
    """SQL for the Moscow date of a timestamp column (Moscow is UTC+3 all year since 2014)."""
    if _vendor() == "postgresql":
        return f"(({column}) AT TIME ZONE 'Europe/Moscow')::date"
    return f"date({column}, '+3 hours')"


def _days(later: str, earlier: str) -> str:
    if _vendor() == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400"
    return f"julianday({later}) - julianday({earlier})"


def _in(values: list[str]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"  # fixed choice values, not user input


def _midnight(day) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()), timezone.get_default_timezone())


def _measures(today) -> tuple[str, list]:
    """The columns the appeal reports aggregate (core.reports.appeals._measures), as SQL."""
    from core.choices import AppealChannel, AppealStatus

    open_ = _in(AppealStatus.open())
    channels = ",".join(f"\n        SUM(CASE WHEN a.channel = '{value}' THEN 1 ELSE 0 END) AS ch_{value}"
                        for value in AppealChannel.values)
    sql = f"""
        COUNT(*) AS appeals,
        SUM(CASE WHEN a.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS answered,
        SUM(CASE WHEN a.answered_at IS NOT NULL OR a.rework_count > 0 THEN 1 ELSE 0 END) AS answered_ever,
        SUM(CASE WHEN a.status IN {open_} THEN 1 ELSE 0 END) AS in_work,
        SUM(CASE WHEN (a.status IN {open_} AND a.deadline < %s)
                   OR (a.answered_at IS NOT NULL AND {_moscow_date("a.answered_at")} > a.deadline) THEN 1 ELSE 0 END)
            AS overdue,
        SUM(CASE WHEN a.rework_count > 0 THEN 1 ELSE 0 END) AS rework,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM core_appealescalation e WHERE e.appeal_id = a.id) THEN 1 ELSE 0 END)
            AS mrg,
        SUM(a.rating) AS rating_sum, COUNT(a.rating) AS rated,{channels}"""
    return sql, [today]


def _period(today) -> tuple[str, list]:
    return "a.received_at >= %s AND a.received_at < %s", [_midnight(REPORT_FROM), _midnight(today + timedelta(days=1))]


def sql_appeals_by_type(today) -> list[tuple[str, list]]:
    measures, params = _measures(today)
    where, period = _period(today)
    return [(f"SELECT a.appeal_type_id, {measures} FROM core_appeal a WHERE {where} GROUP BY a.appeal_type_id",
             params + period),
            ("SELECT id, name FROM core_appealtype ORDER BY name, id", [])]


def sql_appeals_by_executor(today) -> list[tuple[str, list]]:
    measures, params = _measures(today)
    where, period = _period(today)
    return [(f"""
        SELECT a.manager_id, u.last_name, u.first_name, u.middle_name, u.email, a.executor_organisation_id,
            c.id, c.code, c.name, s.id, s.code, s.name, a.fact_id, f.code, f.name, {measures}
        FROM core_appeal a JOIN core_fact f ON f.id = a.fact_id JOIN core_subcategory s ON s.id = f.subcategory_id
            JOIN core_category c ON c.id = s.category_id LEFT JOIN core_user u ON u.id = a.manager_id
        WHERE {where}
        GROUP BY a.manager_id, u.last_name, u.first_name, u.middle_name, u.email, a.executor_organisation_id,
            c.id, c.code, c.name, s.id, s.code, s.name, a.fact_id, f.code, f.name""", params + period)]


def sql_authorities(today) -> list[tuple[str, list]]:
    from core.reports.appeals import authority_kinds

    where, period = _period(today)
    return [(f"""
        SELECT a.executor_organisation_id, o.short_name, COUNT(*) AS appeals,
            SUM(CASE WHEN a.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS answered,
            SUM(CASE WHEN a.answered_at IS NOT NULL OR a.rework_count > 0 THEN 1 ELSE 0 END) AS answered_ever,
            SUM(CASE WHEN a.rework_count > 0 THEN 1 ELSE 0 END) AS rework,
            SUM(a.rating) AS rating_sum, COUNT(a.rating) AS rated,
            SUM(CASE WHEN a.answered_at IS NOT NULL AND {_moscow_date("a.answered_at")} <= a.deadline
                THEN 1 ELSE 0 END) AS on_time,
            SUM(CASE WHEN a.answered_at IS NOT NULL THEN {_days("a.answered_at", "a.received_at")} END) AS days,
            SUM(r.rating) AS first_rating_sum, COUNT(r.rating) AS first_rated
        FROM core_appeal a JOIN core_organisation o ON o.id = a.executor_organisation_id
            LEFT JOIN core_appealanswer r ON r.appeal_id = a.id AND r.number = 1
        WHERE o.kind IN {_in(authority_kinds())} AND {where}
        GROUP BY a.executor_organisation_id, o.short_name""", period)]


def sql_project_pool(today) -> list[tuple[str, list]]:
    return [("""
        SELECT p.district_id, d.name, d."order", p.industry_id, i.name, i."order", p.stage, COUNT(*) AS projects,
            COALESCE(SUM(p.investment_volume), 0) AS investment, COALESCE(SUM(p.jobs), 0) AS jobs
        FROM core_project p
            LEFT JOIN core_district d ON d.id = p.district_id LEFT JOIN core_industry i ON i.id = p.industry_id
        WHERE p.stage NOT IN ('withdrawn', 'declined')
        GROUP BY p.district_id, d.name, d."order", p.industry_id, i.name, i."order", p.stage""", [])]


def sql_crm_audit(today) -> list[tuple[str, list]]:
    """The page's rows: a line per manager (projects, stale, the score summed), and the ids the sample draws from.
    The summed score leaves out the activity points, 20 × (projects − stale), so the last activity (a correlated MAX
    over the project's events) is computed once per project, as the page does."""
    from core.choices import ProjectStage
    from core.reports.projects import _stale_before

    active = _in(ProjectStage.active())
    last = ("COALESCE((SELECT MAX(e.created_at) FROM core_projectevent e WHERE e.project_id = p.id), "
            "p.submitted_at)")
    passport = " + ".join(f"CASE WHEN {condition} THEN 5 ELSE 0 END" for condition in (
        "LENGTH(TRIM(p.name)) > 0", "LENGTH(TRIM(p.description)) > 0", "p.industry_id IS NOT NULL",
        "p.district_id IS NOT NULL", "p.investment_volume IS NOT NULL", "p.jobs IS NOT NULL",
        "p.planned_start IS NOT NULL", "p.planned_launch IS NOT NULL",
        "EXISTS (SELECT 1 FROM core_landplot l WHERE l.project_id = p.id)"))
    stale_before = _stale_before(today, 30)
    return [(f"""
        SELECT p.personal_manager_id, u.last_name, u.first_name, u.middle_name, u.email, COUNT(*) AS projects,
            SUM(CASE WHEN {last} < %s THEN 1 ELSE 0 END) AS stale,
            SUM({passport}
                + CASE WHEN EXISTS (SELECT 1 FROM core_roadmapitem r WHERE r.project_id = p.id) THEN 20 ELSE 0 END
                + CASE WHEN p.personal_manager_id IS NOT NULL THEN 15 ELSE 0 END) AS score_without_activity
        FROM core_project p LEFT JOIN core_user u ON u.id = p.personal_manager_id
        WHERE p.stage IN {active}
        GROUP BY p.personal_manager_id, u.last_name, u.first_name, u.middle_name, u.email""",
             [stale_before]),
            (f"SELECT id FROM core_project WHERE stage IN {active} ORDER BY id", [])]


def sql_staff_workload(today) -> list[tuple[str, list]]:
    """What the page fetches: projects by manager and stage, open appeals by person, open tasks by assignee, the
    month's meetings with their project's manager and participants (counted per person by the caller), and the
    people — those the first three name (their ids, read here as the page reads them) and the agency's managers,
    whom the page lists even with nothing to do."""
    from core.choices import AppealStatus, MeetingStatus, ProjectStage, TaskStatus
    from core.reports.projects import _month_bounds
    from core.roles import Role

    month_start, month_end = _month_bounds(today)
    open_appeals, open_tasks = _in(AppealStatus.open()), _in(TaskStatus.open())
    counts = [
        (f"""SELECT personal_manager_id, stage, COUNT(*) FROM core_project
             WHERE stage IN {_in(ProjectStage.active())} AND personal_manager_id IS NOT NULL
             GROUP BY personal_manager_id, stage""", []),
        (f"""SELECT manager_id, CASE WHEN manager_id IS NULL AND status <> 'moderation'
                 THEN executor_organisation_id END AS waiting,
                 COUNT(*), SUM(CASE WHEN deadline < %s THEN 1 ELSE 0 END)
             FROM core_appeal WHERE status IN {open_appeals} GROUP BY 1, 2""", [today]),
        (f"""SELECT assignee_id, COUNT(*), SUM(CASE WHEN due_date < %s THEN 1 ELSE 0 END)
             FROM core_task WHERE status IN {open_tasks} GROUP BY assignee_id""", [today]),
    ]
    fetched = _fetch(counts)
    ids = {row[0] for rows in fetched for row in rows if row[0] is not None}
    waiting = sorted({row[1] for row in fetched[1] if row[0] is None and row[1] is not None})
    if waiting:  # appeals a body has not given to a person count under its head (one more query, as on the page)
        counts.append((f"""SELECT o.id, o.short_name, (SELECT u.id FROM core_user u
                 JOIN core_user_groups ug ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id
                 WHERE u.organisation_id = o.id AND u.is_active AND g.name = %s ORDER BY u.id LIMIT 1)
             FROM core_organisation o WHERE o.id IN ({", ".join(str(pk) for pk in waiting)})""",
                       [Role.HEAD.group_name]))
        ids |= {row[2] for row in _fetch(counts[-1:])[0] if row[2] is not None}
    ids = sorted(ids) or [0]
    return [
        *counts,
        (f"""SELECT m.id, p.personal_manager_id, mu.user_id FROM core_meeting m
                 LEFT JOIN core_project p ON p.id = m.project_id
                 LEFT JOIN core_meeting_participants mu ON mu.meeting_id = m.id
             WHERE m.starts_at >= %s AND m.starts_at < %s AND m.status <> '{MeetingStatus.CANCELLED}'""",
         [month_start, month_end]),
        (f"""SELECT u.id, u.last_name, u.first_name, u.middle_name, u.email, o.short_name
             FROM core_user u LEFT JOIN core_organisation o ON o.id = u.organisation_id
             WHERE u.id IN ({", ".join(str(pk) for pk in ids)})
                OR u.id IN (SELECT ug.user_id FROM core_user_groups ug JOIN auth_group g ON g.id = ug.group_id
                    JOIN core_user a ON a.id = ug.user_id JOIN core_organisation ao ON ao.id = a.organisation_id
                    WHERE g.name = %s AND a.is_active AND ao.kind = 'agency')
             ORDER BY u.last_name, u.first_name, u.middle_name, u.id""", [Role.MANAGER.group_name]),
    ]


# What a row of the appeals list shows: the number, the subject over the investor, the fact (a link to its stream)
# over the appeal type, the status, the deadline, the manager over the executor, the channel.
LIST_SQL = """
    SELECT a.id, a.number, a.subject, a.organisation_name, a.fact_id, f.name, t.name, a.status, a.deadline,
        m.last_name, m.first_name, m.middle_name, x.short_name, a.channel
    FROM core_appeal a LEFT JOIN core_fact f ON f.id = a.fact_id
        LEFT JOIN core_appealtype t ON t.id = a.appeal_type_id LEFT JOIN core_user m ON m.id = a.manager_id
        LEFT JOIN core_organisation x ON x.id = a.executor_organisation_id"""
# The number or ИНН or ПОС message number the list's search box looks up (appeal_number_or_inn_q), each by its
# index: the ПОС number's is partial, so the condition is written out (without it SQLite scans every appeal).
SEARCH_WHERE = "a.number = %s OR a.organisation_inn = %s OR (a.pos_number = %s AND NOT (a.pos_number = ''))"


def _list_around(user_id: int) -> list[tuple[str, list]]:
    """What the list page shows besides its rows: the choices of its filters (appeal types, categories, the
    participants as executors, districts) and the person's saved filters («Мои фильтры»)."""
    from core.choices import OrganisationKind

    return [
        ('SELECT id, name FROM core_appealtype ORDER BY "order", name', []),
        ('SELECT id, name FROM core_category ORDER BY "order", name', []),
        (f"SELECT id, short_name FROM core_organisation WHERE kind IN {_in(OrganisationKind.participants())} "
         "ORDER BY short_name", []),
        ('SELECT id, name FROM core_district ORDER BY "order", name', []),
        ("SELECT id, name, query FROM core_savedfilter WHERE user_id = %s AND list_key = 'core.appeal' ORDER BY name",
         [user_id]),
    ]


def _all_appeals_count() -> tuple[str, list]:
    """The count the unfiltered list's footer shows: PostgreSQL's statistics once the table holds enough rows to be
    estimated (admin_site.admin.paginators, «≈ 100 000»), else COUNT(*) — as the page itself decides."""
    from django.db import connection

    from admin_site.admin.paginators import ESTIMATE_FROM
    from core.models import Appeal
    from core.selectors.estimates import table_rows_estimate

    estimate = table_rows_estimate(Appeal) if connection.vendor == "postgresql" else None
    if estimate is not None and estimate >= ESTIMATE_FROM:
        return "SELECT reltuples FROM pg_class WHERE oid = 'core_appeal'::regclass", []
    return "SELECT COUNT(*) FROM core_appeal", []


def sql_appeal_list(user) -> list[tuple[str, list]]:
    """Page 1 for a person who sees every appeal: its 50 rows, the count in its footer, its filters and saved
    filters."""
    return [(f"{LIST_SQL} ORDER BY a.number DESC LIMIT 50", []), _all_appeals_count(), *_list_around(user.pk)]


def sql_appeal_search(user, number: int) -> list[tuple[str, list]]:
    """A search for a number: the rows it finds, their count (a search is counted exactly), filters, saved filters."""
    found = [number, str(number), str(number)]
    return [(f"{LIST_SQL} WHERE {SEARCH_WHERE} ORDER BY a.number DESC LIMIT 50", found),
            (f"SELECT COUNT(*) FROM core_appeal a WHERE {SEARCH_WHERE}", found), *_list_around(user.pk)]


# The words searched by the search rows: two words of the generated subjects and answers, in other forms
SEARCH_WORDS = "земельного участка"


def _found(words: str):
    """The condition and rank over the index rows of staff's text that `words` find — core.search.backends' SQL
    (to_tsquery and pg_trgm, or FTS5 and its trigram table), run here as it is without the ORM or the snippets."""
    from core.search import backends
    from core.search.text import terms

    return backends.match(terms(words), staff=True)


def _contains(column: str) -> str:
    """Django's icontains, as the list's column search writes it."""
    if _vendor() == "postgresql":
        return f"UPPER({column}::text) LIKE UPPER(%s)"
    return f"{column} LIKE %s ESCAPE '\\'"


def sql_search_list(user, words: str) -> list[tuple[str, list]]:
    """The list searched for words: every word in the subject, the ИНН or the company name (or the whole ПОС number),
    or the full-text index finding them all (core.filters.appeals search_q) — its 50 rows, count, filters, saved
    filters."""
    match = _found(words)
    pos = "UPPER(a.pos_number::text) = UPPER(%s)" if _vendor() == "postgresql" else "a.pos_number LIKE %s ESCAPE '\\'"
    columns = [_contains("a.subject"), _contains("a.organisation_inn"), _contains("a.organisation_name"), pos]
    like, like_params = [], []
    for word in words.split():
        like.append("(" + " OR ".join(columns) + ")")
        like_params += [f"%{word}%"] * 3 + [word]
    condition = (f"(({' AND '.join(like)}) OR a.id IN (SELECT e.object_id FROM core_searchentry e"
                 f" WHERE e.kind = 'appeal' AND {match.where}))")
    found = [*like_params, *match.where_params]
    return [(f"{LIST_SQL} WHERE {condition} ORDER BY a.number DESC LIMIT 50", found),
            (f"SELECT COUNT(*) FROM core_appeal a WHERE {condition}", found), *_list_around(user.pk)]


def sql_search(words: str, limit: int = 10) -> list[tuple[str, list]]:
    """search() for a person who sees everything: per kind the best rows by rank with their texts and the total,
    then the objects a result row shows (an appeal with its company, a project with its investor, an
    organisation) — the objects' ids are the ones the ranked query gives now."""
    match = _found(words)
    objects = {
        "appeal": "SELECT a.*, o.* FROM core_appeal a JOIN core_organisation o ON o.id = a.organisation_id",
        "project": "SELECT p.*, o.* FROM core_project p JOIN core_organisation o ON o.id = p.investor_id",
        "organisation": "SELECT o.* FROM core_organisation o",
    }
    statements = []
    for kind, select in objects.items():
        ranked = (f"SELECT h.object_id, h.rank, t.title, t.body, t.all_notes, t.all_files, h.total FROM ("
                  f"SELECT e.id, e.object_id, {match.rank} AS rank, COUNT(*) OVER () AS total"
                  f" FROM core_searchentry e{match.joins} WHERE e.kind = %s AND {match.where}"
                  " ORDER BY rank DESC, e.object_id DESC LIMIT %s) h"
                  " JOIN core_searchentry t ON t.id = h.id ORDER BY h.rank DESC, h.object_id DESC")
        params = [*match.rank_params, *match.join_params, kind, *match.where_params, limit]
        statements.append((ranked, params))
        ids = [row[0] for row in _fetch([(ranked, params)])[0]]
        if ids:
            alias = select.split(" FROM ")[1].split()[1]
            statements.append((f"{select} WHERE {alias}.id IN ({', '.join(['%s'] * len(ids))})", ids))
    return statements


PERSON = "{0}.last_name, {0}.first_name, {0}.middle_name, {0}.position, {0}.phone, {0}.email"


def sql_appeal_page(pk: int) -> list[tuple[str, list]]:
    """Everything the appeal's page shows: the appeal with its classifier path, type, project, executor and every
    person it names (with their organisations and contacts); its history with who wrote each line and their
    organisation; its files with who uploaded them; its answers with author and approver; its meetings with their
    participants; its МРГ sessions with who entered them; and, while it has no manager, the executor body's head."""
    from core.models import Appeal
    from core.roles import Role

    named = (("ap", "applicant"), ("hd", "head"), ("co", "coordinator"), ("mg", "manager"))
    people = "".join(f"""
        LEFT JOIN core_user {alias} ON {alias}.id = a.{field}_id
        LEFT JOIN core_organisation {alias}o ON {alias}o.id = {alias}.organisation_id""" for alias, field in named)
    statements = [
        (f"""SELECT a.*, t.name, f.code, f.name, s.name, c.name, x.short_name, x.kind, x.approves_own_answers,
                p.registry_number, p.name, rb.last_name, rb.first_name, rb.middle_name,
                ab.last_name, ab.first_name, ab.middle_name, eb.last_name, eb.first_name, eb.middle_name,
                {PERSON.format("ap")}, apo.short_name, {PERSON.format("hd")}, hdo.short_name,
                {PERSON.format("co")}, coo.short_name, {PERSON.format("mg")}, mgo.short_name
            FROM core_appeal a LEFT JOIN core_appealtype t ON t.id = a.appeal_type_id
                LEFT JOIN core_fact f ON f.id = a.fact_id LEFT JOIN core_subcategory s ON s.id = f.subcategory_id
                LEFT JOIN core_category c ON c.id = s.category_id
                LEFT JOIN core_organisation x ON x.id = a.executor_organisation_id
                LEFT JOIN core_project p ON p.id = a.project_id
                LEFT JOIN core_user rb ON rb.id = a.registered_by_id LEFT JOIN core_user ab ON ab.id = a.answered_by_id
                LEFT JOIN core_user eb ON eb.id = a.executor_approved_by_id{people}
            WHERE a.id = %s""", [pk]),
        ("""SELECT e.*, u.last_name, u.first_name, u.middle_name, o.short_name FROM core_appealevent e
            LEFT JOIN core_user u ON u.id = e.actor_id LEFT JOIN core_organisation o ON o.id = u.organisation_id
            WHERE e.appeal_id = %s ORDER BY e.created_at, e.id""", [pk]),
        ("""SELECT fl.*, u.last_name, u.first_name, u.middle_name FROM core_appealfile fl
            LEFT JOIN core_user u ON u.id = fl.uploaded_by_id WHERE fl.appeal_id = %s ORDER BY fl.uploaded_at, fl.id""",
         [pk]),
        ("""SELECT an.*, au.last_name, au.first_name, au.middle_name, av.last_name, av.first_name, av.middle_name
            FROM core_appealanswer an LEFT JOIN core_user au ON au.id = an.author_id
                LEFT JOIN core_user av ON av.id = an.approved_by_id
            WHERE an.appeal_id = %s ORDER BY an.number""", [pk]),
        ("""SELECT mt.*, u.last_name, u.first_name, u.middle_name FROM core_meeting mt
            LEFT JOIN core_meeting_participants mp ON mp.meeting_id = mt.id LEFT JOIN core_user u ON u.id = mp.user_id
            WHERE mt.appeal_id = %s ORDER BY mt.starts_at, mt.id""", [pk]),
        ("""SELECT es.*, u.last_name, u.first_name, u.middle_name FROM core_appealescalation es
            LEFT JOIN core_user u ON u.id = es.created_by_id WHERE es.appeal_id = %s ORDER BY es.session_date, es.id""",
         [pk]),
    ]
    manager_id, executor_id = Appeal.objects.values_list("manager_id", "executor_organisation_id").get(pk=pk)
    if manager_id is None and executor_id is not None:
        statements.append((f"""SELECT u.id, {PERSON.format("u")}, o.short_name FROM core_user u
            JOIN core_organisation o ON o.id = u.organisation_id JOIN core_user_groups ug ON ug.user_id = u.id
            JOIN auth_group g ON g.id = ug.group_id
            WHERE u.organisation_id = %s AND u.is_active AND u.is_staff AND g.name = %s ORDER BY u.id LIMIT 1""",
                           [executor_id, Role.HEAD.group_name]))
    return statements


def captured_statements(run: Callable[[], object]) -> list[tuple[str, list]]:
    """The SQL (with its parameters) `run` sends, to run again by hand: the dashboard's own aggregates."""
    from django.db import connection

    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        run()
    return statements


REPORT_FROM = datetime(1990, 1, 1).date()  # the appeal reports' pages are measured over all the data


# --- the measurements ---------------------------------------------------------------------------------------------
def measure_pages(director, args: argparse.Namespace) -> list[dict]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from core.models import Appeal
    from core.selectors.dashboard import dashboard_figures

    today = timezone.localdate()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(director)
    numbers = Appeal.objects.order_by("number").values_list("number", flat=True)
    middle = numbers[numbers.count() // 2]
    busiest = Appeal.objects.annotate(lines=Count("events")).order_by("-lines", "number").values("pk")[0]["pk"]
    everything = {"date_from": REPORT_FROM.isoformat(), "date_to": today.isoformat()}

    def report(slug: str, **query) -> str:
        url = reverse("admin:report", args=[slug])
        return f"{url}?{urlencode(query)}" if query else url

    pages = [
        ("frame", reverse("admin:reports"), []),
        ("appeal-list", reverse("admin:core_appeal_changelist"), sql_appeal_list(director)),
        ("appeal-search", f"{reverse('admin:core_appeal_changelist')}?q={middle}", sql_appeal_search(director, middle)),
        ("appeal-page", reverse("admin:core_appeal_change", args=[busiest]), sql_appeal_page(busiest)),
        ("search-list", f"{reverse('admin:core_appeal_changelist')}?{urlencode({'q': SEARCH_WORDS})}",
         sql_search_list(director, SEARCH_WORDS)),
        ("dashboard", reverse("admin:index"), captured_statements(lambda: dashboard_figures(director, today))),
        ("crm-audit", report("crm-audit"), sql_crm_audit(today)),
        ("project-pool", report("project-pool"), sql_project_pool(today)),
        ("staff-workload", report("staff-workload"), sql_staff_workload(today)),
        ("appeals-by-executor", report("appeals-by-executor", **everything), sql_appeals_by_executor(today)),
        ("appeals-by-type", report("appeals-by-type", **everything), sql_appeals_by_type(today)),
        ("authorities", report("authorities", **everything), sql_authorities(today)),
    ]
    results = []
    for name, url, statements in pages:
        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            return response

        entry = {"name": name, "url": url, "bytes": len(get().content)}
        entry |= _against_sql(get, statements, args.requests) if statements else _timed(get, args.requests)
        results.append(entry)
        _progress(args.size, entry)
    return results


def measure_search(director, args: argparse.Namespace) -> list[dict]:
    """core.search.search() for the director (the header's search box without its page) against its SQL."""
    from core.search import search

    entry = {"name": "search", "query": SEARCH_WORDS,
             **_against_sql(lambda: search(user=director, query=SEARCH_WORDS), sql_search(SEARCH_WORDS),
                            args.requests)}
    _progress(args.size, entry)
    return [entry]


def measure_register(director, args: argparse.Namespace) -> list[dict]:
    import xlsxwriter

    from core.reports.registers import APPEAL_FIELDS, appeal_register
    from core.reports.render import render
    from core.selectors.visibility import appeals_visible_to

    queryset = appeals_visible_to(director).order_by("-number")  # what the cabinet list shows, all of it

    def ours(fmt: str) -> Callable[[], None]:
        def run() -> None:
            with tempfile.TemporaryFile() as out:
                render(appeal_register(queryset), fmt, out)
        return run

    def xlsxwriter_alone() -> None:
        with tempfile.TemporaryFile() as out:
            workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "remove_timezone": True})
            sheet = workbook.add_worksheet("Реестр")
            for row, values in enumerate(queryset.values_list(*APPEAL_FIELDS).iterator(chunk_size=2000)):
                sheet.write_row(row, 0, values)
            workbook.close()

    rows = queryset.count()
    xlsx = {"name": "register-xlsx", "rows": rows, **_timed(ours("xlsx"), 1, warm_up=False),
            "peak_mb": _peak_mb(ours("xlsx"))}
    baseline = _timed(xlsxwriter_alone, 1, warm_up=False)
    xlsx.update(sql_ms=baseline["ms"], sql_cpu_ms=baseline["cpu_ms"], baseline="XlsxWriter constant_memory")
    ods = {"name": "register-ods", "rows": rows, **_timed(ours("ods"), 1, warm_up=False)}
    for entry in (xlsx, ods):
        _progress(args.size, entry)
    return [xlsx, ods]


def _peak_mb(run: Callable[[], object]) -> float:
    """The peak of memory allocated by Python while `run` runs (tracemalloc), in megabytes."""
    tracemalloc.start()
    try:
        run()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


def _progress(size: int, entry: dict) -> None:
    sql = f", SQL {entry['sql_ms']} мс" if entry.get("sql_ms") is not None else ""
    print(f"[{size}] {GOAL_BY_NAME[entry['name']].title}: {entry['ms']} мс, запросов {entry['queries']}{sql}",
          flush=True)


def machine() -> dict:
    from django import get_version
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "cpu": models[0] if models else platform.processor(), "cpus": os.cpu_count(),
        "ram_gb": round(total_kb / 2**20, 1), "python": platform.python_version(), "django": get_version(),
        "database": f"{connection.vendor} {version}", "vendor": connection.vendor,
    }


def run_size(args: argparse.Namespace) -> int:
    """The child: one size on its own database; the entries go to `args.out` as JSON."""
    _setup(args.database)
    from core.services.dataset import dataset_director

    dataset = prepare(args.size, args.seed)
    director = dataset_director(seed=args.seed)
    entries = measure_pages(director, args) + measure_search(director, args)
    entries += measure_register(director, args) if not args.skip_exports else [
        {"name": name, "skipped": "пропущено (--skip-exports)"} for name in ("register-xlsx", "register-ods")]
    for entry in entries:
        entry["size"] = args.size
    Path(args.out).write_text(json.dumps({"machine": machine(), "dataset": dataset, "results": entries},
                                         ensure_ascii=False, default=str), encoding="utf-8")
    return 0


# --- the parent ---------------------------------------------------------------------------------------------------
def database_for(size: int) -> str:
    """The database of one size: a SQLite file per size, or `<name>_<size>` next to BENCH_DATABASE_URL's."""
    base = os.environ.get("BENCH_DATABASE_URL")
    if not base:
        return f"sqlite:///{BASE_DIR / 'var' / f'bench-{size}.sqlite3'}"
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_{size}"
    _create_postgres_database(base, name)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _create_postgres_database(base_url: str, name: str) -> None:
    import psycopg

    parts = urlsplit(base_url)  # CREATE DATABASE from the server's maintenance database: the named one may not exist
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Замер страниц и выгрузок против написанного вручную SQL.")
    parser.add_argument("--sizes", default="2000,6000",
                        help="обращений в наборах данных, через запятую (2000,6000; цели: 100000,300000)")
    parser.add_argument("--seed", type=int, default=1, help="зерно генератора данных (1)")
    parser.add_argument("--requests", type=int, default=9, help="запросов каждой страницы и прогонов SQL (9)")
    parser.add_argument("--enforce-from", type=int, default=ENFORCE_FROM,
                        help="цели проверяются с такого числа обращений (100000)")
    parser.add_argument("--skip-exports", action="store_true", help="без выгрузок реестра (xlsx, ods)")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # the child's
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main() -> int:
    args = _arguments()
    if args.size:
        return run_size(args)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    started = datetime.now().astimezone()
    results, machine_info, datasets = [], {}, {}
    for size in sizes:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [sys.executable, __file__, "--size", str(size), "--database", database_for(size), "--out",
                       out.name, "--seed", str(args.seed), "--requests", str(args.requests)]
            subprocess.run(command + (["--skip-exports"] if args.skip_exports else []), check=True)
            child = json.loads(Path(out.name).read_text(encoding="utf-8"))
        machine_info, datasets[size] = child["machine"], child["dataset"]
        results += child["results"]
    vendor = machine_info["vendor"]
    results = with_frame([{**entry, "title": GOAL_BY_NAME[entry["name"]].title} if entry.get("skipped")
                          else evaluate(entry, vendor) for entry in results])
    order = {goal.name: index for index, goal in enumerate(GOALS)}
    results.sort(key=lambda entry: (order[entry["name"]], entry["size"]))
    report = {"started_at": started.isoformat(timespec="seconds"), "machine": machine_info, "sizes": sizes,
              "datasets": datasets, "settings": {"requests": args.requests, "tolerance": TOLERANCE,
                                                 "enforce_from": args.enforce_from, "debug": True},
              "results": results}
    print_table(results)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, ensure_ascii=False, indent=2, default=str)
    path = OUT_DIR / f"{datetime.now():%Y%m%d-%H%M%S}-{vendor}.json"
    path.write_text(text, encoding="utf-8")
    (OUT_DIR / "latest.json").write_text(text, encoding="utf-8")
    (OUT_DIR / "latest.md").write_text(markdown(report), encoding="utf-8")
    print(f"Результаты: {path.relative_to(BASE_DIR)}, var/bench/latest.json и var/bench/latest.md")
    failed = failures(results, args.enforce_from)
    for line in failed:
        print(f"Цель превышена более чем на {round((TOLERANCE - 1) * 100)} %: {line}")
    if not any(size >= args.enforce_from for size in sizes):
        print(f"Цели не проверялись: они действуют с {args.enforce_from} обращений (--sizes 100000,300000).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
