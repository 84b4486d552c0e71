"""The demo projects: a dozen across districts and every stage, filed by the demo investors and moved by staff
through the doors, with roadmaps, tasks, meetings, requests, checklist ticks and measures; loaded once."""

from itertools import pairwise

import pytest
from django.db.models import Count, F
from django.utils import timezone

from core.choices import MeetingFormat, MeetingStatus, ProjectEventKind, ProjectStage, RequestStatus, TaskStatus
from core.models import (
    Appeal,
    ChecklistMark,
    Meeting,
    Organisation,
    ParticipantRequest,
    Project,
    ProjectEvent,
    ProjectMeasure,
    RoadmapItem,
    Task,
    User,
)
from core.roles import Role
from core.selectors.projects import project_history_for
from core.selectors.visibility import projects_visible_to
from core.services.demo import demo_appeals_load, demo_load, demo_projects_load
from core.services.reference import (
    appeal_types_load,
    checklist_load,
    classifier_load,
    districts_load,
    industries_load,
    request_periods_load,
    support_measures_load,
)
from core.workflows.projects import ACTIONS
from tests.conftest import module_transaction, role_groups

pytestmark = pytest.mark.xdist_group("demo-projects")  # one worker loads the module's demo once


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once per module; each test starts from it (module_transaction)."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            role_groups()
            for load in (districts_load, appeal_types_load, classifier_load, industries_load, checklist_load,
                         support_measures_load, request_periods_load, demo_load, demo_appeals_load):
                load()
            projects = demo_projects_load()
        yield projects


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


def person(email: str) -> User:
    return User.objects.get(email=email)


def test_a_dozen_projects_in_every_stage_across_districts(demo):
    assert demo == Project.objects.count() == 12
    assert set(Project.objects.values_list("stage", flat=True)) == set(ProjectStage.values)
    assert Project.objects.values("district").distinct().count() >= 5
    assert Project.objects.values("industry").distinct().count() >= 6
    both = Organisation.objects.filter(kind="investor").annotate(n=Count("projects"))
    assert sorted(both.values_list("n", flat=True)) == [0, 6, 6]  # the company without portal users has none
    terminal = person("terminal@zk.example")
    assert terminal.has_role(Role.INVESTOR) and terminal.membership_confirmed
    assert not projects_visible_to(terminal).filter(investor=person("investor@zk.example").organisation).exists()


def test_every_stage_was_reached_through_the_door(demo):
    manager = person("manager@zk.example")
    for project in Project.objects.all():
        events = list(project.events.filter(kind=ProjectEventKind.STAGE).order_by("pk"))
        assert events[0].name == "apply" and events[0].actor.has_role(Role.INVESTOR)
        for before, after in pairwise(events):
            assert after.from_stage == before.to_stage and after.name in ACTIONS
            assert after.actor == manager or after.name == "withdraw"
            assert after.created_at >= before.created_at  # spread over the past, in order
        assert events[-1].to_stage == project.stage
    accepted = Project.objects.filter(stage__in=ProjectStage.supported())
    assert not accepted.filter(accepted_at__isnull=True).exists()
    assert accepted.filter(accepted_at__lt=timezone.localdate()).count() == accepted.count()


def test_roadmaps_tasks_meetings_and_requests_make_every_tab_meaningful(demo):
    today = timezone.localdate()
    supported = Project.objects.exclude(stage__in=[ProjectStage.APPLICATION, ProjectStage.REVIEW,
                                                   ProjectStage.DECLINED, ProjectStage.WITHDRAWN])
    assert all(3 <= p.roadmap.count() <= 5 for p in supported)
    assert RoadmapItem.objects.filter(actual_end__isnull=True, planned_end__lt=today).exists()  # overdue
    assert RoadmapItem.objects.exclude(baseline_end=F("planned_end")).count() >= 4  # plans moved
    from_items = Task.objects.filter(roadmap_item__isnull=False)
    assert from_items.count() >= 3
    assert all(task.due_date == task.roadmap_item.planned_end for task in from_items)
    assert Task.objects.filter(status__in=TaskStatus.open(), due_date__lt=today).exists()
    assert set(Task.objects.values_list("status", flat=True)) == set(TaskStatus.values)
    assert Task.objects.filter(author__email__in=["investor@zk.example", "terminal@zk.example"]).count() == 2
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert held.exists() and all(m.starts_at < timezone.now() and m.minutes for m in held)
    planned = Meeting.objects.filter(status=MeetingStatus.PLANNED)
    assert planned.exists() and all(m.starts_at > timezone.now() for m in planned)
    assert set(Meeting.objects.values_list("format", flat=True)) == set(MeetingFormat.values)
    assert Meeting.objects.filter(status=MeetingStatus.CANCELLED).exists()
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED, sequence__gt=0).exists()  # rescheduled
    to_rso = ParticipantRequest.objects.filter(organisation__kind="rso")
    assert to_rso.exists() and any(r.is_overdue for r in to_rso)
    assert ParticipantRequest.objects.filter(status=RequestStatus.ANSWERED).exists()
    assert ChecklistMark.objects.count() >= 30 and ProjectMeasure.objects.count() >= 10
    assert set(ProjectMeasure.objects.values_list("status", flat=True)) == {"requested", "granted", "refused"}


def test_the_warehouse_appeal_is_in_its_projects_history(demo):
    appeal = Appeal.objects.get(subject="Ускорение получения разрешения на ввод склада")
    assert appeal.project.name == "Логистический комплекс «Южный»"

    history = project_history_for(project=appeal.project, user=person("investor@zk.example"))

    kinds = {row.kind for row in history}
    assert {ProjectEventKind.APPEAL, ProjectEventKind.STAGE, ProjectEventKind.MEETING,
            ProjectEventKind.DOCUMENT} <= kinds
    assert ProjectEventKind.REQUEST not in kinds  # requests are internal


def test_loading_again_adds_nothing(demo):
    counts = (Project.objects.count(), ProjectEvent.objects.count(), Task.objects.count(), Meeting.objects.count())

    assert demo_projects_load() == 0

    assert (Project.objects.count(), ProjectEvent.objects.count(), Task.objects.count(),
            Meeting.objects.count()) == counts
