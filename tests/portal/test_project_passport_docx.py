"""«Скачать паспорт (файл .docx)» on the project's passport tab: the company's own projects only, and an investor's copy
holds only the public part of the history."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from core.documents.project_docx import DOCX_CONTENT_TYPE
from core.services.projects import project_comment
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


@pytest.fixture
def project(apply_project):
    return apply_project()


def test_the_passport_tab_links_the_download(logged_in, project):
    text = logged_in.get(reverse("portal:project_passport", args=[project.pk])).text

    url = reverse("portal:project_passport_docx", args=[project.pk])
    assert f'href="{url}"' in text
    assert "Скачать паспорт (файл .docx)" in text  # the portal's pages have no bare Latin words
    assert_russian(text)


def test_the_investor_downloads_the_passport_without_internal_notes(logged_in, project, manager):
    project_comment(project=project, actor=manager, text="Проверить полномочия подписанта", is_public=False)
    project_comment(project=project, actor=manager, text="Ждём презентацию проекта")

    response = logged_in.get(reverse("portal:project_passport_docx", args=[project.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    number = project.registry_number.removeprefix("ИП-")
    assert response["Content-Disposition"] == f'attachment; filename="pasport-IP-{number}.docx"'
    text = text_of(response.content)
    for expected in ("Паспорт инвестиционного проекта", project.registry_number, "Логистический комплекс «Южный»",
                     "1\u00a0500\u00a0000\u00a0000\u00a0₽", "Ждём презентацию проекта", manager.email):
        assert expected in text, expected
    assert "Проверить полномочия подписанта" not in text
    assert "(внутреннее)" not in text


def test_another_companys_passport_answers_404(client, other_investor, project):
    client.force_login(other_investor)

    assert client.get(reverse("portal:project_passport_docx", args=[project.pk])).status_code == 404
    assert client.get(reverse("portal:project_passport_docx", args=[project.pk + 1000])).status_code == 404


def test_guests_go_to_the_login_and_staff_to_their_cabinet(client, manager, project):
    url = reverse("portal:project_passport_docx", args=[project.pk])

    assert reverse("portal:login") in client.get(url).url
    client.force_login(manager)
    assert client.get(url).url == reverse("admin:index")
