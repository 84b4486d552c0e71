"""The classifier in the cabinet: who may edit what, import with a preview (all or nothing), export, and a fact
that appeals use cannot be deleted."""

import re
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import OrganisationKind
from core.models import AppealType, CalendarOverride, Fact
from core.roles import Role
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory

ALLOWED, DENIED = 200, 403
GOOD_ROW = "06.01.901,Требуется согласование въезда,06.01,help,1,да\n"
BAD_ROW = "06.01.902,Плохой факт,99.99,help,1,да\n"
HEADER = "Код,Название,Код подкатегории,Тип обращения,Порядок,Действует\n"
XLSX_FORMAT, CSV_FORMAT = "0", "1"  # the order of admin_site.admin.imports.FILE_FORMATS

MATRIX = [
    (Role.DATA_CLERK, "core_fact_add", ALLOWED),
    (Role.DATA_CLERK, "core_fact_import", ALLOWED),
    (Role.DATA_CLERK, "core_category_import", ALLOWED),
    (Role.DATA_CLERK, "core_fact_export", ALLOWED),
    (Role.DATA_CLERK, "core_calendaroverride_changelist", DENIED),
    (Role.ADMINISTRATOR, "core_appealtype_add", ALLOWED),
    (Role.ADMINISTRATOR, "core_calendaroverride_add", ALLOWED),
    (Role.ADMINISTRATOR, "core_subcategory_import", ALLOWED),
    (Role.MANAGER, "core_fact_changelist", ALLOWED),
    (Role.MANAGER, "core_fact_export", ALLOWED),
    (Role.MANAGER, "core_fact_add", DENIED),
    (Role.MANAGER, "core_fact_import", DENIED),
    (Role.EXECUTOR, "core_appealtype_changelist", ALLOWED),
    (Role.EXECUTOR, "core_category_import", DENIED),
    (Role.DIRECTOR, "core_appealtype_add", DENIED),
]


@pytest.mark.parametrize(("role", "url_name", "status"), MATRIX, ids=str)
def test_who_may_open_what(login, users_by_role, classifier, role, url_name, status):
    response = login(users_by_role[role]).get(reverse(f"admin:{url_name}"))
    assert response.status_code == status


def upload(client, model: str, content: bytes, name: str, file_format: str):
    return client.post(
        reverse(f"admin:core_{model}_import"),
        {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, model: str, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:core_{model}_process_import"), {
        name: form.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")
    })


def test_a_file_with_a_bad_row_shows_russian_errors_and_offers_nothing_to_confirm(login, data_clerk, classifier):
    client = login(data_clerk)

    response = upload(client, "fact", (HEADER + GOOD_ROW + BAD_ROW).encode(), "факты.csv", CSV_FORMAT)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    text = page_text(response)
    assert "Код подкатегории: Подкатегории с кодом «99.99» нет в классификаторе." in text
    assert not Fact.objects.filter(code__in=["06.01.901", "06.01.902"]).exists()


def test_an_xlsx_is_previewed_then_imported_and_the_same_file_again_changes_nothing(login, data_clerk, classifier):
    book = openpyxl.Workbook()
    for line in (HEADER + GOOD_ROW).splitlines():
        book.active.append(line.split(","))
    buffer = BytesIO()
    book.save(buffer)
    client = login(data_clerk)

    preview = upload(client, "fact", buffer.getvalue(), "факты.xlsx", XLSX_FORMAT)
    assert preview.status_code == 200 and "confirm_form" in preview.context
    assert not Fact.objects.filter(code="06.01.901").exists()  # the preview writes nothing
    done = confirm(client, "fact", preview)

    assert done.status_code == 302 and done.url == reverse("admin:core_fact_changelist")
    fact = Fact.objects.get(code="06.01.901")
    assert (fact.subcategory.code, fact.appeal_type.code) == ("06.01", "help")
    again = upload(client, "fact", buffer.getvalue(), "факты.xlsx", XLSX_FORMAT)
    assert again.context["result"].totals["skip"] == 1 and again.context["result"].totals["new"] == 0


def test_the_export_is_an_xlsx_with_russian_columns_and_escaped_formulas(login, data_clerk, classifier):
    Fact.objects.filter(code="06.01.002").update(name="=1+1")

    response = login(data_clerk).post(reverse("admin:core_fact_export"), {"format": XLSX_FORMAT, "resource": "0", **{
        f"factresource_{name}": "on" for name in ("code", "name", "subcategory", "appeal_type")
    }})

    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Код", "Название", "Код подкатегории", "Тип обращения")
    assert ("06.01.002", "'=1+1", "06.01", "problem") in rows


def test_the_export_form_names_the_columns_in_russian(login, data_clerk, classifier):
    text = page_text(login(data_clerk).get(reverse("admin:core_fact_export")))

    assert "Код подкатегории" in text and "ИНН исполнителя" in text
    assert "Subcategory" not in text


def test_a_fact_used_by_an_appeal_is_not_deleted(login, administrator, file_appeal, problem_fact):
    file_appeal()
    client = login(administrator)
    url = reverse("admin:core_fact_delete", args=[problem_fact.pk])

    page = client.get(url)
    response = client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert "Не удается удалить факт обращения" in page_text(page)  # Django lists what holds it
    assert response.status_code == 200
    assert Fact.objects.filter(pk=problem_fact.pk).exists()


def test_the_bulk_delete_keeps_a_fact_used_by_an_appeal(login, administrator, file_appeal, problem_fact):
    file_appeal()

    response = login(administrator).post(reverse("admin:core_fact_changelist"), {
        "action": "delete_selected", "_selected_action": [problem_fact.pk], "post": "yes",
    })

    assert response.status_code == 200
    assert "Не удается удалить" in page_text(response)
    assert Fact.objects.filter(pk=problem_fact.pk).exists()


def test_an_unused_fact_is_deleted_by_an_administrator(login, administrator, classifier):
    fact = Fact.objects.get(code="01.01.001")

    response = login(administrator).post(reverse("admin:core_fact_delete", args=[fact.pk]), {"post": "yes"})

    assert response.status_code == 302 and not Fact.objects.filter(pk=fact.pk).exists()


def test_an_administrator_changes_a_response_period_but_not_the_code(login, administrator, classifier):
    kind = AppealType.objects.get(code="help")
    response = login(administrator).post(reverse("admin:core_appealtype_change", args=[kind.pk]), {
        "code": "changed", "name": kind.name, "period_days": 7, "day_kind": "working", "order": kind.order,
        "is_active": "on",
    })

    assert response.status_code == 302
    kind.refresh_from_db()
    assert (kind.code, kind.period_days, kind.day_kind) == ("help", 7, "working")


def test_the_add_button_says_what_it_does(login, administrator, classifier):
    """unfold draws a bare «+» named only by its tooltip, which a phone never shows: the button says «Добавить»."""
    for url in (reverse("admin:core_appealtype_changelist"),
                reverse("admin:core_appealtype_change", args=[AppealType.objects.get(code="help").pk])):
        html = login(administrator).get(url).content.decode()
        start = html.index('class="addlink')
        link = html[html.rindex("<a ", 0, start):html.index("</a>", start)]
        assert 'aria-label="Добавить тип обращения"' in link
        assert page_text_of(link) == "add Добавить"  # the icon's ligature (hidden from readers) and the word


def test_the_appeal_list_has_one_add_button_under_the_doors_word(login, coordinator):
    html = login(coordinator).get(reverse("admin:core_appeal_changelist")).content.decode()
    assert 'class="addlink' not in html  # it led to the same page as the button below
    assert "Зарегистрировать обращение" in html


def page_text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_an_administrator_adds_a_calendar_exception(login, administrator):
    response = login(administrator).post(reverse("admin:core_calendaroverride_add"), {
        "date": "31.12.2026", "kind": CalendarOverride.Kind.DAY_OFF, "comment": "Постановление № 1",
    })

    assert response.status_code == 302
    assert CalendarOverride.objects.get().comment == "Постановление № 1"


def test_the_fact_list_costs_the_same_queries_for_3_rows_as_for_30(login, superuser, classifier):
    from tests.admin_site.classifier_rows import fact_row

    Fact.objects.all().delete()
    url = reverse("admin:core_fact_changelist")
    client = login(superuser)

    def add(count: int) -> None:
        for _ in range(count):
            fact = fact_row()
            fact.default_executor = OrganisationFactory(kind=OrganisationKind.OIV)
            fact.save()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(3)
    client.get(url)
    few = queries()
    add(27)
    assert queries() == few
