"""The legacy appeals import on the cabinet's appeal list (admin_site.admin.legacy.AppealImportMixin)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Appeal, Counter
from core.workflows.appeals import NUMBER_COUNTER
from tests.admin_site.helpers import page_text

HEADER = (
    "Номер,Дата подачи,ИНН инвестора,Почта заявителя,Код факта,Тема,Описание,Статус,Срок ответа,Ответ,Дата ответа\n"
)
CSV_FORMAT = "1"


def rows(inn: str, *lines: str) -> bytes:
    return (HEADER + "".join(line.format(inn=inn) + "\n" for line in lines)).encode()


def upload(client, content: bytes):
    return client.post(reverse("admin:core_appeal_import"), {
        "resource": "0", "format": CSV_FORMAT, "import_file": SimpleUploadedFile("старые.csv", content),
    })


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse("admin:core_appeal_process_import"), {
        name: form.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")
    })


def test_the_appeals_list_offers_the_import_to_a_data_clerk(login, data_clerk):
    response = login(data_clerk).get(reverse("admin:core_appeal_changelist"))

    assert response.status_code == 200
    assert reverse("admin:core_appeal_import") in response.content.decode()


def test_a_data_clerk_previews_and_imports_legacy_appeals(login, data_clerk, investor, classifier):
    client = login(data_clerk)
    content = rows(investor.organisation.inn,
                   "368,21.02.2025,{inn},,06.01.002,Съезд,Текст,Решено,,Согласовано,10.03.2025",
                   "724,18.08.2025 10:00,{inn},,06.01.002,Сети,Текст,Обращение рассмотрено,,Ответ,20.08.2025")

    preview = upload(client, content)
    assert preview.status_code == 200 and "confirm_form" in preview.context
    assert not Appeal.objects.exists()
    done = confirm(client, preview)

    assert done.status_code == 302 and done.url == reverse("admin:core_appeal_changelist")
    assert set(Appeal.objects.values_list("number", "is_legacy")) == {(368, True), (724, True)}
    assert Counter.objects.get(name=NUMBER_COUNTER).value == 724


def test_a_file_with_a_bad_row_is_not_offered_for_import(login, data_clerk, investor, classifier):
    content = rows(investor.organisation.inn,
                   "368,21.02.2025,{inn},,06.01.002,Съезд,Текст,Решено,,,",
                   "369,21.02.2025,{inn},,06.01.002,Съезд,Текст,Почти решено,,,")

    response = upload(login(data_clerk), content)

    assert "confirm_form" not in response.context
    assert "Статус: Статуса «Почти решено» нет: напишите его как в списке обращений." in page_text(response)
    assert not Appeal.objects.exists()


def test_a_row_gone_wrong_after_the_preview_writes_nothing(login, data_clerk, investor, classifier):
    client = login(data_clerk)
    line = "{number},21.02.2025,{inn},,06.01.002,Съезд,Текст,Решено,,,"
    preview = upload(client, rows(investor.organisation.inn, line.replace("{number}", "368"),
                                  line.replace("{number}", "369")))
    confirm(client, upload(client, rows(investor.organisation.inn, line.replace("{number}", "369"))))  # meanwhile

    response = confirm(client, preview)

    assert response.status_code == 302 and response.url == reverse("admin:core_appeal_import")
    assert list(Appeal.objects.values_list("number", flat=True)) == [369]
    assert "Файл не загружен" in page_text(client.get(response.url))


def test_people_who_neither_add_nor_register_appeals_get_no_import(login, executor):
    assert login(executor).get(reverse("admin:core_appeal_import")).status_code == 403
