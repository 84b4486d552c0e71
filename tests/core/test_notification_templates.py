"""The notification letters: every event of the catalogue renders a Russian subject, a plain-text letter and an
HTML letter from the context `notify` gives it. The objects are made through the doors (which already write their
own notices with these templates); the context is built the way `notify` builds it, for each face that receives
the event, at a moment when the deadlines say what the letter is about."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape

from core.choices import MeetingStatus, ProjectStage
from core.models import Appeal, Meeting, Notification, ParticipantRequest, Project, User
from core.notifications.events import EVENTS, INVESTOR, STAFF
from core.notifications.links import appeal_action_link, link_for, notifications_link, preferences_link
from core.region import current_region
from core.roles import Role
from core.selectors.visibility import is_staff_member
from core.services.deadlines import digest_for
from core.services.notifications import _render
from core.services.projects import meeting_save, meeting_set_status, request_send, roadmap_item_save
from core.workflows.appeals import appeal_transition
from core.workflows.projects import project_transition
from core.workflows.tasks import task_create

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "notifications"
MOSCOW = timezone.get_fixed_timezone(180)
FILED = "2025-02-21 12:00 +03:00"  # a «Проблема» filed now is due 13.03.2025 (20 calendar days)
DEADLINE, NEW_DEADLINE = "13.03.2025", "20.03.2025"

# Values with characters HTML escapes: the text letter keeps them as they are, the HTML letter escapes them.
SUBJECT = 'Съезд & примыкание к ул. "Промышленной"'
REASON = "Вопрос не относится к инвестиционной деятельности"
ASSIGN_NOTE = "Прошу подготовить ответ с учётом позиции дорожного комитета"
REDIRECT_NOTE = "Просим рассмотреть согласование примыкания"
QUESTION = "Уточните кадастровый номер участка и приложите схему съезда"
CLARIFICATION = "Кадастровый номер 47:26:0000000:1234, схема во вложении"
ANSWER = "Проект примыкания согласован, письмо с решением направлено в адрес компании"
REMARKS = "Добавьте в ответ срок действия согласования"
REWORK = "В ответе не указан срок выдачи технических условий"
EXTENSION = "Ожидаем заключение профильного комитета"
SUSPEND_REASON = "Инвестор пересматривает сроки финансирования"
TASK = "Подготовить справку по земельному участку"
MEETING = "Совещание по подключению к сетям"
PLACE = "Тосно, пр. Ленина, д. 1, каб. 5"
AGENDA = "Сроки подключения и мощность"
VKS = "https://vks.zk.example/room/42"
REQUEST = "Возможность подключения к газораспределительной сети"
REQUEST_TEXT = "Просим сообщить о возможности подключения объекта мощностью 250 м³/ч"
ROADMAP = "Получение технических условий"

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ENTITY = re.compile(r"&(?:amp|quot|lt|gt|#x27|#39|laquo|raquo|nbsp);")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --- the people and the objects -------------------------------------------------------------------------------
class World:
    """The fixtures' people and the doors that make the objects; the project is made only when asked for."""

    def __init__(self, request, **people):
        self.request, self._project = request, None
        self.__dict__.update(people)

    def project(self) -> Project:
        if self._project is None:  # the company's personal manager becomes the ready manager from here on
            self._project = self.request.getfixturevalue("apply_project")()
        return self._project

    def filed(self) -> Appeal:
        return self.file_appeal(subject=SUBJECT)

    def assigned(self, appeal=None) -> Appeal:
        return act(appeal or self.filed(), "assign", self.coordinator, executor_organisation=self.agency,
                   manager=self.manager, comment=ASSIGN_NOTE)

    def in_work(self) -> Appeal:
        return act(self.assigned(), "take_into_work", self.manager)

    def awaiting_approval(self) -> Appeal:
        return act(self.in_work(), "submit_for_approval", self.manager, answer_text=ANSWER)

    def answered(self) -> Appeal:
        return act(self.awaiting_approval(), "approve", self.head)

    def staff(self) -> list[User]:
        return [self.manager, self.coordinator, self.head, self.executor, self.omsu_head]


@pytest.fixture
def world(request, investor, manager, coordinator, head, executor, agency, omsu, make_user, file_appeal):
    return World(request, investor=investor, manager=manager, coordinator=coordinator, head=head, executor=executor,
                 agency=agency, omsu=omsu, omsu_head=make_user(Role.HEAD, organisation=omsu),
                 file_appeal=file_appeal)


def act(appeal: Appeal, name: str, actor: User, **data) -> Appeal:
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def history(obj):
    return obj.events.exclude(kind="note").order_by("pk").last()


def with_note(appeal) -> dict:
    """The door's context for a step whose typed text stays internal: the public line and the staff note."""
    note = appeal.events.filter(kind="note").order_by("pk").last()
    return {"history": history(appeal), "note": note.text if note else ""}


def d(value) -> str:
    return f"{value:%d.%m.%Y}"


@dataclass
class Case:
    """One letter: to whom, about what, the event's extra context, when it is rendered and what it must say."""

    recipient: User
    obj: object
    extra: dict = field(default_factory=dict)
    facts: tuple[str, ...] = ()
    at: str | None = None


# --- one builder per event: the objects through the doors, and the recipients the rules would pick -------------
def appeal_registered(w):
    appeal = w.filed()
    return [Case(w.investor, appeal, facts=(SUBJECT, DEADLINE))]


def appeal_new(w):
    appeal = w.filed()
    return [Case(w.coordinator, appeal, facts=(SUBJECT, DEADLINE, appeal.organisation_name))]


def appeal_rejected(w):
    appeal = act(w.filed(), "reject", w.coordinator, reason=REASON)
    return [Case(w.investor, appeal, {"history": history(appeal)}, facts=(SUBJECT, REASON))]


def appeal_assigned(w):
    appeal = w.assigned()
    facts = (SUBJECT, DEADLINE, ASSIGN_NOTE, w.agency.short_name)
    return [Case(person, appeal, with_note(appeal), facts) for person in (w.manager, w.coordinator)]


def appeal_redirected(w):
    appeal = act(w.assigned(), "redirect", w.manager, executor_organisation=w.omsu, comment=REDIRECT_NOTE)
    # seed #737: the agency's head stays; with no manager named, the executor side is the body's head
    assert appeal.head != w.omsu_head and appeal.manager is None
    facts = (SUBJECT, DEADLINE, REDIRECT_NOTE, w.omsu.short_name)
    return [Case(person, appeal, with_note(appeal), facts) for person in (w.omsu_head, w.coordinator)]


def appeal_clarification_requested(w):
    appeal = act(w.in_work(), "request_clarification", w.manager, comment=QUESTION)
    reply_link = appeal_action_link(appeal, "provide_clarification")
    return [Case(w.investor, appeal, {"history": history(appeal), "reply_link": reply_link},
                 facts=(SUBJECT, QUESTION, reply_link))]


def appeal_clarification_provided(w):
    asked = act(w.in_work(), "request_clarification", w.manager, comment=QUESTION)
    appeal = act(asked, "provide_clarification", w.investor, comment=CLARIFICATION)
    return [Case(w.manager, appeal, {"history": history(appeal)}, facts=(SUBJECT, DEADLINE, CLARIFICATION))]


def appeal_awaiting_approval(w):
    appeal = w.awaiting_approval()
    return [Case(w.head, appeal, {"history": history(appeal)}, facts=(SUBJECT, DEADLINE, ANSWER))]


def appeal_returned_to_executor(w):
    appeal = act(w.awaiting_approval(), "return_to_executor", w.head, comment=REMARKS)
    return [Case(w.manager, appeal, {"history": history(appeal)}, facts=(SUBJECT, DEADLINE, REMARKS))]


def appeal_answered(w):
    appeal = w.answered()
    links = {"rate_link": appeal_action_link(appeal, "rate"),
             "rework_link": appeal_action_link(appeal, "send_back_for_rework")}
    return [Case(w.investor, appeal, {"history": history(appeal), **links}, facts=(SUBJECT, ANSWER, *links.values()))]


def appeal_rework(w):
    appeal = act(w.answered(), "send_back_for_rework", w.investor, reason=REWORK)
    return [Case(person, appeal, {"history": history(appeal)}, facts=(SUBJECT, DEADLINE, REWORK))
            for person in (w.manager, w.head, w.coordinator)]


def appeal_deadline_extended(w):
    appeal = act(w.assigned(), "extend_deadline", w.coordinator, new_deadline=date(2025, 3, 20), reason=EXTENSION)
    facts = (DEADLINE, NEW_DEADLINE, EXTENSION)
    return [Case(person, appeal, {"history": history(appeal)}, facts)
            for person in (w.investor, w.coordinator, w.manager)]


STAFF_COMMENT = "Документы получены, готовим ответ с учётом позиции комитета"
INVESTOR_COMMENT = "Прилагаем уточнённую схему съезда"
CLOSING = "Съезд согласован, вопрос решён"


def appeal_comment(w):
    appeal = act(w.in_work(), "comment", w.manager, text=STAFF_COMMENT, is_public=True)
    to_investor = Case(w.investor, appeal, {"history": history(appeal)}, facts=(SUBJECT, STAFF_COMMENT))
    appeal = act(appeal, "comment", w.investor, text=INVESTOR_COMMENT)
    to_staff = [Case(person, appeal, {"history": history(appeal), "from_investor": True},
                     facts=(INVESTOR_COMMENT, DEADLINE)) for person in (w.manager, w.coordinator)]
    return [to_investor, *to_staff]


def appeal_closed(w):
    appeal = act(w.answered(), "close", w.coordinator, outcome="resolved", comment=CLOSING)
    return [Case(w.investor, appeal, {"history": history(appeal)}, facts=(SUBJECT, "Решено", CLOSING))]


def _ladder(w, at, days_left, *recipients):
    appeal = w.assigned()
    facts = (SUBJECT, DEADLINE, appeal.organisation_name, appeal.get_status_display())
    if days_left is not None:
        facts += (f"Дней до окончания срока: {days_left}",)
    return [Case(person(w), appeal, facts=facts, at=at) for person in recipients]


def appeal_deadline_50(w):
    return _ladder(w, "2025-03-03 10:00 +03:00", 10, lambda w: w.manager)


def appeal_deadline_80(w):
    return _ladder(w, "2025-03-10 10:00 +03:00", 3, lambda w: w.manager)


def appeal_overdue(w):
    return _ladder(w, "2025-03-16 10:00 +03:00", None, lambda w: w.manager, lambda w: w.head, lambda w: w.coordinator)


def project_stage_changed(w):
    project = project_transition(project=w.project(), name="start_review", actor=w.manager)
    project = project_transition(project=project, name="suspend", actor=w.manager, reason=SUSPEND_REASON)
    facts = (project.registry_number, project.name, str(ProjectStage.REVIEW.label), str(ProjectStage.SUSPENDED.label),
             SUSPEND_REASON)
    return [Case(w.investor, project, {"history": history(project)}, facts)]


def task_assigned(w):
    project = w.project()
    task = task_create(author=w.investor, assignee=w.manager, title=TASK, due_date=date(2025, 3, 3), project=project,
                       description="Сведения о правах на участок и обременениях")
    return [Case(w.manager, task, facts=(TASK, "03.03.2025", project.registry_number, w.investor.full_name))]


def task_overdue(w):
    task = task_create(author=w.coordinator, assignee=w.manager, title=TASK, due_date=date(2025, 2, 25))
    assert task.project is None
    return [Case(person, task, facts=(TASK, "25.02.2025"), at="2025-03-01 09:00 +03:00")
            for person in (w.manager, w.coordinator)]


def _meeting(w) -> Meeting:
    return meeting_save(
        project=w.project(), actor=w.manager, participants=[w.manager, w.investor], title=MEETING,
        starts_at=datetime(2025, 3, 4, 10, 0, tzinfo=MOSCOW), duration_minutes=90, format="in_person", place=PLACE,
        agenda=AGENDA,
    )


def _meeting_cases(w, meeting, *facts):
    facts = (MEETING, w.project().registry_number, ".ics", *facts)
    return [Case(person, meeting, facts=facts) for person in (w.investor, w.manager)]


def meeting_scheduled(w):
    return _meeting_cases(w, _meeting(w), "04.03.2025 10:00", PLACE, AGENDA)


def meeting_changed(w):
    meeting = meeting_save(project=w.project(), actor=w.manager, meeting=_meeting(w),
                           participants=[w.manager, w.investor], format="video", link=VKS,
                           starts_at=datetime(2025, 3, 5, 15, 30, tzinfo=MOSCOW))
    return _meeting_cases(w, meeting, "05.03.2025 15:30", VKS)


def meeting_cancelled(w):
    meeting = meeting_set_status(meeting=_meeting(w), actor=w.manager, status=MeetingStatus.CANCELLED)
    return _meeting_cases(w, meeting, "04.03.2025 10:00")


def _request(w) -> ParticipantRequest:
    return request_send(project=w.project(), actor=w.manager, organisation=w.omsu, subject=REQUEST,
                        text=REQUEST_TEXT, due_date=date(2025, 2, 28))


def request_sent(w):
    facts = (REQUEST, REQUEST_TEXT, "28.02.2025", w.project().registry_number, w.omsu.short_name)
    return [Case(w.executor, _request(w), facts=facts)]


def request_overdue(w):
    facts = (REQUEST, "28.02.2025", w.project().registry_number, w.omsu.short_name)
    request = _request(w)
    return [Case(person, request, facts=facts, at="2025-03-03 09:00 +03:00") for person in (w.executor, w.manager)]


def roadmap_overdue(w):
    item = roadmap_item_save(project=w.project(), actor=w.manager, title=ROADMAP, planned_start=date(2025, 2, 21),
                             planned_end=date(2025, 2, 26), responsible_organisation=w.omsu)
    return [Case(w.manager, item, facts=(ROADMAP, "26.02.2025", w.project().registry_number),
                 at="2025-03-01 09:00 +03:00")]


def head_digest(w):
    project = w.project()
    w.assigned()  # the agency manager's appeal, due 13.03
    unassigned = act(w.filed(), "assign", w.coordinator, executor_organisation=w.omsu, manager=w.executor)
    act(unassigned, "redirect", w.coordinator, executor_organisation=w.agency, comment=REDIRECT_NOTE)  # no manager
    task_create(author=w.coordinator, assignee=w.manager, title=TASK, due_date=date(2025, 3, 12), project=project)
    task_create(author=w.coordinator, assignee=w.manager, title="Согласовать дату выезда на участок",
                due_date=date(2025, 3, 16))
    request_send(project=project, actor=w.manager, organisation=w.agency, subject=REQUEST, text=REQUEST_TEXT,
                 due_date=date(2025, 3, 15))
    roadmap_item_save(project=project, actor=w.manager, title=ROADMAP, planned_start=date(2025, 2, 21),
                      planned_end=date(2025, 3, 10))
    today = date(2025, 3, 14)
    items = digest_for(w.head, today)
    assert [len(items[key]) for key in ("appeals", "tasks", "requests", "roadmap")] == [2, 2, 1, 1]
    extra = {"today": today, "items": items, "overdue_appeals": [a for a in items["appeals"] if a.deadline < today]}
    facts = ("14.03.2025", SUBJECT, TASK, "Согласовать дату выезда на участок", REQUEST, ROADMAP, "просрочено",
             "(2)", "(1)", w.manager.full_name, project.registry_number)
    return [Case(w.head, w.head, extra, facts, at="2025-03-14 08:00 +03:00")]


def export_ready(w):
    from core.models import ExportJob  # the register downloads prepared in the background

    job = ExportJob.objects.create(user=w.manager, register="appeals", file_format="xlsx", status="done",
                                   rows_total=120, rows_done=120, finished_at=timezone.now())
    return [Case(w.manager, job, facts=("XLSX", "120", "21.02.2025 12:00", "Обращения"))]


BUILDERS = {builder.__name__: builder for builder in [
    appeal_registered, appeal_new, appeal_rejected, appeal_assigned, appeal_redirected,
    appeal_clarification_requested, appeal_clarification_provided, appeal_awaiting_approval,
    appeal_returned_to_executor, appeal_answered, appeal_rework, appeal_deadline_extended, appeal_comment,
    appeal_closed, appeal_deadline_50, appeal_deadline_80, appeal_overdue, project_stage_changed, task_assigned,
    task_overdue, meeting_scheduled, meeting_changed, meeting_cancelled, request_sent, request_overdue,
    roadmap_overdue, head_digest, export_ready,
]}


# --- checks --------------------------------------------------------------------------------------------------
class TagBalance(HTMLParser):
    """Every non-void element is closed, in order."""

    def __init__(self):
        super().__init__()
        self.open, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else '-'}>")
        else:
            self.open.pop()


def context(code: str, case: Case) -> dict:
    """What `notify` gives the templates (core.services.notifications.notify)."""
    user = case.recipient
    return {
        **case.extra, "object": case.obj, "recipient": user, "user": user, "link": link_for(user, case.obj),
        "site_url": settings.SITE_URL, "is_staff": is_staff_member(user), "event": EVENTS[code],
        "notifications_link": notifications_link(user), "preferences_link": preferences_link(user),
    }


def assert_clean(subject: str, text: str, html: str | None, where: str) -> None:
    assert subject.strip() and CYRILLIC.search(subject), f"{where}: the subject is not Russian: {subject!r}"
    assert "\n" not in subject, where
    outputs = [subject, text] + ([html] if html is not None else [])
    for output in outputs:
        for leftover in ("{{", "}}", "{%", "%}", "None"):
            assert leftover not in output, f"{where}: {leftover!r} in {output!r}"
        # no person's address; the agency's public one (the region pack's contacts in the signature) is meant
        assert not EMAIL.search(output.replace(current_region().email, "")), f"{where}: an email address in the letter"
        assert "+7 900" not in output, f"{where}: a phone in the letter"
    for plain in (subject, text):
        assert not ENTITY.search(plain), f"{where}: HTML escaping in a plain-text part: {plain!r}"
        assert not re.search(r"</?[a-z]+[ >]", plain), f"{where}: HTML tags in a plain-text part"
    if html is not None:
        assert html.lstrip().lower().startswith(("<!doctype", "<html")), where
        parser = TagBalance()
        parser.feed(html)
        parser.close()
        assert not parser.errors and not parser.open, f"{where}: unbalanced HTML {parser.errors} {parser.open}"


def render(code: str, case: Case) -> tuple[dict, str, str, str]:
    ctx = context(code, case)
    with time_machine.travel(case.at or FILED, tick=False):
        subject, text, html = _render(code, ctx)
    return ctx, subject, text, html


# --- the tests -------------------------------------------------------------------------------------------------
def test_every_event_has_its_three_templates_and_nothing_else():
    assert set(BUILDERS) == set(EVENTS), "a builder per event of the catalogue"
    for code in EVENTS:
        for name in ("subject.txt", "body.txt", "body.html"):
            assert (TEMPLATES / code / name).is_file(), f"missing notifications/{code}/{name}"
    folders = {path.name for path in TEMPLATES.iterdir() if path.is_dir()}
    assert folders == set(EVENTS), f"templates for unknown events: {folders - set(EVENTS)}"


@pytest.mark.parametrize("code", list(EVENTS))
def test_each_event_renders_a_russian_letter_in_both_forms(code, world):
    spec = EVENTS[code]
    with time_machine.travel(FILED, tick=False):
        cases = BUILDERS[code](world)
    assert {INVESTOR if not is_staff_member(case.recipient) else STAFF for case in cases} == set(spec.audience), (
        "the cases cover each face that receives the event"
    )
    for case in cases:
        ctx, subject, text, html = render(code, case)
        where = f"{code} → {case.recipient.email}"
        assert_clean(subject, text, html, where)
        link, prefs = ctx["link"], ctx["preferences_link"]

        # the page of the object, the preferences and the greeting, in both forms
        assert link in text and f'href="{escape(link)}"' in html, where
        assert prefs in text and f'href="{escape(prefs)}"' in html, where
        greeting = f"Здравствуйте, {case.recipient.salutation}!"  # name and patronymic, as business letters greet
        assert greeting in text and escape(greeting) in html, where
        if spec.mandatory:
            assert "обязательное" in text and "обязательное" in html, f"{where}: say it cannot be switched off"
        else:
            assert f"«{spec.label}»" in text and "отключить" in text and "отключить" in html, where

        # what the letter is about, raw in the text and escaped in the HTML
        for fact in case.facts:
            assert fact in text, f"{where}: {fact!r} missing from the text letter"
            assert escape(fact) in html, f"{where}: {fact!r} missing from the HTML letter"
        if isinstance(case.obj, Appeal):
            assert f"№{case.obj.number}" in subject, where

        # an investor sees nobody's personal data but their own
        if not ctx["is_staff"]:
            for person in world.staff():
                assert person.full_name not in text and person.full_name not in html, f"{where}: staff names"

    # the doors wrote their own notices with these templates, from the rules' real contexts
    for row in Notification.objects.all():
        assert_clean(row.subject, row.body_text, row.body_html or None, f"{row.event} row {row.pk}")


def test_specific_facts(world):
    """The facts the letters exist for, checked one by one."""
    with time_machine.travel(FILED, tick=False):
        registered = appeal_registered(world)[0]
        answered = appeal_answered(world)[0]
        meetings = {code: BUILDERS[code](world)[0] for code in ("meeting_scheduled", "meeting_changed",
                                                                "meeting_cancelled")}
    _ctx, subject, text, html = render("appeal_registered", registered)
    assert f"№{registered.obj.number}" in subject
    assert d(registered.obj.deadline) == DEADLINE and DEADLINE in text and DEADLINE in html

    _ctx, _subject, text, html = render("appeal_answered", answered)
    for key in ("rate_link", "rework_link"):
        url = answered.extra[key]
        assert url in text and f'href="{escape(url)}"' in html
    assert answered.obj.answer_text in text

    for code, case in meetings.items():
        _ctx, subject, text, html = render(code, case)
        assert ".ics" in text and ".ics" in html, code
        when = timezone.localtime(case.obj.starts_at)
        assert f"{when:%d.%m.%Y %H:%M}" in text, f"{code}: the start in Moscow time"
    assert "отмен" in render("meeting_cancelled", meetings["meeting_cancelled"])[1].lower()


def test_the_digest_marks_only_overdue_items(world):
    with time_machine.travel(FILED, tick=False):
        case = head_digest(world)[0]
    _ctx, subject, text, _html = render("head_digest", case)
    today = case.extra["today"]
    assert d(today) in subject
    lines = [line for line in text.splitlines() if line.startswith("— ")]
    items = case.extra["items"]
    assert len(lines) == sum(len(rows) for rows in items.values()), "each item on its own line"
    overdue = [line for line in lines if "просрочено" in line]
    due = [a.deadline for a in items["appeals"]] + [t.due_date for t in items["tasks"]] + [
        r.due_date for r in items["requests"]] + [i.planned_end for i in items["roadmap"]]
    assert len(overdue) == sum(day < today for day in due)
    assert any("Согласовать дату выезда" in line and "просрочено" not in line for line in lines)
    assert any("исполнитель не назначен" in line for line in lines)  # the appeal with no manager yet
