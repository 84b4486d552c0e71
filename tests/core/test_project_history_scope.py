"""A project's history shows an appeal's events only to those who may see the appeal (issue 10, point 3).

An executor of another body who takes part in the project only through a participant request sees the project,
but not the appeal linked to it: neither the cabinet's «История» tab nor the staff passport DOCX may show that
appeal's events, let alone its internal comment. Whoever sees the appeal keeps seeing them; the investor reads
the public part only, on the portal and in their copy of the passport."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from core.choices import OrganisationKind
from core.roles import Role
from core.services.projects import request_send
from core.workflows.appeals import appeal_transition
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

INTERNAL = "Внутренняя оценка: инвестор затягивает проектную документацию"
PUBLIC = "Запросили у ГКУ «Ленавтодор» схему примыкания, ответ ожидаем на этой неделе"
SUBJECT = "Примыкание к региональной дороге"
REQUEST = "Возможность подключения 2,5 МВт"


@pytest.fixture
def scene(apply_project, manager, make_user, file_appeal):
    """A project with a participant request to the power grid company and an appeal linked to it; the manager
    (the project's personal manager and the appeal's coordinator) left a public and an internal comment."""
    project = apply_project()
    rso = OrganisationFactory(kind=OrganisationKind.RSO, short_name="Электросеть (тест)")
    outsider = make_user(Role.EXECUTOR, organisation=rso, email="rso@test.zk.example")
    request_send(project=project, actor=manager, organisation=rso, subject=REQUEST,
                 text="Просим сообщить о возможности подключения.")
    appeal = file_appeal(subject=SUBJECT, project=project)
    appeal = appeal_transition(appeal=appeal, name="comment", actor=manager, text=PUBLIC, is_public=True)
    appeal = appeal_transition(appeal=appeal, name="comment", actor=manager, text=INTERNAL, is_public=False)
    assert appeal.project == project and appeal.executor_organisation_id != rso.pk
    return {"project": project, "appeal": appeal, "outsider": outsider}


def as_user(client, user):
    client.force_login(user)
    return client


def history_tab(client, project) -> str:
    response = client.get(reverse("admin:core_project_change", args=[project.pk]) + "?tab=history")
    assert response.status_code == 200
    return page_text(response)


def docx_text(response) -> str:
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def staff_passport(client, project) -> str:
    return docx_text(client.get(reverse("admin:core_project_download_passport", args=[project.pk])))


def test_a_participant_who_may_not_open_the_appeal_sees_none_of_its_events(client, scene):
    project, appeal = scene["project"], scene["appeal"]
    client = as_user(client, scene["outsider"])

    # The appeal is closed to them: its card answers «Нет доступа» (403) without its text, its Word file and its
    # comment form answer 404.
    card = client.get(reverse("admin:core_appeal_change", args=[appeal.pk]), follow=True)
    assert card.status_code == 403
    assert "нет к ней доступа" in page_text(card) and SUBJECT not in page_text(card)
    assert client.get(reverse("admin:core_appeal_download_docx", args=[appeal.pk])).status_code == 404
    assert client.get(reverse("admin:core_appeal_comment", args=[appeal.pk])).status_code == 404

    tab = history_tab(client, project)
    assert "Запрос" in tab and REQUEST in tab  # the project's own history is there
    for leak in (INTERNAL, PUBLIC, SUBJECT, f"№{appeal.number}"):
        assert leak not in tab

    passport = staff_passport(client, project)
    assert project.registry_number in passport and REQUEST in passport
    for leak in (INTERNAL, PUBLIC, SUBJECT, f"№{appeal.number}"):
        assert leak not in passport


@pytest.mark.parametrize("who", ["manager", "coordinator"])
def test_staff_who_see_the_appeal_read_its_whole_history(request, client, scene, who):
    project, appeal = scene["project"], scene["appeal"]
    client = as_user(client, request.getfixturevalue(who))  # the appeal's coordinator; an agency coordinator

    assert client.get(reverse("admin:core_appeal_change", args=[appeal.pk])).status_code == 200
    for text in (history_tab(client, project), staff_passport(client, project)):
        assert f"№{appeal.number} «{SUBJECT}»" in text
        assert INTERNAL in text and PUBLIC in text


def test_the_investor_reads_the_public_part_of_the_appeal(client, scene, investor):
    project, appeal = scene["project"], scene["appeal"]
    client = as_user(client, investor)

    history = client.get(reverse("portal:project_history", args=[project.pk]))
    assert history.status_code == 200
    passport = docx_text(client.get(reverse("portal:project_passport_docx", args=[project.pk])))
    for text in (history.content.decode(), passport):
        assert f"№{appeal.number}" in text and PUBLIC in text
        assert INTERNAL not in text


def test_an_appeal_comment_in_the_project_history_names_no_status_change(scene, manager):
    """A comment keeps the appeal's status; the history (and the documents made from it) said «Новое → Новое»."""
    from core.selectors.projects import project_history_for

    rows = [row for row in project_history_for(project=scene["project"], user=manager) if row.kind == "appeal"]
    comments = [row for row in rows if PUBLIC in row.text or INTERNAL in row.text]
    assert len(comments) == 2
    assert all((row.from_label, row.to_label) == ("", "") for row in comments)
    moves = [row for row in rows if row.to_label]
    assert moves and all(row.from_label != row.to_label for row in moves)
