"""iCalendar output (RFC 5545) read back as a calendar app would: CRLF lines of at most 75 octets, unfolded and
unescaped to the values that went in, times in UTC, SEQUENCE growing with each change."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from core.choices import MeetingStatus
from core.documents.ics import ics_fold, meeting_ics, user_feed_ics
from core.models import Meeting
from core.selectors.calendar_feed import calendar_feed_rows_for
from core.services.projects import meeting_save, meeting_set_status, roadmap_item_save
from core.workflows.tasks import task_create

MOSCOW = timezone.get_fixed_timezone(180)
TITLE = "Встреча по подключению: газ, электричество; вода"
AGENDA = "1. Сроки подключения, мощность 2,5 МВт;\n2. Путь C:\\проекты\\Южный\n" + "Длинная повестка " * 12


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, "every line ends with CRLF, never a bare LF or CR"
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # folding never cuts a character in two
    return lines


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def parse(data: bytes) -> list[dict[str, str]]:
    """Components as {name with parameters: value}, after unfolding; the calendar itself first."""
    unfolded = b"\r\n".join(physical_lines(data)).replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
    components, stack = [], []
    for line in unfolded:
        name, _colon, value = line.partition(":")
        if name == "BEGIN":
            stack.append({"BEGIN": value})
            components.append(stack[-1])
        elif name == "END":
            assert stack.pop()["BEGIN"] == value
        else:
            stack[-1][name] = value
    assert not stack
    return components


def events(data: bytes) -> list[dict[str, str]]:
    return [c for c in parse(data) if c["BEGIN"] == "VEVENT"]


@pytest.fixture
def project(apply_project):
    return apply_project()


@pytest.fixture
def meeting(project, manager, investor) -> Meeting:
    return meeting_save(
        project=project, actor=manager, participants=[manager, investor], title=TITLE,
        starts_at=datetime(2025, 10, 7, 10, 0, tzinfo=MOSCOW), duration_minutes=90, format="in_person",
        place="Тосно, пр. Ленина, д. 1, каб. 5", agenda=AGENDA,
    )


def test_a_meeting_reads_back_with_its_values_in_utc(meeting):
    data = meeting_ics(meeting)

    calendar, event = parse(data)[0], events(data)[0]
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH" and "PRODID" in calendar
    assert event["UID"] == f"{meeting.uid}@zelenyi-koridor"
    assert event["SEQUENCE"] == "0"
    assert event["DTSTART"] == "20251007T070000Z"  # 10:00 in Moscow
    assert event["DTEND"] == "20251007T083000Z"
    assert event["DTSTAMP"].endswith("Z") and len(event["DTSTAMP"]) == 16
    assert unescape(event["SUMMARY"]) == TITLE
    assert unescape(event["LOCATION"]) == "Тосно, пр. Ленина, д. 1, каб. 5"
    assert unescape(event["DESCRIPTION"]).startswith(AGENDA.strip())
    assert event["STATUS"] == "CONFIRMED"


def test_commas_semicolons_backslashes_and_newlines_are_escaped(meeting):
    event = events(meeting_ics(meeting))[0]

    assert event["SUMMARY"] == "Встреча по подключению: газ\\, электричество\\; вода"
    assert "\\n2. Путь C:\\\\проекты\\\\Южный\\n" in event["DESCRIPTION"]


def test_long_lines_are_folded_at_75_octets_without_splitting_letters(meeting):
    data = meeting_ics(meeting)

    folded = [line for line in physical_lines(data) if line.startswith(b" ")]
    assert folded, "the long agenda is folded"
    assert max(len(line) for line in physical_lines(data)) <= 75
    for text in ("ж" * 100, "a" * 200, "ab" + "ж" * 40, "€" * 60):
        lines = physical_lines(ics_fold(f"SUMMARY:{text}"))
        assert b"".join(line[1:] if i else line for i, line in enumerate(lines)).decode() == f"SUMMARY:{text}"


def test_each_change_raises_the_sequence_and_a_cancelled_meeting_says_so(meeting, project, manager, investor):
    moved = meeting_save(project=project, actor=manager, meeting=meeting, participants=[manager, investor],
                         starts_at=meeting.starts_at + timedelta(days=1))
    event = events(meeting_ics(moved))[0]
    assert (event["SEQUENCE"], event["DTSTART"], event["UID"]) == ("1", "20251008T070000Z",
                                                                   f"{meeting.uid}@zelenyi-koridor")

    cancelled = meeting_set_status(meeting=moved, actor=manager, status=MeetingStatus.CANCELLED)
    event = events(meeting_ics(cancelled))[0]
    assert event["SEQUENCE"] == "2" and event["STATUS"] == "CANCELLED"
    assert unescape(event["SUMMARY"]).startswith("Отменена: ")


def test_a_video_meeting_gives_its_link_as_the_location(project, manager):
    video = meeting_save(project=project, actor=manager, title="ВКС", format="video",
                         link="https://vks.zk.example/room/1", starts_at=timezone.now())

    event = events(meeting_ics(video))[0]

    assert event["LOCATION"] == "https://vks.zk.example/room/1" == event["URL"]
    assert "Ссылка на ВКС: https://vks.zk.example/room/1" in unescape(event["DESCRIPTION"])


@time_machine.travel("2025-10-01 12:00 +03:00", tick=False)
def test_the_feed_holds_meetings_and_all_day_deadlines_without_a_query(
    meeting, project, manager, investor, django_assert_num_queries
):
    item = roadmap_item_save(project=project, actor=manager, title="Разрешение на строительство, РНС",
                             planned_start=date(2025, 10, 1), planned_end=date(2025, 12, 15))
    task_create(author=investor, assignee=manager, title="Согласовать дату", due_date=date(2025, 10, 10),
                project=project)
    task_create(author=manager, assignee=manager, title="Из дорожной карты", due_date=None, roadmap_item=item)
    rows = calendar_feed_rows_for(manager)

    with django_assert_num_queries(0):
        data = user_feed_ics(user=manager, meetings=rows.meetings, tasks=rows.tasks, roadmap_items=rows.roadmap_items)

    calendar, found = parse(data)[0], events(data)
    assert unescape(calendar["X-WR-CALNAME"]) == f"Зелёный коридор: {manager.full_name}"
    assert calendar["REFRESH-INTERVAL;VALUE=DURATION"] == "PT1H"
    by_summary = {unescape(e["SUMMARY"]): e for e in found}
    assert by_summary[TITLE]["DTSTART"] == "20251007T070000Z"
    task = by_summary["Срок задачи: Согласовать дату"]
    assert (task["DTSTART;VALUE=DATE"], task["DTEND;VALUE=DATE"]) == ("20251010", "20251011")
    assert task["TRANSP"] == "TRANSPARENT" and task["UID"].startswith("task-")
    assert by_summary["Срок задачи: Из дорожной карты"]["DTSTART;VALUE=DATE"] == "20251215"
    milestone = by_summary["Контрольная точка: Разрешение на строительство, РНС"]
    assert milestone["DTSTART;VALUE=DATE"] == "20251215"
    assert f"Проект: {project}" in unescape(milestone["DESCRIPTION"])
    assert len({e["UID"] for e in found}) == len(found) == 4
