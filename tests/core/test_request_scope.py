"""A body asked something on a project reads its own request, not what other bodies were asked (SPEC §2: a
participant executor sees «only appeals and requests assigned to their organisation»).

Two bodies, a power grid company and a road agency, are each asked something on the same project; the road agency
answers with a file. The grid company's executor sees the project (it was asked there), but neither the road
agency's request nor its answer file, in the cabinet's tabs, the download, the history and the passport DOCX. The
project's personal manager, who sent both, reads both."""

from io import BytesIO

import pytest
from django.apps import apps
from django.urls import reverse
from docx import Document

from core.choices import OrganisationKind, ProjectEventKind
from core.models import ProjectDocument, ProjectEvent
from core.roles import Role
from core.services.projects import request_answer, request_send
from tests.admin_site.helpers import page_text
from tests.admin_site.projects.helpers import pdf
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

GRID_ASK = "Возможность подключения 2,5 МВт"
ROAD_ASK = "Схема примыкания к дороге 41К-108"
ROAD_ANSWER = "Примыкание возможно при устройстве переходно-скоростной полосы"
ROAD_FILE = "Схема ПСП.pdf"


@pytest.fixture
def scene(apply_project, manager, make_user):
    project = apply_project()
    grid = OrganisationFactory(kind=OrganisationKind.RSO, short_name="Электросеть (тест)")
    road = OrganisationFactory(kind=OrganisationKind.OIV, short_name="Дорожное управление (тест)")
    grid_executor = make_user(Role.EXECUTOR, organisation=grid, email="grid@test.zk.example")
    road_executor = make_user(Role.EXECUTOR, organisation=road, email="road@test.zk.example")
    grid_request = request_send(project=project, actor=manager, organisation=grid, subject=GRID_ASK,
                                text="Просим сообщить о возможности подключения.")
    road_request = request_send(project=project, actor=manager, organisation=road, subject=ROAD_ASK,
                                text="Просим согласовать схему примыкания.")
    request_answer(request=road_request, actor=road_executor, answer_text=ROAD_ANSWER, files=[pdf(ROAD_FILE)])
    return {"project": project, "grid": grid_executor, "road": road_executor, "manager": manager,
            "grid_request": grid_request, "road_request": road_request,
            "road_file": ProjectDocument.objects.get(request=road_request)}


def tab(client, project, name: str) -> str:
    response = client.get(reverse("admin:core_project_change", args=[project.pk]) + f"?tab={name}")
    assert response.status_code == 200
    return page_text(response)


def passport_text(client, project) -> str:
    response = client.get(reverse("admin:core_project_download_passport", args=[project.pk]))
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_a_body_reads_its_own_request_and_not_another_bodys(client, scene):
    project = scene["project"]
    client.force_login(scene["grid"])

    requests = tab(client, project, "requests")
    assert GRID_ASK in requests
    assert ROAD_ASK not in requests and ROAD_ANSWER not in requests

    documents = tab(client, project, "documents")
    assert ROAD_FILE not in documents
    download = reverse("admin:core_project_document", args=[scene["road_file"].pk])
    assert client.get(download).status_code == 404

    history = tab(client, project, "history")
    assert GRID_ASK in history
    assert ROAD_ASK not in history

    passport = passport_text(client, project)
    assert GRID_ASK in passport and ROAD_ASK not in passport

    # The request's own page answers as one outside the list does.
    own = reverse("admin:core_participantrequest_change", args=[scene["grid_request"].pk])
    other = reverse("admin:core_participantrequest_change", args=[scene["road_request"].pk])
    assert client.get(own).status_code == 200
    assert client.get(other, follow=True).status_code == 403


def test_the_body_that_answered_reads_its_answer_and_the_manager_reads_both(client, scene):
    project = scene["project"]
    client.force_login(scene["road"])
    assert ROAD_ANSWER in tab(client, project, "requests") and ROAD_FILE in tab(client, project, "documents")
    assert GRID_ASK not in tab(client, project, "requests")
    download = reverse("admin:core_project_document", args=[scene["road_file"].pk])
    assert client.get(download).status_code == 200

    client.force_login(scene["manager"])
    requests = tab(client, project, "requests")
    assert GRID_ASK in requests and ROAD_ASK in requests and ROAD_ANSWER in requests
    history = tab(client, project, "history")
    assert GRID_ASK in history and ROAD_ASK in history and "Получен ответ" in history
    assert ROAD_FILE in tab(client, project, "documents")


def test_rows_written_before_requests_were_named_are_tied_to_their_request(scene):
    """Migration 0026 ties the history rows written before a row named its request, the answer's file among them."""
    migration = __import__("core.migrations.0026_request_events_name_their_request", fromlist=["tie_rows"])
    rows = ProjectEvent.objects.filter(project=scene["project"],
                                       kind__in=(ProjectEventKind.REQUEST, ProjectEventKind.DOCUMENT))
    assert rows.count() == 4
    rows.update(data={})

    migration.tie(apps, None)

    tied = {(row.name, row.data.get("request")) for row in rows.all()}
    assert tied == {("request_send", scene["grid_request"].pk), ("request_send", scene["road_request"].pk),
                    ("request_answer", scene["road_request"].pk), ("document", scene["road_request"].pk)}


def test_a_body_that_was_only_asked_gets_no_buttons_for_the_projects_own_work(client, scene):
    """The services refuse it the checklist, measures, roadmap, meetings and requests; the page offered their
    buttons, and the dialog opened a form that could only be refused."""
    project = scene["project"]
    client.force_login(scene["grid"])
    assert "Направить запрос" not in tab(client, project, "requests")
    assert "Добавить пункт" not in tab(client, project, "roadmap")
    assert "Назначить встречу" not in tab(client, project, "meetings")
    assert "Добавить меру" not in tab(client, project, "stages")
    for op in ("request", "roadmap", "meeting", "measure"):
        url = reverse("admin:core_project_op", args=[project.pk, op])
        response = client.get(url, follow=True)
        assert "вам сейчас недоступно" in page_text(response), op
        assert 'name="subject"' not in response.content.decode()

    client.force_login(scene["manager"])
    assert "Направить запрос" in tab(client, project, "requests")
    assert "Добавить пункт" in tab(client, project, "roadmap")
    assert "Назначить встречу" in tab(client, project, "meetings")


def test_a_request_row_no_request_could_be_tied_to_is_read_by_who_reads_every_request(client, scene):
    """A row migration 0026 could not tie (its request's subject changed since): the project's personal manager,
    who reads every request of the project, still reads it; the body that was only asked does not."""
    project = scene["project"]
    ProjectEvent.objects.filter(project=project, name="request_send", data__request=scene["road_request"].pk).update(
        data={})
    sent = f"Запрос «{ROAD_ASK}» в Дорожное управление (тест)"
    client.force_login(scene["manager"])
    assert sent in tab(client, project, "history")
    client.force_login(scene["grid"])
    assert ROAD_ASK not in tab(client, project, "history")



OWN_WORK_TASK = "Подготовить справку для губернатора"
OWN_MEETING = "Выезд на площадку с инвестором"
GRID_MEETING = "Совещание о техприсоединении"


@pytest.fixture
def own_work(scene, manager, head):
    """The project's own work beside the requests: a task for the agency's head, a meeting with the investor that
    names no body, and a meeting the grid company is invited to."""
    from datetime import timedelta

    from django.utils import timezone

    from core.services.projects import meeting_save
    from core.workflows.tasks import task_create

    project = scene["project"]
    ahead = timezone.now() + timedelta(days=3)
    task = task_create(author=manager, assignee=head, title=OWN_WORK_TASK, project=project,
                       due_date=timezone.localdate() + timedelta(days=5))
    own = meeting_save(project=project, actor=manager, title=OWN_MEETING, format="in_person", place="Площадка",
                       starts_at=ahead)
    grid = meeting_save(project=project, actor=manager, title=GRID_MEETING, format="in_person", place="Агентство",
                        starts_at=ahead + timedelta(hours=2), organisations=[scene["grid"].organisation])
    return {"task": task, "own": own, "grid": grid}


def test_a_body_that_was_asked_does_not_read_the_projects_own_tasks_and_other_meetings(client, scene, own_work):
    """The grid company sees the project (it was asked there and invited to a meeting), the meeting it is invited to,
    and nothing of the agency's own work on it: not the task, not the meeting with the investor — in the tabs, the
    roadmap's task lines, its calendar, its lists and the selectors every other face (API, .ics, briefs) reads."""
    from core.selectors.visibility import meetings_visible_to, tasks_visible_to

    project, grid = scene["project"], scene["grid"]
    client.force_login(grid)
    assert GRID_MEETING in tab(client, project, "meetings")
    assert OWN_MEETING not in tab(client, project, "meetings")
    assert "Встречи, куда приглашены вы или ваша организация" in tab(client, project, "meetings")
    assert OWN_WORK_TASK not in tab(client, project, "tasks")
    assert "Ваших задач по проекту нет. Задачи тех, кто ведёт проект, видны только им." in tab(client, project, "tasks")
    assert set(meetings_visible_to(grid)) == {own_work["grid"]}
    assert not tasks_visible_to(grid).exists()
    meetings = client.get(reverse("admin:core_meeting_changelist"))
    assert meetings.status_code == 200
    assert GRID_MEETING in page_text(meetings) and OWN_MEETING not in page_text(meetings)
    task_page = client.get(reverse("admin:core_task_change", args=[own_work["task"].pk]), follow=True)
    assert OWN_WORK_TASK not in page_text(task_page)

    # The project's manager and the head the task is for read all of it.
    client.force_login(scene["manager"])
    assert OWN_MEETING in tab(client, project, "meetings") and GRID_MEETING in tab(client, project, "meetings")
    assert OWN_WORK_TASK in tab(client, project, "tasks")
    assert "Очно или по ВКС" in tab(client, project, "meetings")
    assert set(tasks_visible_to(scene["manager"])) == {own_work["task"]}


def test_the_roadmap_shows_a_body_only_its_own_task_lines(client, scene, manager, own_work):
    from datetime import timedelta

    from django.utils import timezone

    from core.services.projects import roadmap_item_save
    from core.workflows.tasks import task_create

    project = scene["project"]
    today = timezone.localdate()
    item = roadmap_item_save(project=project, actor=manager, title="Технологическое присоединение",
                             planned_start=today, planned_end=today + timedelta(days=30))
    task_create(author=manager, assignee=manager, title=OWN_WORK_TASK, roadmap_item=item, due_date=None)
    task_create(author=manager, assignee=scene["grid"], title="Выдать технические условия", roadmap_item=item,
                due_date=None)
    client.force_login(scene["grid"])
    roadmap = tab(client, project, "roadmap")
    assert "Технологическое присоединение" in roadmap and "Выдать технические условия" in roadmap
    assert OWN_WORK_TASK not in roadmap
    client.force_login(manager)
    assert OWN_WORK_TASK in tab(client, project, "roadmap")
