"""A meeting about an appeal can be moved, cancelled or marked held through the door and the cabinet dialog."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.choices import MeetingStatus
from core.models import Meeting, Notification
from tests.admin_site.appeals.helpers import act, action_url


@pytest.fixture
def meeting(appeal, coordinator, manager, executor, omsu):
    assigned = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    act(assigned, "schedule_meeting", manager, title="ВКС с администрацией", participants=[executor],
        starts_at=timezone.now() + timedelta(days=3), duration_minutes=45)
    return Meeting.objects.get(appeal=appeal)


def letters(event: str, person) -> list[Notification]:
    return list(Notification.objects.filter(event=event, channel="email", recipient=person).order_by("pk"))


def test_moving_sends_an_ics_that_replaces_the_first_one(meeting, manager, executor, investor, client):
    new_time = (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)
    appeal = act(meeting.appeal, "change_meeting", manager, meeting=meeting, change="move", starts_at=new_time)

    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence, meeting.status) == (new_time, 1, MeetingStatus.PLANNED)
    first, = letters("meeting_scheduled", executor)
    moved, = letters("meeting_changed", executor)
    old_ics, new_ics = (Calendar.from_ical(bytes(row.attachment)).walk("VEVENT")[0] for row in (first, moved))
    assert old_ics["UID"] == new_ics["UID"] and int(new_ics["SEQUENCE"]) > int(old_ics.get("SEQUENCE", 0))
    assert new_ics.decoded("DTSTART") == new_time
    client.force_login(investor)
    page = client.get(reverse("portal:appeal_detail", args=[appeal.pk])).content.decode()
    assert "перенесена" in page and f"{timezone.localtime(new_time):%d.%m.%Y %H:%M}" in page


def test_cancelling_through_the_cabinet_dialog(meeting, manager, executor, login):
    appeal = meeting.appeal
    appeal.refresh_from_db()
    response = login(manager).post(action_url(appeal, "change_meeting"), {
        "version": appeal.updated_at.isoformat(), "meeting": meeting.pk, "change": "cancel"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert letters("meeting_cancelled", executor)
    assert appeal.events.filter(name="change_meeting", is_public=True, text__contains="отменена").exists()


def test_a_move_into_the_past_or_a_closed_meeting_is_refused_and_nothing_changes(meeting, manager):
    with pytest.raises(ValidationError) as error:
        act(meeting.appeal, "change_meeting", manager, meeting=meeting, change="move",
            starts_at=timezone.now() - timedelta(hours=1))
    assert "прошедшее" in str(error.value)
    act(meeting.appeal, "change_meeting", manager, meeting=meeting, change="held", minutes="Договорились о сроках")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (MeetingStatus.HELD, "Договорились о сроках")
    with pytest.raises(PermissionDenied):  # no planned meeting left: the action is not offered any more
        act(meeting.appeal, "change_meeting", manager, meeting=meeting, change="cancel")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
