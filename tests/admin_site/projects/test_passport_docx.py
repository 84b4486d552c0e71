"""«Скачать паспорт (DOCX)» on the project page: a Word file named after the registry number, for whoever sees the
project, and nothing for anyone else."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from docx import Document

from core.documents.project_docx import DOCX_CONTENT_TYPE
from core.services.projects import project_comment
from tests.admin_site.projects.helpers import page_url

LABEL = "Скачать паспорт (DOCX)"


def download_url(project) -> str:
    return reverse("admin:core_project_download_passport", args=[project.pk])


def buttons(response) -> set[str]:
    items = [item for action in response.context["actions_detail"] for item in action.get("items", [action])]
    return {item["title"] for item in items}


@pytest.mark.parametrize("who", ["manager", "director", "commissioner"])
def test_everyone_who_sees_the_project_gets_the_button(request, login, project, who):
    user = request.getfixturevalue(who)
    if who == "commissioner":  # a commissioner sees the district's projects, but moves no stage
        assert project.district == user.organisation.district
    response = login(user).get(page_url(project))
    assert LABEL in buttons(response)
    assert download_url(project) in response.content.decode()


def test_the_passport_downloads_as_docx(login, manager, supported):
    project_comment(project=supported, actor=manager, text="Внутренняя заметка по проекту", is_public=False)
    response = login(manager).get(download_url(supported))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    number = supported.registry_number.removeprefix("ИП-")
    assert response["Content-Disposition"] == f'attachment; filename="pasport-IP-{number}.docx"'
    assert "no-store" in response["Cache-Control"]
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert "Паспорт инвестиционного проекта" in text
    assert supported.registry_number in text
    cells = [c.text for t in Document(BytesIO(response.content)).tables for r in t.rows for c in r.cells]
    assert "Внутренняя заметка по проекту" in cells  # staff read the whole history


def test_someone_who_does_not_see_the_project_gets_404(login, executor, project):
    assert login(executor).get(download_url(project)).status_code == 404


def test_without_the_view_permission_the_download_is_closed(login, manager, project):
    for group in manager.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_project"))
    manager = type(manager).objects.get(pk=manager.pk)
    assert login(manager).get(download_url(project)).status_code == 403


def test_investors_get_no_cabinet_download(login, investor, project):
    response = login(investor).get(download_url(project))
    assert response.status_code in (302, 403)
    assert not response.get("Content-Type", "").startswith(DOCX_CONTENT_TYPE)
