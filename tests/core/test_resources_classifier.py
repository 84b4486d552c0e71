"""The classifier as xlsx/csv (SPEC.md §7): codes as natural keys, all or nothing, idempotent, no formulas out."""

from io import BytesIO

import openpyxl
import pytest
import tablib
from import_export.formats.base_formats import CSV, XLSX

from core.choices import OrganisationKind
from core.models import Category, Fact, Subcategory
from core.resources.classifier import CategoryResource, FactResource, SubcategoryResource
from tests.factories import OrganisationFactory

FACT_HEADERS = ["Код", "Название", "Код подкатегории", "Тип обращения", "ИНН исполнителя", "Порядок", "Действует"]


def csv_dataset(text: str) -> tablib.Dataset:
    return CSV(encoding="utf-8").create_dataset(text)


def snapshot() -> list[tuple]:
    return list(Fact.objects.order_by("code").values_list(
        "code", "name", "subcategory__code", "appeal_type__code", "default_executor_id", "order", "is_active",
        "is_demo",
    ))


def errors_of(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.error_dict for row in result.invalid_rows}


def test_a_new_fact_is_found_by_the_codes_of_its_parents(classifier):
    executor = OrganisationFactory(kind=OrganisationKind.OIV)
    data = csv_dataset(
        "Код,Название,Код подкатегории,Тип обращения,ИНН исполнителя,Порядок,Действует\n"
        f"06.01.900,Требуется согласование съезда,06.01,Проблема,{executor.inn},9,да\n"
    )

    result = FactResource().import_data(data)

    assert not result.has_errors() and not result.has_validation_errors()
    fact = Fact.objects.get(code="06.01.900")
    assert (fact.subcategory.code, fact.appeal_type.code, fact.default_executor, fact.order, fact.is_active) == (
        "06.01", "problem", executor, 9, True
    )


def test_one_bad_row_writes_nothing_and_each_row_says_why_in_russian(classifier):
    investor_company = OrganisationFactory(kind=OrganisationKind.INVESTOR)
    before = snapshot()
    data = tablib.Dataset(headers=FACT_HEADERS)
    data.append(["06.01.901", "Хороший факт", "06.01", "help", "", 1, "да"])
    data.append(["06.01.902", "Плохой факт", "99.99", "срочно", investor_company.inn, "первый", "может быть"])
    data.append(["06.01.002", "", "06.01", "problem", "", 1, "да"])  # an existing fact loses its name

    result = FactResource().import_data(data)

    assert snapshot() == before
    errors = errors_of(result)
    assert set(errors) == {2, 3}
    assert errors[2] == {
        "Код подкатегории": ["Подкатегории с кодом «99.99» нет в классификаторе."],
        "Тип обращения": ["Типа обращения «срочно» нет: укажите код или название типа."],
        "ИНН исполнителя": [
            f"Участника системы с ИНН «{investor_company.inn}» нет: исполнителем может быть ОИВ, ОМСУ, РСО или "
            "агентство."
        ],
        "Порядок": ["Нужно целое число не меньше 0, а не «первый»."],
        "Действует": ["Напишите «да» или «нет», а не «может быть»."],
    }
    assert errors[3] == {"Название": ["Это поле не может быть пустым."]}


def test_a_file_without_its_key_columns_is_refused_as_a_whole(classifier):
    data = tablib.Dataset(["Новая подкатегория"], headers=["Название"])

    result = SubcategoryResource().import_data(data)

    assert [str(error.error) for error in result.base_errors] == [
        "В файле нет столбцов: «Код», «Код категории». Первая строка файла должна содержать названия столбцов."
    ]
    assert not result.invalid_rows and not Subcategory.objects.filter(name="Новая подкатегория").exists()


@pytest.mark.parametrize("file_format", [XLSX, CSV], ids=["xlsx", "csv"])
def test_the_exported_classifier_imports_back_without_a_change(classifier, file_format):
    before = snapshot()
    for resource in (CategoryResource, SubcategoryResource, FactResource):
        exported = file_format().export_data(resource().export())
        for _ in range(2):  # the same file twice
            data = file_format(encoding="utf-8").create_dataset(exported)
            result = resource().import_data(data)
            assert not result.has_errors() and not result.has_validation_errors()
            assert result.totals["skip"] == len(data) and result.totals["update"] == result.totals["new"] == 0
    assert snapshot() == before


def test_headers_are_matched_whatever_their_case_and_blank_lines_are_ignored(classifier):
    data = tablib.Dataset(headers=[" код ", "НАЗВАНИЕ"])
    data.append(["08", "Новая категория"])
    data.append([None, None])

    result = CategoryResource().import_data(data)

    assert result.totals["new"] == 1 and not result.has_validation_errors()
    assert Category.objects.get(code="08").name == "Новая категория"


def test_export_escapes_formulas_and_import_takes_the_escape_off(classifier):
    names = {"91": "=HYPERLINK(\"http://evil\")", "92": "+7 цифр", "93": "-вариант", "94": "@команда"}
    for code, name in names.items():
        Category.objects.create(code=code, name=name)

    exported = XLSX().export_data(CategoryResource().export(Category.objects.filter(code__in=names)))

    cells = [row[1] for row in openpyxl.load_workbook(BytesIO(exported)).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(cells) == sorted(f"'{name}" for name in names.values())
    result = CategoryResource().import_data(XLSX().create_dataset(exported))
    assert result.totals["skip"] == len(names)
    assert dict(Category.objects.filter(code__in=names).values_list("code", "name")) == names
