"""Files ready to print, checked the way a person would: every kind of file we hand out (the appeals register as
xlsx and ods, reports as xlsx and ods, the appeal card and the project passport as DOCX) is built from the demo
data, printed to PDF by LibreOffice in one run, and read back page by page with pdftotext.

A table printed across pages by column loses its header words on some pages, a header broken mid-word («Просроч-
ено») loses a whole word: so every page of a spreadsheet must show every word of every column header. The page
counts say the print is neither one tiny page nor a stack of half-empty ones."""

import math
import re
import subprocess
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document

from core.documents.appeal_docx import appeal_card_docx
from core.documents.briefs import project_document_docx
from core.documents.project_docx import project_passport_docx
from core.models import Appeal, Project
from core.reports.registers import appeal_register
from core.reports.registry import ReportParams, report_build
from core.reports.render import render
from core.selectors.appeals import appeal_card_for
from core.selectors.reports import report_default_user
from tests.tools import require_tool

pytestmark = pytest.mark.django_db

REPORTS = ("staff-workload", "appeals-by-type")
REGISTER_ROWS = 80  # the demo's appeals repeated up to this: a register of several pages, whatever the demo holds


def pages_of(pdf: Path) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    return text.split("\f")[:-1]


def words(page: str) -> set[str]:
    return set(page.split())


def spreadsheet(table, fmt: str, path: Path) -> list[str]:
    out = BytesIO()
    render(table, fmt, out)
    path.write_bytes(out.getvalue())
    return [column.label for column in table.columns]


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_reference", stdout=StringIO())
    call_command("seed_demo", "--no-history", stdout=StringIO())  # the named demo has the fullest appeal card
    return report_default_user()  # the demo director: sees every appeal and project


def test_every_kind_of_file_prints_readably(demo_data, tmp_path):
    require_tool("soffice", "LibreOffice")
    require_tool("pdftotext", "poppler-utils")
    director = demo_data
    files, headers = tmp_path / "files", {}
    files.mkdir()

    appeals = Appeal.objects.order_by("-number")
    for fmt in ("xlsx", "ods"):
        register = appeal_register(appeals)
        rows = list(register.rows)
        rows = (rows * math.ceil(REGISTER_ROWS / len(rows)))[:max(REGISTER_ROWS, len(rows))]
        register.rows = iter(rows)  # streamed, as a real register
        headers[f"register-{fmt}"] = spreadsheet(register, fmt, files / f"register-{fmt}.{fmt}")
        for slug in REPORTS:
            table = report_build(slug, user=director, params=ReportParams())
            headers[f"{slug}-{fmt}"] = spreadsheet(table, fmt, files / f"{slug}-{fmt}.{fmt}")
    # the reports' Word files: the widest (16 columns) and the one with a long text column; not fitted to the page
    # as a spreadsheet is, so their type size and columns must hold every header word whole (Arial, which
    # LibreOffice prints as Liberation Sans; the theme's fonts printed as the wider DejaVu Serif broke them)
    report_docx = {slug: spreadsheet(report_build(slug, user=director, params=ReportParams()), "docx",
                                     files / f"{slug}-docx.docx") for slug in (*REPORTS, "appeals-by-executor")}
    # the appeal with the longest history is the demo's fullest card
    appeal = max(Appeal.objects.prefetch_related("events"), key=lambda item: len(item.events.all()))
    card = appeal_card_docx(card=appeal_card_for(appeal=appeal, user=director))
    (files / "appeal.docx").write_bytes(card)
    # the two fullest passports (the longest roadmap and history) stand for the typical and the worst case
    projects = sorted(Project.objects.prefetch_related("roadmap", "events"),
                      key=lambda item: len(item.roadmap.all()) + len(item.events.all()))[-2:]
    for project in projects:
        (files / f"passport-{project.pk}.docx").write_bytes(project_passport_docx(project=project, user=director))
    # the brief and the investor letter of the fullest project, from the built-in templates (docs/documents.md)
    for kind in ("brief", "investor_answer"):
        (files / f"{kind}.docx").write_bytes(project_document_docx(kind=kind, project=projects[-1], user=director))

    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *sorted(str(path) for path in files.iterdir())],
        check=True, capture_output=True, timeout=300)
    printed = {path.stem: pages_of(path) for path in (tmp_path / "pdf").glob("*.pdf")}

    for name, labels in headers.items():
        pages = printed[name]
        for number, page in enumerate(pages, 1):
            missing = {word for label in labels for word in label.split()} - words(page)
            assert not missing, f"{name}, page {number} of {len(pages)}: no header words {missing}"
            assert f"Страница {number} из {len(pages)}" in page, f"{name}, page {number}: no page footer"
            assert "Выгружено" in page, f"{name}, page {number}: no export time in the footer"
        if name.startswith("register"):
            # A4 landscape fitted to the width only: several pages down, each with a fair number of rows
            assert 2 <= len(pages) <= math.ceil(len(rows) / 6), (name, len(rows), len(pages))
        else:
            assert len(pages) == 1, (name, len(pages))

    for slug, labels in report_docx.items():
        pages = printed[f"{slug}-docx"]
        for number, page in enumerate(pages, 1):
            missing = {word for label in labels for word in label.split()} - words(page)
            assert not missing, f"{slug}.docx, page {number} of {len(pages)}: header words broken or lost {missing}"
            assert f"Страница {number} из {len(pages)}" in page, f"{slug}.docx, page {number}: no page footer"
    assert len(printed["staff-workload-docx"]) == 1  # 16 columns on one landscape page

    assert 1 <= len(printed["appeal"]) <= 2, f"the appeal card takes {len(printed['appeal'])} pages"
    history = Document(BytesIO(card)).tables[2]
    when, _event, who, comment = (column.width for column in history.columns)
    assert comment > 2 * when and comment > 2 * who  # the text column is the wide one

    longest = max(len(printed[f"passport-{project.pk}"]) for project in projects)
    assert longest <= 4, f"a passport takes {longest} pages"
    for project in projects:
        # every table's header words and every date print whole: a narrow column broke «(окончание)» and, in the
        # wider fallback font, «07.12.202|6»
        document = Document(BytesIO((files / f"passport-{project.pk}.docx").read_bytes()))
        printed_text = "\n".join(printed[f"passport-{project.pk}"])
        header_words = {word for table in document.tables for cell in table.rows[0].cells for word in cell.text.split()}
        assert header_words and not header_words - words(printed_text), header_words - words(printed_text)
        cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
        dates = set(re.findall(r"\d\d\.\d\d\.\d{4}", cells))
        assert dates and all(date in printed_text for date in dates), sorted(d for d in dates if d not in printed_text)
    assert all("Страница 1 из" in printed[f"passport-{project.pk}"][0] for project in projects)

    # the brief fits two pages, the letter one; each page carries the letterhead and «Страница N из M»
    for name, most in (("brief", 2), ("investor_answer", 1)):
        pages = printed[name]
        assert 1 <= len(pages) <= most, f"{name} takes {len(pages)} pages"
        for number, page in enumerate(pages, 1):
            assert "ЗЕЛЁНЫЙ КОРИДОР" in page and f"Страница {number} из {len(pages)}" in page, (name, number)
        assert "{{" not in "".join(pages) and projects[-1].registry_number in pages[0]
