"""The in-app notices: every event of the catalogue has its own one-line notice (notice.txt) saying what happened
to which object, rendered from the same context as the letter and stored as the notice row's subject and text.
A notice carries no typed text at all, so an internal comment can never reach an investor through it.

The objects and the recipients come from the letter tests' builders (one per event, through the doors)."""

import re
from datetime import date

import pytest
import time_machine

from core.models import Appeal, ExportJob, Meeting, Notification, ParticipantRequest, Project, RoadmapItem, Task, User
from core.models.notifications import Channel
from core.notifications.events import EVENTS
from core.selectors.visibility import is_staff_member
from core.services.notifications import _render_notice
from tests.core import test_notification_templates as letters
from tests.core.test_notification_templates import BUILDERS, FILED, TEMPLATES, Case, act, context

pytestmark = pytest.mark.django_db

world = letters.world  # the letter tests' fixture: the ready people and the doors that make the objects

LONGEST = 160  # a notice is a line of the list, not a paragraph
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
INTERNAL = "СЛУЖЕБНАЯ-ПОМЕТКА-7f3a"  # put into every context as the internal note and as the history line's text

# Everything a person types in the builders: comments, reasons, questions, answers, agendas, request texts.
TYPED = [letters.REASON, letters.ASSIGN_NOTE, letters.REDIRECT_NOTE, letters.QUESTION, letters.CLARIFICATION,
         letters.ANSWER, letters.REMARKS, letters.REWORK, letters.EXTENSION, letters.SUSPEND_REASON, letters.AGENDA,
         letters.REQUEST_TEXT, letters.PLACE, letters.VKS]


def names_the_object(obj, extra: dict) -> list[str]:
    """What in a notice's line tells which object it is about."""
    if isinstance(obj, Appeal):
        return [f"№{obj.number}"]
    if isinstance(obj, Project):
        return [obj.registry_number]
    if isinstance(obj, (Task, Meeting, RoadmapItem)):
        return [obj.title]
    if isinstance(obj, ParticipantRequest):
        return [obj.subject, obj.project.registry_number]
    if isinstance(obj, ExportJob):
        return ["Обращения", obj.file_format.upper()]
    if isinstance(obj, User):  # the head's digest: the day it is for
        return [f"{extra['today']:%d.%m.%Y}"]
    raise AssertionError(f"no rule for {type(obj).__name__}")


def notice_for(code: str, case: Case, **extra) -> str:
    ctx = {**context(code, case), **extra}
    with time_machine.travel(case.at or FILED, tick=False):
        return _render_notice(code, ctx)


def test_every_event_of_the_catalogue_has_a_notice_template():
    for code in EVENTS:
        assert (TEMPLATES / code / "notice.txt").is_file(), f"missing notifications/{code}/notice.txt"


@pytest.mark.parametrize("code", list(EVENTS))
def test_each_notice_is_one_russian_line_naming_its_object_without_typed_text(code, world):
    with time_machine.travel(FILED, tick=False):
        cases = BUILDERS[code](world)
    for case in cases:
        where = f"{code} → {case.recipient.email}"
        history = case.extra.get("history")
        if history is not None:
            history.text = INTERNAL  # as if the step's text were an internal comment
        line = notice_for(code, case, note=INTERNAL)

        assert line and CYRILLIC.search(line), f"{where}: {line!r}"
        assert "\n" not in line and len(line) <= LONGEST, f"{where}: not one short line: {line!r}"
        for leftover in ("{{", "{%", "None", "http", "@"):
            assert leftover not in line, f"{where}: {leftover!r} in {line!r}"
        for name in names_the_object(case.obj, case.extra):
            assert name in line, f"{where}: {name!r} not named in {line!r}"
        for typed in (INTERNAL, *TYPED):
            assert typed not in line, f"{where}: typed text in the notice: {line!r}"
        if not is_staff_member(case.recipient):
            for person in world.staff():
                assert person.full_name not in line, f"{where}: a staff member's name"

    # the doors wrote the rows themselves: each notice row is its line, never the letter
    for row in Notification.objects.filter(channel=Channel.SITE, event=code):
        assert row.subject == row.body_text and "\n" not in row.subject and len(row.subject) <= LONGEST, row.subject
        assert not row.body_html and not row.attachment_name, f"{code}: the letter's parts stay in the letter"
        assert not any(typed in row.subject for typed in TYPED), f"{code}: typed text in {row.subject!r}"


def test_the_notice_says_what_happened(world):
    """A few lines read in full: what happened, to what."""
    with time_machine.travel(FILED, tick=False):
        redirected = BUILDERS["appeal_redirected"](world)[0]
        overdue = BUILDERS["task_overdue"](world)[0]
    number = redirected.obj.number
    assert notice_for("appeal_redirected", redirected) == (
        f"Обращение №{number} перенаправлено, новый исполнитель — {world.omsu.short_name}"
    )
    assert notice_for("task_overdue", overdue) == f"Срок по задаче «{letters.TASK}» истёк 25.02.2025"


def test_an_internal_comment_never_reaches_the_investor(world):
    """Assign and redirect with internal comments, a deadline moved for an internal reason: the staff are told
    in one line, the investor's notices (and the staff's) carry none of the typed text."""
    assign_note, redirect_note, extension = (f"{INTERNAL}-назначение", f"{INTERNAL}-перенаправление",
                                             f"{INTERNAL}-перенос")
    appeal = world.filed()
    appeal = act(appeal, "assign", world.coordinator, executor_organisation=world.agency, manager=world.manager,
                 comment=assign_note)
    appeal = act(appeal, "redirect", world.manager, executor_organisation=world.omsu, comment=redirect_note)
    appeal = act(appeal, "extend_deadline", world.coordinator, new_deadline=appeal.deadline.replace(year=2099),
                 reason=extension, text_public=False)
    assert appeal.events.filter(kind="note").count() == 3, "the three texts went to internal notes"

    notices = Notification.objects.filter(channel=Channel.SITE, object_kind="appeal", object_id=appeal.pk)
    to_investor = list(notices.filter(recipient=world.investor).values_list("subject", "body_text"))
    assert {"appeal_registered", "appeal_deadline_extended"} <= set(
        notices.filter(recipient=world.investor).values_list("event", flat=True)
    )
    for subject, text in to_investor:
        assert INTERNAL not in subject and INTERNAL not in text, subject

    redirected = notices.get(event="appeal_redirected", recipient=world.omsu_head)
    assert redirected.subject == (
        f"Обращение №{appeal.number} перенаправлено, новый исполнитель — {world.omsu.short_name}"
    )
    for subject, text in notices.values_list("subject", "body_text"):
        assert INTERNAL not in subject and INTERNAL not in text, subject

    # the staff letter keeps the internal comment, so the notice is not hiding what the letter says
    letter = Notification.objects.get(channel=Channel.EMAIL, event="appeal_redirected", recipient=world.omsu_head)
    assert redirect_note in letter.body_text


def test_a_deadline_moved_for_the_investor_reads_the_new_date(world):
    appeal = world.assigned()
    act(appeal, "extend_deadline", world.coordinator, new_deadline=date(2099, 3, 20), reason=letters.EXTENSION)
    line = Notification.objects.get(channel=Channel.SITE, event="appeal_deadline_extended",
                                    recipient=world.investor).subject
    assert line == f"Срок ответа на обращение №{appeal.number} перенесён на 20.03.2099"
