"""A meeting about an appeal can be moved, cancelled or marked held through the door and the cabinet dialog."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.choices import MeetingStatus, OrganisationKind
from core.models import Meeting, Notification
from core.roles import Role
from core.services.api_tokens import api_token_create
from tests.admin_site.appeals.helpers import act, action_url
from tests.factories import OrganisationFactory


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


# --- the investor's side: the meeting on the appeal's page (it was only in the letter) ----------------------------
AGENDA = "Примыкание к дороге 41К-108: сроки согласования"
MINUTES = "Внутреннее: администрация готова согласовать при условии ПСП"


def test_the_investor_finds_the_meeting_on_the_appeal_page_with_its_calendar_file(
        appeal, coordinator, manager, executor, investor, client, make_user):
    assigned = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    act(assigned, "schedule_meeting", manager, title="ВКС по примыканию", participants=[executor, investor],
        starts_at=timezone.now() + timedelta(days=3), link="https://vks.example/room/41", agenda=AGENDA)
    meeting = Meeting.objects.get(appeal=appeal)

    client.force_login(investor)
    page = client.get(reverse("portal:appeal_detail", args=[appeal.pk])).content.decode()
    assert "Встречи по обращению" in page and f'id="meeting-{meeting.pk}"' in page
    assert "ВКС по примыканию" in page and "https://vks.example/room/41" in page and AGENDA in page
    ics_url = reverse("portal:appeal_meeting_ics", args=[appeal.pk, meeting.pk])
    assert f'href="{ics_url}"' in page
    response = client.get(ics_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "ВКС по примыканию" and str(event["UID"]).startswith(str(meeting.uid))

    # the letter's «Открыть встречу» (the investor takes part) leads to the block
    notice = Notification.objects.filter(event="meeting_scheduled", recipient=investor).first()
    assert notice is not None and notice.link.endswith(f"/cabinet/appeals/{appeal.pk}/#meeting-{meeting.pk}")

    # another company's investor gets nothing, by the appeal or by the meeting
    other = make_user(Role.INVESTOR, organisation=OrganisationFactory(kind=OrganisationKind.INVESTOR))
    client.force_login(other)
    assert client.get(ics_url).status_code == 404


def test_the_minutes_of_an_appeals_meeting_stay_among_staff_everywhere(
        appeal, coordinator, manager, executor, investor, client, apply_project):
    project = apply_project()
    assigned = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    act(assigned, "link_project", manager, project=project)
    act(assigned, "schedule_meeting", manager, title="ВКС по примыканию", participants=[executor],
        starts_at=timezone.now() + timedelta(days=3), link="https://vks.example/room/41")
    meeting = Meeting.objects.get(appeal=appeal)
    assert meeting.project_id == project.pk  # it shows under the project too
    act(appeal, "change_meeting", manager, meeting=meeting, change="held", minutes=MINUTES)

    client.force_login(investor)
    pages = (reverse("portal:appeal_detail", args=[appeal.pk]), reverse("portal:project_meetings", args=[project.pk]))
    for url in pages:
        page = client.get(url).content.decode()
        assert "ВКС по примыканию" in page and MINUTES not in page, url
    token = api_token_create(user=investor, name="Проверка").plain
    answer = client.get(f"/api/v1/projects/{project.pk}/meetings", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200 and answer.json()[0]["minutes"] == ""

    client.force_login(manager)  # staff read them
    card = client.get(reverse("admin:core_project_change", args=[project.pk]) + "?tab=meetings").content.decode()
    assert MINUTES in card


def test_a_call_among_staff_about_the_appeal_shows_the_investor_no_link_agenda_or_calendar_file(
        appeal, coordinator, manager, executor, investor, client, apply_project):
    """A ВКС the agency holds with a body about the appeal, without the investor: they see that it is planned (their
    history says so) but not its link, its agenda or an .ics — those went only to whom it invited."""
    project = apply_project()
    assigned = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    act(assigned, "link_project", manager, project=project)
    act(assigned, "schedule_meeting", manager, title="ВКС агентства с районом", participants=[executor],
        starts_at=timezone.now() + timedelta(days=3), link="https://vks.example/staff-only", agenda=AGENDA)
    meeting = Meeting.objects.get(appeal=appeal)

    client.force_login(investor)
    pages = (reverse("portal:appeal_detail", args=[appeal.pk]), reverse("portal:project_meetings", args=[project.pk]))
    for url in pages:
        page = client.get(url).content.decode()
        block = page.split(f'id="meeting-{meeting.pk}"')[1].split("</article>")[0]
        assert "ВКС агентства с районом" in block, url
        assert "vks.example/staff-only" not in page and AGENDA not in page and ".ics" not in block, url
    assert client.get(reverse("portal:appeal_meeting_ics", args=[appeal.pk, meeting.pk])).status_code == 404
    assert client.get(reverse("portal:project_meeting_ics", args=[project.pk, meeting.pk])).status_code == 404
    token = api_token_create(user=investor, name="Проверка").plain
    row = client.get(f"/api/v1/projects/{project.pk}/meetings", HTTP_AUTHORIZATION=f"Bearer {token}").json()[0]
    assert (row["link"], row["agenda"]) == ("", "")
