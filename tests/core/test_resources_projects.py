"""Import and export of districts (OKTMO code), organisations (ИНН) and projects (registry number): previews write
nothing, one bad row writes nothing, re-import changes nothing, and a project's stage is given only to a new
project, through core.workflows.projects.project_import_stage, in the importer's name."""

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from auditlog.models import LogEntry
from import_export.formats.base_formats import CSV, XLSX

from core.choices import OrganisationKind, ProjectEventKind, ProjectStage
from core.models import District, Organisation, Project, ProjectEvent
from core.resources.organisations import DistrictResource, OrganisationResource
from core.resources.projects import ProjectResource
from core.services.reference import industries_load
from core.validators import _INN10_WEIGHTS, _check_digit
from tests.factories import OrganisationFactory, valid_inn

PROJECT_HEADER = (
    'Реестровый номер,Название проекта,ИНН инвестора,Код ОКТМО района,Код отрасли,"Объём инвестиций, ₽",'
    "Рабочих мест,Почта персонального менеджера,Этап при загрузке\n"
)


def csv(text: str):
    return CSV(encoding="utf-8").create_dataset(text)


def run(resource_class, text: str, user, **kwargs):
    return resource_class().import_data(csv(text), user=user, **kwargs)


def errors_of(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.error_dict for row in result.invalid_rows}


def ok(result) -> None:
    assert not result.has_errors() and not result.has_validation_errors(), (
        errors_of(result), [e.error for e in result.base_errors]
    )


# --- districts ------------------------------------------------------------------------------------------------
def test_districts_are_found_by_their_oktmo_code(data_clerk, district):
    text = ("Код ОКТМО,Название,Вид,Административный центр\n"
            "41648000,Тосненский район (новое имя),Муниципальный район,Тосно\n"
            "41754000,Сосновоборский городской округ,городской округ,Сосновый Бор\n")

    ok(run(DistrictResource, text, data_clerk))

    assert District.objects.get(code="41648000").name == "Тосненский район (новое имя)"
    assert District.objects.get(code="41754000").kind == "city_okrug"
    again = run(DistrictResource, text, data_clerk)
    assert again.totals["skip"] == 2 and District.objects.count() == 2


def test_a_bad_district_row_writes_nothing(data_clerk):
    text = "Код ОКТМО,Название,Вид\n41603000,Бокситогорский,\n4160,Плохой код,\n,Без кода,\n41606000,Волосовский,Край\n"

    result = run(DistrictResource, text, data_clerk)

    assert not District.objects.exists()
    assert errors_of(result) == {
        2: {"Код ОКТМО": ["Код ОКТМО — 8 или 11 цифр, а не «4160»."]},
        3: {"Код ОКТМО": ["Укажите код ОКТМО района."]},
        4: {"Вид": ["Вида «Край» нет: муниципальный район, муниципальный округ или городской округ."]},
    }


# --- organisations --------------------------------------------------------------------------------------------
ORGANISATION_HEADER = (
    "ИНН,Вид,Краткое наименование,Полное наименование,Код ОКТМО района,Почта персонального менеджера\n"
)


def organisation_rows(*rows: str) -> str:
    return ORGANISATION_HEADER + "".join(row + "\n" for row in rows)


def test_organisations_are_created_then_updated_by_inn(data_clerk, district, manager):
    inn, omsu_inn = valid_inn(), valid_inn()
    text = organisation_rows(
        f"{inn},Инвестор,ООО «Новый завод»,Общество «Новый завод»,41648000,{manager.email.upper()}",
        f"{omsu_inn},ОМСУ,Администрация,Администрация района,Тосненский муниципальный район,",
    )
    district.name = "Тосненский муниципальный район"
    district.save()

    ok(run(OrganisationResource, text, data_clerk))

    company = Organisation.objects.get(inn=inn)
    assert (company.kind, company.district, company.personal_manager) == ("investor", district, manager)
    assert Organisation.objects.get(inn=omsu_inn).kind == OrganisationKind.OMSU
    again = run(OrganisationResource, text, data_clerk)
    assert again.totals["skip"] == 2 and Organisation.objects.filter(inn__in=[inn, omsu_inn]).count() == 2

    ok(run(OrganisationResource, text.replace("ООО «Новый завод»", "ООО «Завод»"), data_clerk))
    assert Organisation.objects.get(inn=inn).short_name == "ООО «Завод»"


def xlsx(*rows: list):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return XLSX().create_dataset(buffer.getvalue())


def test_an_inn_a_spreadsheet_stored_as_a_number_keeps_its_leading_zero(data_clerk):
    body = "037400123"  # Buryatia's ИНН start with 03
    inn = body + str(_check_digit(body, _INN10_WEIGHTS))

    ok(OrganisationResource().import_data(xlsx(
        ["ИНН", "Вид", "Краткое наименование", "Полное наименование"],
        [int(inn), "investor", "ООО «Ноль»", "Общество «Ноль»"],
    ), user=data_clerk))
    ok(ProjectResource().import_data(xlsx(
        ["Реестровый номер", "Название проекта", "ИНН инвестора"], ["ИП-2024-00001", "Склад", int(inn)],
    ), user=data_clerk))

    company = Organisation.objects.get(short_name="ООО «Ноль»")
    assert company.inn == inn and Project.objects.get().investor == company


def test_a_bad_organisation_row_writes_nothing_and_says_why(data_clerk):
    before = Organisation.objects.count()
    good = valid_inn()
    text = organisation_rows(
        f"{good},investor,ООО «Хорошее»,Общество «Хорошее»,,",
        "4700000000,investor,ООО «Плохой ИНН»,Общество,,",
        f"{valid_inn()},omsu,Администрация без района,Администрация,,",
        f"{valid_inn()},investor,ООО «Нет менеджера»,Общество,99999999,nobody@zk.example",
        ",investor,Без ИНН,Общество,,",
    )

    result = run(OrganisationResource, text, data_clerk)

    assert Organisation.objects.count() == before
    errors = errors_of(result)
    assert set(errors) == {2, 3, 4, 5}
    assert errors[2] == {"ИНН": [
        "Неверный ИНН: нужно 10 цифр (организация) или 12 (ИП), контрольные цифры должны сходиться."
    ]}
    assert errors[3] == {"Код ОКТМО района": ["Для ОМСУ нужно указать район."]}
    assert errors[4] == {
        "Код ОКТМО района": ["Района с кодом ОКТМО «99999999» нет в справочнике: сначала загрузите районы."],
        "Почта персонального менеджера": ["Сотрудника с почтой «nobody@zk.example» нет в системе."],
    }
    assert errors[5] == {"ИНН": ["Укажите ИНН: по нему организация находится при повторной загрузке."]}


# --- projects -------------------------------------------------------------------------------------------------
@pytest.fixture
def industries(db):
    industries_load()


def project_rows(inn: str, *rows: str) -> str:
    return PROJECT_HEADER + "".join(row.format(inn=inn) + "\n" for row in rows)


def test_a_new_project_gets_its_stage_through_the_door_in_the_importers_name(
    data_clerk, company, district, industries, manager
):
    text = project_rows(
        company.inn,
        f"ИП-2023-00150,Терминал,{{inn}},41648000,ports,\"18 500 000 000,50\",420,{manager.email},Инвестиционный этап",
        "Л-17,Ферма,{inn},,Сельское хозяйство,,,,",
    )

    ok(run(ProjectResource, text, data_clerk))

    terminal = Project.objects.get(registry_number="ИП-2023-00150")
    assert terminal.stage == ProjectStage.INVESTMENT
    assert (terminal.investment_volume, terminal.jobs) == (Decimal("18500000000.50"), 420)
    assert (terminal.district, terminal.industry.code, terminal.personal_manager) == (district, "ports", manager)
    event = terminal.events.get()
    assert (event.kind, event.name, event.actor, event.to_stage, event.is_public) == (
        ProjectEventKind.STAGE, "import", data_clerk, ProjectStage.INVESTMENT, False
    )
    entries = LogEntry.objects.get_for_object(terminal)
    assert set(entries.values_list("actor", flat=True)) == {data_clerk.pk}
    assert entries.latest("timestamp").changes_dict["stage"] == ["application", "investment"]
    farm = Project.objects.get(registry_number="Л-17")
    assert farm.stage == ProjectStage.APPLICATION and not farm.events.exists()
    assert farm.industry.code == "agriculture"


def test_an_existing_project_keeps_its_stage_and_a_reimport_changes_nothing(
    data_clerk, apply_project, company, industries
):
    filed = apply_project()
    text = project_rows(company.inn, f"{filed.registry_number},Новое название,{{inn}},,,,,,Завершён",
                        "ИП-2024-00007,Склад,{inn},,,,,,Эксплуатационный этап")

    first = run(ProjectResource, text, data_clerk)

    ok(first)
    filed.refresh_from_db()
    assert filed.name == "Новое название" and filed.stage == ProjectStage.APPLICATION
    assert not filed.events.filter(name="import").exists()
    assert Project.objects.get(registry_number="ИП-2024-00007").stage == ProjectStage.OPERATIONAL
    events = ProjectEvent.objects.count()

    again = run(ProjectResource, text, data_clerk)

    ok(again)
    assert again.totals["skip"] == 2 and ProjectEvent.objects.count() == events
    assert Project.objects.count() == 2


def test_the_preview_writes_nothing_and_one_bad_row_writes_nothing(data_clerk, company, industries, other_company):
    agency = OrganisationFactory(kind=OrganisationKind.AGENCY)
    good = "ИП-2024-00001,Хороший,{inn},,,,,,Инвестиционный этап"
    preview = run(ProjectResource, project_rows(company.inn, good), data_clerk, dry_run=True)
    assert preview.totals["new"] == 1
    assert not Project.objects.exists() and not ProjectEvent.objects.exists() and not LogEntry.objects.filter(
        content_type__model="project").exists()

    result = run(ProjectResource, project_rows(
        company.inn, good,
        f"ИП-2024-00002,Чужой,{agency.inn},,,-5,много,,Почти готов",
        ",Без номера,{inn},,,,,,",
        "ИП-2024-00003,,,,космос,,,,",
    ), data_clerk)

    assert not Project.objects.exists() and not ProjectEvent.objects.exists()
    errors = errors_of(result)
    assert errors[2] == {
        "ИНН инвестора": [f"Компании-инвестора с ИНН «{agency.inn}» нет в системе: сначала загрузите организации."],
        "Объём инвестиций, ₽": ["Число не может быть отрицательным: «-5»."],
        "Рабочих мест": ["Нужно целое число не меньше 0, а не «много»."],
        "Этап при загрузке": ["Этапа «Почти готов» нет: напишите его как в реестре проектов."],
    }
    assert errors[3] == {"Реестровый номер": ["Укажите реестровый номер проекта."]}
    assert errors[4]["ИНН инвестора"] == ["Укажите ИНН компании-инвестора."]
    assert errors[4]["Код отрасли"] == ["Отрасли «космос» нет в справочнике: укажите код или название отрасли."]
    assert "Название проекта" in errors[4]


def test_new_numbers_continue_above_the_imported_ones(data_clerk, company, apply_project):
    ok(run(ProjectResource, project_rows(company.inn, "ИП-2019-00150,Старый,{inn},,,,,,"), data_clerk))

    assert apply_project().registry_number.endswith("-00151")


def test_the_export_is_the_import_format_with_the_current_stage(data_clerk, apply_project, company, manager):
    project = apply_project(name="=HYPERLINK(\"http://evil\")", investment_volume=Decimal("1500000.50"))

    exported = ProjectResource().export(Project.objects.all())

    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["Реестровый номер"] == project.registry_number
    assert row["Название проекта"] == "'=HYPERLINK(\"http://evil\")"  # a spreadsheet will not run it
    assert (row["ИНН инвестора"], row["Почта персонального менеджера"]) == (company.inn, manager.email)
    assert row["Объём инвестиций, ₽"] == "1500000.50" and row["Этап при загрузке"] == "Заявка"
    back = ProjectResource().import_data(exported, user=data_clerk)
    ok(back)
    assert back.totals["skip"] == 1  # exported, loaded back: nothing changes


def test_a_file_without_its_columns_or_without_a_user_is_refused(data_clerk, company):
    missing = ProjectResource().import_data(csv("Название проекта\nСклад\n"), user=data_clerk)
    assert "«Реестровый номер», «ИНН инвестора»" in str(missing.base_errors[0].error)

    anonymous = ProjectResource().import_data(csv(project_rows(company.inn, "ИП-1,Склад,{inn},,,,,,")))
    assert "от имени пользователя" in str(anonymous.base_errors[0].error)
    assert not Project.objects.exists()

