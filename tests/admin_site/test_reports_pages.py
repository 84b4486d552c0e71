"""«Отчёты» in the cabinet: the list, each report's page with its side-panel filters, the downloads, who may open
them and what each person counts."""

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import AppealStatus
from core.models import Appeal, Fact
from core.reports.registry import reports
from tests.admin_site.helpers import page_text, sidebar_text

SLUGS = list(reports())
APPEAL_SLUGS = [slug for slug, spec in reports().items() if "date_from" in spec.filters]


def report_url(slug: str, **query) -> str:
    url = reverse("admin:report", args=[slug])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def total(response, column: int = 1) -> str:
    """The total row's cell as the page shows it."""
    return response.context["report"].total[column].text


@pytest.fixture
def appeals(file_appeal, omsu, agency, manager, executor, classifier):
    """Three appeals this year: two executed by the ОМСУ (its executor is the manager), one by the agency; one more
    from last year, outside the default period."""
    facts = list(Fact.objects.filter(is_active=True).order_by("code")[:2])
    made = [file_appeal(fact=facts[0]), file_appeal(fact=facts[1]), file_appeal(fact=facts[0]), file_appeal()]
    Appeal.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(executor_organisation=omsu, manager=executor)
    Appeal.objects.filter(pk=made[2].pk).update(executor_organisation=agency, manager=manager)
    last_year = timezone.now().replace(year=timezone.localdate().year - 1)
    Appeal.objects.filter(pk=made[3].pk).update(executor_organisation=agency, manager=manager, created_at=last_year,
                                                received_at=last_year)
    return made


@pytest.fixture
def project(apply_project):
    return apply_project()


# --- pages ----------------------------------------------------------------------------------------------------
def test_index_lists_the_six_reports_with_descriptions(login, director):
    response = login(director).get(reverse("admin:reports"))
    assert response.status_code == 200
    text = page_text(response)
    for slug, spec in reports().items():
        assert str(spec.title) in text and str(spec.description) in text
        assert f'href="{reverse("admin:report", args=[slug])}"' in response.content.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_each_report_page_renders_for_a_director(login, director, appeals, project, slug):
    response = login(director).get(report_url(slug))
    assert response.status_code == 200
    text = page_text(response)
    assert str(reports()[slug].title) in text
    assert response.context["report"] is not None
    for fmt in ("xlsx", "ods", "docx"):
        assert f"Скачать {fmt}" in text
    fields = set(response.context["form"].fields)
    assert fields == set(reports()[slug].filters)


def test_appeal_reports_default_to_the_year_so_far(login, director, appeals):
    response = login(director).get(report_url("appeals-by-type"))
    today = timezone.localdate()
    html = response.content.decode()
    assert f'value="{today.replace(month=1, day=1).isoformat()}"' in html
    assert f'value="{today.isoformat()}"' in html
    assert total(response) == "3"  # last year's appeal is outside the period
    assert f"01.01.{today.year} – {today:%d.%m.%Y}" in page_text(response)  # the header line


def test_filters_change_the_numbers(login, director, appeals, omsu):
    client = login(director)
    year_ago = (timezone.localdate() - timedelta(days=400)).isoformat()
    assert total(client.get(report_url("appeals-by-type", date_from=year_ago))) == "4"
    assert total(client.get(report_url("appeals-by-type", date_from="", date_to=""))) == "4"
    by_executor = client.get(report_url("appeals-by-executor", executor_organisation=omsu.pk))
    assert total(by_executor) == "2"
    assert "Администрация (тест)" in page_text(by_executor)  # the header names the chosen filter


def test_numbers_are_written_the_russian_way(login, director, appeals):
    answered = timezone.now()
    Appeal.objects.filter(pk=appeals[0].pk).update(rating=5, rework_count=1, answered_at=answered)
    Appeal.objects.filter(pk=appeals[1].pk).update(rating=4, answered_at=answered)
    Appeal.objects.filter(pk=appeals[2].pk).update(rework_count=2)  # sent back twice, now in work again
    response = login(director).get(report_url("appeals-by-executor"))
    total_row = [cell.text for cell in response.context["report"].total]
    assert total_row[4] == "66,7\u00a0%"  # two of the three answered at least once went back for rework
    assert total_row[5] == "4,50"  # the mean rating
    assert "4,50" in page_text(response)


@pytest.mark.parametrize(("slug", "query", "error"), [
    ("appeals-by-type", {"date_from": "2025-03-10", "date_to": "2025-03-01"},
     "Дата окончания периода раньше даты начала."),
    ("appeals-by-type", {"date_from": "вчера"}, "Введите дату в формате ДД.ММ.ГГГГ."),
    ("crm-audit", {"stale_days": "-5"}, "Число должно быть не меньше 1."),
    ("crm-audit", {"sample_size": "много"}, "Введите целое число."),
    ("crm-audit", {"seed": "-1"}, "Число не может быть отрицательным."),
    ("appeals-by-executor", {"status": "nonsense"}, "Такого значения нет в списке."),
])
def test_invalid_filters_show_russian_errors_and_the_page_still_renders(login, director, slug, query, error):
    response = login(director).get(report_url(slug, **query))
    assert response.status_code == 200
    text = page_text(response)
    assert error in text
    assert "Отчёт не построен: исправьте фильтры." in text
    assert response.context["report"] is None
    assert "Скачать xlsx" not in text


def test_a_download_with_invalid_filters_shows_the_page(login, director):
    response = login(director).get(report_url("appeals-by-type", date_from="2025-03-10", date_to="2025-03-01",
                                              format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_report_or_format_is_not_found(login, director):
    client = login(director)
    assert client.get(report_url("no-such-report")).status_code == 404
    assert client.get(report_url("appeals-by-type", format="pdf")).status_code == 404


# --- downloads ------------------------------------------------------------------------------------------------
def _cells_of(fmt: str, content: bytes) -> list[str]:
    """Every cell's or paragraph's text of the downloaded file, reopened with the format's own library."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(content)).active
        return [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    if fmt == "ods":
        from odf import table as odf_table
        from odf import teletype
        from odf.opendocument import load

        document = load(BytesIO(content))
        return [teletype.extractText(cell) for cell in document.spreadsheet.getElementsByType(odf_table.TableCell)]
    from docx import Document

    document = Document(BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    return texts + [cell.text for table in document.tables for row in table.rows for cell in row.cells]


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "docx"])
def test_downloads_are_the_same_report_with_the_same_filters(login, director, appeals, omsu, fmt):
    client = login(director)
    page = client.get(report_url("appeals-by-executor", executor_organisation=omsu.pk))
    link = dict(page.context["downloads"])[fmt]
    assert f"executor_organisation={omsu.pk}" in link and f"format={fmt}" in link

    response = client.get(reverse("admin:report", args=["appeals-by-executor"]) + link)
    assert response.status_code == 200
    content_types = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    assert response["Content-Type"] == content_types[fmt]
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="appeals-by-executor-{today:%Y-%m-%d}.{fmt}"'
    cells = _cells_of(fmt, response.content)
    assert any("Обращения по исполнителям и классификатору" in cell for cell in cells)
    assert any("Администрация (тест)" in cell for cell in cells)  # the filter reached the file
    assert any(cell == "Итого" for cell in cells)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_report_downloads_as_xlsx(login, director, appeals, project, slug):
    response = login(director).get(report_url(slug, format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert _cells_of("xlsx", response.content)


# --- who may open them ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["data_clerk", "administrator"])
def test_data_clerks_and_administrators_get_403(login, request, role):
    client = login(request.getfixturevalue(role))
    assert client.get(reverse("admin:reports")).status_code == 403
    assert client.get(report_url("appeals-by-type")).status_code == 403
    assert client.get(report_url("appeals-by-type", format="xlsx")).status_code == 403
    assert "Отчёты" not in sidebar_text(client.get(reverse("admin:index")))


@pytest.mark.parametrize("role", ["director", "head", "coordinator", "manager", "commissioner", "executor"])
def test_reporting_roles_open_the_reports_from_the_sidebar(login, request, role):
    client = login(request.getfixturevalue(role))
    assert "Отчёты" in sidebar_text(client.get(reverse("admin:index")))
    assert client.get(reverse("admin:reports")).status_code == 200


def test_investors_are_sent_to_the_login_page(login, investor):
    response = login(investor).get(reverse("admin:reports"))
    assert response.status_code == 302 and "/login/" in response.url


def test_an_omsu_executor_counts_only_their_organisation_appeals(login, director, executor, appeals):
    assert total(login(director).get(report_url("appeals-by-type"))) == "3"
    response = login(executor).get(report_url("appeals-by-type"))
    assert total(response) == "2"
    by_executor = login(executor).get(report_url("appeals-by-executor"))
    executors = [row.label for row in by_executor.context["report"].rows if row.kind == "executor"]
    assert executors == [executor.full_name]


# --- the tree ----------------------------------------------------------------------------------------------------
def test_the_tree_report_has_collapse_controls_and_main_only_hides_subcategories(login, director, appeals):
    client = login(director)
    response = client.get(report_url("appeals-by-executor"))
    html = response.content.decode()
    rows = response.context["report"].rows
    assert {"executor", "category", "subcategory", "fact"} <= {row.kind for row in rows}
    executor_row = next(row for row in rows if row.kind == "executor")
    assert executor_row.children  # the toggle controls the rows directly under it
    assert f'aria-controls="{" ".join(executor_row.children)}"' in html
    assert 'aria-expanded="true"' in html and "data-zk-tree" in html
    assert "admin_site/reports.js" in html
    fact_name = appeals[0].fact.name
    assert fact_name in page_text(response)  # everything is shown without the script

    main = client.get(report_url("appeals-by-executor", main_only="on"))
    kinds = {row.kind for row in main.context["report"].rows}
    assert kinds == {"executor", "category"}
    assert fact_name not in page_text(main)
    assert "checked" in main.content.decode()  # the box stays ticked
    assert total(main) == total(response)


def test_flat_reports_have_no_toggles(login, director, appeals):
    response = login(director).get(report_url("appeals-by-type"))
    assert not response.context["report"].tree
    assert 'class="zk-toggle"' not in response.content.decode()


def test_crm_audit_links_projects_and_shows_a_reproducible_sample(login, director, project):
    client = login(director)
    response = client.get(report_url("crm-audit"))
    project_url = reverse("admin:core_project_change", args=[project.pk])
    assert f'href="{project_url}"' in response.content.decode()
    sample = response.context["sample"]
    assert [row.link for row in sample.rows] == [project_url]
    seed = response.context["seed"]
    assert f'value="{seed}"' in response.content.decode()  # the field to change it
    assert str(seed) in page_text(response)

    # the project's score reads alike in the tree, the sample and the xlsx (the tree said «75,00», the sample «75»)
    tree = [cell.text for row in response.context["report"].rows if row.kind == "project" for cell in row.cells]
    in_sample = [cell.text for cell in sample.rows[0].cells]
    score = next(text for text in in_sample if text.endswith(",0"))
    assert score in tree and not score.endswith(",00")
    sheet = openpyxl.load_workbook(BytesIO(client.get(report_url("crm-audit", format="xlsx")).content)).active
    assert "#,##0.0" in {cell.number_format for row in sheet.iter_rows() for cell in row if cell.data_type == "n"}

    other = client.get(report_url("crm-audit", seed=12345, sample_size=5, stale_days=30))
    assert other.context["seed"] == 12345
    assert "12345" in page_text(other)
    assert 'id="sample-seed"' in other.content.decode()


# --- cost -----------------------------------------------------------------------------------------------------
def _add_appeals(count, file_appeal, omsu, executor):
    facts = list(Fact.objects.filter(is_active=True).order_by("code"))
    made = [file_appeal(fact=facts[index % len(facts)]) for index in range(count)]
    Appeal.objects.filter(pk__in=[appeal.pk for appeal in made]).update(executor_organisation=omsu, manager=executor)


@pytest.mark.parametrize("slug", ["appeals-by-executor", "appeals-by-type", "authorities"])
def test_a_report_page_costs_the_same_queries_at_two_data_sizes(login, director, file_appeal, omsu, executor,
                                                                  classifier, slug):
    client = login(director)
    url = report_url(slug, executor_organisation=omsu.pk) if slug == "appeals-by-executor" else report_url(slug)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _add_appeals(3, file_appeal, omsu, executor)
    client.get(url)  # warm the caches that live for the whole process (content types)
    few = queries()
    _add_appeals(12, file_appeal, omsu, executor)
    assert queries() == few


@pytest.mark.parametrize("slug", ["crm-audit", "project-pool", "staff-workload"])
def test_a_project_report_page_costs_the_same_queries_at_two_data_sizes(login, director, apply_project, slug):
    client = login(director)
    url = report_url(slug)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for number in range(2):
        apply_project(name=f"Проект {number}")
    client.get(url)
    few = queries()
    for number in range(2, 12):
        apply_project(name=f"Проект {number}")
    assert queries() == few


# --- channels, the МРГ and appeals waiting for a person (issue 10) ------------------------------------------------
@pytest.mark.parametrize("slug", ["appeals-by-type", "appeals-by-executor"])
def test_channel_and_mrg_filters_in_the_side_panel(login, director, manager, appeals, slug):
    from core.choices import AppealChannel
    from core.models import AppealEscalation

    Appeal.objects.filter(pk=appeals[0].pk).update(channel=AppealChannel.PHONE)
    AppealEscalation.objects.create(appeal=appeals[1], session_date=timezone.localdate(), decision="Решение")
    for user in (director, manager):
        page = login(user).get(report_url(slug))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Канал поступления" in html and "Вынесено на МРГ" in html
        assert '<option value="phone">Телефон</option>' in html
    client = login(director)
    by_phone = client.get(report_url(slug, channel="phone"))
    assert total(by_phone) == "1"
    assert "Канал поступления" in page_text(by_phone) and "Телефон — 1" in page_text(by_phone)
    assert total(client.get(report_url(slug, mrg="yes"))) == "1"
    assert total(client.get(report_url(slug, mrg="no"))) == "2"
    wrong = client.get(report_url(slug, channel="pigeon"))
    assert wrong.status_code == 200 and "Такого значения нет в списке." in page_text(wrong)
    for fmt in ("xlsx", "ods", "docx"):
        download = client.get(report_url(slug, channel="phone", format=fmt))
        assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_redirected_appeal_shows_under_the_bodys_head_never_not_assigned(login, director, make_user, omsu,
                                                                           appeals):
    from core.roles import Role

    make_user(Role.HEAD, organisation=omsu, last_name="Руководителев", first_name="Рудольф", middle_name="")
    Appeal.objects.filter(pk=appeals[0].pk).update(manager=None, status=AppealStatus.REDIRECTED)
    for slug in ("appeals-by-executor", "staff-workload"):
        text = page_text(login(director).get(report_url(slug)))
        assert "Руководителев Рудольф" in text and "Не назначен" not in text
