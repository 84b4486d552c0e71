"""Every door of the projects refuses a text longer than its limit (core.services.content_limits), whatever face
sent it: the forms show the same limits as `maxlength`, but a page changed in the browser, an old page or a future
API face goes through these doors. Nothing is written then."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.choices import OrganisationKind, ProjectStage
from core.models import ChecklistItem, Meeting, ParticipantRequest, ProjectEvent, RoadmapItem, SupportMeasure, Task
from core.services.content_limits import LINE_MAX, TEXT_MAX
from core.services.projects import (
    checklist_tick,
    land_plot_add,
    measure_set,
    meeting_save,
    meeting_set_status,
    project_comment,
    project_update_passport,
    request_answer,
    request_send,
    roadmap_item_save,
)
from core.workflows.projects import project_transition
from core.workflows.tasks import task_create, task_transition

pytestmark = pytest.mark.django_db
LONG = "ж" * (TEXT_MAX + 1)
LONG_LINE = "ж" * (LINE_MAX + 1)


def refused(field: str, door, **kwargs) -> None:
    with pytest.raises(ValidationError) as error:
        door(**kwargs)
    assert "Не больше" in " ".join(error.value.message_dict[field])


@pytest.fixture
def project(apply_project, manager):
    project = apply_project()
    return project_transition(project=project, name="start_review", actor=manager)


def test_comments_requests_and_reasons_longer_than_the_limit_write_nothing(project, manager, investor, executor):
    events = ProjectEvent.objects.count()
    refused("text", project_comment, project=project, actor=investor, text=LONG)
    refused("text", request_send, project=project, actor=manager, organisation=executor.organisation,
            subject="Подключение", text=LONG)
    refused("subject", request_send, project=project, actor=manager, organisation=executor.organisation,
            subject=LONG_LINE, text="Сообщите о возможности подключения")
    refused("reason", project_transition, project=project, name="suspend", actor=manager, reason=LONG)
    assert ProjectEvent.objects.count() == events and not ParticipantRequest.objects.exists()
    project.refresh_from_db()
    assert project.stage != ProjectStage.SUSPENDED

    assert executor.organisation.kind in OrganisationKind.participants()
    asked = request_send(project=project, actor=manager, organisation=executor.organisation, subject="Подключение",
                         text="Сообщите о возможности подключения")
    refused("answer_text", request_answer, request=asked, actor=executor, answer_text=LONG)
    asked.refresh_from_db()
    assert asked.answer_text == ""


def test_passport_plots_checklist_measures_and_roadmap_refuse_long_texts(project, manager):
    refused("description", project_update_passport, project=project, actor=manager, description="ж" * 20_001)
    refused("address", land_plot_add, project=project, actor=manager, cadastral_number="47:20:0112015:226",
            address=LONG)
    item = ChecklistItem.objects.create(stage=project.stage, code="land_analysis", order=1, name="Анализ участка")
    refused("comment", checklist_tick, project=project, item=item, actor=manager, comment=LONG)
    measure = SupportMeasure.objects.create(code="rip", name="РИП")
    refused("comment", measure_set, project=project, measure=measure, status="requested", actor=manager,
            comment=LONG)
    today = timezone.localdate()
    refused("title", roadmap_item_save, project=project, actor=manager, title=LONG_LINE, planned_start=today,
            planned_end=today)
    project.refresh_from_db()
    assert len(project.description) <= 20_000
    assert not project.land_plots.exists() and not project.checklist_marks.exists()
    assert not project.measures.exists() and not RoadmapItem.objects.exists()


def test_meetings_and_tasks_refuse_long_texts(project, manager, investor, executor):
    starts = timezone.now() + timedelta(days=3)
    refused("agenda", meeting_save, project=project, actor=manager, participants=[investor], title="Встреча",
            starts_at=starts, duration_minutes=60, format="video", link="https://vks.example/room", agenda=LONG)
    assert not Meeting.objects.exists()
    meeting = meeting_save(project=project, actor=manager, participants=[investor], title="Встреча",
                           starts_at=starts, duration_minutes=60, format="video", link="https://vks.example/room")
    refused("minutes", meeting_set_status, meeting=meeting, actor=manager, status="held", minutes=LONG)
    meeting.refresh_from_db()
    assert meeting.minutes == "" and meeting.status != "held"

    due = timezone.localdate() + timedelta(days=5)
    refused("description", task_create, author=manager, assignee=executor, title="Подготовить ТУ", due_date=due,
            description="ж" * 20_001, project=project)
    assert not Task.objects.exists()
    task = task_create(author=manager, assignee=executor, title="Подготовить ТУ", due_date=due, project=project)
    refused("result", task_transition, task=task, name="finish", actor=executor, result=LONG)
    task.refresh_from_db()
    assert task.result == ""
