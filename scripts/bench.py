"""`make bench`: how fast the reports, the register download and the appeal pages are on 100k appeals.

Runs on its own database — var/bench.sqlite3 by default, BENCH_DATABASE_URL for PostgreSQL — never on the
development or production one: migrates it, loads the reference data, generates the data set once
(core.services.dataset; reused by later runs with the same seed) and then measures:

* every report of core/reports/registry.py built for the director, next to hand-written SQL of its main
  aggregate where there is one (the SQL's totals are checked against the report's);
* the appeals register as xlsx (appeal_register + render) next to openpyxl's write-only sheet fed the same
  tuples directly, with the peak Python memory of each (tracemalloc);
* the appeals list and an appeal's page in the cabinet (median of N requests, SQL queries per request).

Prints a table and writes var/bench/<time>.json and var/bench/latest.json. See docs/performance.md.
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
DEFAULT_DATABASE = f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}"


def _setup() -> None:
    """Django on the bench database, whatever the environment says (DEBUG on: the generator requires it)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings"
    os.environ["DEBUG"] = "true"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Замер скорости отчётов, выгрузки реестра и страниц кабинета.")
    parser.add_argument("--appeals", type=int, default=100_000, help="обращений в наборе данных (100000)")
    parser.add_argument("--projects", type=int, default=5_000, help="проектов в наборе данных (5000)")
    parser.add_argument("--seed", type=int, default=1, help="зерно генератора данных (1)")
    parser.add_argument("--repeat", type=int, default=5, help="повторов каждого отчёта и SQL (5)")
    parser.add_argument("--requests", type=int, default=15, help="запросов каждой страницы (15)")
    return parser.parse_args()


# --- measuring ------------------------------------------------------------------------------------------------
def _measure(run: Callable[[], object], times: int, *, warm_up: bool = True) -> dict:
    """Median wall and CPU time of `times` runs (ms) and the SQL queries of one run. CPU time is this process
    only (on SQLite that includes the database; PostgreSQL works in its own processes). DEBUG is on, so Django
    logs every query anyway: counting them costs the timed runs nothing extra."""
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
    return {"median_ms": round(statistics.median(wall), 1), "cpu_ms": round(statistics.median(cpu), 1),
            "queries": len(captured)}


def _peak_mb(run: Callable[[], object]) -> float:
    """The peak of memory allocated by Python while `run` runs (tracemalloc), in megabytes."""
    tracemalloc.start()
    try:
        run()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


# --- the data set ---------------------------------------------------------------------------------------------
def prepare(args: argparse.Namespace) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from core.models import Appeal, Project
    from core.services.dataset import dataset_generate, dataset_present

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_reference", stdout=io.StringIO())  # idempotent; its summary line is not needed here
    info = {"seed": args.seed, "generated": False, "seconds": None}
    if dataset_present(seed=args.seed):
        print(f"Набор данных с seed {args.seed} уже в базе — используется повторно.")
    else:
        print(f"Генерация набора данных: {args.projects} проектов, {args.appeals} обращений, seed {args.seed}…")
        cpu = time.process_time()
        result = dataset_generate(projects=args.projects, appeals=args.appeals, seed=args.seed, progress=print)
        cpu = time.process_time() - cpu  # on a shared machine the wall time also counts other processes
        info.update(generated=True, seconds=round(result.seconds, 1), cpu_seconds=round(cpu, 1),
                    counts=result.counts)
        print(f"Набор данных создан за {result.seconds:.1f} с (процессор: {cpu:.1f} с).")
        if connection.vendor == "postgresql":  # what autovacuum would do soon after such an insert
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    info.update(appeals=Appeal.objects.count(), projects=Project.objects.count())
    return info


# --- reports --------------------------------------------------------------------------------------------------
def _moscow_date(column: str) -> str:
    """SQL for the Moscow date of a timestamp column (Moscow is UTC+3 all year since 2014)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE 'Europe/Moscow')::date"
    return f"date({column}, '+3 hours')"


def _days(later: str, earlier: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400"
    return f"julianday({later}) - julianday({earlier})"


def _in(values: list[str]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"  # fixed choice values, not user input


def _measures(today) -> tuple[str, list]:
    """The columns every appeal report aggregates (core.reports.appeals._measures), as SQL."""
    from core.choices import AppealStatus

    open_ = _in(AppealStatus.open())
    answered_day = _moscow_date("a.answered_at")
    sql = f"""
        COUNT(*) AS appeals,
        SUM(CASE WHEN a.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS answered,
        SUM(CASE WHEN a.status IN {open_} THEN 1 ELSE 0 END) AS in_work,
        SUM(CASE WHEN (a.status IN {open_} AND a.deadline < %s)
                   OR (a.answered_at IS NOT NULL AND {answered_day} > a.deadline) THEN 1 ELSE 0 END) AS overdue,
        SUM(CASE WHEN a.rework_count > 0 THEN 1 ELSE 0 END) AS rework,
        SUM(a.rating) AS rating_sum, COUNT(a.rating) AS rated"""
    return sql, [today]


def _sql_appeals_by_type(today) -> tuple[str, list]:
    measures, params = _measures(today)
    return f"SELECT a.appeal_type_id, {measures} FROM core_appeal a GROUP BY a.appeal_type_id", params


def _sql_appeals_by_executor(today) -> tuple[str, list]:
    measures, params = _measures(today)
    return f"""
        SELECT a.manager_id, s.category_id, f.subcategory_id, a.fact_id, f.code, f.name, {measures}
        FROM core_appeal a JOIN core_fact f ON f.id = a.fact_id JOIN core_subcategory s ON s.id = f.subcategory_id
        GROUP BY a.manager_id, s.category_id, f.subcategory_id, a.fact_id, f.code, f.name""", params


def _sql_authorities(today) -> tuple[str, list]:
    from core.reports.appeals import authority_kinds

    measures, params = _measures(today)
    return f"""
        SELECT a.executor_organisation_id, o.short_name, {measures},
            SUM(CASE WHEN a.answered_at IS NOT NULL AND {_moscow_date("a.answered_at")} <= a.deadline
                THEN 1 ELSE 0 END) AS on_time,
            SUM(CASE WHEN a.answered_at IS NOT NULL THEN {_days("a.answered_at", "a.received_at")} END) AS days
        FROM core_appeal a JOIN core_organisation o ON o.id = a.executor_organisation_id
        WHERE o.kind IN {_in(authority_kinds())}
        GROUP BY a.executor_organisation_id, o.short_name""", params


def _sql_project_pool(today) -> tuple[str, list]:
    return """
        SELECT p.district_id, d.name, d."order", p.industry_id, i.name, i."order", p.stage, COUNT(*) AS projects,
            COALESCE(SUM(p.investment_volume), 0) AS investment, COALESCE(SUM(p.jobs), 0) AS jobs
        FROM core_project p
            LEFT JOIN core_district d ON d.id = p.district_id LEFT JOIN core_industry i ON i.id = p.industry_id
        WHERE p.stage NOT IN ('withdrawn', 'declined')
        GROUP BY p.district_id, d.name, d."order", p.industry_id, i.name, i."order", p.stage""", []


# slug -> (SQL builder, the columns whose totals must agree: report column key -> SQL column)
RAW_SQL = {
    "appeals-by-type": (_sql_appeals_by_type, {"appeals": "appeals", "answered": "answered", "in_work": "in_work",
                                               "overdue": "overdue"}),
    "appeals-by-executor": (_sql_appeals_by_executor, {"appeals": "appeals", "answered": "answered",
                                                       "overdue": "overdue"}),
    "project-pool": (_sql_project_pool, {"projects": "projects", "jobs": "jobs"}),
    "authorities": (_sql_authorities, {"appeals": "appeals", "answered": "answered"}),
}


def _check(table, rows: list[dict], columns: dict[str, str]) -> dict:
    """The report's total row next to the sums of the hand-written SQL's rows, column by column."""
    keys = [column.key for column in table.columns]
    totals = {key: [table.total.values[keys.index(key)], sum(row[sql] or 0 for row in rows)]
              for key, sql in columns.items()}
    return {"totals": totals, "matches": all(report == sql for report, sql in totals.values())}


def _fetch(sql: str, params: list) -> list[dict]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def bench_reports(director, args: argparse.Namespace) -> list[dict]:
    from django.utils import timezone

    from core.reports.registry import ReportParams, report_build, reports

    today = timezone.localdate()
    params = ReportParams(today=today)
    results = []
    for slug, spec in reports().items():
        def build(slug=slug):
            return report_build(slug, user=director, params=params)

        entry = {"kind": "report", "name": slug, "title": str(spec.title), **_measure(build, args.repeat)}
        if slug in RAW_SQL:
            make_sql, columns = RAW_SQL[slug]
            sql, sql_params = make_sql(today)
            baseline = _measure(lambda sql=sql, p=sql_params: _fetch(sql, p), args.repeat)
            entry.update(baseline_ms=baseline["median_ms"], baseline_cpu_ms=baseline["cpu_ms"])
            entry["check"] = _check(build(), _fetch(sql, sql_params), columns)
        else:
            entry["note"] = "без эталонного SQL: отчёт собирается из нескольких запросов"
        results.append(entry)
        _print_progress(entry)
    return results


# --- the register download ------------------------------------------------------------------------------------
def bench_register(director) -> list[dict]:
    try:
        from core.reports.registers import appeal_register
        from core.reports.render import render
    except ImportError as error:
        message = f"пропущено: модуль реестров ещё не готов ({error})"
        print(f"Выгрузка реестра — {message}")
        return [{"kind": "export", "name": "appeal-register-xlsx", "skipped": message}]
    from openpyxl import Workbook

    from core.reports.registers import APPEAL_FIELDS
    from core.selectors.visibility import appeals_visible_to

    queryset = appeals_visible_to(director).order_by("-number")  # what the cabinet list shows, all of it

    def rendered() -> None:
        with tempfile.TemporaryFile() as out:
            render(appeal_register(queryset), "xlsx", out)

    def same_tuples() -> None:
        table = appeal_register(queryset)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Реестр")
        sheet.append([column.label for column in table.columns])
        for row in table.rows:
            sheet.append(row.values)
        with tempfile.TemporaryFile() as out:
            workbook.save(out)

    def bare_values_list() -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Реестр")
        for values in queryset.values_list(*APPEAL_FIELDS).iterator(chunk_size=2000):
            # Excel has no time zones: the two moments go in as naive UTC, nothing else is converted
            sheet.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in values])
        with tempfile.TemporaryFile() as out:
            workbook.save(out)

    variants = [
        ("appeal-register-xlsx", "appeal_register + render(xlsx)", rendered),
        ("openpyxl-same-tuples", "openpyxl write_only, те же кортежи (строки реестра)", same_tuples),
        ("openpyxl-values-list", "openpyxl write_only, кортежи values_list без обработки", bare_values_list),
    ]
    rows, results = queryset.count(), []
    for name, title, run in variants:
        entry = {"kind": "export", "name": name, "title": title, "rows": rows,
                 **_measure(run, 1, warm_up=False), "peak_mb": _peak_mb(run)}  # 100k rows: one run is long enough
        results.append(entry)
        _print_progress(entry)
    return results


# --- pages ----------------------------------------------------------------------------------------------------
def bench_pages(director, args: argparse.Namespace) -> list[dict]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from core.models import Appeal

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(director)
    by_history = Appeal.objects.annotate(lines=Count("events")).values("pk", "lines", "status")
    longest = by_history.order_by("-lines", "number")[0]
    shortest = by_history.filter(status=longest["status"]).order_by("lines", "number")[0]
    pages = [("appeal-list", "Список обращений (кабинет)", reverse("admin:core_appeal_changelist"))]
    # the longest history and the shortest in the same status: the page's queries must not depend on it
    for name, appeal in (("appeal-page", longest), ("appeal-page-short", shortest)):
        pages.append((name, f"Карточка обращения (строк истории: {appeal['lines']})",
                      reverse("admin:core_appeal_change", args=[appeal["pk"]])))
    results = []
    for name, title, url in pages:
        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            return response

        entry = {"kind": "page", "name": name, "title": title, "url": url, **_measure(get, args.requests),
                 "requests": args.requests}
        results.append(entry)
        _print_progress(entry)
    return results


# --- output ---------------------------------------------------------------------------------------------------
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
        "database": f"{connection.vendor} {version}",
    }


def _print_progress(entry: dict) -> None:
    print(f"  {entry.get('title', entry['name'])}: {entry['median_ms']} мс (ЦП {entry['cpu_ms']} мс)")


def _cell(value, width: int) -> str:
    text = "—" if value is None else str(value)
    return text.rjust(width) if isinstance(value, int | float) else text.ljust(width)


def print_table(results: list[dict]) -> None:
    headers = ("Замер", "Медиана, мс", "ЦП, мс", "Запросов", "Эталон, мс", "Во сколько раз", "Пик памяти, МБ",
               "Сверка")
    widths = (58, 12, 9, 9, 11, 15, 15, 7)
    print()
    print(" ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print(" ".join("-" * w for w in widths))
    for entry in results:
        title = entry.get("title", entry["name"])
        if "skipped" in entry:
            print(f"{title[:58].ljust(58)} {entry['skipped']}")
            continue
        baseline = entry.get("baseline_ms")
        ratio = round(entry["median_ms"] / baseline, 1) if baseline else None
        check = entry.get("check")
        verdict = None if check is None else ("да" if check["matches"] else "НЕТ")
        cells = (title[:58], entry["median_ms"], entry["cpu_ms"], entry["queries"], baseline, ratio,
                 entry.get("peak_mb"), verdict)
        print(" ".join(_cell(value, width) for value, width in zip(cells, widths, strict=True)))
    print()


def write_json(report: dict) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, ensure_ascii=False, indent=2, default=str)
    path = OUT_DIR / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(text, encoding="utf-8")
    (OUT_DIR / "latest.json").write_text(text, encoding="utf-8")
    return path


def main() -> int:
    args = _arguments()
    _setup()
    from core.services.dataset import dataset_director

    started = datetime.now().astimezone()
    dataset = prepare(args)
    director = dataset_director(seed=args.seed)
    print("Отчёты:")
    results = bench_reports(director, args)
    print("Выгрузка реестра обращений:")
    results += bench_register(director)
    print("Страницы кабинета:")
    results += bench_pages(director, args)
    report = {"started_at": started.isoformat(timespec="seconds"), "machine": machine(), "dataset": dataset,
              "settings": {"repeat": args.repeat, "requests": args.requests, "debug": True}, "results": results}
    print_table(results)
    print(f"Результаты: {write_json(report).relative_to(BASE_DIR)} (и var/bench/latest.json)")
    mismatched = [e["name"] for e in results if e.get("check") and not e["check"]["matches"]]
    if mismatched:
        print("Итоги эталонного SQL не совпали с отчётами: " + ", ".join(mismatched))
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
