"""The lists around projects: tasks (overdue, heads see their people's), meetings, requests to participants (the
addressed organisation answers on the request's page), the reference tables and the sidebar."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import OrganisationKind, ProjectStage
from core.models import ChecklistItem, Industry
from core.roles import Role
from core.services.projects import meeting_save, request_send
from core.workflows.tasks import task_create
from tests.admin_site.helpers import page_text, sidebar_text
from tests.factories import OrganisationFactory

TASKS_URL = reverse("admin:core_task_changelist")
TODAY = timezone.localdate()


def titles(client, url: str, query: str = "") -> set[str]:
    response = client.get(url + query)
    assert response.status_code == 200
    return {str(row) for row in response.context["cl"].result_list}


def test_tasks_list_with_overdue_filter_and_badges(login, manager, supported):
    with time_machine.travel(TODAY - timedelta(days=20), tick=False):
        task_create(author=manager, assignee=manager, title="Просроченная", project=supported,
                    due_date=TODAY - timedelta(days=10))
    task_create(author=manager, assignee=manager, title="В срок", project=supported, due_date=TODAY + timedelta(days=5))
    client = login(manager)
    assert titles(client, TASKS_URL, "?overdue=yes") == {"Просроченная"}
    assert titles(client, TASKS_URL, "?overdue=no") == {"В срок"}
    response = client.get(TASKS_URL)
    assert "просрочена" in page_text(response) and "bg-red-100" in response.content.decode()


def test_heads_see_their_peoples_tasks(login, make_user, agency, supported, manager, head):
    colleague = make_user(Role.MANAGER, organisation=agency)
    stranger = make_user(Role.MANAGER, organisation=OrganisationFactory(kind=OrganisationKind.OIV))
    task_create(author=colleague, assignee=colleague, title="Задача сотрудника", due_date=TODAY)
    task_create(author=stranger, assignee=stranger, title="Задача чужого ведомства", due_date=TODAY)
    other_head = make_user(Role.HEAD, organisation=stranger.organisation)
    assert "Задача сотрудника" in titles(login(head), TASKS_URL)
    assert titles(login(other_head), TASKS_URL) == {"Задача чужого ведомства"}
    assert titles(login(colleague), TASKS_URL) == {"Задача сотрудника"}


def test_task_page_offers_only_the_steps_core_allows(login, manager, head, supported):
    task = task_create(author=manager, assignee=head, title="Согласовать справку", project=supported, due_date=TODAY)
    response = login(head).get(reverse("admin:core_task_change", args=[task.pk]))
    names = {action["title"] for action in response.context["actions_detail"]}
    assert {"Взять в работу", "Отметить выполненной", "Открыть проект"} <= names
    names = {action["title"] for action in login(manager).get(
        reverse("admin:core_task_change", args=[task.pk])).context["actions_detail"]}
    assert "Взять в работу" not in names and "Отменить задачу" in names  # the author may cancel
    opened = login(head).get(reverse("admin:core_task_open_project", args=[task.pk]))
    assert opened.url == reverse("admin:core_project_change", args=[supported.pk]) + "?tab=tasks"


def test_meetings_list(login, manager, supported, executor):
    meeting_save(project=supported, actor=manager, title="Совещание на площадке", format="in_person",
                 place="Тосно", starts_at=timezone.now() + timedelta(days=1))
    url = reverse("admin:core_meeting_changelist")
    text = page_text(login(manager).get(url))
    assert "Совещание на площадке" in text and "Запланирована" in text and "Тосно" in text
    assert titles(login(executor), url) == set()


def test_participant_sees_the_requests_to_its_organisation_and_answers(login, manager, supported, rso,
                                                                       rso_executor, make_user):
    request_send(project=supported, actor=manager, organisation=rso, subject="Возможность подключения",
                 text="Просим сообщить")
    other_rso = make_user(Role.EXECUTOR, organisation=OrganisationFactory(kind=OrganisationKind.RSO))
    url = reverse("admin:core_participantrequest_changelist")
    participant = login(rso_executor)
    response = participant.get(url)
    assert [row.subject for row in response.context["cl"].result_list] == ["Возможность подключения"]
    row = response.context["cl"].result_list[0]
    page = page_text(participant.get(reverse("admin:core_participantrequest_change", args=[row.pk])))
    assert "Ответить на запрос" in page and "Просим сообщить" in page
    assert titles(login(other_rso), url) == set()
    manager_page = page_text(login(manager).get(reverse("admin:core_participantrequest_change", args=[row.pk])))
    assert "Ответить на запрос" not in manager_page


def test_reference_tables_are_edited_by_administrators(login, administrator, manager):
    client = login(administrator)
    response = client.post(reverse("admin:core_industry_add"), {"code": "agro", "name": "Сельское хозяйство",
                                                                "order": "1"})
    assert response.status_code == 302 and Industry.objects.filter(code="agro").exists()
    client.post(reverse("admin:core_checklistitem_add"), {"stage": ProjectStage.INVESTMENT, "code": "rns",
                                                          "name": "Помощь в получении РНС, РНВ", "order": "3"})
    assert ChecklistItem.objects.get(code="rns").stage == ProjectStage.INVESTMENT
    manager_client = login(manager)
    assert manager_client.get(reverse("admin:core_industry_changelist")).status_code == 200
    assert manager_client.get(reverse("admin:core_industry_add")).status_code == 403


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.MANAGER, ["Проекты", "Задачи", "Встречи", "Запросы участникам", "Справочники проектов"]),
        (Role.EXECUTOR, ["Проекты", "Запросы участникам"]),
        (Role.ADMINISTRATOR, ["Справочники проектов", "Отрасли", "Чек-лист этапов", "Меры поддержки",
                              "Сроки ответов на запросы"]),
    ],
)
def test_sidebar_groups(login, users_by_role, role, visible):
    text = sidebar_text(login(users_by_role[role]).get(reverse("admin:index")))
    for label in visible:
        assert label in text


@pytest.mark.parametrize("model", ["task", "meeting", "participantrequest"])
def test_lists_cost_the_same_queries_for_3_and_30_rows(login, director, manager, supported, rso, model):
    def add(count: int) -> None:
        for number in range(count):
            if model == "task":
                task_create(author=manager, assignee=manager, title=f"Задача {number}", project=supported,
                            due_date=TODAY)
            elif model == "meeting":
                meeting_save(project=supported, actor=manager, title=f"Встреча {number}", format="video",
                             link="https://vks.zk.example/room", starts_at=timezone.now())
            else:
                request_send(project=supported, actor=manager, organisation=rso, subject=f"Запрос {number}",
                             text="Просим сообщить")

    url = reverse(f"admin:core_{model}_changelist")
    client = login(director)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(3)
    client.get(url)
    few = queries()
    add(27)
    assert queries() == few
