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


# --- what each letter says when a list is empty, and which answer, meeting and roadmap items it names --------------
def test_the_investor_letter_quotes_the_last_sent_answer_else_the_draft_else_a_line_to_fill(project, manager):
    from core.models import Appeal, AppealAnswer

    project, appeal = project

    def letter() -> str:
        return text_of(project_document_docx(kind=K.INVESTOR_ANSWER, project=project, user=manager,
                                             appeal=Appeal.objects.get(pk=appeal.pk)))

    nothing_yet = letter()
    assert "«Подключение к газу» сообщаем следующее:\n____" in nothing_yet and "(впишите ответ)" in nothing_yet
    Appeal.objects.filter(pk=appeal.pk).update(answer_text="Технические условия будут выданы до 1 марта.")
    assert "сообщаем следующее:\nТехнические условия будут выданы до 1 марта." in letter()
    AppealAnswer.objects.create(appeal=appeal, number=1, text="Газораспределительная организация выдала ТУ.",
                                approved_at=timezone.now())
    sent = letter()
    assert "сообщаем следующее:\nГазораспределительная организация выдала ТУ." in sent
    assert "будут выданы до 1 марта" not in sent and "(впишите ответ)" not in sent


def test_the_letter_to_an_authority_reads_well_without_open_appeals(apply_project, manager, file_appeal):
    project = apply_project(name="Склад «Северный»")
    investor = project.investor
    text = text_of(project_document_docx(kind=K.LETTER_AUTHORITY, project=project, user=manager))
    assert f"; инвестор — {investor.short_name}, ИНН" in text and f"инвестора {investor.full_name}" not in text
    assert "Просим оказать содействие в реализации проекта на этапе" in text
    assert "по вопросам инвестора" not in text and "Обращений инвестора в работе: 0" not in text
    appeal = file_appeal(project=project, subject="Перевод участка в другую категорию")
    text = text_of(project_document_docx(kind=K.LETTER_AUTHORITY, project=project, user=manager))
    assert (f"по вопросам инвестора, которые сейчас в работе (обращений: 1):\n№{appeal.number} «Перевод участка "
            "в другую категорию»") in text


def test_the_vks_invitation_names_the_next_video_call_and_open_roadmap_items(project, manager):
    from core.choices import RoadmapStatus
    from core.models import RoadmapItem
    from core.services.projects import meeting_save

    project, _appeal = project
    today = timezone.localdate()
    roadmap_item_save(project=project, actor=manager, title="Межевание участка", planned_start=today,
                      planned_end=today + timedelta(days=5))
    RoadmapItem.objects.filter(title="Межевание участка").update(status=RoadmapStatus.DONE)
    soon = timezone.now() + timedelta(days=2)
    meeting_save(project=project, actor=manager, title="Выездное совещание на площадке", starts_at=soon,
                 format="in_person", place="Площадка проекта")

    def invitation() -> str:
        return text_of(project_document_docx(kind=K.VKS_INVITATION, project=project, user=manager))

    text = invitation()
    assert "Выездное совещание" not in text and "Дата и время: ____" in text and "Подключение: ____" in text
    assert "«Получение технических условий»" in text and "Межевание участка" not in text
    meeting_save(project=project, actor=manager, title="ВКС по техусловиям", starts_at=soon + timedelta(days=1),
                 format="video", link="https://vks.example/room-7")
    text = invitation()
    assert "Тема: ВКС по техусловиям. Подключение: https://vks.example/room-7." in text
    assert "Выездное совещание" not in text and "Дата и время: ____" not in text


def test_the_brief_says_a_list_is_empty_instead_of_an_empty_table(apply_project, manager):
    project = apply_project(name="Склад «Северный»")
    document = Document(BytesIO(project_document_docx(kind=K.BRIEF, project=project, user=manager)))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    for line in ("Мер поддержки по проекту нет.", "Дорожная карта не заполнена.", "Открытых обращений нет."):
        assert line in paragraphs
    assert len(document.tables) == 2  # the passport and the history (the application is a history event)
    assert all(len(table.rows) > 1 for table in document.tables[1:])
    assert "Событий пока нет." not in paragraphs


def test_an_uploaded_template_may_show_a_line_only_when_a_list_is_empty_or_not(project, manager, coordinator):
    project, _appeal = project
    document = Document()
    document.add_paragraph("{{ обращения.есть }}В работе: {{ обращения.количество }}")
    document.add_paragraph("{{ Обращения.Нет }}Обращений нет.")
    document.add_paragraph("{{ меры.нет }}Мер нет.")
    document_template_save(kind=K.BRIEF, title="Справка", upload=docx_upload(document), user=coordinator)
    text = text_of(project_document_docx(kind=K.BRIEF, project=project, user=manager))
    assert text == "В работе: 1\nМер нет."
