"""iCalendar files (RFC 5545): one meeting as .ics, and a person's feed of meetings and deadlines.

Pure functions over rows the caller has already loaded: nothing here queries the database. A row's project is
named only when it came with the row (`select_related("project")`), so rendering a feed never adds queries; a meeting
about an appeal names the appeal the same way (`select_related("appeal")`).
Times are written in UTC; task due dates and roadmap milestones are all-day events.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from core.choices import MeetingFormat, MeetingStatus
from core.models import Meeting, RoadmapItem, Task, User

PRODID = "-//Зелёный коридор//CRM сопровождения инвестпроектов//RU"
UID_DOMAIN = "zelenyi-koridor"
LINE_OCTETS = 75  # RFC 5545 §3.1: longer content lines are folded
CRLF = b"\r\n"
FEED_REFRESH = "PT1H"


def ics_escape(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ics_fold(line: str) -> bytes:
    """One content line as UTF-8 octets, folded so no physical line exceeds 75 octets (the leading space of a
    continuation counts) and no multi-byte character is split."""
    data, lines, limit = line.encode("utf-8"), [], LINE_OCTETS
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character instead
            cut -= 1
        lines.append(data[:cut])
        data, limit = data[cut:], LINE_OCTETS - 1
    lines.append(data)
    return (CRLF + b" ").join(lines) + CRLF


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _project_line(row: Model) -> str:
    """«Проект: ИП-2025-00001 Логистический комплекс» when the project was loaded with the row, else nothing."""
    if not type(row).project.is_cached(row) or row.project is None:
        return ""
    return gettext("Проект: %(project)s") % {"project": row.project}


def _appeal_line(meeting: Meeting) -> str:
    """«Обращение №741: Согласование съезда» when the meeting is about an appeal loaded with it, else nothing."""
    if not Meeting.appeal.is_cached(meeting) or meeting.appeal is None:
        return ""
    return gettext("Обращение №%(number)s: %(subject)s") % {
        "number": meeting.appeal.number, "subject": meeting.appeal.subject,
    }


def _meeting_title(meeting: Meeting) -> str:
    """A meeting without a project says in its title which appeal it is about: the calendar shows only the title."""
    if meeting.project_id or not Meeting.appeal.is_cached(meeting) or meeting.appeal is None:
        return meeting.title
    return gettext("%(title)s (обращение №%(number)s)") % {"title": meeting.title, "number": meeting.appeal.number}


def _text(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _calendar(events: list[list[str]], *, name: str = "") -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        head += [
            f"X-WR-CALNAME:{ics_escape(name)}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{FEED_REFRESH}",
            f"X-PUBLISHED-TTL:{FEED_REFRESH}",
        ]
    lines = [*head, *(line for event in events for line in event), "END:VCALENDAR"]
    return b"".join(ics_fold(line) for line in lines)


def _meeting_event(meeting: Meeting, stamp: str) -> list[str]:
    start = meeting.starts_at
    end = start + timedelta(minutes=meeting.duration_minutes)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    title = _meeting_title(meeting)
    title = gettext("Отменена: %(title)s") % {"title": title} if cancelled else title
    link = gettext("Ссылка на ВКС: %(link)s") % {"link": meeting.link} if meeting.link else ""
    event = [
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}@{UID_DOMAIN}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{ics_escape(title)}",
    ]
    location = meeting.place if meeting.format == MeetingFormat.IN_PERSON or not meeting.link else meeting.link
    if location:
        event.append(f"LOCATION:{ics_escape(location)}")
    if meeting.link:
        event.append(f"URL:{meeting.link}")
    description = _text(meeting.agenda.strip(), _project_line(meeting), _appeal_line(meeting), link)
    if description:
        event.append(f"DESCRIPTION:{ics_escape(description)}")
    event += [f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}", "END:VEVENT"]
    return event


def _all_day_event(*, uid: str, day: date, summary: str, description: str, stamp: str,
                   modified: datetime | None = None) -> list[str]:
    event = [
        "BEGIN:VEVENT",
        f"UID:{uid}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_day(day)}",
        f"DTEND;VALUE=DATE:{_day(day + timedelta(days=1))}",
        f"SUMMARY:{ics_escape(summary)}",
    ]
    if modified is not None:
        event.append(f"LAST-MODIFIED:{_utc(modified)}")
    if description:
        event.append(f"DESCRIPTION:{ics_escape(description)}")
    event += ["TRANSP:TRANSPARENT", "END:VEVENT"]  # a deadline does not make the person busy all day
    return event


def _task_event(task: Task, stamp: str) -> list[str]:
    return _all_day_event(
        uid=f"task-{task.pk}", day=task.due_date, stamp=stamp, modified=task.updated_at,
        summary=gettext("Срок задачи: %(title)s") % {"title": task.title},
        description=_text(task.description.strip(), _project_line(task),
                          gettext("Статус: %(status)s") % {"status": task.get_status_display()}),
    )


def _milestone_event(item: RoadmapItem, stamp: str) -> list[str]:
    plan = gettext("План: %(start)s – %(end)s") % {
        "start": f"{item.planned_start:%d.%m.%Y}", "end": f"{item.planned_end:%d.%m.%Y}"
    }
    return _all_day_event(
        uid=f"roadmap-{item.pk}", day=item.planned_end, stamp=stamp,
        summary=gettext("Контрольная точка: %(title)s") % {"title": item.title},
        description=_text(_project_line(item), plan,
                          gettext("Статус: %(status)s") % {"status": item.get_status_display()}),
    )


def meeting_ics(meeting: Meeting) -> bytes:
    """The meeting as a one-event calendar file; calendars replace an earlier copy by UID and SEQUENCE."""
    return _calendar([_meeting_event(meeting, _utc(timezone.now()))])


def user_feed_ics(*, user: User, meetings: Iterable[Meeting], tasks: Iterable[Task],
                  roadmap_items: Iterable[RoadmapItem]) -> bytes:
    """A person's subscribable calendar: meetings as timed events, task due dates and roadmap milestones as
    all-day events."""
    stamp = _utc(timezone.now())
    events = [
        *(_meeting_event(meeting, stamp) for meeting in meetings),
        *(_task_event(task, stamp) for task in tasks),
        *(_milestone_event(item, stamp) for item in roadmap_items),
    ]
    return _calendar(events, name=gettext("Зелёный коридор: %(name)s") % {"name": user.full_name})
