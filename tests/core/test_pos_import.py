"""Messages of the federal platform ПОС imported through the staff intake (core.resources.pos): the sample file
shipped in docs/integrations, duplicates skipped and reported, one bad row writes nothing."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tablib
import time_machine
from import_export.formats.base_formats import CSV, XLSX

from core.choices import AppealChannel, AppealStatus
from core.models import Appeal, Organisation
from core.resources.pos import PosAppealResource

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "integrations"
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-01 12:00 +03:00", tick=False):
        yield


def sample(fmt: str) -> tablib.Dataset:
    data = (SAMPLES / f"pos_export_sample.{fmt}").read_bytes()
    return XLSX().create_dataset(data) if fmt == "xlsx" else CSV(encoding="utf-8-sig").create_dataset(data.decode())


def run(data: tablib.Dataset, user, **kwargs):
    return PosAppealResource().import_data(data, user=user, **kwargs)


def errors_of(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.error_dict for row in result.invalid_rows}


def test_the_sample_file_becomes_pos_appeals_in_moderation(classifier, coordinator):
    result = run(sample("xlsx"), coordinator)

    assert not result.has_validation_errors() and not result.has_errors(), errors_of(result)
    appeals = {a.pos_number: a for a in Appeal.objects.select_related("fact", "organisation")}
    assert set(appeals) == {"2871450311", "2871452087", "2871460519", "2871461733"}
    first = appeals["2871450311"]
    assert (first.channel, first.status, first.registered_by) == (AppealChannel.POS, AppealStatus.MODERATION,
                                                                   coordinator)
    assert first.received_at == datetime(2026, 11, 3, 9, 14, tzinfo=MOSCOW)
    assert first.contact_phone == "+79210001122"
    # by the category code and subcategory, by the code with its name, by the name alone
    assert {number: a.fact.code for number, a in appeals.items()} == {
        "2871450311": "03.01.001", "2871452087": "04.01.001", "2871460519": "02.01.001", "2871461733": "05.01.001"}
    assert appeals["2871461733"].subject == "Сообщение ПОС №2871461733"  # no title in the file
    assert appeals["2871461733"].organisation == first.organisation  # one company per ИНН
    assert Organisation.objects.get(inn="4794987505").short_name == "ООО «Лесная логистика»"


def test_messages_already_imported_or_repeated_are_skipped_and_listed(classifier, coordinator):
    run(sample("csv"), coordinator)
    again = sample("xlsx")
    again.append(again[0])  # the first message twice in this file too

    result = run(again, coordinator)

    assert not result.has_validation_errors()
    assert Appeal.objects.count() == 4
    assert result.totals["skip"] == 5
    assert result.skipped_messages[0] == "строка 1: сообщение ПОС №2871450311 уже есть в системе — обращение №1"
    assert result.skipped_messages[-1].startswith("строка 5: сообщение ПОС №2871450311 уже есть в системе")


def test_a_number_repeated_within_the_file_is_imported_once(classifier, coordinator):
    data = sample("csv")
    data.append(data[1])

    result = run(data, coordinator)

    assert Appeal.objects.filter(pos_number="2871452087").count() == 1
    assert result.skipped_messages == ["строка 5: сообщение ПОС №2871452087 повторяет строку 2"]


def test_one_bad_row_imports_nothing(classifier, coordinator):
    data = sample("csv")
    bad = list(data[2])
    bad[0], bad[2], bad[3] = "2871469999", "09", ""  # no such federal category
    data.append(bad)
    wrong_subcategory = list(data[0])
    wrong_subcategory[0], wrong_subcategory[3] = "2871470000", "Прочее"
    data.append(wrong_subcategory)

    result = run(data, coordinator)

    assert errors_of(result)[5] == {"Категория": [
        "Категории «09» нет среди действующих категорий классификатора: укажите код (01–07) или название федеральной "
        "категории."]}
    assert errors_of(result)[6]["Подкатегория"][0].startswith("В категории 03 нет действующей подкатегории «Прочее»")
    assert not Appeal.objects.exists()
    assert not Organisation.objects.filter(inn="4794987505").exists()


def test_unreadable_cells_are_named_under_their_columns(classifier, coordinator):
    data = sample("csv")
    row = list(data[0])
    row[1], row[8], row[9], row[10] = "вчера", "1234567890", "не-почта", ""
    data = tablib.Dataset(row, headers=data.headers)

    errors = errors_of(run(data, coordinator))[1]

    assert errors["Дата поступления"] == [
        "Дата «вчера» не распознана: напишите её как 31.12.2025 или 31.12.2025 14:30."]
    assert errors["ИНН"][0].startswith("Неверный ИНН")
    assert errors["Email"] == ["«не-почта» не похож на адрес электронной почты."]


def test_the_intakes_own_rules_land_on_the_files_columns(classifier, coordinator):
    data = sample("csv")
    row = list(data[1])
    row[1], row[5] = "02.12.2026 10:00", ""  # tomorrow; no text
    data = tablib.Dataset(row, headers=data.headers)

    errors = errors_of(run(data, coordinator))[1]

    assert errors["Дата поступления"] == ["Дата поступления не может быть в будущем."]
    assert errors["Текст сообщения"] == ["Подробно опишите суть обращения."]


def test_only_those_who_register_appeals_import_pos_messages(classifier, data_clerk):
    result = run(sample("csv"), data_clerk)

    assert result.has_errors()
    assert "координаторы, менеджеры и руководители" in str(result.base_errors[0].error)
    assert not Appeal.objects.exists()
