"""ПОС in the cabinet: «Импорт» of the messages file (preview, confirm, duplicates reported, bad files refused in
Russian), the ПОС number in the list's search, and «Ответы для ПОС» beside the list's tools."""

import csv
import io
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Appeal
from tests.admin_site.helpers import page_text

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "integrations"
XLSX_FORMAT, CSV_FORMAT = "0", "1"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-01 12:00 +03:00", tick=False):
        yield


def sample(fmt: str) -> bytes:
    return (SAMPLES / f"pos_export_sample.{fmt}").read_bytes()


def upload(client, content: bytes, *, fmt: str = XLSX_FORMAT, name: str = "pos.xlsx"):
    return client.post(reverse("admin:core_appeal_import"), {
        "resource": "0", "format": fmt, "import_file": SimpleUploadedFile(name, content),
    })


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse("admin:core_appeal_process_import"), {
        name: form.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")
    }, follow=True)


def test_a_coordinator_previews_and_imports_the_sample(login, coordinator, classifier):
    client = login(coordinator)

    preview = upload(client, sample("xlsx"))

    assert preview.status_code == 200 and "confirm_form" in preview.context
    text = page_text(preview)
    assert "2871450311" in text and "03.01.001 Ускорение получения разрешения на ввод объекта в эксплуатацию" in text
    assert not Appeal.objects.exists()
    done = confirm(client, preview)
    assert done.redirect_chain[-1][0] == reverse("admin:core_appeal_changelist")
    assert Appeal.objects.filter(channel="pos").count() == 4


def test_each_role_is_offered_only_its_own_import(login, manager, data_clerk):
    offered = {user: login(user).get(reverse("admin:core_appeal_import")).context["form"].fields["resource"].choices
               for user in (manager, data_clerk)}

    assert [str(name) for _index, name in offered[manager]] == ["Сообщения ПОС (Госуслуги)"]
    assert [str(name) for _index, name in offered[data_clerk]] == ["Обращения из прежней системы"]


def test_a_second_upload_skips_and_lists_what_is_already_there(login, coordinator, classifier):
    client = login(coordinator)
    confirm(client, upload(client, sample("xlsx")))

    preview = upload(client, sample("csv"), fmt=CSV_FORMAT, name="pos.csv")
    assert "Будут пропущены уже загруженные сообщения ПОС (4): строка 1: сообщение ПОС №2871450311 уже есть в " \
           "системе — обращение №1" in page_text(preview)
    done = confirm(client, preview)

    assert "Пропущены уже загруженные сообщения ПОС (4)" in page_text(done)
    assert Appeal.objects.count() == 4


def formula_xlsx() -> bytes:
    book = openpyxl.load_workbook(BytesIO(sample("xlsx")))
    book.active["E3"] = '=HYPERLINK("http://example.com","Тема")'
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("content", "fmt", "message"), [
    (formula_xlsx, XLSX_FORMAT, "В ячейке E3 формула."),
    (lambda: b"%PDF-1.4 not a spreadsheet", XLSX_FORMAT, "Файл не похож на xlsx"),
    (lambda: "Категория;Тема\n".encode("cp1251") + b"\x98\x98;x\n", CSV_FORMAT, "Файл csv не читается"),
    (lambda: sample("csv").decode().replace("Категория,", "Раздел,", 1).encode(), CSV_FORMAT,
     "В файле нет столбцов: «Категория»."),
])
def test_a_bad_file_is_refused_in_russian_and_changes_nothing(login, coordinator, classifier, content, fmt, message):
    response = upload(login(coordinator), content(), fmt=fmt)

    assert response.status_code == 200 and "confirm_form" not in response.context
    assert message in page_text(response)
    assert not Appeal.objects.exists()


def excel_russian_csv() -> bytes:
    """The sample as Excel on a Russian computer saves «CSV (разделители — запятые)»: Windows-1251, semicolons."""
    rows = csv.reader(io.StringIO(sample("csv").decode("utf-8-sig")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("cp1251")


def test_a_csv_saved_by_excel_in_russian_imports_as_the_utf8_one_does(login, coordinator, classifier):
    client = login(coordinator)
    content = excel_russian_csv()
    assert b";" in content and "Категория".encode("cp1251") in content

    preview = upload(client, content, fmt=CSV_FORMAT, name="pos.csv")

    assert "confirm_form" in preview.context, page_text(preview)[:2000]
    assert "03.01.001 Ускорение получения разрешения на ввод объекта в эксплуатацию" in page_text(preview)
    confirm(client, preview)
    assert Appeal.objects.filter(channel="pos").count() == 4
    assert Appeal.objects.filter(subject__contains="Задержка ввода склада в эксплуатацию").exists()  # letters kept


def test_a_huge_file_is_refused_before_it_is_read(login, coordinator, classifier, monkeypatch):
    monkeypatch.setattr("core.resources.files.IMPORT_FILE_MAX_MB", 0.001)

    response = upload(login(coordinator), sample("xlsx"))

    assert "Файл больше 0.001 МБ: разделите его на части." in page_text(response)
    assert not Appeal.objects.exists()


def test_the_pos_number_finds_its_appeal_in_the_list(login, coordinator, classifier):
    client = login(coordinator)
    confirm(client, upload(client, sample("xlsx")))

    found = page_text(client.get(reverse("admin:core_appeal_changelist"), {"q": "2871452087"}))

    assert "Технические условия на подключение к электросетям" in found
    assert "Задержка ввода склада в эксплуатацию" not in found
    card = client.get(reverse("admin:core_appeal_change", args=[Appeal.objects.get(pos_number="2871452087").pk]))
    assert "ПОС (Госуслуги) поступило 5 ноября 2026 16:40 сообщение ПОС №2871452087" in page_text(card)


def test_the_answers_page_offers_a_period_and_refuses_a_reversed_one(login, coordinator):
    client = login(coordinator)
    url = reverse("admin:core_appeal_pos_answers")
    assert url in client.get(reverse("admin:core_appeal_changelist")).content.decode()

    page = client.get(url, {"date_from": "2026-11-30", "date_to": "2026-11-01", "download": "1"})
    assert page.status_code == 200 and "Дата окончания периода раньше даты начала." in page_text(page)

    file = client.get(url, {"date_from": "2026-11-01", "date_to": "2026-11-30", "download": "1"})
    assert file.status_code == 200 and file["Content-Disposition"].startswith('attachment; filename="pos-answers-')
