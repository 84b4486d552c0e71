"""The read resources (classifier, organisations, projects with roadmap, meetings and tasks), the reports as JSON
and the registers as background exports: each through the same selectors as the two faces."""

import pytest
from django.utils import timezone

from core.models import ExportJob, Meeting, RoadmapItem, Task
from core.workflows.projects import project_apply
from tests.api.test_appeals import problem
from tests.factories import OrganisationFactory


@pytest.fixture
def projects(world):
    """A project of each company, with a roadmap item, a meeting and a task on the first."""
    world.company.personal_manager = world.manager
    world.company.save(update_fields=["personal_manager"])
    world.investor.refresh_from_db()
    own = project_apply(applicant=world.investor, name="Логистический центр", investment_volume=10**9, jobs=50)
    other = project_apply(applicant=world.other_investor, name="Чужой завод", investment_volume=10**8, jobs=5)
    today = timezone.localdate()
    RoadmapItem.objects.create(project=own, title="ТУ на газ", planned_start=today, planned_end=today,
                               baseline_start=today, baseline_end=today)
    Meeting.objects.create(project=own, title="Выезд на участок", starts_at=timezone.now(), created_by=world.manager)
    Task.objects.create(project=own, title="Загрузить ГПЗУ", author=world.investor, assignee=world.manager,
                        due_date=today)
    return own, other


def test_the_classifier_is_the_active_tree(world, api):
    tree = api("investor")("get", "classifier").json()
    facts = [fact for category in tree for sub in category["subcategories"] for fact in sub["facts"]]
    assert world.fact.pk in {fact["id"] for fact in facts}
    assert all(fact["period_days"] > 0 for fact in facts)


def test_answers_carry_cyrillic_as_utf8_not_escapes(world, api):
    response = api("investor")("get", "classifier")

    body = response.content.decode("utf-8")
    assert world.fact.name in body and "\\u04" not in body
    assert response["Content-Type"].startswith("application/json") and "utf-8" in response["Content-Type"].lower()


def test_organisations_are_for_staff_and_scoped_like_the_cabinet(world, api):
    assert "сотрудникам" in problem(api("investor")("get", "organisations"), 403)["detail"]
    seen = {row["id"] for row in api("coordinator")("get", "organisations", {"limit": 200}).json()["items"]}
    assert {world.company.pk, world.other_company.pk, world.omsu.pk} <= seen
    executor_sees = {row["id"] for row in api("other_executor")("get", "organisations", {"limit": 200}).json()["items"]}
    assert world.company.pk not in executor_sees  # an investor company is not a district body's to see
    problem(api("other_executor")("get", f"organisations/{world.company.pk}"), 404)
    assert api("other_executor")("get", f"organisations/{world.omsu.pk}").json()["short_name"] == "Администрация (тест)"


def test_projects_visibility_and_their_tabs(world, api, projects):
    own, other = projects
    mine = [row["id"] for row in api("investor")("get", "projects").json()["items"]]
    assert mine == [own.pk]
    problem(api("investor")("get", f"projects/{other.pk}"), 404)
    for tab in ("roadmap", "meetings", "tasks"):
        problem(api("investor")("get", f"projects/{other.pk}/{tab}"), 404)
    assert [item["title"] for item in api("investor")("get", f"projects/{own.pk}/roadmap").json()] == ["ТУ на газ"]
    assert [m["title"] for m in api("investor")("get", f"projects/{own.pk}/meetings").json()] == ["Выезд на участок"]
    assert [t["title"] for t in api("investor")("get", f"projects/{own.pk}/tasks").json()] == ["Загрузить ГПЗУ"]
    assert api("coordinator")("get", f"projects/{other.pk}").json()["investor"] == world.other_company.short_name
    problem(api("other_executor")("get", f"projects/{own.pk}"), 404)
    problem(api("investor")("get", "projects", {"stage__exact": "flying"}), 400)


def test_reports_are_their_tables_with_the_same_filters(world, api):
    problem(api("investor")("get", "reports"), 403)
    slugs = [report["slug"] for report in api("coordinator")("get", "reports").json()]
    assert "appeals-by-type" in slugs
    table = api("coordinator")("get", "reports/appeals-by-type", {"channel": "portal"}).json()
    assert table["columns"][0]["label"] == "Тип обращения"
    assert sum(row["values"][1] for row in table["rows"] if isinstance(row["values"][1], int)) >= 2
    refused = problem(api("coordinator")("get", "reports/appeals-by-type", {"stage": "accepted"}), 400)
    assert refused["errors"][0] == {"field": "stage", "message": "Этот отчёт не принимает такой фильтр."}
    problem(api("coordinator")("get", "reports/appeals-by-type", {"date_from": "1800-01-01"}), 400)
    problem(api("coordinator")("get", "reports/appeals-by-type", {"date_from": "вчера"}), 400)
    problem(api("coordinator")("get", "reports/nothing"), 404)


def test_a_register_export_starts_is_polled_and_downloaded_by_its_owner_only(
        world, api, django_capture_on_commit_callbacks):
    problem(api("investor")("post", "registers/appeals/exports", {"format": "xlsx"}), 403)
    problem(api("director")("post", "registers/appeals/exports", {"format": "pdf"}), 400)
    problem(api("director")("post", "registers/everything/exports", {"format": "xlsx"}), 404)
    wrong = api("director")("post", "registers/appeals/exports", {"format": "xlsx", "query": "status__exact=lost"})
    assert "Фильтры списка заданы неверно" in problem(wrong, 400)["errors"][0]["message"]
    assert problem(wrong, 400)["errors"][0]["field"] == "query" and not ExportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = api("director")("post", "registers/appeals/exports", {"format": "xlsx", "query": ""})
    assert started.status_code == 202
    job = started.json()
    polled = api("director")("get", f"registers/exports/{job['id']}").json()
    assert polled["status"] == "done" and polled["rows_total"] == ExportJob.objects.get().rows_total == 2
    download = api("director")("get", polled["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    problem(api("coordinator")("get", f"registers/exports/{job['id']}"), 404)
    problem(api("coordinator")("get", polled["download_url"]), 404)


def test_the_project_and_organisation_lists_cost_the_same_whatever_their_length(world, api, projects):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(person: str, path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api(person)("get", path).status_code == 200
        return len(captured)

    queries("coordinator", "projects"), queries("coordinator", "organisations")  # warm the per-process caches
    few = queries("coordinator", "projects"), queries("coordinator", "organisations")
    for number in range(3):
        project_apply(applicant=world.investor, name=f"Склад {number}", investment_volume=10**7, jobs=3)
        OrganisationFactory(kind="investor", district=world.omsu.district)
    assert (queries("coordinator", "projects"), queries("coordinator", "organisations")) == few
