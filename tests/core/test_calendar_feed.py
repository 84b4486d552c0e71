"""The private .ics feed address (created once, revocable, active users only) and what the feed holds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.choices import RoadmapStatus
from core.models import CalendarFeed, PersonalDataConsent
from core.selectors.calendar_feed import calendar_feed_rows_for
from core.services.calendar_feed import calendar_feed_revoke, calendar_feed_token_for, calendar_feed_user
from core.services.personal_data import consent_give
from core.services.projects import meeting_save, roadmap_item_save
from core.workflows.tasks import task_create, task_transition


def test_the_token_is_created_once_and_finds_its_owner(investor):
    token = calendar_feed_token_for(investor)

    assert len(token) >= 43 and token.replace("-", "").replace("_", "").isalnum()
    assert calendar_feed_token_for(investor) == token
    assert CalendarFeed.objects.filter(user=investor).count() == 1
    assert calendar_feed_user(token) == investor


def test_a_revoked_address_stops_working(investor, manager):
    old = calendar_feed_token_for(investor)

    new = calendar_feed_revoke(investor)

    assert new != old and calendar_feed_token_for(investor) == new
    assert calendar_feed_user(old) is None and calendar_feed_user(new) == investor
    assert calendar_feed_revoke(manager) == calendar_feed_token_for(manager)  # revoking before any use works too


def test_unknown_tokens_and_disabled_accounts_get_nothing(investor):
    token = calendar_feed_token_for(investor)
    assert calendar_feed_user("") is None and calendar_feed_user("nonsense") is None

    investor.is_active = False
    investor.save()

    assert calendar_feed_user(token) is None


def test_an_investor_s_feed_waits_for_the_consent_in_force(investor, manager):
    """The consent text changed: the investor's calendar gets nothing until they accept it; staff feeds go on."""
    token, staff_token = calendar_feed_token_for(investor), calendar_feed_token_for(manager)
    PersonalDataConsent.objects.filter(user=investor).update(version="2025-01-01")

    assert calendar_feed_user(token) is None and calendar_feed_user(staff_token) == manager

    consent_give(user=investor)

    assert calendar_feed_user(token) == investor


@pytest.fixture
def project(apply_project):
    return apply_project()


def meeting(project, actor, *, days: int, participants=(), title="Встреча"):
    return meeting_save(project=project, actor=actor, participants=participants, title=title, format="video",
                        link="https://vks.zk.example/room", starts_at=timezone.now() + timedelta(days=days))


def test_the_feed_holds_the_persons_meetings_open_tasks_and_unfinished_milestones(
    project, apply_project, manager, investor, other_investor, coordinator
):
    soon = meeting(project, manager, days=3, title="Скоро")
    recent = meeting(project, manager, days=-30, title="Недавно")
    meeting(project, manager, days=-120, title="Давно")  # older than the feed's window
    with_coordinator = meeting(project, manager, days=5, participants=[coordinator], title="С координатором")
    open_item = roadmap_item_save(project=project, actor=manager, title="РНС", planned_start=timezone.localdate(),
                                  planned_end=timezone.localdate() + timedelta(days=30))
    roadmap_item_save(project=project, actor=manager, title="Готово", planned_start=timezone.localdate(),
                      planned_end=timezone.localdate(), actual_end=timezone.localdate(),
                      status=RoadmapStatus.DONE)
    todo = task_create(author=investor, assignee=manager, title="Открытая", due_date=timezone.localdate(),
                       project=project)
    done = task_create(author=manager, assignee=manager, title="Сделана", due_date=timezone.localdate(),
                       project=project)
    task_transition(task=done, name="finish", actor=manager)

    for_manager = calendar_feed_rows_for(manager)
    assert [m.title for m in for_manager.meetings] == ["Недавно", "Скоро", "С координатором"]
    assert for_manager.tasks == [todo] and for_manager.roadmap_items == [open_item]

    for_investor = calendar_feed_rows_for(investor)  # the company's project: its meetings and milestones
    assert {m.pk for m in for_investor.meetings} == {soon.pk, recent.pk, with_coordinator.pk}
    assert for_investor.tasks == [] and for_investor.roadmap_items == [open_item]

    # the coordinator may look at the whole pool, but the feed holds only what they take part in
    assert [m.pk for m in calendar_feed_rows_for(coordinator).meetings] == [with_coordinator.pk]
    assert calendar_feed_rows_for(coordinator).roadmap_items == []
    assert calendar_feed_rows_for(other_investor) == type(for_manager)(meetings=[], tasks=[], roadmap_items=[])
