"""`manage.py report`: a report as a file for cron, built as a person, with Russian errors."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Appeal


def run(*args) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue().strip()


def sheet_values(path: Path) -> list:
    sheet = load_workbook(path).active
    return [value for row in sheet.iter_rows(values_only=True) for value in row if value is not None]


@pytest.fixture
def appeals(file_appeal, omsu, executor, agency, manager):
    """Two appeals for the ОМСУ, one for the agency, all this year."""
    made = [file_appeal() for _ in range(3)]
    Appeal.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(executor_organisation=omsu, manager=executor)
    Appeal.objects.filter(pk=made[2].pk).update(executor_organisation=agency, manager=manager)
    return made


def _year() -> tuple[str, str]:
    today = timezone.localdate()
    return today.replace(month=1, day=1).isoformat(), today.isoformat()


def test_writes_a_valid_xlsx_and_prints_its_path(director, appeals, tmp_path):
    start, end = _year()
    target = tmp_path / "by-type.xlsx"
    assert run("appeals-by-type", "--from", start, "--to", end, "--output", str(target)) == str(target)
    values = sheet_values(target)
    assert "Общее количество обращений по типу" in values
    assert "Итого" in values
    total_row = list(load_workbook(target).active.iter_rows(values_only=True))[-1]
    assert total_row[:2] == ("Итого", 3)  # the director sees every appeal


@pytest.mark.parametrize("fmt", ["ods", "docx"])
def test_writes_ods_and_docx_named_like_the_download_into_a_directory(director, appeals, tmp_path, fmt):
    start, end = _year()
    printed = run("authorities", "--from", start, "--to", end, "--format", fmt, "--output", str(tmp_path))
    path = Path(printed)
    assert path.parent == tmp_path
    assert path.name == f"authorities-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "ods":
        from odf.opendocument import load

        assert load(str(path)).spreadsheet is not None
    else:
        from docx import Document

        assert any("Рейтинг органов власти" in p.text for p in Document(str(path)).paragraphs)


def test_the_format_follows_the_extension_and_dates_are_optional(director, tmp_path):
    target = tmp_path / "workload.ods"
    run("staff-workload", "--output", str(target))
    assert target.read_bytes()[:2] == b"PK"
    assert b"application/vnd.oasis.opendocument.spreadsheet" in target.read_bytes()[:200]


def test_as_builds_with_that_persons_eyes(director, executor, appeals, tmp_path):
    start, end = _year()
    target = tmp_path / "omsu.xlsx"
    run("appeals-by-type", "--from", start, "--to", end, "--output", str(target), "--as", executor.email.upper())
    total_row = list(load_workbook(target).active.iter_rows(values_only=True))[-1]
    assert total_row[:2] == ("Итого", 2)


def test_without_a_director_a_superuser_is_used(superuser, tmp_path):
    target = tmp_path / "pool.xlsx"
    assert run("project-pool", "--output", str(target)) == str(target)


@pytest.mark.parametrize(("args", "message"), [
    (["no-such-report"], "Нет отчёта «no-such-report». Есть: appeals-by-type, appeals-by-executor"),
    (["appeals-by-type", "--from", "13.03.2025"], "--from: «13.03.2025» — не дата; нужен формат ГГГГ-ММ-ДД"),
    (["appeals-by-type", "--to", "2025-02-30"], "--to: «2025-02-30» — не дата"),
    (["appeals-by-type", "--from", "2025-03-10", "--to", "2025-03-01"],
     "Начало периода (--from 2025-03-10) позже его конца (--to 2025-03-01)."),
    (["appeals-by-type", "--as", "nobody@test.zk.example"],
     "Нет действующего пользователя с адресом nobody@test.zk.example."),
    (["appeals-by-type", "--as", "clerk@test.zk.example"], "Пользователю clerk@test.zk.example отчёты недоступны."),
])
def test_errors_are_in_russian(director, data_clerk, tmp_path, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args, "--output", str(tmp_path / "out.xlsx"))


def test_an_unwritable_path_is_a_russian_error(director, tmp_path):
    target = tmp_path / "missing" / "out.xlsx"
    with pytest.raises(CommandError, match=re.escape(f"Не удалось записать файл {target}: нет такого каталога")):
        run("staff-workload", "--output", str(target))


def test_no_one_to_build_as_is_a_russian_error(db, tmp_path):
    with pytest.raises(CommandError, match="Нет ни действующего директора, ни суперпользователя"):
        run("staff-workload", "--output", str(tmp_path / "out.xlsx"))
