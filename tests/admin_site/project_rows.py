"""Projects and the rows around them for the cabinet's generic tests (tests/admin_site/helpers.MAKERS): filed and
changed through core's doors and services, as the screens do."""

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Model
from django.utils import timezone

from core.choices import OrganisationKind, ProjectStage
from core.models import (
    ChecklistItem,
    Industry,
    Meeting,
    ParticipantRequest,
    Project,
    RequestPeriod,
    SupportMeasure,
    Task,
)
from core.roles import Role
from core.services.projects import meeting_save, request_send
from core.services.roles import user_set_roles
from core.workflows.projects import project_apply
from core.workflows.tasks import task_create
from tests.conftest import role_groups
from tests.factories import OrganisationFactory, UserFactory


def project_row() -> Project:
    role_groups()
    investor = user_set_roles(user=UserFactory(), roles={Role.INVESTOR})
    return project_apply(applicant=investor, name="Проверочный проект", investment_volume=1_000_000, jobs=10)


def agency_manager():
    role_groups()
    return user_set_roles(user=UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.AGENCY)),
                          roles={Role.MANAGER})


def project_with_manager() -> tuple[Project, object]:
    project, manager = project_row(), agency_manager()
    Project.objects.filter(pk=project.pk).update(personal_manager=manager)
    project.refresh_from_db()
    return project, manager


def task_row() -> Task:
    project, manager = project_with_manager()
    return task_create(author=manager, assignee=manager, title="Проверочная задача", project=project,
                       due_date=timezone.localdate() + timedelta(days=3))


def meeting_row() -> Meeting:
    project, manager = project_with_manager()
    return meeting_save(project=project, actor=manager, title="Проверочная встреча", format="video",
                        link="https://vks.zk.example/room", starts_at=timezone.now() + timedelta(days=1))


def request_row() -> ParticipantRequest:
    project, manager = project_with_manager()
    return request_send(project=project, actor=manager, organisation=OrganisationFactory(kind=OrganisationKind.RSO),
                        subject="Возможность подключения", text="Просим сообщить о возможности подключения.")


PROJECT_MAKERS: dict[str, Callable[[], Model]] = {
    "core.Project": project_row,
    "core.Task": task_row,
    "core.Meeting": meeting_row,
    "core.ParticipantRequest": request_row,
    "core.Industry": lambda: Industry.objects.create(code="logistics-test", name="Логистика (тест)"),
    "core.ChecklistItem": lambda: ChecklistItem.objects.create(
        stage=ProjectStage.PRE_INVESTMENT, code="land-test", name="Анализ земельного участка (тест)"
    ),
    "core.SupportMeasure": lambda: SupportMeasure.objects.create(code="rip-test", name="РИП (тест)"),
    "core.RequestPeriod": lambda: RequestPeriod.objects.update_or_create(kind=OrganisationKind.RSO)[0],
}


