"""`make bench` (scripts/bench.py): the ratio against hand-written SQL, its goals and the verdict, on tiny data —
the bench itself runs on 100 000 appeals and is not part of `make test`."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.reports.projects import crm_audit, staff_workload
from core.reports.registry import ReportParams


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", Path(settings.BASE_DIR) / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entry(name: str, ms: float, sql_ms: float | None, *, size: int = 100_000, **extra) -> dict:
    return {"name": name, "ms": ms, "sql_ms": sql_ms, "size": size, "queries": 3, **extra}


def test_the_ratio_is_ours_over_the_sql(bench):
    assert bench.ratio(30, 20) == 1.5
    assert bench.ratio(1000, 3) == 333.33
    assert bench.ratio(30, None) is None and bench.ratio(30, 0) is None


def test_a_ratio_fails_only_beyond_half_again_its_goal(bench):
    assert bench.verdict(1.5, 1.5) == bench.MET
    assert bench.verdict(2.25, 1.5) == bench.ABOVE  # 50 % over the goal: still tolerated
    assert bench.verdict(2.26, 1.5) == bench.FAILED
    assert bench.verdict(9, None) == ""  # recorded without a goal


def test_sqlite_has_its_own_goal_for_the_reports_by_type(bench):
    by_type = entry("appeals-by-type", 350, 200)  # 1.75×
    assert bench.evaluate(by_type, "postgresql")["verdict"] == bench.ABOVE  # ≤ 1.5× there
    sqlite = bench.evaluate(by_type, "sqlite")
    assert (sqlite["goal"], sqlite["verdict"]) == (2, bench.MET)


def test_the_appeal_page_has_a_query_goal_too(bench):
    page = bench.evaluate(entry("appeal-page", 20, 10, queries=19), "postgresql")
    assert (page["ratio"], page["verdict"]) == (2.0, bench.MET)
    assert (page["query_goal"], page["query_verdict"]) == (12, bench.FAILED)
    assert bench.failures([page]) == ["Карточка обращения (100000): 19 запросов при цели ≤ 12"]


def test_failures_count_only_from_the_enforced_size(bench):
    slow = [bench.evaluate(entry("crm-audit", 100, 10, size=size), "postgresql") for size in (5_000, 100_000)]
    assert [line.split(":")[0] for line in bench.failures(slow)] == ["Отчёт «Аудит ведения CRM» (100000)"]
    assert bench.failures(slow, enforce_from=1_000) and not bench.failures(slow, enforce_from=200_000)


def test_the_frame_is_shown_apart_and_the_table_written(bench):
    rows = bench.with_frame([
        bench.evaluate(entry("frame", 40, None, url="/admin/reports/"), "sqlite"),
        bench.evaluate(entry("project-pool", 52, 8, url="/admin/reports/project-pool/"), "sqlite"),
        bench.evaluate(entry("register-xlsx", 1300, 1000), "sqlite"),
    ])
    pool = rows[1]
    assert (pool["ratio"], pool["net_ratio"], pool["verdict"]) == (6.5, 1.5, bench.FAILED)
    assert "net_ratio" not in rows[2]  # a job has no frame
    report = {"machine": {"database": "sqlite 3.40.1"}, "sizes": [100_000], "settings": {"requests": 9},
              "started_at": "2026-12-06T05:00:00+00:00", "results": rows}
    table = bench.markdown(report)
    assert "| Отчёт «Пул проектов» | 100000 | 52,0 | 3 | 8,0 | 6,50 | 1,50 | ≤ 1,5× | ПРОВАЛ |" in table
    assert "| Реестр обращений, xlsx (против XlsxWriter constant_memory) | 100000 | 1 300,0 |" in table


def test_the_hand_written_crm_audit_counts_what_the_report_counts(bench, director, apply_project, manager):
    """The baseline fetches the same figures as the page: projects, stale ones and the summed score (without the
    activity points, 20 for each project that is not stale)."""
    for number in range(3):
        apply_project(name=f"Проект {number}")
    today = timezone.localdate()
    summary, ids = bench._fetch(bench.sql_crm_audit(today))
    table = crm_audit(user=director, params=ReportParams(today=today))
    (manager_id, *_names, projects, stale, score), = summary
    assert manager_id == manager.pk and len(ids) == 3
    assert table.rows[0].values[2:5] == (projects, stale, round((score + 20 * (projects - stale)) / projects, 1))


def test_the_hand_written_staff_workload_selects_the_people_and_meetings_the_page_shows(
        bench, director, manager, head, make_user, agency, apply_project):
    """The baseline lists the same people — an agency manager with no projects, appeals or tasks too — and the
    month's meetings give each person the page's count (once per person, whether they manage the meeting's project,
    take part, or both)."""
    from core.roles import Role
    from core.services.projects import meeting_save

    colleague = make_user(Role.MANAGER, organisation=agency, last_name="Яковлев")
    project = apply_project(name="Завод")
    for participants in ([manager, head], [colleague], []):
        meeting_save(project=project, actor=manager, title="Встреча", format="in_person", place="Тосно",
                     starts_at=timezone.now(), participants=participants)
    today = timezone.localdate()
    *_counts, pairs, people = bench._fetch(bench.sql_staff_workload(today))
    meetings: dict[int, set] = {}
    for meeting, *persons in pairs:
        for person in persons:
            if person is not None:
                meetings.setdefault(person, set()).add(meeting)
    table = staff_workload(user=director, params=ReportParams(today=today))
    shown = {row.values[0]: row.values[-1] for row in table.rows}
    assert shown == {manager.full_name: 3, colleague.full_name: 1}  # the head takes part but has nothing to do
    assert {pk for pk, *_names in people} == {manager.pk, colleague.pk}
    assert {pk: len(meetings.get(pk, ())) for pk, *_names in people} == {manager.pk: 3, colleague.pk: 1}


def test_a_measurement_times_ours_and_its_sql_in_the_same_run(bench, db):
    measured = bench._against_sql(lambda: bench._fetch([("SELECT 1", [])]), [("SELECT 1", []), ("SELECT 2", [])], 3)
    assert measured["queries"] == 1 and measured["sql_queries"] == 2
    assert measured["ms"] >= 0 and measured["sql_ms"] >= 0


def test_the_hand_written_list_fetches_what_the_list_page_shows(bench, client, director, file_appeal):
    """Page 1 of the appeals list: the same rows in the same order, the count its footer shows, the choices of its
    filters and the saved filters."""
    for _ in range(3):
        file_appeal()
    if connection.vendor == "postgresql":
        # Both sides read pg_class.reltuples for an unfiltered list. ANALYZE writes it outside transactions, so an
        # earlier test's 12 000 rolled-back rows (or autovacuum in between) could leave the two reading different
        # statistics; analysed now, both count the table's three rows exactly.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_appeal")
    client.force_login(director)
    changelist = client.get(reverse("admin:core_appeal_changelist")).context["cl"]
    rows, (count,), types, categories, executors, districts, saved = bench._fetch(bench.sql_appeal_list(director))
    assert [row[1] for row in rows] == [appeal.number for appeal in changelist.result_list]
    assert count == (changelist.result_count,) == (3,)
    specs = {spec.field_path: spec for spec in changelist.filter_specs if hasattr(spec, "field_path")}
    assert {pk for pk, _name in types} == {pk for pk, _name in specs["appeal_type"].lookup_choices}
    assert {pk for pk, _name in executors} == {pk for pk, _name in specs["executor_organisation"].lookup_choices}
    assert categories and districts and saved == []


def test_the_hand_written_search_finds_what_the_search_shows(bench, client, director, file_appeal):
    appeals = [file_appeal() for _ in range(3)]
    client.force_login(director)
    number = appeals[1].number
    changelist = client.get(reverse("admin:core_appeal_changelist"), {"q": number}).context["cl"]
    rows, (count,), *_around = bench._fetch(bench.sql_appeal_search(director, number))
    assert [row[1] for row in rows] == [appeal.number for appeal in changelist.result_list] == [number]
    assert count == (changelist.result_count,) == (1,)


def test_the_hand_written_search_reads_the_indexes_as_the_page_does(bench, director, file_appeal):
    """A baseline that scanned every appeal would flatter the page: the number, ИНН and ПОС number are looked up
    by their indexes, rows and count alike."""
    number = file_appeal().number
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table of one row would be scanned anyway
        for sql, params in bench.sql_appeal_search(director, number)[:2]:
            cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
            plan = [str(row[-1]) for row in cursor.fetchall()]
            assert not [step for step in plan if step == "SCAN a" or "Seq Scan on core_appeal" in step], plan


def test_the_hand_written_appeal_page_reads_what_the_card_shows(bench, client, director, coordinator, manager, head,
                                                                 file_appeal, omsu):
    """The appeal, every line of its history, its files, answers, meetings with participants, МРГ sessions, and —
    with no manager — the executor body's head: as many rows as the card shows."""
    from core.models import AppealEscalation, Meeting
    from core.workflows.appeals import appeal_transition

    appeal = file_appeal()
    appeal = appeal_transition(appeal=appeal, name="assign", actor=coordinator,
                               executor_organisation=manager.organisation, manager=manager, head=head)
    appeal = appeal_transition(appeal=appeal, name="redirect", actor=coordinator, executor_organisation=omsu,
                               comment="По компетенции")
    meeting = Meeting.objects.create(appeal=appeal, title="ВКС", starts_at=timezone.now(), created_by=manager)
    meeting.participants.add(manager, head)
    AppealEscalation.objects.create(appeal=appeal, session_date=timezone.localdate(), decision="Решение",
                                    created_by=head)
    client.force_login(director)
    card = client.get(reverse("admin:core_appeal_change", args=[appeal.pk])).context
    statements = bench.sql_appeal_page(appeal.pk)
    found, events, files, answers, meetings, sessions, *executor_head = bench._fetch(statements)
    assert len(found) == 1 and len(executor_head) == 1  # no manager after the redirect: the head is asked for
    assert len(events) == sum(1 + len(entry["notes"]) for entry in card["timeline"])
    assert (len(files), len(answers)) == (len(card["files"]), len(card["rounds"]))
    assert len(meetings) == sum(max(1, len(item.participants.all())) for item in card["meetings"]) == 2
    assert len(sessions) == len(card["escalations"]) == 1
