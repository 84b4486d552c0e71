"""The page of every Word document we write (the appeal card, the project passport): A4 portrait, compact
type, tables whose columns are as wide as their content needs, the header row repeated on every page, the region's
letterhead «ЗЕЛЁНЫЙ КОРИДОР · <регион> · <контакты>» (core/region.py) at the top and a footer «Страница N из M».

python-docx's default template is US Letter with 11 pt text, roomy paragraph spacing, 26 pt titles and tables of
equal columns; a typical appeal took four pages that way. Here the body is 10 pt, tables 9 pt, and each table
names its column widths as shares of the text width (narrow dates and names, a wide text column).
"""

import re

from django.utils.translation import gettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core.region import current_region

PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = Cm(2), Cm(1.5), Cm(1.5), Cm(1.5)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
BODY_PT, TABLE_PT = 10, 9
LABEL_VALUE = (0.3, 0.7)  # a two-column table of labels and values
_HEADINGS = {"Title": (16, 0, 4), "Heading 1": (12, 10, 3), "Heading 2": (10.5, 6, 2)}  # size, before, after
FIELDS = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
_DARK = RGBColor(0x1F, 0x2A, 0x24)
_GREY = RGBColor(0x5B, 0x6B, 0x61)


# Arial is in every Word; LibreOffice prints it with Liberation Sans, of the same letter widths (Debian's LibreOffice
# depends on it). python-docx's template leaves the fonts to the theme (Calibri, Cambria), which LibreOffice without
# them replaced with the much wider DejaVu Serif: column headers sized for their longest word broke mid-word.
FONT = "Arial"


def use_font(document) -> None:
    """Every style of the document, and its defaults, in FONT for every script (Cyrillic included), not the
    theme's."""
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        for attribute in [name for name in fonts.attrib if name.lower().endswith("theme")]:
            del fonts.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)


def new_document(title: str):
    document = Document()
    use_font(document)
    document.core_properties.title = title
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.footer_distance = Cm(0.8)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.0
    for name, (size, before, after) in _HEADINGS.items():
        style = document.styles[name]
        style.font.size, style.font.color.rgb = Pt(size), _DARK
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(after)
    document.styles["List Bullet"].paragraph_format.space_after = Pt(1)
    page_header(section, current_region().letterhead())
    page_footer(section)
    return document


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's program fills in."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def page_header(section, text: str) -> None:
    """The letterhead line, left-aligned, small and grey, in the section's header (on every page)."""
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    run.font.size, run.font.color.rgb = Pt(8), _GREY


def page_footer(section) -> None:
    """«Страница N из M», right-aligned, small, in the section's footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.style.font.size = Pt(8)
    for piece in re.split(r"(\{page\}|\{pages\})", gettext("Страница {page} из {pages}")):
        if piece in FIELDS:
            _field(paragraph, FIELDS[piece])
        elif piece:
            paragraph.add_run(piece)


def add_table(document, rows: list[list[str]], *, header: list[str] | None = None,
              shares: tuple[float, ...] | None = None) -> None:
    """A grid with fixed column widths: `shares` of the text width (equal when not given); the header row is
    bold, shaded and repeated at the top of every page."""
    columns = len(rows[0] if rows else header)
    shares = shares or (1 / columns,) * columns
    widths = [int(TEXT_WIDTH * share / sum(shares)) for share in shares]
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for index, values in enumerate([header, *rows] if header else rows):
        row = table.add_row()
        is_header = bool(header) and index == 0
        if is_header:
            _header_row(row)
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(str(value))  # python-docx turns line breaks into w:br
            run.font.size = Pt(TABLE_PT)
            run.bold = is_header or None


def _header_row(row) -> None:
    properties = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader"):  # never split, repeated at the top of every page
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        properties.append(element)
    for cell in row.cells:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), "E2EFDA")
        cell._tc.get_or_add_tcPr().append(shading)
