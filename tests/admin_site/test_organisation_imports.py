"""Organisations and districts in the cabinet: a data clerk previews and imports them (all or nothing) and
downloads them; people who may only look at them get neither import nor a write."""

from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import District, Organisation
from core.roles import Role
from tests.admin_site.helpers import page_text
from tests.factories import valid_inn

XLSX_FORMAT, CSV_FORMAT = "0", "1"  # the order of admin_site.admin.imports.FILE_FORMATS


def upload(client, model: str, content: str):
    return client.post(reverse(f"admin:core_{model}_import"), {
        "resource": "0", "format": CSV_FORMAT, "import_file": SimpleUploadedFile("файл.csv", content.encode()),
    })


def confirm(client, model: str, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:core_{model}_process_import"), {
        name: form.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")
    })


@pytest.mark.parametrize(("role", "url_name", "status"), [
    (Role.DATA_CLERK, "core_organisation_import", 200),
    (Role.DATA_CLERK, "core_district_import", 200),
    (Role.DATA_CLERK, "core_district_export", 200),
    (Role.ADMINISTRATOR, "core_organisation_import", 200),
    (Role.COORDINATOR, "core_organisation_import", 403),
    (Role.COORDINATOR, "core_district_import", 403),
    (Role.EXECUTOR, "core_district_export", 200),
], ids=str)
def test_who_may_import_and_export(login, users_by_role, role, url_name, status):
    assert login(users_by_role[role]).get(reverse(f"admin:{url_name}")).status_code == status


def test_a_data_clerk_imports_organisations_after_a_preview(login, data_clerk, district):
    client = login(data_clerk)
    inn = valid_inn()
    content = f"ИНН,Вид,Краткое наименование,Полное наименование,Код ОКТМО района\n{inn},РСО,Сети,АО «Сети»,41648000\n"

    preview = upload(client, "organisation", content)
    assert "confirm_form" in preview.context and not Organisation.objects.filter(inn=inn).exists()
    done = confirm(client, "organisation", preview)

    assert done.status_code == 302
    assert Organisation.objects.get(inn=inn).district == district
    told = page_text(client.get(done.url))
    assert "Импорт завершён: добавлено — 1, обновлено — 0, удалено — 0, пропущено — 0 (организации)." in told


def test_a_bad_district_row_is_shown_and_nothing_is_offered(login, data_clerk):
    response = upload(login(data_clerk), "district", "Код ОКТМО,Название\n41603000,Первый\n416,Второй\n")

    assert "confirm_form" not in response.context
    assert "Код ОКТМО: Код ОКТМО — 8 или 11 цифр, а не «416»." in page_text(response)
    assert not District.objects.exists()


def test_the_district_export_has_russian_columns(login, data_clerk, district):
    response = login(data_clerk).post(reverse("admin:core_district_export"), {
        "format": XLSX_FORMAT, "resource": "0",
        **{f"districtresource_{name}": "on" for name in ("code", "name", "kind")},
    })

    rows = list(openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Код ОКТМО", "Название", "Вид")
    assert (district.code, district.name, "Муниципальный район") in rows


def test_an_organisations_file_saved_by_excel_in_russian_imports(login, data_clerk, district):
    """«CSV (разделители — запятые)» of Excel on a Russian computer: Windows-1251 with semicolons."""
    client = login(data_clerk)
    inn = valid_inn()
    content = (f"ИНН;Вид;Краткое наименование;Полное наименование;Код ОКТМО района\r\n"
               f"{inn};РСО;Сети;\"АО «Сети; свет и тепло»\";41648000\r\n").encode("cp1251")
    preview = client.post(reverse("admin:core_organisation_import"), {
        "resource": "0", "format": CSV_FORMAT, "import_file": SimpleUploadedFile("сети.csv", content)})

    assert "confirm_form" in preview.context, page_text(preview)[:2000]
    confirm(client, "organisation", preview)
    assert Organisation.objects.get(inn=inn).full_name == "АО «Сети; свет и тепло»"


def test_an_organisations_file_with_a_formula_is_refused_and_writes_nothing(login, data_clerk, district):
    inn = valid_inn()
    response = upload(login(data_clerk), "organisation",
                      "ИНН,Вид,Краткое наименование,Полное наименование,Код ОКТМО района\n"
                      f'{inn},РСО,"=HYPERLINK(""http://example.com"",""Сети"")",АО «Сети»,41648000\n')

    assert "confirm_form" not in response.context
    assert "В ячейке C2 формула." in page_text(response)
    assert not Organisation.objects.filter(inn=inn).exists()


def test_a_row_with_more_columns_than_the_header_is_named(login, data_clerk, district):
    inn = valid_inn()
    response = upload(login(data_clerk), "organisation",
                      "ИНН;Вид;Краткое наименование;Полное наименование;Код ОКТМО района\n"
                      f"{inn};РСО;Сети;АО «Сети; свет»;41648000\n")

    assert "confirm_form" not in response.context
    assert ("В строке 2 столбцов 6, а в заголовке 5: проверьте кавычки и разделители (значение с запятой или точкой "
            "с запятой берётся в кавычки).") in page_text(response)
    assert not Organisation.objects.filter(inn=inn).exists()
