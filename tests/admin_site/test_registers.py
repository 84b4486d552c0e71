"""«Скачать реестр», «Мои фильтры» and «Выгрузка обращений в Word» on the appeal and project lists: the file holds
exactly the rows the list shows, in its order; a big list is prepared in the background for its owner only; saved
filters reopen and delete; the Word bundle skips what the person may not see; queries do not grow with rows."""

from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.contrib.admin import site
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Appeal, ExportJob, Notification, Project, SavedFilter
from core.models.exports import ExportStatus
from core.reports import registers
from core.services.saved_filters import LIST_PARAMETERS
from tests.admin_site.appeals.helpers import act
from tests.admin_site.helpers import page_text
from tests.core.test_registers import APPEAL_HEADERS, HYPERLINK, PROJECT_HEADERS, docx_text, ods_rows, xlsx_rows
from tests.factories import DistrictFactory

APPEALS = reverse("admin:core_appeal_changelist")
PROJECTS = reverse("admin:core_project_changelist")


def download_url(list_name: str, fmt: str, query: str = "") -> str:
    return reverse(f"admin:core_{list_name}_register", args=[fmt]) + (f"?{query}" if query else "")


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def listed(client, url: str, query: str) -> list:
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def appeals(file_appeal, coordinator, manager):
    """Four appeals on two subjects; the first two assigned to the ready manager."""
    made = []
    for day, subject in ((3, "Дорога к участку"), (4, "Газ для котельной"), (5, "Дорога через лес"),
                         (6, "Газопровод высокого давления")):
        with time_machine.travel(f"2025-03-0{day} 10:00 +03:00", tick=False):
            made.append(file_appeal(subject=subject))
    made[0] = act(made[0], "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    made[1] = act(made[1], "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    return made


# --- the toolbar ----------------------------------------------------------------------------------------------------
def test_the_list_offers_the_register_with_its_filters_and_the_saved_filters(login, director, appeals):
    response = login(director).get(f"{APPEALS}?q=Дорога&p=1&o=-1")
    html, text = response.content.decode(), page_text(response)
    for label in ("Скачать реестр", "Excel (XLSX)", "OpenDocument (ODS)", "Мои фильтры", "Сохранить фильтр"):
        assert label in text, label
    links = response.context["register_links"]
    assert [link["fmt"] for link in links] == ["xlsx", "ods"]
    for link in links:
        assert dict(parse_qsl(urlsplit(link["url"]).query)) == {"q": "Дорога", "o": "-1"}  # the page dropped
        assert link["url"].replace("&", "&amp;") in html


def test_the_project_list_has_the_toolbar_too(login, director, apply_project):
    apply_project()
    text = page_text(login(director).get(PROJECTS))
    assert "Скачать реестр" in text and "Мои фильтры" in text


# --- the file is the list -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["q=Дорога&o=1", "q=Дорога&o=-1", "q=Газ", "status__exact=assigned&o=-2.1",
                                   "overdue=yes&created_at_from=04.03.2025"])
def test_the_xlsx_holds_exactly_the_lists_rows_in_its_order(login, director, appeals, query):
    client = login(director)
    shown = [appeal.number for appeal in listed(client, APPEALS, query)]
    response = client.get(download_url("appeal", "xlsx", query))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "private, no-store" in response["Cache-Control"]
    assert ".xlsx" in response["Content-Disposition"]
    headers, rows = xlsx_rows(content(response))
    assert headers == APPEAL_HEADERS
    assert [row[0].value for row in rows] == shown and shown


def test_the_order_follows_the_lists_sorting(login, director, appeals):
    client = login(director)
    up = [row[0].value for row in xlsx_rows(content(client.get(download_url("appeal", "xlsx", "o=1"))))[1]]
    down = [row[0].value for row in xlsx_rows(content(client.get(download_url("appeal", "xlsx", "o=-1"))))[1]]
    assert up == sorted(up) and down == up[::-1] and len(up) == 4


def test_the_file_holds_only_what_the_person_sees(login, manager, appeals):
    _, rows = xlsx_rows(content(login(manager).get(download_url("appeal", "xlsx"))))
    assert sorted(row[0].value for row in rows) == sorted(a.number for a in appeals[:2])


def test_the_ods_of_projects_has_the_headers_and_real_numbers(login, director, apply_project):
    apply_project(name="Склад «Север»", investment_volume=2_000_000_000, jobs=40)
    apply_project(name="Завод «Юг»", investment_volume=900_000_000, jobs=15, district=DistrictFactory())
    client = login(director)
    query = "q=Склад"
    shown = [project.registry_number for project in listed(client, PROJECTS, query)]
    response = client.get(download_url("project", "ods", query))
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    headers, rows = ods_rows(content(response), header="Реестровый №")
    assert headers == PROJECT_HEADERS
    assert [row[0][1] for row in rows] == shown == [Project.objects.get(name="Склад «Север»").registry_number]
    assert rows[0][7] == ("float", 2_000_000_000) and rows[0][8] == ("float", 40)


def test_a_formula_in_a_subject_comes_back_as_text(login, director, file_appeal):
    file_appeal(subject=HYPERLINK)
    client = login(director)
    _, rows = xlsx_rows(content(client.get(download_url("appeal", "xlsx"))))
    assert rows[0][4].value == HYPERLINK and rows[0][4].data_type == "s"
    _, rows = ods_rows(content(client.get(download_url("appeal", "ods"))))
    assert rows[0][4] == ("string", HYPERLINK)


def test_wrong_filters_or_format_do_not_download(login, director, appeals):
    client = login(director)
    response = client.get(download_url("appeal", "xlsx", "no_such_field=1"), follow=True)
    assert "Фильтры списка заданы неверно" in page_text(response)
    assert client.get(download_url("appeal", "csv")).status_code == 404


def test_an_investor_cannot_download(client, investor, appeals):
    client.force_login(investor)
    assert client.get(download_url("appeal", "xlsx")).status_code == 302  # the cabinet's login page


def test_the_download_takes_the_same_queries_for_few_and_many_rows(login, director, file_appeal):
    client = login(director)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(download_url("appeal", "xlsx", "o=-1"))
            content(response)
        return len(captured)

    for _ in range(2):
        file_appeal()
    queries()  # warm the per-process caches
    few = queries()
    for _ in range(6):
        file_appeal()
    assert queries() == few


def test_one_count_of_the_filtered_rows_decides_at_once_or_in_the_background(login, director, appeals):
    with CaptureQueriesContext(connection) as captured:
        response = login(director).get(download_url("appeal", "xlsx", "q=Дорога&overdue=no"))
        content(response)
    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper() and "core_appeal" in query["sql"]]
    assert response.status_code == 200 and len(counts) == 1, counts


# --- above the limit: a background job ------------------------------------------------------------------------------
def test_a_big_list_is_prepared_in_the_background_for_its_owner_only(
    login, director, manager, appeals, monkeypatch, django_capture_on_commit_callbacks, client
):
    monkeypatch.setattr(registers, "REGISTER_SYNC_LIMIT", 2)
    client = login(director)
    query = "q=Дорога&o=1"
    shown = [appeal.number for appeal in listed(client, APPEALS, query)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(download_url("appeal", "ods", query))  # 2 rows: still at once
    assert response.status_code == 200 and not ExportJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(download_url("appeal", "xlsx", "o=1"))  # 4 rows: in the background
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admin:export_job", args=[job.uid])
    assert (job.user, job.register, job.file_format, job.query) == (director, "appeals", "xlsx", "o=1")

    job.refresh_from_db()  # the q2 task ran inline (tests run q2 sync) once the request committed
    assert job.status == ExportStatus.DONE and job.progress == 100 and job.rows_total == 4
    page = client.get(response["Location"])
    text = page_text(page)
    assert "реестр готовится в фоне" in text  # the message of the redirect
    assert "Готово 100% — 4 из 4 строк" in text and "Файл готов" in text
    assert 'http-equiv="refresh"' not in page.content.decode()
    download = reverse("admin:export_job_download", args=[job.uid])
    assert download in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200 and "private, no-store" in response["Cache-Control"]
    _, rows = xlsx_rows(content(response))
    assert [row[0].value for row in rows] == sorted(a.number for a in appeals)

    notice = Notification.objects.get(event="export_ready", recipient=director, channel="site")
    assert notice.link.endswith(reverse("admin:export_job", args=[job.uid]))

    other = login(manager)  # the same client, now signed in as someone else
    assert other.get(reverse("admin:export_job", args=[job.uid])).status_code == 404
    assert other.get(download).status_code == 404
    assert shown  # the list had rows to begin with

    job.file.storage.delete(job.file.name)  # the file left the storage (a restore without it, a hand clean-up)
    assert login(director).get(download).status_code == 404  # «not found», never a 500


def test_the_job_page_refreshes_itself_while_the_job_runs(login, director):
    job = ExportJob.objects.create(user=director, register="projects", file_format="ods", query="q=Склад",
                                   status=ExportStatus.RUNNING, rows_total=8000, rows_done=2000)
    response = login(director).get(reverse("admin:export_job", args=[job.uid]))
    html, text = response.content.decode(), page_text(response)
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "Готово 25% — 2000 из 8000 строк" in text and "Инвестиционные проекты" in text
    assert f'href="{PROJECTS}?q=Склад"' in html  # back to the list with the same filters
    assert reverse("admin:export_job_download", args=[job.uid]) not in html
    assert login(director).get(reverse("admin:export_job_download", args=[job.uid])).status_code == 404


def test_a_failed_job_says_why(login, director):
    job = ExportJob.objects.create(user=director, register="appeals", file_format="xlsx", status=ExportStatus.FAILED,
                                   error="Фильтры списка заданы неверно: откройте список заново.")
    text = page_text(login(director).get(reverse("admin:export_job", args=[job.uid])))
    assert "Фильтры списка заданы неверно" in text and "Ошибка" in text


# --- «Мои фильтры» --------------------------------------------------------------------------------------------------
def test_a_filter_is_saved_reopened_and_deleted(login, director, manager, appeals):
    client = login(director)
    response = client.post(reverse("admin:core_appeal_saved_filter_save"),
                           {"name": "Дороги", "query": "q=Дорога&p=2&_changelist_filters=a%3D1&o=1"}, follow=True)
    saved = SavedFilter.objects.get()
    assert (saved.user, saved.list_key, saved.name) == (director, "core.appeal", "Дороги")
    assert parse_qsl(saved.query) == [("q", "Дорога"), ("o", "1")]
    assert "Фильтр «Дороги» сохранён" in page_text(response)
    assert [a.number for a in response.context["cl"].result_list] == sorted(
        a.number for a in appeals if "Дорога" in a.subject)  # reopened at once

    response = client.get(APPEALS)
    (shown,) = response.context["saved_filters"]
    assert shown["name"] == "Дороги" and shown["url"] == f"{APPEALS}?{saved.query}" and not shown["current"]
    assert client.get(shown["url"]).context["saved_filters"][0]["current"]
    assert "Дороги" in page_text(response)

    assert client.get(shown["delete_url"]).status_code == 405  # deleting is a POST
    login(manager)
    assert client.post(shown["delete_url"]).status_code == 404  # only one's own
    login(director)
    response = client.post(shown["delete_url"], follow=True)
    assert "Фильтр «Дороги» удалён" in page_text(response) and not SavedFilter.objects.exists()


@pytest.mark.parametrize(("name", "message"), [
    ("", "Укажите название фильтра."),
    ("Д" * 101, "Название фильтра — не длиннее 100 символов."),
    ("Дороги", "Фильтр «Дороги» уже есть в этом списке"),
])
def test_a_wrong_name_is_explained_in_russian(login, director, appeals, name, message):
    client = login(director)
    client.post(reverse("admin:core_appeal_saved_filter_save"), {"name": "Дороги", "query": "q=Дорога"})
    response = client.post(reverse("admin:core_appeal_saved_filter_save"), {"name": name, "query": "q=Дорога&o=1"},
                           follow=True)
    assert message in page_text(response)
    assert SavedFilter.objects.count() == 1
    assert response.context["cl"].params == {"q": "Дорога", "o": "1"}  # back to the list as it was


def test_project_filters_are_kept_apart(login, director, apply_project):
    apply_project()
    client = login(director)
    client.post(reverse("admin:core_project_saved_filter_save"), {"name": "Дороги", "query": "stage__exact=review"})
    assert client.get(PROJECTS).context["saved_filters"][0]["name"] == "Дороги"
    assert client.get(APPEALS).context["saved_filters"] == []


@pytest.mark.parametrize(("model", "key"), [(Appeal, "core.appeal"), (Project, "core.project")])
def test_saved_filters_keep_every_parameter_the_lists_filters_read(director, model, key):
    """core.services.saved_filters.LIST_PARAMETERS must follow the list's filters when they change."""
    model_admin = site._registry[model]
    request = RequestFactory().get("/")
    request.user = director
    expected = {SEARCH_VAR, ORDER_VAR}
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, tuple | list):  # (field path, filter class)
            field_path, filter_class = list_filter
            field = get_fields_from_path(model, field_path)[-1]
            spec = filter_class(field, request, {}, model, model_admin, field_path=field_path)
        else:  # a SimpleListFilter
            spec = list_filter(request, {}, model, model_admin)
        expected |= set(spec.expected_parameters())
    assert expected <= LIST_PARAMETERS[key], expected - LIST_PARAMETERS[key]


# --- «Выгрузка обращений в Word» ------------------------------------------------------------------------------------
def test_the_word_action_bundles_the_selected_visible_appeals(login, manager, appeals):
    visible, also_visible, invisible, _ = appeals
    response = login(manager).post(APPEALS, {
        "action": "download_word", "_selected_action": [visible.pk, also_visible.pk, invisible.pk], "index": 0,
    })
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = docx_text(response.content)
    assert f"Обращение №{visible.number}" in text and f"Обращение №{also_visible.number}" in text
    assert f"№{invisible.number}" not in text and invisible.subject not in text


def test_the_word_action_is_offered_on_the_list(login, director, appeals):
    response = login(director).get(APPEALS)
    assert "Выгрузка обращений в Word" in page_text(response)

