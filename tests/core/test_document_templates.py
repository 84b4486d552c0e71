"""«Справка по проекту» and the letter drafts: each kind filled from the built-in template says what the project
page says; the letter to the investor carries no internal line; an uploaded template is filled even where Word
split a placeholder across runs, and a bad upload changes nothing."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from core.choices import DocumentTemplateKind
from core.documents.briefs import HISTORY_EVENTS, default_template, document_filename, project_document_docx
from core.models import DocumentTemplate, Project
from core.services.document_templates import document_template_save
from core.services.projects import project_comment, roadmap_item_save
from core.workflows.projects import project_transition

K = DocumentTemplateKind
INTERNAL = "Инвестор просит ускорить ТУ, проверить полномочия подписанта"
PUBLIC = "Совещание по ТУ перенесено на следующую неделю"


def text_of(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def project(apply_project, manager, file_appeal, investor):
    project = apply_project()
    for name in ("start_review", "accept"):
        project = project_transition(project=Project.objects.get(pk=project.pk), name=name, actor=manager)
    today = timezone.localdate()
    roadmap_item_save(project=project, actor=manager, title="Получение технических условий",
                      planned_start=today, planned_end=today + timedelta(days=30))
    project_comment(project=project, actor=manager, text=INTERNAL, is_public=False)
    project_comment(project=project, actor=manager, text=PUBLIC)
    appeal = file_appeal(project=project, subject="Подключение к газу")
    return Project.objects.get(pk=project.pk), appeal


def docx_upload(document, name="shablon.docx") -> SimpleUploadedFile:
    buffer = BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize("kind", list(K))
def test_each_kind_fills_from_the_built_in_template(project, manager, kind):
    project, appeal = project
    text = text_of(project_document_docx(kind=kind, project=project, user=manager))
    for expected in (project.name, project.get_stage_display(), "Получение технических условий",
                     f"№{appeal.number}" if kind != K.BRIEF else str(appeal.number)):
        assert expected in text, (kind, expected)
    assert "{{" not in text and "}}" not in text
    assert document_filename(kind, project).endswith(".docx")


def test_the_investor_letter_holds_public_history_only(project, manager):
    project, _appeal = project
    brief = text_of(project_document_docx(kind=K.BRIEF, project=project, user=manager))
    letter = text_of(project_document_docx(kind=K.INVESTOR_ANSWER, project=project, user=manager))
    assert INTERNAL in brief and PUBLIC in brief
    assert PUBLIC in letter and INTERNAL not in letter


def test_the_investor_letter_from_an_appeal_names_it(project, manager):
    project, appeal = project
    with_appeal = text_of(project_document_docx(kind=K.INVESTOR_ANSWER, project=project, user=manager,
                                                appeal=appeal))
    without = text_of(project_document_docx(kind=K.INVESTOR_ANSWER, project=project, user=manager))
    assert f"На ваше обращение №{appeal.number}" in with_appeal
    assert "На ваше обращение" not in without  # the paragraph of an empty list goes away


def test_an_uploaded_template_with_split_placeholders_fills_and_repeats_rows(project, manager, coordinator,
                                                                            file_appeal):
    project, appeal = project
    second = file_appeal(project=project, subject="Перевод земельного участка")
    document = Document()
    paragraph = document.add_paragraph()
    for piece, bold in (("Проект: {{ про", True), ("ект.назв", False), ("ание }} — этап ", False),
                        ("{{проект.этап}}", False)):
        paragraph.add_run(piece).bold = bold
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "№", "Тема"
    cell = table.cell(1, 0).paragraphs[0]
    cell.add_run("{{ обращения.")
    cell.add_run("номер }}")
    table.cell(1, 1).text = "{{ Обращения.Тема }}"
    template = document_template_save(kind=K.BRIEF, title="Справка для губернатора", upload=docx_upload(document),
                                      user=coordinator)
    assert template.is_active

    filled = Document(BytesIO(project_document_docx(kind=K.BRIEF, project=project, user=manager)))
    first = filled.paragraphs[0]
    assert first.text == f"Проект: {project.name} — этап {project.get_stage_display()}"
    assert first.runs[0].bold  # the merged run keeps the first run's formatting
    rows = [[cell.text for cell in row.cells] for row in filled.tables[0].rows]
    assert sorted(rows[1:]) == sorted([[str(appeal.number), "Подключение к газу"],
                                       [str(second.number), "Перевод земельного участка"]])
    assert rows[0] == ["№", "Тема"]


@pytest.mark.parametrize(("name", "content", "error"), [
    ("spravka.pdf", b"%PDF-1.4 whatever", "загрузите файл .docx"),
    ("spravka.docx", b"PK\x03\x04 not really a zip", "не похож на DOCX"),
    ("spravka.docx", None, "неизвестные поля: {{ погода }}, {{ проект.бюджет }}"),
])
def test_a_bad_upload_is_refused_and_changes_nothing(project, coordinator, name, content, error):
    if content is None:
        document = Document()
        document.add_paragraph("{{ проект.название }} {{ проект.бюджет }} {{погода}}")
        upload = docx_upload(document, name)
    else:
        upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as refused:
        document_template_save(kind=K.BRIEF, title="Справка", upload=upload, user=coordinator)
    assert error in " ".join(refused.value.messages)
    assert not DocumentTemplate.objects.exists()


def test_an_oversize_upload_is_refused(coordinator, settings):
    settings.UPLOAD_MAX_FILE_MB = 0
    upload = SimpleUploadedFile("spravka.docx", default_template(K.BRIEF))
    with pytest.raises(ValidationError, match="больше"):
        document_template_save(kind=K.BRIEF, title="Справка", upload=upload, user=coordinator)
    assert not DocumentTemplate.objects.exists()


def test_a_row_naming_two_lists_is_refused(coordinator):
    document = Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "{{ меры.название }}", "{{ история.когда }}"
    with pytest.raises(ValidationError, match="разных списков"):
        document_template_save(kind=K.BRIEF, title="Справка", upload=docx_upload(document), user=coordinator)


def test_the_brief_costs_the_same_queries_whatever_the_roadmap_and_history(project, manager,
                                                                             django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project, _appeal = project

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            project_document_docx(kind=K.BRIEF, project=Project.objects.get(pk=project.pk), user=manager)
        return len(queries)

    before = count()
    for number in range(HISTORY_EVENTS + 3):
        roadmap_item_save(project=project, actor=manager, title=f"Пункт {number}",
                          planned_start=date(2026, 1, 1), planned_end=date(2026, 2, 1))
        project_comment(project=project, actor=manager, text=f"Событие {number}")
    assert count() == before
