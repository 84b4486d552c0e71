"""A report page shows what a person reads: a long tree collapsed to its top rows with a link per branch, long
tables a page at a time — with the same figures as the whole report, which only the downloads hold — and a
constant number of queries whatever the data size (issue 13)."""

from html import unescape
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Appeal, Fact, Industry, Project
from core.reports.projects import crm_audit, crm_audit_page
from core.reports.registry import ReportParams
from tests.admin_site.helpers import page_text
from tests.factories import DistrictFactory


def report_url(slug: str, query: dict | None = None) -> str:
    url = reverse("admin:report", args=[slug])
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def shown(response) -> list[tuple[int, str, str]]:
    """(level, kind, label) of the rows the page shows."""
    return [(row.level, row.kind, row.label) for row in response.context["report"].rows]


def branch_link(response, label: str) -> str:
    row = next(row for row in response.context["report"].rows if row.label == label)
    return row.branch_url


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def long_trees(monkeypatch):
    """Trees «long» from two rows on, so a few rows of test data come collapsed."""
    for module in ("admin_site.views.reports", "core.reports.appeals", "core.reports.projects"):
        monkeypatch.setattr(f"{module}.FULL_TREE_ROWS", 1)


@pytest.fixture
def short_pages(monkeypatch):
    """Pages of two rows."""
    monkeypatch.setattr("admin_site.views.reports.PAGE_ROWS", 2)


@pytest.fixture
def two_executors(file_appeal, omsu, agency, manager, executor, classifier):
    facts = list(Fact.objects.filter(is_active=True).order_by("code")[:3])
    made = [file_appeal(fact=facts[0]), file_appeal(fact=facts[1]), file_appeal(fact=facts[2])]
    Appeal.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(executor_organisation=omsu, manager=executor)
    Appeal.objects.filter(pk=made[2].pk).update(executor_organisation=agency, manager=manager)
    return made


# --- the tree -----------------------------------------------------------------------------------------------
def test_a_long_tree_shows_its_executors_and_opens_a_branch_by_link(login, director, executor, manager,
                                                                     two_executors, long_trees):
    client = login(director)
    whole = client.get(report_url("appeals-by-executor", {"format": "xlsx"}))
    assert whole.status_code == 200  # the files still hold every row (test_reports_pages checks their content)
    page = client.get(report_url("appeals-by-executor"))
    view = page.context["report"]
    assert view.collapsed
    assert {kind for _level, kind, _label in shown(page)} == {"executor"}
    assert "Весь отчёт — в файлах для скачивания" in page_text(page)
    link = branch_link(page, executor.full_name)
    assert "open=person-" in link and f'href="{link.replace("&", "&amp;")}"' in page.content.decode()
    assert 'class="zk-toggle"' not in page.content.decode()  # the top rows open by link, not by script

    opened = client.get(report_url("appeals-by-executor") + link)
    rows = shown(opened)
    under = rows[[label for _level, _kind, label in rows].index(executor.full_name) + 1:]
    assert under and under[0][:2] == (1, "category")  # its branch, down to the facts
    assert two_executors[0].fact.name in [label for _level, _kind, label in under]
    other = [label for _level, _kind, label in rows].index(manager.full_name)
    assert other + 1 == len(rows) or rows[other + 1][0] == 0  # the other executor's branch stays closed
    closing = branch_link(opened, executor.full_name)
    assert "open=" not in closing  # the same link closes it again
    assert opened.context["report"].total == page.context["report"].total  # the same figures either way


def test_a_short_tree_is_shown_whole_with_its_toggles(login, director, two_executors, short_pages):
    page = login(director).get(report_url("appeals-by-executor"))
    assert not page.context["report"].collapsed
    assert page.context["report"].paging is None  # more rows than a page, but a whole tree is never cut
    assert {"executor", "category", "subcategory", "fact"} <= {kind for _l, kind, _label in shown(page)}
    assert 'class="zk-toggle"' in page.content.decode()


def test_the_collapsed_tree_costs_the_same_queries_with_more_appeals(login, director, executor, file_appeal, omsu,
                                                                      two_executors, long_trees):
    client = login(director)
    page = client.get(report_url("appeals-by-executor"))
    url = report_url("appeals-by-executor") + branch_link(page, executor.full_name)
    few = query_count(client, url)
    facts = list(Fact.objects.filter(is_active=True).order_by("-code")[:6])
    more = [file_appeal(fact=fact) for fact in facts]
    Appeal.objects.filter(pk__in=[appeal.pk for appeal in more]).update(executor_organisation=omsu, manager=executor)
    assert query_count(client, url) == few


# --- the CRM audit ------------------------------------------------------------------------------------------
@pytest.fixture
def projects(apply_project):
    return [apply_project(name=f"Проект {number}") for number in range(3)]


def test_the_crm_audit_page_has_the_figures_of_the_whole_report(director, manager, projects, long_trees):
    params = ReportParams().resolved()
    whole = crm_audit(user=director, params=params)
    collapsed = crm_audit_page(user=director, params=params, open=None)
    assert [row.values for row in collapsed.rows] == [row.values for row in whole.rows if row.level == 0]
    assert collapsed.total.values == whole.total.values
    assert all(row.expandable for row in collapsed.rows)
    opened = crm_audit_page(user=director, params=params, open=frozenset({f"m{manager.pk}"}))
    assert [(row.values, row.link) for row in opened.rows] == [(row.values, row.link) for row in whole.rows]


def test_the_crm_audit_page_opens_a_manager_and_keeps_its_queries(login, director, manager, apply_project, projects,
                                                                   long_trees, short_pages):
    client = login(director)
    page = client.get(report_url("crm-audit"))
    assert shown(page) == [(0, "manager", manager.full_name)]
    project_url = reverse("admin:core_project_change", args=[projects[0].pk])
    link = branch_link(page, manager.full_name)
    assert link.endswith(f"open=m{manager.pk}")
    url = report_url("crm-audit") + link
    opened = client.get(url)
    assert f'href="{project_url}"' in opened.content.decode()
    view = opened.context["report"]
    assert [row.kind for row in view.rows] == ["manager", "project"]  # a page of two rows
    assert view.paging.rows == 4 and view.paging.next_url
    few = query_count(client, url)
    for number in range(3, 9):
        apply_project(name=f"Проект {number}")
    assert query_count(client, url) == few


# --- pages --------------------------------------------------------------------------------------------------
@pytest.fixture
def pool(apply_project):
    """Projects in three districts: three rows of the project pool."""
    industry = Industry.objects.create(code="window-logistics", name="Логистика")
    made = []
    for name in ("Волховский", "Кировский", "Тосненский"):
        district = DistrictFactory(name=name)
        made.append(apply_project(name=f"Склад: {name}", district=district, industry=industry))
    return made


def test_a_long_table_goes_a_page_at_a_time(login, director, pool, short_pages):
    client = login(director)
    first = client.get(report_url("project-pool"))
    view = first.context["report"]
    assert [row.label for row in view.rows] == ["Волховский", "Кировский"]
    assert (view.paging.number, view.paging.count, view.paging.first, view.paging.last, view.paging.rows) == (
        1, 2, 1, 2, 3)
    assert not view.paging.previous_url
    assert "Строки 1–2 из 3 (страница 1 из 2)" in page_text(first)
    assert view.total[3].text == "3"  # the total counts every row, not the page's

    second = client.get(report_url("project-pool") + view.paging.next_url)
    assert [row.label for row in second.context["report"].rows] == ["Тосненский"]
    assert second.context["report"].paging.previous_url == "?"  # page 1 is the address without «page»
    assert 'rel="prev"' in second.content.decode()
    for wrong in ("9", "0", "abc", "-1", "²", "1e3"):  # past the end: the last page; nonsense: the first
        response = client.get(report_url("project-pool", {"page": wrong}))
        assert response.status_code == 200
        assert response.context["report"].paging.number == (2 if wrong == "9" else 1)


def test_filters_stay_in_the_page_links(login, director, pool, short_pages):
    district = Project.objects.get(pk=pool[0].pk).district
    page = login(director).get(report_url("project-pool", {"stage": "", "industry": pool[0].industry_id}))
    next_url = unescape(page.context["report"].paging.next_url) if page.context["report"].paging else ""
    assert f"industry={pool[0].industry_id}" in next_url and "page=2" in next_url
    assert district.name in page_text(page)


def test_a_table_within_a_page_has_no_page_links(login, director, pool):
    page = login(director).get(report_url("project-pool"))
    assert page.context["report"].paging is None
    assert "Страницы отчёта" not in page.content.decode()
