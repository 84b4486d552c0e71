"""«Справка и письма» on the project page and «Шаблоны документов»: staff who see a project download the brief and
the letter drafts; coordinators upload a template, a bad one is refused in Russian and changes nothing."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from core.documents.briefs import default_template
from core.documents.project_docx import DOCX_CONTENT_TYPE
from core.models import DocumentTemplate
from tests.admin_site.helpers import page_text
from tests.admin_site.projects.helpers import page_url

ADD = reverse("admin:core_documenttemplate_add")
KINDS = {"brief": "Справка по проекту", "letter_authority": "Письмо в ОИВ/ОМСУ",
         "investor_answer": "Ответ инвестору", "vks_invitation": "Приглашение на ВКС"}


def url(project, kind: str) -> str:
    return reverse(f"admin:core_project_download_{kind}", args=[project.pk])


def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_the_project_page_offers_the_brief_and_letters(login, manager, supported):
    response = login(manager).get(page_url(supported))
    items = [item for action in response.context["actions_detail"] for item in action.get("items", [action])]
    assert {item["title"] for item in items} >= set(KINDS.values())
    page = response.content.decode()
    assert all(url(supported, kind) in page for kind in KINDS)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_document_downloads_for_staff_who_see_the_project(login, manager, supported, kind):
    response = login(manager).get(url(supported, kind))
    assert response.status_code == 200 and response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.docx"') and "no-store" in response["Cache-Control"]
    assert supported.name in docx_text(response.content)


def test_someone_who_does_not_see_the_project_gets_404(login, executor, project):
    assert login(executor).get(url(project, "brief")).status_code == 404


def template_form(content: bytes, name: str = "spravka.docx", **changes) -> dict:
    return {"kind": "brief", "title": "Справка для губернатора", "is_active": "on",
            "upload": SimpleUploadedFile(name, content), **changes}


def test_a_coordinator_uploads_a_template_and_the_brief_uses_it(login, coordinator, manager, supported):
    document = Document()
    document.add_paragraph("Для губернатора: {{ проект.название }}, этап {{ проект.этап }}")
    buffer = BytesIO()
    document.save(buffer)
    response = login(coordinator).post(ADD, template_form(buffer.getvalue()), follow=True)
    assert response.status_code == 200
    template = DocumentTemplate.objects.get()
    assert (template.uploaded_by, template.original_name) == (coordinator, "spravka.docx")
    text = docx_text(login(manager).get(url(supported, "brief")).content)
    assert text.startswith(f"Для губернатора: {supported.name}, этап {supported.get_stage_display()}")


@pytest.mark.parametrize(("name", "content", "error"), [
    ("spravka.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old word", "загрузите файл .docx"),
    ("spravka.docx", b"PK\x03\x04broken", "не похож на DOCX"),
    ("spravka.docx", None, "неизвестные поля: {{ проект.цвет }}"),
])
def test_a_bad_template_is_refused_in_russian(login, coordinator, name, content, error):
    if content is None:
        document = Document()
        document.add_paragraph("{{ проект.цвет }}")
        buffer = BytesIO()
        document.save(buffer)
        content = buffer.getvalue()
    response = login(coordinator).post(ADD, template_form(content, name))
    assert response.status_code == 200 and error in page_text(response)
    assert not DocumentTemplate.objects.exists()


def test_an_oversize_template_is_refused(login, coordinator, settings):
    settings.UPLOAD_MAX_FILE_MB = 0
    response = login(coordinator).post(ADD, template_form(default_template("brief")))
    assert response.status_code == 200 and "больше 0 МБ" in page_text(response)
    assert not DocumentTemplate.objects.exists()


def test_the_built_in_template_downloads_with_its_placeholders(login, coordinator):
    response = login(coordinator).get(reverse("admin:core_documenttemplate_built_in_investor_answer"))
    assert response.status_code == 200
    assert "{{ проект.название }}" in docx_text(response.content)


def test_a_manager_does_not_edit_templates(login, manager):
    assert login(manager).get(ADD).status_code == 403


def test_the_appeal_card_of_a_project_appeal_offers_the_investor_letter(login, manager, supported, file_appeal):
    linked = file_appeal(project=supported, subject="Подключение к газу")
    alone = file_appeal(subject="Вопрос без проекта")
    client = login(manager)
    answer = reverse("admin:core_appeal_download_investor_answer", args=[linked.pk])
    assert answer in client.get(reverse("admin:core_appeal_change", args=[linked.pk])).content.decode()
    response = client.get(answer)
    assert response.status_code == 200
    assert f"На ваше обращение №{linked.number} «Подключение к газу»" in docx_text(response.content)
    lonely = reverse("admin:core_appeal_download_investor_answer", args=[alone.pk])
    card = client.get(reverse("admin:core_appeal_change", args=[alone.pk]))
    assert card.status_code == 200 and lonely not in card.content.decode()
    assert client.get(lonely).status_code == 404


def test_switching_a_template_off_brings_back_the_built_in_one(login, coordinator, manager, supported):
    document = Document()
    document.add_paragraph("Своя справка: {{ проект.название }}")
    buffer = BytesIO()
    document.save(buffer)
    client = login(coordinator)
    client.post(ADD, template_form(buffer.getvalue()))
    template = DocumentTemplate.objects.get()
    change = reverse("admin:core_documenttemplate_change", args=[template.pk])
    response = client.post(change, {"kind": "brief", "title": "Справка (старая)"}, follow=True)  # no file, not used
    assert response.status_code == 200
    template.refresh_from_db()
    assert (template.title, template.is_active, template.original_name) == ("Справка (старая)", False, "spravka.docx")
    text = docx_text(login(manager).get(url(supported, "brief")).content)
    assert "Своя справка" not in text and f"Справка по проекту «{supported.name}»" in text
