"""Renderers: a Table (core.reports.table) as an xlsx, ods or docx file written to a binary stream.

Every writer iterates `table.rows` exactly once and never asks its length, so a register may hand over a
generator of a million rows: xlsx (XlsxWriter's constant_memory mode, docs/adr/0004-xlsx-writer.md) and ods (our
own streaming writer, docs/adr/0002-ods-writer.md) keep memory flat whatever the number of rows; docx builds the
document in memory and is meant for reports, not for huge registers.

Both spreadsheets print the same way: A4 landscape scaled to the page's width only, the header row repeated on
every page, the region's letterhead «ОТЧЁТ · ЗЕЛЁНЫЙ КОРИДОР · <регион> · <контакты>» (core/region.py) at the top
of every page and a footer «Выгружено 26.02.2025 14:30 … Страница N из M»; the header has filter buttons, wraps
and is bold; columns are as wide as their content (`measured`), long text wraps in its cell. The docx has the same
letterhead and footer.

Cells keep their real types: numbers are numbers and dates are dates in both spreadsheets; text is always
written as a text cell, so a value such as «=SUM(A1)», «+7 999» or «@cmd» can never become a formula.

Percent columns hold a number from 0 to 100 and keep that very number in every format: the spreadsheets store
12.5 with the display format `0.0"%"` (not the fraction 0.125 of a spreadsheet percentage), so a formula over the
exported column gives the same result in xlsx and ods.

Aware datetimes are shown on the Moscow calendar (settings.TIME_ZONE): spreadsheets have no time zones.
Renderers never touch the database.
"""

import contextlib
import itertools
import math
import os
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext

from core.formatting import format_decimal, format_money, format_percent
from core.region import current_region
from core.reports.table import DATE, DECIMAL, INT, MONEY, PERCENT, RATING, TEXT, Column, Row, Table, Value

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

NBSP = "\u00a0"
WIDE = 6  # more columns than this: the page is landscape
MAX_LEVEL = 8  # deeper tree levels are indented as this one
MIN_WIDTH = 6  # characters: the narrowest column
TEXT_WIDTH_CAP = 40  # characters: longer text wraps in its cell
TEXT_FLOOR = 16  # characters: a text column is never made narrower than this to fit the page (nor its content)
PAGE_BUDGET = 200  # characters across an A4 landscape page fitted to its width (about 75 % of full size)
DOCX_TABLE_PT, DOCX_MIN_PT = 9, 6  # a Word report's table type, and the smallest it gets to fit a wide table
WIDE_DOCX = 8  # more columns than this: the table starts at 8 pt, so its text columns keep a readable width
DOCX_LETTER_EM = 0.64  # a bold Cyrillic letter of Arial (core.documents.layout.FONT), in ems (measured: 0.59–0.63)
DOCX_CELL_MARGIN = 57  # twips (0.1 cm) each side of a cell's text: under the two characters allowed for it at 6 pt
XLSX_LINE_POINTS = 13  # the height of one line of 10 pt text
XLSX_CHARACTERS_PER_UNIT = 1.15  # 10 pt characters per unit of column width (the width of an 11 pt «0»)
XLSX_INDENT_CHARACTERS = 2.5  # characters one indent level takes from a cell's text (LibreOffice: 10 pt a level)
SAMPLE_ROWS = 500  # rows of a streamed register read ahead to measure the columns
XLSX_MAX_ROWS = 1_048_576
SHEET_TITLE_MAX = 31
XLSX_HEADER_MAX = 240  # Excel refuses a page header longer than 255 characters with its codes

# Characters XML 1.0 (and so xlsx, ods and docx) cannot hold: dropped from text. Tab, LF and CR stay.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")

# Cell types after normalisation
EMPTY, TEXT_CELL, NUMBER, DAY, MOMENT = "empty", "text", "number", "date", "datetime"

# Decimal places and thousands grouping of each numeric kind, shared by the three formats.
_NUMBER_SHAPE = {  # kind: (decimal places, grouping)
    INT: (0, True),
    DECIMAL: (1, True),  # averages of scores and of days (core.reports): one decimal, as they are rounded
    MONEY: (2, True),
    RATING: (2, False),
    PERCENT: (1, False),
}
XLSX_FORMATS = {
    INT: "#,##0",
    DECIMAL: "#,##0.0",
    MONEY: "#,##0.00",
    RATING: "0.00",
    PERCENT: '0.0"%"',
    DAY: "DD.MM.YYYY",
    MOMENT: "DD.MM.YYYY HH:MM",
}


# ---------------------------------------------------------------------------------------------------------------
# Shared helpers


def clean_text(value: str) -> str:
    """The text without the control characters no office format can store."""
    return _NOT_XML.sub("", value)


def _local(value: datetime) -> datetime:
    """A naive datetime on the Moscow clock, to the second."""
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.replace(tzinfo=None, microsecond=0)


def typed(value: Value, kind: str) -> tuple[str, object]:
    """(cell type, value) of one value of a column of `kind`: what a spreadsheet stores.

    The value's Python type decides the cell type (a str in a numeric column stays text, e.g. «—»); the column's
    kind decides the display. A datetime in a date column is shown as its Moscow date.
    """
    cls = type(value)
    if cls is str:
        return TEXT_CELL, clean_text(value)
    if value is None:
        return EMPTY, None
    if cls is int:
        return NUMBER, value
    if cls is float or cls is Decimal:
        return (NUMBER, value) if math.isfinite(value) else (EMPTY, None)
    if isinstance(value, datetime):
        moment = _local(value)
        return (DAY, moment.date()) if kind == DATE else (MOMENT, moment)
    if isinstance(value, date):
        return DAY, value
    if isinstance(value, int):  # bool, IntEnum
        return NUMBER, int(value)
    if isinstance(value, float):
        return typed(float(value), kind)
    if isinstance(value, Decimal):
        return typed(Decimal(value), kind)
    return TEXT_CELL, clean_text(str(value))


def format_number(value: int | float | Decimal, kind: str) -> str:
    """A number of a column of `kind` as text (core.formatting): «1 500 000», «4,25», «12,5 %»; money with kopecks
    only when there are any (non-breaking spaces, so a number never wraps)."""
    if kind == MONEY:
        return format_money(value, currency=False)
    if kind == PERCENT:
        return format_percent(value, 1)
    shape = _NUMBER_SHAPE.get(kind)
    if shape is None:  # a number in a text or date column: as it is, with a decimal comma
        return str(value).replace(".", ",")
    places, grouping = shape
    return format_decimal(value, places, grouping=grouping)


def _sheet_number(value: int | float | Decimal, kind: str) -> str:
    """What a spreadsheet shows for the cell format of `kind`: money always with two decimals."""
    return format_decimal(value, 2) if kind == MONEY else format_number(value, kind)


def format_value(value: Value, kind: str) -> str:
    """What a reader sees in the cell: the docx text and the ods cell's cached display."""
    return _display(*typed(value, kind), kind)


def _display(cell_type: str, shown: object, kind: str, *, sheet: bool = False) -> str:
    if cell_type == TEXT_CELL:
        return shown
    if cell_type == NUMBER:
        return _sheet_number(shown, kind) if sheet else format_number(shown, kind)
    if cell_type == DAY:
        return f"{shown:%d.%m.%Y}"
    if cell_type == MOMENT:
        return f"{shown:%d.%m.%Y %H:%M}"
    return ""


def letterhead() -> str:
    """The page header of every report and register file: the installation's region pack (settings, not the
    database)."""
    return current_region().report_letterhead()


def exported_line() -> str:
    """The footer's «Выгружено 26.02.2025 14:30» (Moscow time): when the file was written."""
    moment = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    return gettext("Выгружено %(moment)s") % {"moment": f"{moment:%d.%m.%Y %H:%M}"}


PAGE_OF = "Страница {page} из {pages}"  # the footer's page number; each format fills in its own fields


def _text_width(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _header_width(label: str) -> int:
    """Wide enough for the label's longest word (a header never breaks a word) and to fit in three lines."""
    words = label.split() or [""]
    return max(max(len(word) for word in words) + 2, math.ceil(len(label) / 3) + 2, MIN_WIDTH)


def measured(table: Table, budget: float = PAGE_BUDGET) -> tuple[Iterable[Row], list[float]]:
    """The table's rows (still to be read once) and each column's width in characters, by content.

    A register streams its rows, so only the first SAMPLE_ROWS are read ahead and measured; the rows returned
    start with them. A column is as wide as its header's longest word and its widest value, text capped at
    TEXT_WIDTH_CAP (longer text wraps). When the columns together are wider than PAGE_BUDGET, the text columns
    give up width (never below their header's longest word), so a page fitted to its width keeps a readable size.
    A Word table is not fitted to the page: its `budget` is what its type size holds across the page.
    """
    rows: Iterable[Row] = table.rows
    if isinstance(rows, Collection):
        sample = list(rows)
    else:
        iterator = iter(rows)
        sample = list(itertools.islice(iterator, SAMPLE_ROWS))
        rows = itertools.chain(sample, iterator)
    floors = [_header_width(column.label) for column in table.columns]
    widths = [float(floor) for floor in floors]
    for row in [*sample, *([table.total] if table.total is not None else [])]:
        if len(row.values) != len(table.columns):
            continue  # the writer reports the broken row when it gets there
        for index, (column, value) in enumerate(zip(table.columns, row.values, strict=True)):
            text = _display(*typed(value, column.kind), column.kind, sheet=True)
            width = _text_width(text) + 2 + (2 * _level(row) if index == 0 else 0)
            if column.kind == TEXT or typed(value, column.kind)[0] == TEXT_CELL:
                width = min(width, TEXT_WIDTH_CAP)
            widths[index] = max(widths[index], width)
    # text may give up width down to TEXT_FLOOR (a typical long word) or its header's longest word
    floors = [max(floor, min(width, TEXT_FLOOR)) for floor, width in zip(floors, widths, strict=True)]
    return rows, _fit_page(widths, floors, table.columns, budget)


def _fit_page(widths: list[float], floors: list[int], columns: list[Column], budget: float) -> list[float]:
    excess = sum(widths) - budget
    give = [width - floor if column.kind == TEXT else 0
            for width, floor, column in zip(widths, floors, columns, strict=True)]
    if excess <= 0 or not sum(give):
        return widths
    share = min(1.0, excess / sum(give))
    return [round(width - spare * share, 1) for width, spare in zip(widths, give, strict=True)]


def _meta_line(label: str, value: str) -> str:
    return clean_text(f"{label}: {value}" if label else str(value))


def sheet_title(table: Table) -> str:
    """The table's title as a sheet name: at most 31 characters, none of []:*?/\\, not quoted."""
    title = _NOT_IN_SHEET_TITLE.sub("", clean_text(table.title)).replace("\n", " ").replace("\r", " ")
    title = title.replace("\t", " ").strip().strip("'")[:SHEET_TITLE_MAX].strip().strip("'")
    return title or _ascii_slug(table.slug)[:SHEET_TITLE_MAX]


def _ascii_slug(slug: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "report"


def filename(table: Table, fmt: str, today: date) -> str:
    """`appeals-by-type-2025-02-26.xlsx`: ASCII, from the slug and the export date."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown report format: {fmt!r}")
    return f"{_ascii_slug(table.slug)}-{today:%Y-%m-%d}.{fmt}"


def header_row_number(table: Table) -> int:
    """The 1-based row of the column headers in a spreadsheet: after the title, the meta lines and an empty row."""
    return 1 + len(table.meta) + 2


def _cells(table: Table, row: Row) -> Iterator[tuple[Column, Value]]:
    """The row's values beside their columns; a row of another length is a bug of the report."""
    return zip(table.columns, row.values, strict=True)


def _level(row: Row) -> int:
    return max(0, min(row.level, MAX_LEVEL))


def render(table: Table, fmt: str, out: BinaryIO) -> None:
    renderers = {"xlsx": render_xlsx, "ods": render_ods, "docx": render_docx}
    if fmt not in renderers:
        raise ValueError(f"unknown report format: {fmt!r}")
    renderers[fmt](table, out)


# ---------------------------------------------------------------------------------------------------------------
# xlsx: XlsxWriter in constant_memory mode (docs/adr/0004-xlsx-writer.md): each row goes to a temporary file as
# soon as the next one starts, so memory stays flat whatever the number of rows.


def render_xlsx(table: Table, out: BinaryIO) -> None:
    _render_xlsx(table, out, direct=True)


def _render_xlsx(table: Table, out: BinaryIO, *, direct: bool) -> None:
    """`direct`: the data rows as XML of our own (_xlsx_cells), written into XlsxWriter's row file, rather than
    through its write_* calls — the same bytes (tests/core/test_report_render.py compares both) in well under half
    the time: XlsxWriter's generic cell writer was two thirds of a register's export. Everything else — the
    workbook, styles, print setup, autofilter, the title, header and total rows — is XlsxWriter's own."""
    import xlsxwriter

    rows, widths = measured(table)
    workbook = xlsxwriter.Workbook(out, {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False,
    })
    workbook.set_properties({"title": clean_text(table.title)[:255]})
    sheet = workbook.add_worksheet(sheet_title(table))
    header_row = header_row_number(table) - 1  # XlsxWriter counts from 0
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # the page's width only: as many pages down as the rows need
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    sheet.set_header(f"&L&8{_xlsx_header_text(letterhead()[:XLSX_HEADER_MAX])}", {"margin": 0.3})
    sheet.set_footer(f"&L&9{_xlsx_header_text(exported_line())}&R&9{_xlsx_header_text(PAGE_OF)}"
                     .replace("{page}", "&P").replace("{pages}", "&N"), {"margin": 0.3})

    formats: dict[tuple, object] = {}
    base = {"font_size": 10, "valign": "top"}
    boxed = {**base, "border": 1, "border_color": "#808080"}

    def cell_format(role: str, number_format: str = "", bold: bool = False, indent: int = 0, wrap: bool = False):
        key = (role, number_format, bold, indent, wrap)
        if key not in formats:
            properties = {
                "title": {"bold": True, "font_size": 14},
                "meta": base,
                "note": {**base, "italic": True, "text_wrap": True},
                "header": {**boxed, "bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                           "bg_color": "#E2EFDA"},
            }.get(role, {**boxed, "bold": bold, "text_wrap": wrap,
                         **({"indent": indent, "align": "left"} if indent else {}),  # readers indent left-aligned text
                         **({"num_format": number_format} if number_format else {})})
            formats[key] = workbook.add_format(properties)
        return formats[key]

    kinds = [column.kind for column in table.columns]
    number_formats = [XLSX_FORMATS.get(kind, "") for kind in kinds]
    # Each character capacity of a column once, not per row: what _row_height compares a text's length with.
    capacities = [width * XLSX_CHARACTERS_PER_UNIT for width in widths]
    plain_formats = _cell_formats(cell_format, number_formats, bold=False, level=0)  # every register row's
    written = 0

    def next_row() -> int:
        nonlocal written
        written += 1
        if written > XLSX_MAX_ROWS:
            raise ValueError(f"an xlsx sheet holds at most {XLSX_MAX_ROWS} rows")
        return written - 1

    write_string, write_number, write_blank, write_datetime = (
        sheet.write_string, sheet.write_number, sheet.write_blank, sheet.write_datetime)
    level_formats = {0: plain_formats}
    xf_indexes: dict[object, str] = {}
    letters = [_column_letters(index + 1) for index in range(len(kinds))]

    def xf_index(cell_format) -> str:
        # XlsxWriter numbers a format when a cell first uses it: asked in the order its own writer would ask.
        if cell_format not in xf_indexes:
            xf_indexes[cell_format] = str(cell_format._get_xf_index())
        return xf_indexes[cell_format]

    def level_capacities(level: int) -> list[float]:
        """The columns' capacities for a row of `level`: its first cell's indent takes characters from the text."""
        if not level:
            return capacities
        return [max(capacities[0] - XLSX_INDENT_CHARACTERS * level, 1), *capacities[1:]]

    def api_cells(number: int, values, formats, level: int = 0) -> None:
        sheet.set_row(number, _heights(values, level_capacities(level)))
        # The common types first, as typed() would decide them (the same cells, without its dispatch per value).
        for index, value in enumerate(values):
            cls = type(value)
            if cls is str:
                # never a formula (a leading «=») nor an error code («#N/A»); long text wraps
                write_string(number, index, _sheet_text(value), formats[index][TEXT_CELL])
            elif value is None:
                write_blank(number, index, None, formats[index][EMPTY])
            elif cls is int:
                write_number(number, index, value, formats[index][NUMBER])
            elif cls is date:
                write_datetime(number, index, value, formats[index][DAY])
            else:
                cell_type, shown = typed(value, kinds[index])
                if cell_type == TEXT_CELL:
                    write_string(number, index, _line_breaks(shown), formats[index][TEXT_CELL])
                elif cell_type == NUMBER:
                    write_number(number, index, shown, formats[index][NUMBER])
                elif cell_type == EMPTY:
                    write_blank(number, index, None, formats[index][EMPTY])
                else:
                    write_datetime(number, index, shown, formats[index][cell_type])
        _forget_written_rows(sheet, number)

    def data_row(row: Row, bold: bool) -> None:
        values = row.values
        if len(values) != len(kinds):
            raise ValueError(f"a row of {len(values)} values in a table of {len(kinds)} columns")
        number, level = next_row(), _level(row)
        if bold:
            formats = _cell_formats(cell_format, number_formats, bold, level)
        elif level not in level_formats:
            formats = level_formats[level] = _cell_formats(cell_format, number_formats, bold, level)
        else:
            formats = level_formats[level]
        if bold or not direct:
            api_cells(number, values, formats, level)
            return
        sheet._write_single_row(number)  # the row before this one (the header, or one of api_cells) goes out first
        cells = _xlsx_cells(number, values, kinds, formats, letters, xf_index)
        if cells is None:  # a value only XlsxWriter's own writer handles
            api_cells(number, values, formats, level)
            return
        sheet._check_dimensions(number, len(kinds) - 1)  # the sheet's used range, as each cell's write would
        pixels = int(_heights(values, level_capacities(level)) * 4.0 / 3.0 + 0.5)  # XlsxWriter's set_row
        height = (f' ht="{pixels * 0.75:.16g}" customHeight="1"'
                  if pixels != sheet.original_row_height or pixels != sheet.default_row_height else "")
        sheet.fh.write(f'<row r="{number + 1}"{height}>{cells}</row>')

    try:
        sheet.write_string(next_row(), 0, clean_text(table.title), cell_format("title"))
        for label, value in table.meta:
            sheet.write_string(next_row(), 0, _meta_line(label, value), cell_format("meta"))
        next_row()
        header = next_row()
        sheet.set_row(header, _row_height([column.label for column in table.columns], widths, bold=True))
        for index, column in enumerate(table.columns):
            sheet.write_string(header, index, clean_text(column.label), cell_format("header"))
        for row in rows:
            data_row(row, bold=False)
        sheet.autofilter(header, 0, written - 1, len(table.columns) - 1)
        if table.total is not None:
            data_row(table.total, bold=True)
        if table.note:
            next_row()
            # the note wraps within the table's width: one long line ran past the printed page and was cut off
            note, number, last = clean_text(table.note), next_row(), len(table.columns) - 1
            sheet.set_row(number, _row_height([note], [sum(widths)]))
            if last:
                sheet.merge_range(number, 0, number, last, note, cell_format("note"))
            else:
                sheet.write_string(number, 0, note, cell_format("note"))
    except BaseException:
        _discard_constant_memory_sheet(sheet)
        raise
    workbook.close()


def _row_height(values, widths: list[float], *, bold: bool = False) -> float:
    """Points for the row's tallest wrapped text: xlsx readers do not grow a row by themselves."""
    return _heights(values, [width * (1.05 if bold else XLSX_CHARACTERS_PER_UNIT) for width in widths])


def _heights(values, capacities: list[float]) -> float:
    """_row_height with each column's capacity in characters already worked out (the data rows' inner loop)."""
    lines = 1
    for value, characters in zip(values, capacities, strict=True):
        if type(value) is str and (len(value) > characters or "\n" in value or "\r" in value):
            lines = max(lines, _wrapped_lines(value, characters))  # a short value fits: skip the count
    return XLSX_LINE_POINTS * lines + 2


def _cell_formats(cell_format, number_formats: list[str], bold: bool, level: int) -> list[dict[str, object]]:
    """Each column's format for each cell type of a data row (the first column indented by the row's level)."""
    return [
        {TEXT_CELL: cell_format("data", "", bold, indent, wrap=True),
         NUMBER: cell_format("data", number_format, bold, indent),
         EMPTY: cell_format("data", "", bold, indent),
         DAY: cell_format("data", XLSX_FORMATS[DAY], bold, indent),
         MOMENT: cell_format("data", XLSX_FORMATS[MOMENT], bold, indent)}
        for indent, number_format in zip([level] + [0] * (len(number_formats) - 1), number_formats, strict=True)
    ]


_EXCEL_EPOCH = datetime(1899, 12, 31)
_EXCEL_LEAP_BUG = date(1900, 3, 1)  # Excel counts a 29 February 1900: one day more from here on (as XlsxWriter)
_EXCEL_LEAP_BUG_MOMENT = datetime(1900, 3, 1)
_XLSX_STRING_MAX = 32767 // 2  # longer text may exceed Excel's limit: XlsxWriter's writer truncates it
_XLSX_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")  # «_x0041_» is Excel's escape: a literal one is escaped in turn
_LEADING_OR_TRAILING_SPACE = re.compile(r"^\s|\s$")


def _xlsx_cells(number: int, values, kinds: list[str], formats, letters: list[str], xf_index) -> str | None:
    """The <c> elements of a data row exactly as XlsxWriter's constant_memory writer writes them (inline strings,
    numbers, Excel serial dates, styled blanks), or None for a row with a value it would change (text too long for
    a cell, a date before March 1900): that row goes through XlsxWriter itself."""
    row = str(number + 1)
    cells = []
    append = cells.append
    for index, value in enumerate(values):
        cls = type(value)
        if cls is str:
            cell_type = TEXT_CELL
        elif value is None:
            cell_type = EMPTY
        elif cls is int:
            cell_type = NUMBER
        elif cls is date:
            cell_type = DAY
        else:
            cell_type, value = typed(value, kinds[index])
            if cell_type == TEXT_CELL:
                value = _line_breaks(value)
        reference = letters[index] + row
        style = xf_index(formats[index][cell_type])
        if cell_type == TEXT_CELL:
            if value.isprintable():  # almost every value: nothing to clean, no line break, at most a plain space
                preserve = value[:1] == " " or value[-1:] == " "
            else:
                value = _sheet_text(value)
                preserve = _LEADING_OR_TRAILING_SPACE.search(value) is not None
            if len(value) > _XLSX_STRING_MAX:
                return None
            if "_x" in value:
                value = _XLSX_ESCAPE.sub(r"_x005F\1", value)
            if "&" in value or "<" in value or ">" in value:
                value = escape(value)
            space = ' xml:space="preserve"' if preserve else ""
            append(f'<c r="{reference}" s="{style}" t="inlineStr"><is><t{space}>{value}</t></is></c>')
        elif cell_type == EMPTY:
            append(f'<c r="{reference}" s="{style}"/>')
        elif cell_type == NUMBER:
            append(f'<c r="{reference}" s="{style}"><v>{value:.16G}</v></c>')
        else:  # a date or a naive Moscow datetime: days since 1899-12-31, the time as a fraction of a day
            if value < (_EXCEL_LEAP_BUG if cell_type == DAY else _EXCEL_LEAP_BUG_MOMENT):
                return None
            if cell_type == DAY:
                serial = value.toordinal() - _EXCEL_EPOCH.toordinal() + 1
            else:
                delta = value - _EXCEL_EPOCH
                serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400 + 1
            append(f'<c r="{reference}" s="{style}"><v>{serial:.16G}</v></c>')
    return "".join(cells)


def _forget_written_rows(sheet, number: int) -> None:
    """Drop what XlsxWriter keeps of the rows it has already written out: in constant_memory mode it writes a row to
    its temporary file as soon as the next one starts, but set_row's height stays in two dicts for the rest of the
    file (row_info, row_sizes: some 350 bytes a row, 35 MB at 100 000 rows). Only images and comments, which a
    report never has, read the sizes of earlier rows."""
    sheet.row_info.pop(number - 1, None)
    sheet.row_sizes.pop(number - 1, None)


def _wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide, breaking between words."""
    width = max(int(width), 1)
    count = 0
    for paragraph in text.splitlines() or [""]:
        used = 0
        count += 1
        for word in paragraph.split():
            needed = len(word) if not used else used + 1 + len(word)
            if needed <= width:
                used = needed
            else:
                count += (len(word) - 1) // width + (1 if used else 0)
                used = len(word) % width or width
    return count


def _line_breaks(text: str) -> str:
    """CR LF and a lone CR as the LF a spreadsheet cell breaks lines with (XlsxWriter would store «_x000D_»)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _sheet_text(value: str) -> str:
    """A text value as an xlsx cell holds it: clean_text and _line_breaks, skipped for printable text (almost all:
    the characters they change — controls, CR, surrogates — are never printable)."""
    return value if value.isprintable() else _line_breaks(clean_text(value))


def _xlsx_header_text(text: str) -> str:
    return text.replace("&", "&&")  # «&» starts a code in a header or footer


def _discard_constant_memory_sheet(sheet) -> None:
    """A failed export must not leave XlsxWriter's temporary row file (as large as the rows written) behind."""
    with contextlib.suppress(Exception):
        sheet.row_data_fh.close()
    if sheet.row_data_filename:
        with contextlib.suppress(OSError):
            os.unlink(sheet.row_data_filename)


# ---------------------------------------------------------------------------------------------------------------
# ods: our own streaming writer (docs/adr/0002-ods-writer.md)

ODS_MIMETYPE = CONTENT_TYPES["ods"]
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'xmlns:ooo="http://openoffice.org/2004/office" '
    'office:version="1.2"'
)
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_CM_PER_CHARACTER = 0.2  # a spreadsheet's character width (Excel's 8.43 characters ≈ 1.69 cm)
_INDENT_CM = 0.35
_BORDER = 'fo:border="0.5pt solid #808080"'
_BOLD = 'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"'
_CHUNK = 1 << 16  # characters of content.xml gathered before one write to the zip stream

# data style name: its XML body (number styles: decimal places, grouping, a literal «%»)
_ODS_DATA_STYLES = {
    "Nint": ("number-style", '<number:number number:decimal-places="0" number:min-integer-digits="1" '
                             'number:grouping="true"/>'),
    "Nmoney": ("number-style", '<number:number number:decimal-places="2" number:min-integer-digits="1" '
                               'number:grouping="true"/>'),
    "Ndecimal": ("number-style", '<number:number number:decimal-places="1" number:min-integer-digits="1" '
                                 'number:grouping="true"/>'),
    "Nrating": ("number-style", '<number:number number:decimal-places="2" number:min-integer-digits="1"/>'),
    "Npercent": ("number-style", '<number:number number:decimal-places="1" number:min-integer-digits="1"/>'
                                 "<number:text>%</number:text>"),
    "Ndate": ("date-style", '<number:day number:style="long"/><number:text>.</number:text>'
                            '<number:month number:style="long"/><number:text>.</number:text>'
                            '<number:year number:style="long"/>'),
    "Ndatetime": ("date-style", '<number:day number:style="long"/><number:text>.</number:text>'
                                '<number:month number:style="long"/><number:text>.</number:text>'
                                '<number:year number:style="long"/><number:text> </number:text>'
                                '<number:hours number:style="long"/><number:text>:</number:text>'
                                '<number:minutes number:style="long"/>'),
}
_ODS_NUMBER_STYLE = {INT: "Nint", DECIMAL: "Ndecimal", MONEY: "Nmoney", RATING: "Nrating", PERCENT: "Npercent"}
_ODS_FORMATS = ("", *_ODS_DATA_STYLES)  # "" = no data style (text, or a number in a text column)


def _ods_data_style(cell_type: str, kind: str) -> str:
    if cell_type == DAY:
        return "Ndate"
    if cell_type == MOMENT:
        return "Ndatetime"
    if cell_type == NUMBER:
        return _ODS_NUMBER_STYLE.get(kind, "")
    return ""


_ODS_FORMAT_NUMBERS = {data_style: number for number, data_style in enumerate(_ODS_FORMATS)}


def _ods_cell_style_name(data_style: str, bold: bool, level: int) -> str:
    return f"c{_ODS_FORMAT_NUMBERS[data_style]}{'b' if bold else ''}{level}"


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


_WHITESPACE = re.compile(r"\t|\r\n|\r|\n| {2,}")


def _ods_paragraph(text: str) -> str:
    """One text:p; tabs, line breaks and runs of spaces are kept as ODF elements (XML would fold them)."""

    def whitespace(match: re.Match) -> str:
        found = match.group()
        if found == "\t":
            return "<text:tab/>"
        if found[0] in "\r\n":
            return "<text:line-break/>"
        return f' <text:s text:c="{len(found) - 1}"/>'

    body = _WHITESPACE.sub(whitespace, escape(text))
    if body.startswith(" "):  # a leading space would be dropped by the reader
        body = "<text:s/>" + body[1:]
    if body.endswith(" "):
        body = body[:-1] + "<text:s/>"
    return f"<text:p>{body}</text:p>"


def _ods_text_cell(text: str, style: str = "") -> str:
    style_attribute = f' table:style-name="{style}"' if style else ""
    return f'<table:table-cell{style_attribute} office:value-type="string">{_ods_paragraph(text)}</table:table-cell>'


def _ods_number_text(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(value) if isinstance(value, float) else str(value)


def _ods_data_cell(value: Value, kind: str, bold: bool, level: int) -> str:
    cell_type, shown = typed(value, kind)
    if cell_type == EMPTY:
        return f'<table:table-cell table:style-name="{_ods_cell_style_name("", bold, level)}"/>'
    style = _ods_cell_style_name(_ods_data_style(cell_type, kind), bold, level)
    if cell_type == TEXT_CELL:
        return _ods_text_cell(shown, style)
    display = f"<text:p>{_display(cell_type, shown, kind, sheet=True)}</text:p>"  # digits, NBSP, «,.:%» only
    if cell_type == NUMBER:
        typed_attributes = f'office:value-type="float" office:value="{_ods_number_text(shown)}"'
    else:
        typed_attributes = f'office:value-type="date" office:date-value="{shown.isoformat()}"'
    return f'<table:table-cell table:style-name="{style}" {typed_attributes}>{display}</table:table-cell>'


def _ods_row(cells: str) -> str:
    return f'<table:table-row table:style-name="ro1">{cells}</table:table-row>'


def _ods_automatic_styles(table: Table, widths: list[float]) -> str:
    parts = ["<office:automatic-styles>"]
    for name, (element, body) in _ODS_DATA_STYLES.items():
        parts.append(f'<number:{element} style:name="{name}" number:language="ru" number:country="RU">'
                     f"{body}</number:{element}>")
    parts.append('<style:style style:name="ta1" style:family="table" style:master-page-name="Default">'
                 '<style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>')
    # every row as tall as its wrapped text: without a row style Calc kept the default height and long rows overlapped
    parts.append('<style:style style:name="ro1" style:family="table-row"><style:table-row-properties '
                 'style:use-optimal-row-height="true" fo:break-before="auto"/></style:style>')
    for index, width in enumerate(widths, 1):
        parts.append(f'<style:style style:name="co{index}" style:family="table-column">'
                     f'<style:table-column-properties fo:break-before="auto" '
                     f'style:column-width="{width * _CM_PER_CHARACTER:.2f}cm"/></style:style>')
    for data_style in _ODS_FORMATS:
        for bold in (False, True):
            for level in range(MAX_LEVEL + 1):
                name = _ods_cell_style_name(data_style, bold, level)
                data = f' style:data-style-name="{data_style}"' if data_style else ""
                wrap = "" if data_style else ' fo:wrap-option="wrap"'  # text: long values wrap in the cell
                # Calc applies a paragraph's left margin in a cell only with a fixed, start alignment
                fixed = ' style:text-align-source="fix"' if level else ""
                parts.append(
                    f'<style:style style:name="{name}" style:family="table-cell" style:parent-style-name="Default"'
                    f'{data}><style:table-cell-properties {_BORDER} style:vertical-align="top"{wrap}{fixed}/>'
                    + ('<style:paragraph-properties fo:text-align="start" '
                       f'fo:margin-left="{level * _INDENT_CM:.2f}cm"/>' if level else "")
                    + (f"<style:text-properties {_BOLD}/>" if bold else "")
                    + "</style:style>")
    parts.append('<style:style style:name="ct" style:family="table-cell" style:parent-style-name="Default">'
                 f'<style:text-properties fo:font-size="14pt" {_BOLD}/></style:style>')
    parts.append('<style:style style:name="ch" style:family="table-cell" style:parent-style-name="Default">'
                 f'<style:table-cell-properties fo:background-color="#e2efda" {_BORDER} fo:wrap-option="wrap" '
                 'style:vertical-align="middle"/><style:paragraph-properties fo:text-align="center"/>'
                 f"<style:text-properties {_BOLD}/></style:style>")
    parts.append('<style:style style:name="cn" style:family="table-cell" style:parent-style-name="Default">'
                 '<style:text-properties fo:font-style="italic"/></style:style>')
    parts.append("</office:automatic-styles>")
    return "".join(parts)


def _ods_content(table: Table) -> Iterator[str]:
    """content.xml piece by piece: the rows are read from the generator as they are written."""
    rows, widths = measured(table)
    name = sheet_title(table)
    yield f"{_XML_DECLARATION}<office:document-content {_NS}>"
    yield _ods_automatic_styles(table, widths)
    yield (f'<office:body><office:spreadsheet><table:table table:name="{_attr(name)}" '
           'table:style-name="ta1">')
    for index in range(1, len(table.columns) + 1):
        yield f'<table:table-column table:style-name="co{index}" table:default-cell-style-name="Default"/>'
    yield _ods_row(_ods_text_cell(clean_text(table.title), "ct"))
    for label, value in table.meta:
        yield _ods_row(_ods_text_cell(_meta_line(label, value)))
    yield _ods_row("<table:table-cell/>")
    # Header rows are repeated on every printed page by LibreOffice.
    yield ("<table:table-header-rows>"
           + _ods_row("".join(_ods_text_cell(clean_text(column.label), "ch") for column in table.columns))
           + "</table:table-header-rows>")

    def data_row(row: Row, bold: bool) -> str:
        level = _level(row)
        return _ods_row("".join(
            _ods_data_cell(value, column.kind, bold, level if index == 0 else 0)
            for index, (column, value) in enumerate(_cells(table, row))))

    header_row = last_row = header_row_number(table)
    for row in rows:
        yield data_row(row, bold=False)
        last_row += 1
    if table.total is not None:
        yield data_row(table.total, bold=True)
    if table.note:
        yield _ods_row("<table:table-cell/>")
        yield _ods_row(_ods_text_cell(clean_text(table.note), "cn"))
    yield "</table:table>"
    yield _ods_autofilter(name, len(table.columns), header_row, last_row)
    yield "</office:spreadsheet></office:body></office:document-content>"


def _column_letters(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ods_autofilter(sheet: str, columns: int, header_row: int, last_row: int) -> str:
    """The filter buttons on the header, over the data rows (not the total)."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    target = f"{quoted}.A{header_row}:{quoted}.{_column_letters(columns)}{last_row}"
    return ('<table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" '
            f'table:target-range-address="{_attr(target)}" table:display-filter-buttons="true"/>'
            "</table:database-ranges>")


def _ods_manifest() -> str:
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{media}"/>'
        for path, media in (("content.xml", "text/xml"), ("styles.xml", "text/xml"), ("meta.xml", "text/xml"),
                            ("settings.xml", "text/xml")))
    return (f'{_XML_DECLARATION}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
            f'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
            f'manifest:media-type="{ODS_MIMETYPE}"/>{entries}</manifest:manifest>')


def _ods_styles(table: Table) -> str:
    """A4 landscape scaled to the page's width only (as many pages down as needed), the footer «Выгружено …» and
    «Страница N из M»."""
    page = PAGE_OF.format(page='<text:page-number>1</text:page-number>',
                          pages='<text:page-count>1</text:page-count>')
    return (
        f"{_XML_DECLARATION}<office:document-styles {_NS}><office:styles>"
        '<style:default-style style:family="table-cell"><style:paragraph-properties style:tab-stop-distance="1.25cm"/>'
        '<style:text-properties fo:language="ru" fo:country="RU"/></style:default-style>'
        '<style:style style:name="Default" style:family="table-cell"/>'
        "</office:styles><office:automatic-styles>"
        '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm" '
        'fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1.5cm" '
        'fo:margin-bottom="1cm" fo:margin-left="1cm" fo:margin-right="1cm" '
        'style:scale-to-X="1" style:scale-to-Y="0"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-bottom="0.3cm"/>'
        "</style:header-style>"
        '<style:footer-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.3cm"/>'
        "</style:footer-style></style:page-layout>"
        "</office:automatic-styles><office:master-styles>"
        '<style:master-page style:name="Default" style:page-layout-name="pm1">'
        f"<style:header><style:region-left><text:p>{escape(clean_text(letterhead()))}</text:p></style:region-left>"
        "</style:header>"
        f"<style:footer><style:region-left><text:p>{escape(exported_line())}</text:p></style:region-left>"
        f"<style:region-right><text:p>{page}</text:p></style:region-right></style:footer>"
        "</style:master-page></office:master-styles></office:document-styles>"
    )


def _ods_meta(table: Table) -> str:
    return (f"{_XML_DECLARATION}<office:document-meta {_NS}><office:meta>"
            f"<meta:generator>zelenyi-koridor</meta:generator><dc:title>{escape(clean_text(table.title))}</dc:title>"
            "</office:meta></office:document-meta>")


def _ods_settings(table: Table, header_row: int) -> str:
    """The rows down to the header frozen, as LibreOffice keeps its view of a sheet."""

    def item(name: str, kind: str, value: object) -> str:
        return f'<config:config-item config:name="{name}" config:type="{kind}">{value}</config:config-item>'

    split = "".join((
        item("HorizontalSplitMode", "short", 0), item("VerticalSplitMode", "short", 2),
        item("HorizontalSplitPosition", "int", 0), item("VerticalSplitPosition", "int", header_row),
        item("ActiveSplitRange", "short", 2), item("PositionLeft", "int", 0), item("PositionRight", "int", 0),
        item("PositionTop", "int", 0), item("PositionBottom", "int", header_row),
    ))
    name = _attr(sheet_title(table))
    return (
        f"{_XML_DECLARATION}<office:document-settings {_NS}><office:settings>"
        '<config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        f'{item("ViewId", "string", "view1")}'
        '<config:config-item-map-named config:name="Tables">'
        f'<config:config-item-map-entry config:name="{name}">{split}</config:config-item-map-entry>'
        "</config:config-item-map-named>"
        f'{item("ActiveTable", "string", name)}'
        "</config:config-item-map-entry></config:config-item-map-indexed>"
        "</config:config-item-set></office:settings></office:document-settings>"
    )


def _zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
    return entry


def render_ods(table: Table, out: BinaryIO) -> None:
    """An OpenDocument spreadsheet; content.xml is streamed into the zip, so memory does not grow with rows.

    A table whose rows are a collection (a report) is small: its content.xml is a plain zip entry. Rows from a
    generator (a register) may make content.xml larger than 2 GiB, so that entry is written as Zip64 (read by
    LibreOffice 7.2 and later).
    """
    header_row = header_row_number(table)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The mimetype first, stored, without extra fields: how an ODF file is recognised. Fixed timestamps: the
        # same table in the same minute (the footer's export time) gives the same bytes.
        archive.writestr(_zip_entry("mimetype"), ODS_MIMETYPE)
        archive.writestr(_zip_entry("META-INF/manifest.xml"), _ods_manifest())
        archive.writestr(_zip_entry("styles.xml"), _ods_styles(table))
        archive.writestr(_zip_entry("meta.xml"), _ods_meta(table))
        archive.writestr(_zip_entry("settings.xml"), _ods_settings(table, header_row))
        big = not isinstance(table.rows, Collection)
        with archive.open(_zip_entry("content.xml"), "w", force_zip64=big) as content:
            pending: list[str] = []
            size = 0
            for piece in _ods_content(table):
                pending.append(piece)
                size += len(piece)
                if size >= _CHUNK:
                    content.write("".join(pending).encode())
                    pending, size = [], 0
            content.write("".join(pending).encode())


# ---------------------------------------------------------------------------------------------------------------
# docx: python-docx (the whole document in memory: for reports, not for huge registers)


def render_docx(table: Table, out: BinaryIO) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from core.documents.layout import page_footer, page_header, use_font

    document = Document()
    use_font(document)
    document.core_properties.title = clean_text(table.title)[:255]
    document.styles["Normal"].font.size = Pt(10)
    section = document.sections[0]
    if len(table.columns) > WIDE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    page_header(section, clean_text(letterhead()))
    page_footer(section)

    document.add_heading(clean_text(table.title), level=1)
    for label, value in table.meta:
        document.add_paragraph(_meta_line(label, value))

    grid = document.add_table(rows=0, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(DOCX_CELL_MARGIN))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.append(margins)
    usable = section.page_width - section.left_margin - section.right_margin
    # the same widths by content as the spreadsheets, as shares of the page: text columns give up width to what 9 pt
    # holds across it; where even their headers' longest words need more, the table's type is smaller (not below
    # 6 pt), so a header never breaks mid-word
    across = usable  # the two characters each column has beyond its widest word hold the cells' margins
    most = DOCX_TABLE_PT if len(table.columns) <= WIDE_DOCX else DOCX_TABLE_PT - 1
    rows, characters = measured(table, across / Pt(most * DOCX_LETTER_EM))
    fitting = across / (sum(characters) * Pt(DOCX_LETTER_EM))
    table_pt = max(DOCX_MIN_PT, min(most, math.floor(fitting * 2) / 2))
    # each column: its characters at that size and the cell's margins; what is left of the page, shared by characters
    needed = [width * Pt(table_pt * DOCX_LETTER_EM) for width in characters]
    # what the page has left goes to the text columns (they gave up width to fit); too wide even at 6 pt: all narrower
    spare, scale = max(0, usable - sum(needed)), min(1.0, usable / sum(needed))
    takers = [width if column.kind == TEXT else 0 for width, column in zip(characters, table.columns, strict=True)]
    if not sum(takers):
        takers = characters
    widths = [int(need * scale + spare * taker / sum(takers)) for need, taker in zip(needed, takers, strict=True)]
    for grid_column, width in zip(grid.columns, widths, strict=True):
        grid_column.width = width

    def row_properties(row, *names: str) -> None:
        properties = row._tr.get_or_add_trPr()
        for name in names:
            element = OxmlElement(name)
            element.set(qn("w:val"), "true")
            properties.append(element)

    header = grid.add_row()
    row_properties(header, "w:cantSplit", "w:tblHeader")  # repeated at the top of every page
    for cell, column, width in zip(header.cells, table.columns, widths, strict=True):
        cell.width = width
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), "E2EFDA")
        cell._tc.get_or_add_tcPr().append(shading)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(clean_text(column.label))
        run.bold, run.font.size = True, Pt(table_pt)

    def add_row(row: Row, bold: bool) -> None:
        cells = grid.add_row().cells
        for index, (cell, (column, value), width) in enumerate(zip(cells, _cells(table, row), widths, strict=True)):
            cell.width = width
            cell_type, shown = typed(value, column.kind)
            text = _display(cell_type, shown, column.kind)
            if not text:
                continue
            paragraph = cell.paragraphs[0]
            if cell_type == NUMBER:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if index == 0 and row.level > 0:
                paragraph.paragraph_format.left_indent = Cm(_INDENT_CM * _level(row))
            # python-docx turns tabs and line breaks into w:tab and w:br
            run = paragraph.add_run(text.replace("\r\n", "\n"))
            run.bold, run.font.size = bold or None, Pt(table_pt)

    for row in rows:
        add_row(row, bold=False)
    if table.total is not None:
        add_row(table.total, bold=True)
    if table.note:
        document.add_paragraph().add_run(clean_text(table.note)).italic = True
    document.save(out)
