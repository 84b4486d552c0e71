"""Meetings about an appeal (seed: «направил администрации Тосненского района приглашение на ВКС»): scheduled
through the appeal's door, with or without a project, they reach the participants' «Мой календарь» and .ics feed,
the letter with its .ics, the investor's history of the appeal and, with a project, the project's calendar."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Appeal, Meeting
from core.services.calendar_feed import calendar_feed_token_for
from core.workflows.appeals import appeal_transition
from tests.admin_site.helpers import page_text

TITLE = "ВКС с администрацией района по съезду"


@pytest.fixture
def login(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


@pytest.fixture
def in_work(file_appeal, coordinator, manager, head, omsu, executor):
    """Seed #737: assigned to the agency's manager, redirected to the district administration, whose person
    took it into work."""

    def make(**fields):
        appeal = file_appeal(**fields)
        appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                     head=head)
        appeal = act(appeal, "redirect", manager, executor_organisation=omsu, manager=executor,
                     comment="Просим рассмотреть выдачу разрешения без выезда на осмотр.")
        return act(appeal, "take_into_work", executor)

    return make


def schedule(appeal, actor, participants, **values):
    starts = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=11, minute=0, second=0,
                                                                            microsecond=0)
    values = {"title": TITLE, "starts_at": starts, "duration_minutes": 45, "format": "video",
              "link": "https://vks.zk.example/room-12", "agenda": "Согласование проекта примыкания", **values}
    act(appeal, "schedule_meeting", actor, participants=participants, **values)
    return Meeting.objects.get(appeal=appeal)


def calendar_events(data: bytes) -> list:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_a_meeting_about_an_appeal_without_a_project_reaches_calendars_letters_and_the_history(
    in_work, coordinator, executor, commissioner, investor, login, client, django_capture_on_commit_callbacks
):
    appeal = in_work()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(appeal, coordinator, [executor, commissioner])
    assert meeting.project is None and meeting.appeal == appeal

    # the letter to each participant carries the meeting's .ics, naming the appeal
    letters = {message.to[0]: message for message in mail.outbox if "Назначена встреча" in message.subject}
    assert set(letters) == {executor.email, commissioner.email}
    letter = letters[executor.email]
    assert f"по обращению №{appeal.number}" in letter.body and "Проект:" not in letter.body
    (attachment,) = [a for a in letter.attachments if a[2].startswith("text/calendar")]
    (event,) = calendar_events(attachment[1] if isinstance(attachment[1], bytes) else attachment[1].encode())
    assert str(event["SUMMARY"]) == f"{TITLE} (обращение №{appeal.number})"
    assert f"Обращение №{appeal.number}: {appeal.subject}" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)

    # «Мой календарь» of each participant shows it in its month, naming the appeal; their .ics feed holds it
    month = {"month": f"{timezone.localtime(meeting.starts_at):%Y-%m}"}
    for person in (executor, commissioner):
        page = login(person).get(reverse("admin:my_calendar"), month)
        text = page_text(page)
        assert TITLE in text and f"Обращение №{appeal.number}" in text
        assert reverse("admin:core_meeting_change", args=[meeting.pk]) in page.content.decode()
        feed = client.get(reverse("portal:calendar_feed", args=[calendar_feed_token_for(person)]))
        (event,) = [e for e in calendar_events(feed.content) if str(e["UID"]).startswith(str(meeting.uid))]
        assert str(event["SUMMARY"]) == f"{TITLE} (обращение №{appeal.number})"
        assert f"Обращение №{appeal.number}" in str(event["DESCRIPTION"])

    # the coordinator who runs the appeal sees it too; a stranger's calendar does not
    assert TITLE in page_text(login(coordinator).get(reverse("admin:my_calendar"), month))

    # the meetings list of the cabinet names the appeal instead of a project
    listing = page_text(login(executor).get(reverse("admin:core_meeting_changelist")))
    assert TITLE in listing and f"Обращение №{appeal.number}" in listing
    card = page_text(login(executor).get(reverse("admin:core_meeting_change", args=[meeting.pk])))
    assert "Открыть обращение" in card and "Открыть проект" not in card
    download = login(executor).get(reverse("admin:core_meeting_download_ics", args=[meeting.pk]))
    assert str(calendar_events(download.content)[0]["SUMMARY"]).endswith(f"(обращение №{appeal.number})")

    # the investor reads the public line in the appeal's history on the portal
    history = page_text(login(investor).get(reverse("portal:appeal_detail", args=[appeal.pk])))
    assert f"Назначена встреча «{TITLE}»" in history


def test_a_stranger_neither_sees_nor_gets_the_meeting(in_work, coordinator, executor, other_investor, make_user,
                                                    login, client):
    from core.roles import Role
    from tests.factories import OrganisationFactory

    appeal = in_work()
    meeting = schedule(appeal, coordinator, [executor])
    outsider = make_user(Role.EXECUTOR, organisation=OrganisationFactory(kind="oiv"))

    month = {"month": f"{timezone.localtime(meeting.starts_at):%Y-%m}"}
    assert TITLE not in page_text(login(outsider).get(reverse("admin:my_calendar"), month))
    assert login(outsider).get(reverse("admin:core_meeting_download_ics", args=[meeting.pk])).status_code == 404
    feed = client.get(reverse("portal:calendar_feed", args=[calendar_feed_token_for(other_investor)]))
    assert calendar_events(feed.content) == []


def test_with_a_project_the_meeting_is_also_in_the_projects_calendar(
    in_work, apply_project, coordinator, executor, investor, manager, login, client
):
    project = apply_project()
    appeal = in_work(project=project)
    meeting = schedule(appeal, coordinator, [executor])
    assert meeting.project == project

    tab = page_text(login(manager).get(reverse("admin:core_project_change", args=[project.pk]) + "?tab=meetings"))
    assert TITLE in tab
    portal = page_text(login(investor).get(reverse("portal:project_meetings", args=[project.pk])))
    assert TITLE in portal
    # a call among staff and the body, without the investor: they see it is planned, but get no way to join it
    # (core.selectors.projects.meetings_readable): no .ics, nothing in their feed
    ics_url = reverse("portal:project_meeting_ics", args=[project.pk, meeting.pk])
    assert login(investor).get(ics_url).status_code == 404
    feed_url = reverse("portal:calendar_feed", args=[calendar_feed_token_for(investor)])
    assert calendar_events(client.get(feed_url).content) == []

    # once the investor is invited, the .ics and the feed hold it
    meeting.participants.add(investor)
    (event,) = calendar_events(login(investor).get(ics_url).content)
    assert str(event["SUMMARY"]) == TITLE  # the project names it; the appeal is in the description when loaded
    client.logout()
    assert [str(e["SUMMARY"]) for e in calendar_events(client.get(feed_url).content)] == [TITLE]
