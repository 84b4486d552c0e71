"""Issue 10.2 as a matrix: the text typed in each dialog reaches the investor — their appeal page, their mail and
their DOCX — exactly when it is public (by the action's default, or by the dialog's «Видно инвестору»).

Each case drives a fresh appeal through the door to a status where the action is allowed, performs the action with
a unique marker and then reads what the investor gets. `letter` says whether the action writes to the investor at
all: where it does not (an assignment), a public text can reach them only through the page and the DOCX, and the
mail must simply never carry the marker. Staff letters may carry an internal note; the investor's never do.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from docx import Document

from core.choices import AppealEventKind, AppealStatus
from core.models import Appeal, AppealEvent, Fact, Notification
from core.roles import Role
from core.workflows.appeals import ACTIONS, appeal_transition

pytestmark = pytest.mark.django_db

DEFAULT = None  # the dialog left the action's default visibility
S = AppealStatus


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


# --- what the investor gets ----------------------------------------------------------------------------------
def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def investor_docx(client, appeal, investor) -> str:
    """The portal's «Скачать DOCX» (core.portal) — or, where that page is not there, the same document built for
    the investor as its reader."""
    try:
        url = reverse("portal:appeal_docx", args=[appeal.pk])
    except NoReverseMatch:  # pragma: no cover - the portal download landed with issue 10
        from core.documents.appeal_docx import appeal_card_docx
        from core.selectors.appeals import appeal_card_for

        return docx_text(appeal_card_docx(card=appeal_card_for(appeal=appeal, user=investor)))
    response = client.get(url)
    assert response.status_code == 200
    return docx_text(response.content)


def investor_sees(client, appeal, investor, marker: str) -> dict[str, bool]:
    page = client.get(reverse("portal:appeal_detail", args=[appeal.pk]))
    assert page.status_code == 200
    rows = Notification.objects.filter(recipient=investor)
    letters = [f"{row.subject}\n{row.body_text}\n{row.body_html}" for row in rows]
    for message in mail.outbox:
        if investor.email in message.to:
            letters.append(message.body)
            letters += [content for content, _type in getattr(message, "alternatives", [])]
    return {
        "page": marker in page.content.decode(),
        "mail": any(marker in letter for letter in letters),
        "docx": marker in investor_docx(client, appeal, investor),
    }


# --- the appeal brought to the status an action needs --------------------------------------------------------
@dataclass
class World:
    appeal: Appeal
    investor: object
    coordinator: object
    manager: object
    head: object
    executor: object
    omsu: object
    second_manager: object

    def assigned(self) -> Appeal:
        return act(self.appeal, "assign", self.coordinator, executor_organisation=self.manager.organisation,
                   manager=self.manager, head=self.head)

    def in_work(self) -> Appeal:
        return act(self.assigned(), "take_into_work", self.manager)

    def approval(self, answer: str = "Ответ агентства по существу.") -> Appeal:
        return act(self.in_work(), "submit_for_approval", self.manager, answer_text=answer)

    def answered(self) -> Appeal:
        return act(self.approval(), "approve", self.head)


def _text(public):
    return {} if public is DEFAULT else {"text_public": public}


def do_reject(w, marker, choice):
    return act(w.appeal, "reject", w.coordinator, reason=marker)


def do_assign(w, marker, choice):
    return act(w.appeal, "assign", w.coordinator, executor_organisation=w.manager.organisation, manager=w.manager,
               head=w.head, comment=marker, **_text(choice))


def do_redirect(w, marker, choice):
    return act(w.assigned(), "redirect", w.manager, executor_organisation=w.omsu, comment=marker, **_text(choice))


def do_appoint_manager(w, marker, choice):
    return act(w.assigned(), "appoint_manager", w.coordinator, manager=w.second_manager, comment=marker,
               **_text(choice))


def do_take_into_work(w, marker, choice):
    return act(w.assigned(), "take_into_work", w.manager, comment=marker, **_text(choice))


def do_request_clarification(w, marker, choice):
    return act(w.in_work(), "request_clarification", w.manager, comment=marker)


def do_submit_for_approval(w, marker, choice):
    return w.approval(answer=marker)


def do_approve_answer(w, marker, choice):
    return act(w.approval(answer=marker), "approve", w.head)


def do_approve_remark(w, marker, choice):
    return act(w.approval(), "approve", w.head, comment=marker)


def do_return_to_executor(w, marker, choice):
    return act(w.approval(), "return_to_executor", w.head, comment=marker, **_text(choice))


def do_close(w, marker, choice):
    return act(w.answered(), "close", w.coordinator, outcome=S.RESOLVED, comment=marker, **_text(choice))


def do_extend_deadline(w, marker, choice):
    appeal = w.in_work()
    return act(appeal, "extend_deadline", w.coordinator, new_deadline=appeal.deadline + timedelta(days=5),
               reason=marker, **_text(choice))


def do_reclassify(w, marker, choice):
    appeal = w.in_work()
    other = Fact.objects.filter(is_active=True).exclude(pk=appeal.fact_id).order_by("pk").first()
    return act(appeal, "reclassify", w.coordinator, fact=other, comment=marker, **_text(choice))


def do_escalate(w, marker, choice):
    appeal = act(w.answered(), "close", w.coordinator, outcome=S.NOT_RESOLVED)
    return act(appeal, "escalate", w.coordinator, session_date=timezone.localdate(), decision=marker,
               follow_up_deadline=timezone.localdate() + timedelta(days=30), **_text(choice))


def do_schedule_meeting(w, marker, choice):
    return act(w.in_work(), "schedule_meeting", w.manager, title=marker, starts_at=timezone.now() + timedelta(days=2),
               participants=[w.manager, w.investor], link="https://vks.example/room")


def do_meeting_minutes(w, marker, choice):
    appeal = do_schedule_meeting(w, "ВКС по обращению", choice)
    meeting = appeal.meetings.get()
    return act(appeal, "change_meeting", w.manager, meeting=meeting, change="held", minutes=marker)


def do_correct_description(w, marker, choice):
    return act(w.appeal, "correct", w.coordinator, subject=w.appeal.subject,
               description=f"{w.appeal.description} {marker}", comment="Исправлена опечатка")


def do_correct_comment(w, marker, choice):
    return act(w.appeal, "correct", w.coordinator, subject=w.appeal.subject,
               description=f"{w.appeal.description} (уточнено)", comment=marker)


def do_comment(w, marker, choice):
    return act(w.assigned(), "comment", w.manager, text=marker, is_public=bool(choice))


@dataclass(frozen=True)
class Case:
    action: str
    perform: object
    default_public: bool
    letter: bool = False  # the action writes to the investor (so a public text must be in their mail)
    choice: bool = True  # the dialog offers «Видно инвестору»
    what: str = ""


CASES = [
    Case("reject", do_reject, True, letter=True, choice=False, what="причина отклонения"),
    Case("assign", do_assign, False),
    Case("redirect", do_redirect, False),
    Case("appoint_manager", do_appoint_manager, False),
    Case("take_into_work", do_take_into_work, False),
    Case("request_clarification", do_request_clarification, True, letter=True, choice=False),
    Case("submit_for_approval", do_submit_for_approval, False, choice=False, what="проект ответа"),
    Case("approve", do_approve_answer, True, letter=True, choice=False, what="ответ"),
    Case("approve", do_approve_remark, False, choice=False, what="замечание руководителя"),
    Case("return_to_executor", do_return_to_executor, False),
    Case("close", do_close, True, letter=True),
    Case("extend_deadline", do_extend_deadline, True, letter=True),
    Case("reclassify", do_reclassify, False),
    Case("escalate", do_escalate, True),
    Case("schedule_meeting", do_schedule_meeting, True, letter=True, choice=False, what="тема встречи"),
    Case("change_meeting", do_meeting_minutes, False, choice=False, what="протокол встречи"),
    Case("correct", do_correct_description, True, choice=False, what="исправленный текст"),
    Case("correct", do_correct_comment, False, choice=False, what="комментарий к правке"),
    Case("comment", do_comment, False, letter=True, what="комментарий"),
]


def _params():
    for case in CASES:
        label = f"{case.action}-{case.what or 'текст'}"
        yield pytest.param(case, DEFAULT, case.default_public, id=f"{label}-по умолчанию")
        if case.choice:
            yield pytest.param(case, not case.default_public, not case.default_public,
                               id=f"{label}-{'видно' if not case.default_public else 'служебно'}")


@pytest.fixture
def world(file_appeal, investor, coordinator, manager, head, executor, omsu, make_user):
    company = investor.organisation
    company.personal_manager = coordinator
    company.save()
    return World(appeal=file_appeal(), investor=investor, coordinator=coordinator, manager=manager, head=head,
                 executor=executor, omsu=omsu,
                 second_manager=make_user(Role.MANAGER, organisation=manager.organisation))


def test_every_action_that_takes_text_is_in_the_matrix():
    """A new action with a dialog text must join the matrix (investor-facing ones are the investor's own words)."""
    covered = {case.action for case in CASES}
    takes_text = {name for name, action in ACTIONS.items() if not action.investor_facing} - {"link_project"}
    assert takes_text <= covered, takes_text - covered
    for case in CASES:
        if not case.what:  # the action's own text: the dialog offers the choice exactly when the door takes it
            assert ACTIONS[case.action].text_choice == case.choice, case.action


@pytest.mark.parametrize(("case", "choice", "public"), list(_params()))
def test_the_typed_text_reaches_the_investor_exactly_when_public(
    client, world, case, choice, public, django_capture_on_commit_callbacks
):
    marker = f"МЕТКА-{uuid.uuid4().hex[:12]}"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case.perform(world, marker, choice)
    client.force_login(world.investor)

    seen = investor_sees(client, world.appeal, world.investor, marker)

    assert seen["page"] is public, ("page", seen)
    assert seen["docx"] is public, ("docx", seen)
    assert seen["mail"] is (public and case.letter), ("mail", seen)
    # staff keep the text either way: on their card, as a line or as a «Служебное» note under it
    if case.what != "исправленный текст":
        assert AppealEvent.objects.filter(appeal=world.appeal, text__contains=marker).exists()


def test_the_matrix_would_catch_a_public_staff_instruction(client, world):
    """Before commit 2f438c6 the assignment's «…прошу взять в работу» was a public history line: the same checks
    find such a line on the page and in the DOCX, so the matrix fails on that code."""
    appeal = world.assigned()
    marker = f"МЕТКА-{uuid.uuid4().hex[:12]}"
    AppealEvent.objects.create(appeal=appeal, kind=AppealEventKind.TRANSITION, name="assign", actor=world.coordinator,
                               text=marker, is_public=True)
    client.force_login(world.investor)
    seen = investor_sees(client, appeal, world.investor, marker)
    assert seen["page"] and seen["docx"]


def test_staff_letters_carry_the_internal_note_and_the_investors_never_do(world, django_capture_on_commit_callbacks):
    marker = f"МЕТКА-{uuid.uuid4().hex[:12]}"
    with django_capture_on_commit_callbacks(execute=True):
        appeal = world.assigned()
        act(appeal, "redirect", world.manager, executor_organisation=world.omsu, comment=marker)
    staff_letters = Notification.objects.filter(event="appeal_redirected", recipient=world.coordinator,
                                                channel="email")
    assert staff_letters and all(marker in row.body_text and marker in row.body_html for row in staff_letters)
    assert "Служебный комментарий" in staff_letters[0].body_text
    assert not Notification.objects.filter(recipient=world.investor, body_text__contains=marker).exists()

    reason = f"МЕТКА-{uuid.uuid4().hex[:12]}"
    with django_capture_on_commit_callbacks(execute=True):
        appeal = Appeal.objects.get(pk=appeal.pk)
        act(appeal, "extend_deadline", world.head, new_deadline=appeal.deadline + timedelta(days=3),
            reason=reason, text_public=False)
    extended = Notification.objects.filter(event="appeal_deadline_extended")
    investor_rows = extended.filter(recipient=world.investor)
    assert investor_rows and not any(reason in row.body_text or reason in row.body_html for row in investor_rows)
    assert any(reason in row.body_text for row in extended.exclude(recipient=world.investor))
    investor_mail = [m for m in mail.outbox if world.investor.email in m.to]
    assert investor_mail and not any(reason in m.body for m in investor_mail)
