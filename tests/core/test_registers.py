"""Register downloads in core: the columns of the appeal and project registers, the files reopened with openpyxl
and odfpy (real dates and numbers, formula-looking text kept as text), a constant number of queries, the background
job (progress, private file, the «export_ready» notice, a Russian error), saved filters, and the Word bundle."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import parse_qsl

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from core.choices import AppealChannel
from core.models import Appeal, AppealEscalation, ExportJob, Industry, Notification, Project, SavedFilter
from core.models.exports import ExportStatus
from core.reports.registers import appeal_register, project_register
from core.services import exports
from core.services.exports import export_job_create, export_job_run, register_write
from core.services.saved_filters import saved_filter_delete, saved_filter_save, saved_filters_for
from core.workflows.appeals import appeal_transition
from core.workflows.projects import project_transition

HYPERLINK = '=HYPERLINK("http://evil.example/","Открыть")'
INTERNAL = "Проверить полномочия подписанта"
APPEAL_HEADERS = [
    "№", "Дата поступления", "Инвестор", "ИНН", "Тема", "Тип", "Категория", "Факт", "Статус",
    "Исполнитель (организация)", "Менеджер", "Срок", "Просрочено", "Дата ответа", "Оценка", "Проект",
    "Канал поступления", "МРГ",
]
PROJECT_HEADERS = [
    "Реестровый №", "Название", "Инвестор", "ИНН", "Район", "Отрасль", "Этап", "Инвестиции, руб.", "Рабочих мест",
    "Менеджер", "Принят на сопровождение", "Плановый ввод", "Изменён",
]


# --- reading the files back ---------------------------------------------------------------------------------------
def xlsx_rows(data: bytes, header: str = "№") -> tuple[list[str], list[list]]:
    """(headers, data rows) of the first sheet; each cell as openpyxl reads it (value), None when empty."""
    sheet = load_workbook(BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows()]
    start = next(index for index, row in enumerate(rows) if row and row[0].value == header)
    return [cell.value for cell in rows[start]], [row for row in rows[start + 1:] if any(c.value for c in row)]


def xlsx_values(data: bytes, header: str = "№") -> tuple[list[str], list[list]]:
    headers, rows = xlsx_rows(data, header)
    return headers, [[cell.value for cell in row] for row in rows]


def ods_rows(data: bytes, header: str = "№") -> tuple[list[str], list[list[tuple[str, object]]]]:
    """(headers, data rows) of an ods file; each cell as (value type, value): float → Decimal, date → the ISO text."""
    from odf import teletype
    from odf.opendocument import load
    from odf.table import TableCell, TableRow

    document = load(BytesIO(data))
    rows = []
    for table_row in document.spreadsheet.getElementsByType(TableRow):
        cells = []
        for cell in table_row.getElementsByType(TableCell):
            kind = cell.getAttribute("valuetype") or ""
            if kind == "float":
                value = Decimal(cell.getAttribute("value"))
            elif kind == "date":
                value = cell.getAttribute("datevalue")
            elif kind == "string":
                value = teletype.extractText(cell)
            else:
                value = None
            assert not cell.getAttribute("formula"), "a register never holds a formula"
            cells.append((kind, value))
        rows.append(cells)
    start = next(index for index, row in enumerate(rows) if row and row[0][1] == header)
    return [value for _, value in rows[start]], [row for row in rows[start + 1:] if any(v for _, v in row)]


# --- the data -----------------------------------------------------------------------------------------------------
def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


@pytest.fixture
def appeals(file_appeal, coordinator, manager, head, investor):
    """Three appeals: an overdue one with a formula-looking subject, one answered and rated, one in moderation."""
    with time_machine.travel("2025-02-21 23:30 +03:00", tick=False):  # 20:30 UTC: the Moscow date is the 21st
        overdue = file_appeal(subject=HYPERLINK)
    with time_machine.travel("2025-02-24 10:00 +03:00", tick=False):
        answered = file_appeal(subject="Подключение к газу")
    with time_machine.travel("2025-03-03 10:00 +03:00", tick=False):
        overdue = act(overdue, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                      head=head)
        answered = act(answered, "assign", coordinator, executor_organisation=manager.organisation,
                       manager=manager, head=head)
        answered = act(answered, "take_into_work", manager)
        answered = act(answered, "comment", manager, text=INTERNAL, is_public=False)
        answered = act(answered, "submit_for_approval", manager, answer_text="Подключение согласовано.")
    with time_machine.travel("2025-03-04 09:00 +03:00", tick=False):
        answered = act(answered, "approve", head)
        answered = act(answered, "rate", investor, rating=4, comment="Спасибо")
    with time_machine.travel("2025-03-19 09:00 +03:00", tick=False):
        fresh = file_appeal(subject="Новое обращение")
    return overdue, answered, fresh


@pytest.fixture
def project(apply_project, manager):
    industry = Industry.objects.create(code="logistics", name="Транспорт и логистика")
    with time_machine.travel("2025-03-13 12:00 +03:00", tick=False):
        project = apply_project(name="Логистический комплекс «Южный»", industry=industry,
                                investment_volume=Decimal("1500000000.50"), jobs=120,
                                planned_launch=date(2027, 6, 1))
        for name in ("start_review", "accept"):
            project = project_transition(project=Project.objects.get(pk=project.pk), name=name, actor=manager)
    return project


# --- the registers --------------------------------------------------------------------------------------------------
def test_the_appeal_register_holds_what_a_director_expects(appeals, manager, investor):
    overdue, answered, fresh = appeals
    # the overdue appeal went to the МРГ twice (the last session counts); the fresh one came by phone
    for session in (date(2025, 3, 18), date(2025, 3, 11)):
        AppealEscalation.objects.create(appeal=overdue, session_date=session, decision="Ускорить согласование")
    Appeal.objects.filter(pk=fresh.pk).update(channel=AppealChannel.PHONE)
    table = appeal_register(Appeal.objects.order_by("number"), today=date(2025, 3, 20))
    assert [column.label for column in table.columns] == APPEAL_HEADERS
    rows = {row.values[0]: dict(zip(APPEAL_HEADERS, row.values, strict=True)) for row in table.rows}
    assert list(rows) == [overdue.number, answered.number, fresh.number]

    first = rows[overdue.number]
    assert first["Дата поступления"] == date(2025, 2, 21)  # the Moscow date, not the UTC one
    assert first["Тема"] == HYPERLINK
    assert first["Инвестор"] == overdue.organisation_name  # as written in the appeal
    assert first["ИНН"] == investor.organisation.inn
    assert first["Тип"] == overdue.appeal_type.name and first["Факт"] == overdue.fact.name
    assert first["Категория"] == overdue.fact.subcategory.category.name
    assert first["Статус"] == "Обращение передано на исполнение"
    assert first["Исполнитель (организация)"] == manager.organisation.short_name
    assert first["Менеджер"] == manager.full_name
    assert first["Срок"] == date(2025, 3, 13) and first["Просрочено"] == "да"
    assert first["Дата ответа"] is None and first["Оценка"] is None

    second = rows[answered.number]
    assert second["Дата ответа"] == date(2025, 3, 4) and second["Оценка"] == 4
    assert second["Просрочено"] == "нет" and second["Статус"] == "Обращение рассмотрено"
    assert rows[fresh.number]["Просрочено"] == "нет" and rows[fresh.number]["Менеджер"] == ""
    assert [(row["Канал поступления"], row["МРГ"]) for row in rows.values()] == [
        ("Портал", date(2025, 3, 18)), ("Портал", None), ("Телефон", None),
    ]


def test_the_project_register(project, manager, investor):
    table = project_register(Project.objects.all())
    assert [column.label for column in table.columns] == PROJECT_HEADERS
    (row,) = [dict(zip(PROJECT_HEADERS, row.values, strict=True)) for row in table.rows]
    assert row["Реестровый №"] == project.registry_number
    assert row["Инвестор"] == investor.organisation.short_name and row["ИНН"] == investor.organisation.inn
    assert row["Отрасль"] == "Транспорт и логистика" and row["Этап"] == "Принят на сопровождение"
    assert row["Инвестиции, руб."] == Decimal("1500000000.50") and row["Рабочих мест"] == 120
    assert row["Менеджер"] == manager.full_name
    assert row["Принят на сопровождение"] == date(2025, 3, 13) and row["Плановый ввод"] == date(2027, 6, 1)
    assert isinstance(row["Изменён"], datetime) and row["Изменён"].tzinfo is None


def test_xlsx_reopens_with_real_dates_numbers_and_formula_text_as_text(appeals):
    overdue = appeals[0]
    out = BytesIO()
    assert register_write(register="appeals", queryset=Appeal.objects.order_by("number"), fmt="xlsx", out=out) == 3
    headers, rows = xlsx_rows(out.getvalue())
    assert headers == APPEAL_HEADERS
    first, second = rows[0], rows[1]
    assert first[0].value == overdue.number and first[0].data_type == "n"
    assert first[1].value == datetime(2025, 2, 21) and first[1].is_date
    assert first[4].value == HYPERLINK and first[4].data_type == "s"  # text, never a formula
    assert second[14].value == 4 and second[13].value == datetime(2025, 3, 4)


def test_ods_reopens_with_real_dates_numbers_and_formula_text_as_text(appeals, project):
    overdue = appeals[0]
    out = BytesIO()
    register_write(register="appeals", queryset=Appeal.objects.order_by("number"), fmt="ods", out=out)
    headers, rows = ods_rows(out.getvalue())
    assert headers == APPEAL_HEADERS
    assert rows[0][0] == ("float", Decimal(overdue.number))
    assert rows[0][1] == ("date", "2025-02-21")
    assert rows[0][4] == ("string", HYPERLINK)
    assert rows[1][14] == ("float", Decimal(4))

    out = BytesIO()
    register_write(register="projects", queryset=Project.objects.all(), fmt="ods", out=out)
    headers, rows = ods_rows(out.getvalue(), header="Реестровый №")
    assert headers == PROJECT_HEADERS
    assert rows[0][7] == ("float", Decimal("1500000000.50")) and rows[0][8] == ("float", Decimal(120))
    assert rows[0][10] == ("date", "2025-03-13")
    assert rows[0][12][0] == "date" and "T" in rows[0][12][1]  # «Изменён»: a date and time


def test_the_register_takes_the_same_queries_for_few_and_many_rows(file_appeal, apply_project):
    def queries(register: str, queryset) -> int:
        with CaptureQueriesContext(connection) as captured:
            register_write(register=register, queryset=queryset, fmt="xlsx", out=BytesIO())
        return len(captured)

    for _ in range(2):
        file_appeal()
        apply_project()
    few = queries("appeals", Appeal.objects.all()), queries("projects", Project.objects.all())
    for _ in range(5):
        file_appeal()
        apply_project()
    assert (queries("appeals", Appeal.objects.all()), queries("projects", Project.objects.all())) == few
    assert few == (1, 1)


# --- the background job ---------------------------------------------------------------------------------------------
def test_a_background_job_writes_the_file_and_tells_its_owner(appeals, director, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    _, answered, _ = appeals
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        job = export_job_create(user=director, register="appeals", fmt="xlsx", query="q=газу")
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.progress == 100
    assert (job.rows_total, job.rows_done) == (1, 1) and job.finished_at and not job.error
    progress_updates = [q["sql"] for q in captured if q["sql"].startswith("UPDATE") and "rows_done" in q["sql"]]
    assert len(progress_updates) >= 2  # the start (0) and each PROGRESS_EVERY rows
    with job.file.open("rb") as stored:
        _, rows = xlsx_values(stored.read())
    assert [row[0] for row in rows] == [answered.number]
    notice = Notification.objects.get(event="export_ready", recipient=director, channel="site")
    assert notice.object_id == job.pk and str(job.uid) in notice.link
    assert "Выгрузка реестра готова" in notice.subject


def test_a_job_with_wrong_filters_fails_with_a_russian_message(director, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_create(user=director, register="appeals", fmt="ods", query="no_such_field__exact=1")
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "Фильтры списка заданы неверно" in job.error
    assert not job.file and job.progress == 0
    assert Notification.objects.filter(event="export_ready", recipient=director, object_id=job.pk).exists()
    assert export_job_run(job.pk).status == ExportStatus.FAILED  # a finished job is left alone


def test_a_job_is_only_for_known_registers_and_formats(director):
    with pytest.raises(ValidationError, match="XLSX и ODS"):
        export_job_create(user=director, register="appeals", fmt="csv", query="")
    with pytest.raises(ValidationError, match="Неизвестный реестр"):
        export_job_create(user=director, register="users", fmt="xlsx", query="")
    assert not ExportJob.objects.exists()


# --- saved filters --------------------------------------------------------------------------------------------------
def test_a_saved_filter_keeps_only_the_lists_parameters(manager):
    saved = saved_filter_save(user=manager, list_key="core.appeal", name="  Мои   просроченные ",
                              query="?q=газ&p=3&_changelist_filters=x%3D1&overdue=yes&o=-1&e=1&evil=1&status__exact=")
    assert saved.name == "Мои просроченные"
    assert parse_qsl(saved.query) == [("q", "газ"), ("overdue", "yes"), ("o", "-1")]
    assert list(saved_filters_for(user=manager, list_key="core.appeal")) == [saved]
    assert not saved_filters_for(user=manager, list_key="core.project").exists()


@pytest.mark.parametrize(("name", "query", "message"), [
    ("", "overdue=yes", "Укажите название фильтра."),
    ("   ", "overdue=yes", "Укажите название фильтра."),
    ("Ф" * 101, "overdue=yes", "не длиннее 100 символов"),
    ("Пустой", "p=2&evil=1", "сохранять нечего"),
])
def test_a_saved_filter_is_checked(manager, name, query, message):
    with pytest.raises(ValidationError) as error:
        saved_filter_save(user=manager, list_key="core.appeal", name=name, query=query)
    assert any(message in text for text in error.value.messages)
    assert not SavedFilter.objects.exists()


def test_a_filter_name_is_unique_per_person_and_list(manager, head):
    saved_filter_save(user=manager, list_key="core.appeal", name="Газ", query="q=газ")
    with pytest.raises(ValidationError, match="уже есть в этом списке"):
        saved_filter_save(user=manager, list_key="core.appeal", name="Газ", query="q=газопровод")
    saved_filter_save(user=manager, list_key="core.project", name="Газ", query="q=газ")  # another list
    saved_filter_save(user=head, list_key="core.appeal", name="Газ", query="q=газ")  # another person
    assert SavedFilter.objects.count() == 3


def test_only_ones_own_filter_is_deleted(manager, head):
    saved = saved_filter_save(user=manager, list_key="core.appeal", name="Газ", query="q=газ")
    with pytest.raises(SavedFilter.DoesNotExist):
        saved_filter_delete(user=head, pk=saved.pk)
    assert saved_filter_delete(user=manager, pk=saved.pk).name == "Газ"
    assert not SavedFilter.objects.exists()


# --- «Выгрузка обращений в Word» ------------------------------------------------------------------------------------
def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_word_bundle_holds_every_card_a_page_each(appeals, manager, investor):
    from core.documents.appeal_docx import appeals_docx

    data = appeals_docx(Appeal.objects.order_by("number"), user=manager)
    text = docx_text(data)
    for appeal in appeals:
        assert f"Обращение №{appeal.number}" in text
    assert INTERNAL in text  # staff read the internal history
    assert Document(BytesIO(data)).element.xml.count('w:type="page"') == 2  # a page break between cards
    assert INTERNAL not in docx_text(appeals_docx(Appeal.objects.filter(organisation=investor.organisation),
                                                  user=investor))


def test_the_word_bundle_takes_the_same_queries_for_few_and_many(file_appeal, manager, coordinator, head):
    from core.documents.appeal_docx import appeals_docx

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            appeals_docx(Appeal.objects.all(), user=manager)
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation,
                         manager=manager, head=head)
            act(appeal, "comment", manager, text=INTERNAL, is_public=False)

    add(2)
    queries()  # warm the per-user caches
    few = queries()
    add(4)
    assert queries() == few
