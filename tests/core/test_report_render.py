"""Report files: a Table written as xlsx, ods and docx and read back as a user's program would read it."""

import gc
import re
import subprocess
import tempfile
import tracemalloc
import warnings
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from odf import teletype
from odf.opendocument import load as ods_load
from odf.table import TableCell, TableColumn, TableHeaderRows, TableRow
from openpyxl import load_workbook

from core.reports import render as render_module
from core.reports.render import (
    CONTENT_TYPES,
    _render_xlsx,
    filename,
    format_number,
    measured,
    render,
    render_docx,
    render_ods,
    render_xlsx,
)
from core.reports.table import DATE, DATETIME, DECIMAL, INT, MONEY, PERCENT, RATING, TEXT, Column, Row, Table
from tests.tools import require_tool

NBSP = "\u00a0"
INJECTIONS = ["=SUM(A1)", "+7 999", "-5 проц", "@cmd", "\t=1", "\r=1", "#N/A", '=HYPERLINK("http://x","y")']
COLUMNS = [
    Column("name", "Исполнитель / категория", TEXT),
    Column("count", "Количество", INT),
    Column("share", "Доля", PERCENT),
    Column("rating", "Оценка", RATING),
    Column("amount", "Инвестиции, руб.", MONEY),
    Column("days", "Дней до ответа", DECIMAL),
    Column("created", "Создано", DATE),
    Column("answered", "Ответ", DATETIME),
]
ROWS = [
    Row(("Комитет по экономике", 1200, 12.5, 4.25, Decimal("1500000.00"), 3.5, date(2025, 2, 26),
         datetime(2025, 2, 26, 14, 30)), level=0, kind="executor"),
    Row(("Земельные отношения", 7, 0.0, None, None, Decimal("2.25"), None, None), level=1, kind="category"),
    Row(("Аренда участка", 3, 100, 5, 99.999, 1, date(2024, 10, 1),
         datetime(2025, 2, 26, 20, 30, tzinfo=UTC)), level=2, kind="subcategory"),
]
TOTAL = Row(("Итого", 1210, None, 4.5, Decimal("1500100"), None, None, None), kind="total")
META = [("Дата выгрузки", "26.02.2025"), ("Дата поступления обращений", "01.10.2024 – 26.02.2025")]


def report(**changes) -> Table:
    fields = {
        "slug": "appeals-by-executor", "title": "Обращения по исполнителям и классификатору", "columns": COLUMNS,
        "rows": ROWS, "meta": META, "total": TOTAL, "note": "Выборка: seed 202509",
    }
    return Table(**(fields | changes))


def injection_table() -> Table:
    return Table(slug="x", title="=cmd|' /C calc'!A0", columns=[Column("text", "=HEADER()", TEXT)],
                 rows=[Row((value,)) for value in INJECTIONS], meta=[("=A1", "+1")], note="-2+3")


def rendered(writer, table: Table) -> BytesIO:
    out = BytesIO()
    writer(table, out)
    out.seek(0)
    return out


# ---------------------------------------------------------------------------------------------------------------
# xlsx


def test_xlsx_layout_types_and_formats():
    sheet = load_workbook(rendered(render_xlsx, report())).active

    assert sheet.title == "Обращения по исполнителям и кла"  # 31 characters
    assert sheet["A1"].value == "Обращения по исполнителям и классификатору"
    assert sheet["A1"].font.b and sheet["A1"].font.sz > 11
    assert sheet["A2"].value == "Дата выгрузки: 26.02.2025"
    assert sheet["A3"].value == "Дата поступления обращений: 01.10.2024 – 26.02.2025"
    assert sheet["A4"].value is None
    header = sheet[5]
    assert [cell.value for cell in header] == [column.label for column in COLUMNS]
    assert all(cell.font.b and cell.alignment.wrap_text and cell.fill.fgColor.rgb.endswith("E2EFDA")
               and cell.border.bottom.style == "thin" for cell in header)
    assert sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref == "A5:H8"  # filter buttons on the header, over the rows but not the total
    assert sheet.print_title_rows == "$5:$5"  # the header on every printed page
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # the width only (fitToWidth 1 is the default, so the file may leave it out)
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    footer = sheet.oddFooter
    assert footer.right.text == "Страница &P из &N" and footer.left.text.startswith("Выгружено ")
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGH"]
    # as wide as the content and the header's longest word: «Исполнитель / категория» fits «категория»,
    # «Комитет по экономике» fits on one line, «1 500 000,00» is never cut
    assert widths[0] >= len("Комитет по экономике") + 2 and widths[4] >= len("1 500 000,00") + 2
    assert all(width >= max(map(len, column.label.split())) + 2 for width, column in zip(widths, COLUMNS, strict=True))
    assert widths[2] < widths[0]

    first = sheet[6]
    assert [cell.value for cell in first[:6]] == ["Комитет по экономике", 1200, 12.5, 4.25, 1500000, 3.5]
    assert first[1].data_type == "n" and isinstance(first[1].value, int)
    assert first[6].value == datetime(2025, 2, 26) and first[6].is_date
    assert first[7].value == datetime(2025, 2, 26, 14, 30)
    assert [cell.number_format for cell in first] == [
        "General", "#,##0", '0.0"%"', "0.00", "#,##0.00", "#,##0.0", "DD.MM.YYYY", "DD.MM.YYYY HH:MM"]
    assert not first[0].font.b

    second, third = sheet[7], sheet[8]
    assert [cell.value for cell in second[3:]] == [None, None, 2.25, None, None]  # None: an empty cell
    assert (first[0].alignment.indent, second[0].alignment.indent, third[0].alignment.indent) == (0, 1, 2)
    assert third[7].value == datetime(2025, 2, 26, 23, 30)  # 20:30 UTC is 23:30 in Moscow

    total = sheet[9]
    assert [cell.value for cell in total[:5]] == ["Итого", 1210, None, 4.5, 1500100]
    assert all(cell.font.b for cell in total if cell.value is not None)
    assert sheet[10][0].value is None
    assert sheet["A11"].value == "Выборка: seed 202509"
    assert sheet.max_row == 11


def test_xlsx_never_writes_a_formula():
    data = rendered(render_xlsx, injection_table()).getvalue()
    sheet = load_workbook(BytesIO(data)).active

    texts = [sheet.cell(row=row, column=1) for row in range(4, 4 + len(INJECTIONS) + 1)]
    # a lone carriage return is a line break, as in ods
    assert [cell.value for cell in texts] == ["=HEADER()", *[value.replace("\r", "\n") for value in INJECTIONS]]
    assert all(cell.data_type == "s" for cell in texts)
    assert (sheet["A1"].value, sheet["A2"].value, sheet["A14"].value) == ("=cmd|' /C calc'!A0", "=A1: +1", "-2+3")
    with zipfile.ZipFile(BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_xlsx_sheet_title_is_a_valid_sheet_name():
    table = report(title="Отчёт [черновик]: проекты/обращения? *всё* \\ и ещё длинный хвост")
    sheet = load_workbook(rendered(render_xlsx, table)).active

    assert sheet.title == "Отчёт черновик проектыобращения"
    assert not set("[]:*?/\\") & set(sheet.title)
    assert len(sheet.title) == 31
    assert sheet["A1"].value == table.title  # the title row keeps the full title


def test_xlsx_without_meta_or_note_and_narrow_is_still_landscape():
    table = report(columns=COLUMNS[:2], rows=[Row(("a", 1))], meta=[], total=None, note="")
    sheet = load_workbook(rendered(render_xlsx, table)).active

    assert sheet.freeze_panes == "A4"
    assert [cell.value for cell in sheet[3]] == ["Исполнитель / категория", "Количество"]
    assert sheet.max_row == 4
    assert sheet.auto_filter.ref == "A3:B4"
    assert sheet.page_setup.orientation == "landscape"


def test_long_text_wraps_and_its_row_grows():
    long_text = "Нарушен срок выдачи технических условий на подключение к сетям газоснабжения " * 3
    table = report(columns=[COLUMNS[0], COLUMNS[1]], rows=[Row((long_text, 1)), Row(("коротко", 2))], total=None)
    sheet = load_workbook(rendered(render_xlsx, table)).active

    assert sheet.column_dimensions["A"].width == pytest.approx(40, abs=1)  # capped: longer text wraps
    assert sheet["A6"].alignment.wrap_text and sheet["A5"].alignment.wrap_text  # the value and the header
    assert sheet["A5"].font.b
    assert sheet.row_dimensions[6].height > 3 * (sheet.row_dimensions[7].height or 15)  # 15: the default


def test_an_indented_label_that_wraps_because_of_its_indent_gets_its_second_line():
    """LibreOffice printed a project of the CRM audit over the next row: the label fitted the column's width, not
    the width its indent leaves, and the row kept one line."""
    capped = "Производство картонной упаковки и тары для пищевой промышленности"
    fits = capped[:44]  # 40 units hold some 46 characters: the label fits them, not what two indent levels leave
    table = report(columns=[COLUMNS[0], COLUMNS[1]], total=None,
                   rows=[Row((capped, 1)), Row((fits, 2), level=2), Row((fits, 3))])
    sheet = load_workbook(rendered(render_xlsx, table)).active
    assert sheet.column_dimensions["A"].width == pytest.approx(40, abs=1)
    assert sheet.row_dimensions[8].height is None  # the same label without the indent: one line, the default
    assert (sheet.row_dimensions[7].height or 0) >= 2 * 13  # the indented one: two lines of 13 pt
    assert sheet["A7"].alignment.indent == 2


def test_control_characters_are_dropped_not_fatal():
    table = report(columns=COLUMNS[:1], rows=[Row(("Бип\x07 и\x00 конец",))], total=None)
    sheet = load_workbook(rendered(render_xlsx, table)).active
    assert sheet["A6"].value == "Бип и конец"
    cells = ods_cells(rendered(render_ods, table))
    assert cells[5][0].text == "Бип и конец"


@pytest.mark.filterwarnings("error")
def test_a_row_of_the_wrong_length_is_an_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    with warnings.catch_warnings():  # what earlier tests of this worker left unclosed must not fail this one
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where XlsxWriter keeps the rows written so far
    table = report(rows=[*ROWS, Row(("только имя",))])
    for writer in (render_xlsx, render_ods, render_docx):
        with pytest.raises(ValueError):
            writer(table, BytesIO())
    gc.collect()
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------------------------
# ods


class OdsCell:
    def __init__(self, element):
        self.type = element.getAttribute("valuetype")
        self.value = element.getAttribute("value")
        self.date = element.getAttribute("datevalue")
        self.style = element.getAttribute("stylename")
        self.text = "\n".join(teletype.extractText(p) for p in element.childNodes if p.qname[1] == "p")


def ods_document(data: BytesIO):
    return ods_load(data)


def ods_cells(data: BytesIO) -> list[list[OdsCell]]:
    document = ods_document(data)
    return [[OdsCell(cell) for cell in row.getElementsByType(TableCell)]
            for row in document.spreadsheet.getElementsByType(TableRow)]


def ods_style_properties(document, name: str) -> dict:
    """The attributes of every property element of the automatic style `name`, merged."""
    for style in document.automaticstyles.childNodes:
        if style.getAttribute("name") == name:
            properties = {}
            for child in style.childNodes:
                properties |= {key[1]: value for key, value in child.attributes.items()}
            return properties
    raise AssertionError(f"no automatic style {name}")


def test_ods_is_a_valid_package():
    data = rendered(render_ods, report()).getvalue()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
        assert archive.read("mimetype") == CONTENT_TYPES["ods"].encode()
        assert {"META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml", "settings.xml"} <= set(
            archive.namelist())
        assert archive.testzip() is None
    assert data[30:38] == b"mimetype" and data[38:84] == CONTENT_TYPES["ods"].encode()


def test_ods_cells_have_real_types():
    cells = ods_cells(rendered(render_ods, report()))

    assert cells[0][0].text == "Обращения по исполнителям и классификатору"
    assert cells[1][0].text == "Дата выгрузки: 26.02.2025"
    assert cells[2][0].text == "Дата поступления обращений: 01.10.2024 – 26.02.2025"
    assert [cell.text for cell in cells[4]] == [column.label for column in COLUMNS]

    first = cells[5]
    assert first[0].type == "string" and first[0].text == "Комитет по экономике"
    assert [(cell.type, float(cell.value)) for cell in first[1:6]] == [
        ("float", 1200), ("float", 12.5), ("float", 4.25), ("float", 1500000), ("float", 3.5)]
    assert first[2].text == f"12,5{NBSP}%"  # percent: the number 0–100 itself, shown with «%»
    assert first[4].text == f"1{NBSP}500{NBSP}000,00"
    assert (first[6].type, first[6].date, first[6].text) == ("date", "2025-02-26", "26.02.2025")
    assert (first[7].type, first[7].date, first[7].text) == ("date", "2025-02-26T14:30:00", "26.02.2025 14:30")

    second, third = cells[6], cells[7]
    assert [cell.type for cell in second[3:]] == [None, None, "float", None, None]
    assert third[7].date == "2025-02-26T23:30:00"  # Moscow time
    assert [cell.text for cell in cells[8][:2]] == ["Итого", f"1{NBSP}210"]
    assert cells[9][0].text == ""
    assert cells[10][0].text == "Выборка: seed 202509"
    assert len(cells) == 11


def test_ods_styles_widths_bold_indent_and_header_rows():
    document = ods_document(rendered(render_ods, report()))
    rows = document.spreadsheet.getElementsByType(TableRow)

    columns = document.spreadsheet.getElementsByType(TableColumn)
    widths = [ods_style_properties(document, column.getAttribute("stylename"))["column-width"] for column in columns]
    assert widths == [f"{width * 0.2:.2f}cm" for width in measured(report())[1]]  # as in xlsx: by content

    header_rows = document.spreadsheet.getElementsByType(TableHeaderRows)
    assert len(header_rows) == 1
    header = header_rows[0].getElementsByType(TableRow)[0]
    assert header is rows[4]
    header_style = ods_style_properties(document, header.getElementsByType(TableCell)[0].getAttribute("stylename"))
    assert header_style["font-weight"] == "bold" and header_style["wrap-option"] == "wrap"

    def cell_style(row: int, column: int) -> dict:
        return ods_style_properties(document, rows[row].getElementsByType(TableCell)[column].getAttribute("stylename"))

    assert "font-weight" not in cell_style(5, 0) and "margin-left" not in cell_style(5, 0)
    assert cell_style(6, 0)["margin-left"] == "0.35cm" and cell_style(7, 0)["margin-left"] == "0.70cm"
    # Calc draws a cell's left margin only with a fixed start alignment (the tree printed flat without it)
    assert cell_style(6, 0)["text-align-source"] == "fix" and cell_style(6, 0)["text-align"] == "start"
    # every row grows with its wrapped text (without a row style long rows printed over the next one)
    assert all(ods_style_properties(document, row.getAttribute("stylename"))["use-optimal-row-height"] == "true"
               for row in rows)
    assert cell_style(8, 0)["font-weight"] == "bold" and cell_style(8, 1)["font-weight"] == "bold"
    assert ods_style_properties(document, rows[0].getElementsByType(TableCell)[0].getAttribute("stylename"))[
        "font-size"] == "14pt"


def test_ods_data_styles_say_how_numbers_and_dates_look():
    data = rendered(render_ods, report()).getvalue()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        content = archive.read("content.xml").decode()
        settings = archive.read("settings.xml").decode()
    percent = re.search(r'<number:number-style style:name="Npercent".*?</number:number-style>', content).group()
    assert 'number:decimal-places="1"' in percent and "<number:text>%</number:text>" in percent
    money = re.search(r'<number:number-style style:name="Nmoney".*?</number:number-style>', content).group()
    assert 'number:decimal-places="2"' in money and 'number:grouping="true"' in money
    # the rows down to the header are frozen in LibreOffice's view
    assert '<config:config-item config:name="VerticalSplitPosition" config:type="int">5</config:config-item>' in (
        settings)


def test_ods_text_is_never_a_formula_and_keeps_its_whitespace():
    document = ods_document(rendered(render_ods, injection_table()))
    cells = [[OdsCell(cell) for cell in row.getElementsByType(TableCell)]
             for row in document.spreadsheet.getElementsByType(TableRow)]

    texts = [row[0] for row in cells[3:4 + len(INJECTIONS)]]
    assert [cell.text for cell in texts] == ["=HEADER()", *[value.replace("\r", "\n") for value in INJECTIONS]]
    assert all(cell.type == "string" for cell in texts)
    assert cells[0][0].text == "=cmd|' /C calc'!A0"
    assert not any(cell.getAttribute("formula") for cell in document.spreadsheet.getElementsByType(TableCell))

    spaced = report(columns=COLUMNS[:1], rows=[Row(("  два  пробела ",))], total=None)
    assert ods_cells(rendered(render_ods, spaced))[5][0].text == "  два  пробела "


def test_ods_opens_in_libreoffice(tmp_path):
    """An extra check beside odfpy: LibreOffice converts the file (a report, and a streamed register whose
    content.xml is a Zip64 entry) and the result says what the table says."""
    require_tool("soffice", "LibreOffice")
    (tmp_path / "report.ods").write_bytes(rendered(render_ods, report()).getvalue())
    (tmp_path / "register.ods").write_bytes(rendered(render_ods, report(rows=(row for row in ROWS))).getvalue())
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "out"), str(tmp_path / "report.ods"), str(tmp_path / "register.ods")],
        check=True, capture_output=True, timeout=180)

    for name in ("report", "register"):
        sheet = load_workbook(tmp_path / "out" / f"{name}.xlsx").active
        assert sheet["A1"].value == "Обращения по исполнителям и классификатору"
        assert [cell.value for cell in sheet[6]] == [
            "Комитет по экономике", 1200, 12.5, 4.25, 1500000, 3.5, datetime(2025, 2, 26),
            datetime(2025, 2, 26, 14, 30)]
        assert sheet["C6"].number_format.endswith('0.0\\%')  # a literal «%»: 12.5 is not multiplied by 100
        assert sheet["A9"].value == "Итого" and sheet["A9"].font.b
        assert sheet["A11"].value == "Выборка: seed 202509"
        assert sheet.page_setup.orientation == "landscape"


# ---------------------------------------------------------------------------------------------------------------
# docx


def test_docx_title_meta_table_and_russian_numbers():
    document = Document(rendered(render_docx, report()))

    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[:3] == ["Обращения по исполнителям и классификатору", "Дата выгрузки: 26.02.2025",
                              "Дата поступления обращений: 01.10.2024 – 26.02.2025"]
    assert paragraphs[-1] == "Выборка: seed 202509"
    section = document.sections[0]
    assert section.page_width > section.page_height  # 8 columns: landscape A4
    assert round(section.page_width.cm, 1) == 29.7
    footer = section.footer.paragraphs[0]._p.xml
    assert "Страница" in footer and 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer

    table = document.tables[0]
    header = table.rows[0]
    assert [cell.text for cell in header.cells] == [column.label for column in COLUMNS]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)

    first = [cell.text for cell in table.rows[1].cells]
    assert first == ["Комитет по экономике", f"1{NBSP}200", f"12,5{NBSP}%", "4,25", f"1{NBSP}500{NBSP}000",
                     "3,5", "26.02.2025", "26.02.2025 14:30"]  # money: kopecks only when there are any
    amount = table.rows[1].cells[4].paragraphs[0]
    assert amount.alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[0].paragraphs[0].alignment is None

    assert table.rows[2].cells[0].paragraphs[0].paragraph_format.left_indent.cm == pytest.approx(0.35, abs=0.01)
    assert table.rows[3].cells[0].paragraphs[0].paragraph_format.left_indent.cm == pytest.approx(0.70, abs=0.01)
    assert [cell.text for cell in table.rows[3].cells][2:] == [
        f"100,0{NBSP}%", "5,00", "100", "1,0", "01.10.2024", "26.02.2025 23:30"]
    total = table.rows[4]
    assert total.cells[0].text == "Итого" and all(
        run.bold for cell in total.cells for run in cell.paragraphs[0].runs)
    assert len(table.rows) == 5


def test_docx_narrow_table_is_portrait_and_keeps_text_as_is():
    table = Table(slug="x", title="Реестр", columns=[Column("text", "Текст", TEXT)],
                  rows=[Row((value,)) for value in INJECTIONS])
    document = Document(rendered(render_docx, table))
    section = document.sections[0]
    assert section.page_width < section.page_height and round(section.page_width.cm, 1) == 21.0
    assert [row.cells[0].text for row in document.tables[0].rows[1:]][:5] == INJECTIONS[:5]


@pytest.mark.parametrize(("value", "kind", "shown"), [
    (1500000, MONEY, f"1{NBSP}500{NBSP}000"),
    (Decimal("1234.5"), MONEY, f"1{NBSP}234,50"),
    (Decimal("-1234.5"), DECIMAL, f"-1{NBSP}234,5"),  # averages: one decimal
    (2.675, RATING, "2,68"),  # half up on the written decimal, not on the binary float
    (-0.001, MONEY, "0"),
    (12.25, PERCENT, f"12,3{NBSP}%"),
    (1234567, INT, f"1{NBSP}234{NBSP}567"),
    (2.5, INT, "3"),
    (1.5, TEXT, "1,5"),
])
def test_russian_number_format(value, kind, shown):
    assert format_number(value, kind) == shown


# ---------------------------------------------------------------------------------------------------------------
# the API around the writers


def test_filename_content_types_and_dispatch():
    table = report(slug="appeals-by-type")
    assert filename(table, "xlsx", date(2025, 2, 26)) == "appeals-by-type-2025-02-26.xlsx"
    assert filename(report(slug="CRM audit/№1"), "ods", date(2025, 2, 26)) == "crm-audit-1-2025-02-26.ods"
    assert set(CONTENT_TYPES) == {"xlsx", "ods", "docx"}
    assert CONTENT_TYPES["docx"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    for fmt in CONTENT_TYPES:
        out = BytesIO()
        render(table, fmt, out)
        assert zipfile.is_zipfile(BytesIO(out.getvalue()))
    with pytest.raises(ValueError):
        render(table, "pdf", BytesIO())
    with pytest.raises(ValueError):
        filename(table, "csv", date(2025, 2, 26))


class OnePass:
    """Rows that can be read once and have no length: what a streaming register hands over."""

    def __init__(self, count: int):
        self.count, self.passes, self.given = count, 0, 0

    def __iter__(self):
        self.passes += 1
        assert self.passes == 1, "the rows were read twice"
        for number in range(self.count):
            self.given += 1
            yield Row((number, f"Обращение № {number}"))


@pytest.mark.parametrize("writer", [render_xlsx, render_ods])
def test_a_register_streams_its_rows_in_one_pass(writer):
    """Speed and memory at volume are measured by `make bench`; here: one pass, no len(), every row written."""
    rows = OnePass(5_000)
    table = Table(slug="register", title="Реестр обращений",
                  columns=[Column("number", "№", INT), Column("subject", "Тема", TEXT)],
                  rows=rows, meta=[("Дата выгрузки", "26.02.2025")])
    out = BytesIO()
    writer(table, out)

    assert (rows.passes, rows.given) == (1, 5_000)
    xlsx = writer is render_xlsx
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml" if xlsx else "content.xml").decode()
    # title, meta, header (and the empty row between them, which xlsx does not store)
    assert xml.count("<row " if xlsx else "<table:table-row ") == 5_000 + (3 if xlsx else 4)
    assert ("<v>4999</v>" if xlsx else 'office:value="4999"') in xml


def _peak_memory(writer, count: int) -> int:
    """The peak of Python memory (bytes) while `writer` writes a register of `count` rows to a file."""
    rows = (Row((number, f"Обращение № {number} о подключении к сетям " * (1 + number % 3), date(2025, 2, 26),
                 None, "Решено")) for number in range(count))
    table = Table(slug="register", title="Реестр обращений",
                  columns=[Column("number", "№", INT), Column("subject", "Тема", TEXT),
                           Column("received", "Дата", DATE), Column("rating", "Оценка", RATING),
                           Column("status", "Статус", TEXT)],
                  rows=rows, meta=[("Дата выгрузки", "26.02.2025")])
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        try:
            writer(table, out)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


@pytest.mark.parametrize("writer", [render_xlsx, partial(_render_xlsx, direct=False), render_ods],
                         ids=["xlsx", "xlsx-through-xlsxwriter-calls", "ods"])
def test_a_register_keeps_nothing_per_row_written(writer):
    """Memory flat in rows: five times the rows, the same peak (XlsxWriter kept each row's height — some 350 bytes
    a row, 35 MB over 100 000 — until render_xlsx dropped it; 12 000 more rows added 3.3 MB)."""
    small, large = _peak_memory(writer, 3_000), _peak_memory(writer, 15_000)
    assert large - small < 512 * 1024, f"{small / 2**20:.1f} MB → {large / 2**20:.1f} MB"


def _sheet_parts(direct: bool, table: Table) -> dict[str, bytes]:
    out = BytesIO()
    _render_xlsx(table, out, direct=direct)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.startswith("xl/")}


def test_the_xlsx_rows_written_directly_are_what_xlsxwriter_writes(monkeypatch):
    """render_xlsx writes the data rows' XML itself (the register's speed); XlsxWriter's own calls must give the
    very same bytes, cell types, styles and row heights included — whatever XlsxWriter version is installed."""
    monkeypatch.setattr(render_module, "exported_line", lambda: "Выгружено 26.02.2025 14:30")
    odd = [
        "  leading and trailing  ", "tab\tinside", "line\r\nbreaks\rand\nmore", f"nbsp{NBSP}", "Бип\x07",
        "_x0041_ is Excel's escape", "a & b < c > d \"quoted\"", "", "=SUM(A1)", "—", "\u2009thin space",
        "Нарушен срок выдачи технических условий на подключение к сетям газоснабжения " * 4,
        "x" * 20_000,  # longer than the direct writer takes: that row goes through XlsxWriter
    ]
    rows = [*ROWS, *(Row((text, index, None, True, float("nan"), Decimal("-0.5"), date(1900, 2, 28) if index == 1
                          else datetime(2025, 2, 26, 23, 59, 59), datetime(1900, 1, 1, 12) if index == 2
                          else datetime(2024, 3, 31, 22, 0, tzinfo=UTC)), level=index % 4)
                     for index, text in enumerate(odd))]
    table = report(rows=rows)

    direct, through_xlsxwriter = _sheet_parts(True, table), _sheet_parts(False, table)

    assert direct.keys() == through_xlsxwriter.keys()
    for name in direct:
        assert direct[name] == through_xlsxwriter[name], name
    assert b'<c r="A14" s="' in direct["xl/worksheets/sheet1.xml"]  # the rows are there


def test_text_that_looks_like_a_rich_string_stays_text():
    """XlsxWriter writes a text «<r>…</r>» as raw XML (its rich-string marker): a subject typed so would break the
    file. The data rows are text like any other."""
    table = report(columns=COLUMNS[:1], rows=[Row(("<r>a & b</r>",)), Row(("<r><t>x</t></r>",))], total=None)
    sheet = load_workbook(rendered(render_xlsx, table)).active
    assert [sheet["A6"].value, sheet["A7"].value] == ["<r>a & b</r>", "<r><t>x</t></r>"]
