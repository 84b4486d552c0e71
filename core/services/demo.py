"""Demo data for a development machine: invented organisations, one person per role (two investors), and
appeals and projects driven through the workflows as real ones would be.

Loaded by natural keys (ИНН, email), so running it again changes nothing. Never for production.
"""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from auditlog.context import set_actor
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from docx import Document

from core.choices import AppealChannel, AppealStatus, ProjectEventKind, RoadmapStatus
from core.consent import consent_text, consent_version
from core.models import (
    AnswerTemplate,
    Appeal,
    Category,
    ChecklistItem,
    District,
    Fact,
    FaqEntry,
    Industry,
    Organisation,
    ParticipantRequest,
    PersonalDataConsent,
    Project,
    ProjectEvent,
    SupportMeasure,
    Task,
    User,
)
from core.region import current_region
from core.roles import Role
from core.services.projects import (
    checklist_tick,
    document_upload,
    land_plot_add,
    measure_set,
    meeting_save,
    meeting_set_status,
    project_comment,
    project_update_passport,
    request_answer,
    request_send,
    roadmap_item_save,
)
from core.services.roles import user_set_roles
from core.workflows.projects import project_apply, project_transition
from core.workflows.tasks import task_create, task_transition

DEMO_PASSWORD = "demo-koridor-2026"


class DemoMissingError(Exception):
    """The region pack ships no demo world (fixtures/demo); the message is Russian."""


def demo_dir() -> Path:
    """The installation's region pack's fixtures/demo (core/region.py)."""
    folder = current_region().demo_dir
    if not (folder / "organisations.json").is_file():
        raise DemoMissingError(f"В пакете региона {current_region().path} нет демо-данных (fixtures/demo).")
    return folder


def _read(name: str) -> list[dict]:
    data = json.loads((demo_dir() / name).read_text(encoding="utf-8"))
    return data[name.removesuffix(".json")]


def demo_users() -> list[dict]:
    """The demo logins as written in the fixture (for the banner and the README)."""
    return _read("users.json")


def demo_people_load(organisation_rows: list[dict], user_rows: list[dict]) -> dict[str, Organisation]:
    """Organisations by ИНН and people by email (update_or_create, so loading again changes nothing); returns the
    organisations by their fixture key. A row may name people of this or an earlier load as personal manager or
    district commissioner."""
    organisations: dict[str, Organisation] = {}
    pending_people: list[tuple[Organisation, dict]] = []
    for row in organisation_rows:
        fields = {k: v for k, v in row.items() if k not in {"key", "district", "personal_manager",
                                                             "district_commissioner", "inn"}}
        if row.get("district"):
            fields["district"] = District.objects.get(code=row["district"])
        org, _ = Organisation.objects.update_or_create(inn=row["inn"], defaults=fields)
        organisations[row["key"]] = org
        pending_people.append((org, row))

    known = {**_organisations_by_key(), **organisations}  # the base demo's bodies are loaded first
    password = ""  # one hash for every demo login: PBKDF2 takes a third of a second, and the password is public
    for row in user_rows:
        fields = {k: v for k, v in row.items() if k not in {"email", "role", "organisation"}}
        fields["organisation"] = known[row["organisation"]]
        user, created = User.objects.update_or_create(email=row["email"], defaults=fields)
        if created or not user.has_usable_password():
            user.password = password = password or make_password(DEMO_PASSWORD)
            user.email_confirmed_at = user.membership_confirmed_at = timezone.now()
            user.save()
        user_set_roles(user=user, roles={Role(row["role"])})
        if row["role"] == Role.INVESTOR and not PersonalDataConsent.objects.filter(user=user).exists():
            # as the portal's registration records it: the consent register has rows to show
            PersonalDataConsent.objects.create(user=user, version=consent_version(), text=consent_text(),
                                               user_agent="демонстрационные данные")

    for org, row in pending_people:
        changed = False
        for field in ("personal_manager", "district_commissioner"):
            if row.get(field):
                setattr(org, field, User.objects.get(email=row[field]))
                changed = True
        if changed:
            org.save()
    return organisations


@transaction.atomic
def demo_load() -> dict[str, int]:
    organisations = demo_people_load(_read("organisations.json"), demo_users())
    return {"organisations": len(organisations), "users": len(demo_users())}


def _demo_moment(days: int, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time.fromisoformat(clock)))


# --- appeals --------------------------------------------------------------------------------------------------
# How a value of fixtures/demo/appeals.json becomes an argument of appeal_submit or appeal_transition, by its name.
_PERSON_FIELDS = {"actor", "applicant", "manager", "head"}
_ORGANISATION_FIELDS = {"organisation", "executor_organisation"}
_DAY_FIELDS = {"session_date", "follow_up_deadline"}


class _AppealScript:
    """Plays the demo appeals of fixtures/demo/appeals.json through the doors, in order, as the people would have:
    `submit` is appeal_submit, each step an appeal_transition (see the file's _comment for its words)."""

    def __init__(self, *, people: dict[str, User], organisations: dict[str, Organisation]) -> None:
        self.people, self.organisations = people, organisations
        self.facts: dict[str, Fact] = {}

    def fact(self, code: str) -> Fact:
        if code not in self.facts:
            self.facts[code] = Fact.objects.get(code=code)
        return self.facts[code]

    def value(self, name: str, value, appeal: Appeal | None = None):
        if name in _PERSON_FIELDS:
            return appeal.coordinator if value == "coordinator" and appeal is not None else self.people[value]
        if name == "participants":
            return [self.people[email] for email in value]
        if name in _ORGANISATION_FIELDS:
            return self.organisations[value]
        if name == "fact":
            return self.fact(value)
        if name == "channel":
            return AppealChannel(value)
        if name == "outcome":
            return AppealStatus(value)
        if name in _DAY_FIELDS:
            return timezone.localdate() + timedelta(days=value["days"])
        if name == "starts_at":
            return _demo_moment(value["days"], value["time"])
        return value

    def play(self, row: dict) -> Appeal:
        from core.workflows.appeals import appeal_submit, appeal_transition

        submit = dict(row["submit"])
        if "received_days_ago" in submit:
            submit["received_at"] = timezone.now() - timedelta(days=submit.pop("received_days_ago"))
        appeal = appeal_submit(**{name: self.value(name, value) for name, value in submit.items()})
        for spec in row["steps"]:
            data = {name: self.value(name, value, appeal) for name, value in spec.items() if name != "name"}
            appeal = appeal_transition(appeal=appeal, name=spec["name"], **data)
        return appeal


def demo_appeal_rows() -> list[dict]:
    """The pack's scripted demo appeals (fixtures/demo/appeals.json); [] when the pack has none."""
    return _read("appeals.json") if (demo_dir() / "appeals.json").is_file() else []


@transaction.atomic
def demo_appeals_load() -> int:
    """The pack's named demo appeals (fixtures/demo/appeals.json), in different statuses and from different
    channels, driven through the doors like real ones. The Leningrad pack's: one waiting for moderation, one
    corrected by the moderator, a redirected one as in the seed's #737 (with a ВКС), one answered and rated, one
    sent back for rework twice, two registered by staff (phone, paper letter — the second for a company without
    portal users), one approved in two stages by an executor body that approves its own answers, and one taken to
    the МРГ after «Не решено».

    Runs once: if the company of the first appeal's applicant already has appeals, nothing is added.
    """
    rows = demo_appeal_rows()
    if not rows:
        return 0
    first = rows[0]["submit"]
    people = {row["email"]: User.objects.get(email=row["email"]) for row in demo_users()}
    organisations = _organisations_by_key()
    company = (organisations[first["organisation"]] if "organisation" in first
               else people[first["applicant"]].organisation)
    if Appeal.objects.filter(organisation=company).exists():
        return 0
    script = _AppealScript(people=people, organisations=organisations)
    return len([script.play(row) for row in rows])


@transaction.atomic
def demo_answers_load() -> int:
    """The pack's answer templates and FAQ entries (fixtures/demo/answers.json), by fact or category code. Templates
    are added once (nothing while any template exists); each FAQ entry once, matched by its question, so a demo
    loaded before an entry was added to the pack gets it on the next seed_demo."""
    if not (demo_dir() / "answers.json").is_file():
        return 0
    data = json.loads((demo_dir() / "answers.json").read_text(encoding="utf-8"))
    categories = {category.code: category for category in Category.objects.all()}
    added = 0
    if not AnswerTemplate.objects.exists():
        for row in data["templates"]:
            AnswerTemplate.objects.create(
                title=row["title"], text=row["text"], category=categories.get(row.get("category", "")),
                fact=Fact.objects.get(code=row["fact"]) if "fact" in row else None,
            )
        added += len(data["templates"])
    known = set(FaqEntry.objects.values_list("question", flat=True))
    for row in data["faq"]:
        if row["question"] not in known:
            FaqEntry.objects.create(category=categories.get(row["category"]), question=row["question"],
                                    answer=row["answer"], is_published=row["published"])
            added += 1
    return added


# --- projects ---------------------------------------------------------------------------------------------
# The stage moves that bring a new application to each stage; a suspended project first goes to its "via" stage.
STAGE_PATHS = {
    "application": [],
    "review": ["start_review"],
    "accepted": ["start_review", "accept"],
    "declined": ["start_review", "decline"],
    "pre_investment": ["start_review", "accept", "start_pre_investment"],
    "investment": ["start_review", "accept", "start_pre_investment", "start_investment"],
    "operational": ["start_review", "accept", "start_pre_investment", "start_investment", "start_operation"],
    "completed": ["start_review", "accept", "start_pre_investment", "start_investment", "start_operation",
                  "complete"],
}


def _organisations_by_key() -> dict[str, Organisation]:
    inns = {row["key"]: row["inn"] for row in _read("organisations.json")}
    found = {org.inn: org for org in Organisation.objects.filter(inn__in=inns.values())}
    return {key: found[inn] for key, inn in inns.items()}


def _demo_docx(title: str, text: str) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _ProjectScript:
    """Plays one project of fixtures/demo/projects.json through the doors, as the people would have."""

    def __init__(self, row: dict, *, people: dict[str, User], organisations: dict[str, Organisation]) -> None:
        self.row, self.people, self.organisations = row, people, organisations
        self.manager = people["manager@zk.example"]
        self.today = timezone.localdate()

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def responsible(self, value: str) -> dict:
        if value.startswith("org:"):
            return {"responsible_organisation": self.organisations[value.removeprefix("org:")]}
        return {"responsible_user": self.people[value]}

    def play(self) -> Project:
        row = self.row
        # JSON numbers: 1.2 must become Decimal("1.2"), not the float's binary expansion
        passport = {k: Decimal(str(v)) if isinstance(v, float) else v for k, v in row["passport"].items()}
        passport["district"] = District.objects.get(code=passport["district"])
        passport["industry"] = Industry.objects.get(code=passport["industry"])
        passport.update({field: self.day(offset) for field, offset in row.get("dates", {}).items()})
        passport["submitted_at"] = timezone.now() - timedelta(days=row["submitted_days_ago"])
        project = project_apply(applicant=self.people[row["applicant"]], **passport)
        project = self.move(project)
        self.passport(project)
        self.roadmap(project)
        self.tasks(project)
        self.meetings(project)
        self.requests(project)
        self.documents(project)
        self.comments(project)
        self.backdate_stages(project)
        return project

    def move(self, project: Project) -> Project:
        row, stage = self.row, self.row["stage"]
        if stage == "withdrawn":
            project = project_transition(project=project, name="start_review", actor=self.manager)
            return project_transition(project=project, name="withdraw", actor=self.people[row["applicant"]],
                                      reason=row["reason"])
        names = list(STAGE_PATHS[row.get("via", stage)])
        if stage == "suspended":
            names.append("suspend")
        for name in names:
            project = project_transition(project=project, name=name, actor=self.manager,
                                         reason=row.get("reason", "") if name in {"decline", "suspend"} else "")
        return project

    def passport(self, project: Project) -> None:
        row = self.row
        if "governor_agreement" in row:
            agreement = row["governor_agreement"]
            project_update_passport(project=project, actor=self.manager,
                                    governor_agreement_date=self.day(agreement["days"]),
                                    governor_agreement_forum=agreement["forum"])
        for plot in row.get("land_plots", []):
            land_plot_add(project=project, actor=self.manager, **plot)
        for code in row.get("checklist", []):
            checklist_tick(project=project, item=ChecklistItem.objects.get(code=code), actor=self.manager)
        for code, status in row.get("measures", []):
            measure_set(project=project, measure=SupportMeasure.objects.get(code=code), status=status,
                        actor=self.manager)

    def roadmap(self, project: Project) -> None:
        for order, spec in enumerate(self.row.get("roadmap", []), start=1):
            done = spec.get("done")
            item = roadmap_item_save(
                project=project, actor=self.manager, title=spec["title"], order=order,
                planned_start=self.day(spec["start"]), planned_end=self.day(spec["end"]),
                status=RoadmapStatus.DONE if done is not None else spec.get("status", RoadmapStatus.PLANNED),
                **self.responsible(spec["responsible"]),
            )
            if "moved_end" in spec:  # the plan moved: the first plan stays as the baseline
                item = roadmap_item_save(project=project, actor=self.manager, item=item,
                                         planned_end=self.day(spec["moved_end"]))
            if done is not None:
                item = roadmap_item_save(project=project, actor=self.manager, item=item, actual_end=self.day(done))
            if "task" in spec:
                task = task_create(author=self.manager, assignee=self.people[spec["task"]["assignee"]],
                                   title=spec["task"]["title"], due_date=None, roadmap_item=item)
                self.task_status(task, spec["task"].get("status", "new"))

    def task_status(self, task: Task, status: str, result: str = "") -> None:
        if status in {"in_work", "done"}:
            task = task_transition(task=task, name="start", actor=task.assignee)
        if status == "done":
            task_transition(task=task, name="finish", actor=task.assignee, result=result)
        if status == "cancelled":
            task_transition(task=task, name="cancel", actor=task.author)

    def tasks(self, project: Project) -> None:
        for spec in self.row.get("tasks", []):
            due = self.day(spec["due"])
            task = task_create(author=self.people[spec["author"]], assignee=self.people[spec["assignee"]],
                               title=spec["title"], description=spec.get("description", ""),
                               due_date=max(due, timezone.localdate()), project=project)
            if due < task.due_date:  # an overdue demo task: set as if it had been set earlier
                Task.objects.filter(pk=task.pk).update(due_date=due)
                task.refresh_from_db()
            self.task_status(task, spec.get("status", "new"), spec.get("result", ""))

    def meetings(self, project: Project) -> None:
        def moment(days: int, clock: str) -> datetime:
            return timezone.make_aware(datetime.combine(self.day(days), time.fromisoformat(clock)))

        for spec in self.row.get("meetings", []):
            people = [self.people[email] for email in spec["participants"]]
            organisations = [self.organisations[key] for key in spec.get("organisations", [])]
            values = {"title": spec["title"], "format": spec["format"], "place": spec.get("place", ""),
                      "link": spec.get("link", ""), "agenda": spec.get("agenda", "")}
            meeting = meeting_save(project=project, actor=self.manager, participants=people,
                                   organisations=organisations, starts_at=moment(spec["days"], spec["time"]),
                                   **values)
            if "moved_days" in spec:  # rescheduled: SEQUENCE grows, calendars move the event
                meeting = meeting_save(project=project, actor=self.manager, meeting=meeting, participants=people,
                                       organisations=organisations,
                                       starts_at=moment(spec["moved_days"], spec["time"]))
            if spec.get("status"):
                meeting_set_status(meeting=meeting, actor=self.manager, status=spec["status"],
                                   minutes=spec.get("protocol", ""))

    def requests(self, project: Project) -> None:
        for spec in self.row.get("requests", []):
            due = self.day(spec["due"]) if "due" in spec else None
            request = request_send(project=project, actor=self.manager,
                                   organisation=self.organisations[spec["organisation"]], subject=spec["subject"],
                                   text=spec["text"], due_date=due)
            if "sent_days_ago" in spec:  # an old request whose term has run out
                ParticipantRequest.objects.filter(pk=request.pk).update(
                    sent_at=timezone.now() - timedelta(days=spec["sent_days_ago"])
                )
            if "answer" in spec:
                request_answer(request=request, actor=self.people[spec["answer"]["by"]],
                               answer_text=spec["answer"]["text"])

    def documents(self, project: Project) -> None:
        for spec in self.row.get("documents", []):
            upload = SimpleUploadedFile(
                f"{spec['title']}.docx", _demo_docx(spec["title"], project.name),
                content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
            document_upload(project=project, actor=self.people[spec["by"]], upload=upload, kind=spec["kind"],
                            title=spec["title"], is_internal=spec.get("internal", False))

    def comments(self, project: Project) -> None:
        for spec in self.row.get("comments", []):
            project_comment(project=project, actor=self.people[spec["author"]], text=spec["text"],
                            is_public=spec.get("public", True))

    def backdate_stages(self, project: Project) -> None:
        """The doors stamp every stage move with the moment of loading; spread them from the application to
        `stage_days_ago` so the pool, the dashboard and the history look lived-in."""
        events = list(project.events.filter(kind=ProjectEventKind.STAGE).order_by("pk"))
        start = project.submitted_at
        last = timezone.now() - timedelta(days=self.row.get("stage_days_ago", self.row["submitted_days_ago"]))
        step = (last - start) / max(len(events) - 1, 1)
        accepted_at = None
        for index, event in enumerate(events):
            moment = start + step * index
            ProjectEvent.objects.filter(pk=event.pk).update(created_at=moment)
            if event.name == "accept":
                accepted_at = timezone.localdate(moment)
        Project.objects.filter(pk=project.pk).update(stage_changed_at=max(last, start), accepted_at=accepted_at)


@transaction.atomic
def demo_projects_load() -> int:
    """About a dozen projects across districts and stages (fixtures/demo/projects.json), filed by the demo
    investors and moved by the demo manager, with roadmaps, tasks, meetings, requests, checklist ticks and
    support measures; the demo appeal about the warehouse is linked to its project.

    Runs once: if the demo investors' companies already have projects, nothing is added.
    """
    people = {row["email"]: User.objects.get(email=row["email"]) for row in demo_users()}
    organisations = _organisations_by_key()
    companies = [organisations["investor_logistics"], organisations["investor_terminal"]]
    if Project.objects.filter(investor__in=companies).exists():
        return 0
    rows = json.loads((demo_dir() / "projects.json").read_text(encoding="utf-8"))["projects"]
    for row in rows:
        project = _ProjectScript(row, people=people, organisations=organisations).play()
        appeal = Appeal.objects.filter(organisation=project.investor, subject=row.get("appeal", "")).first()
        if appeal is not None:
            with set_actor(people["manager@zk.example"]):
                appeal.project = project
                appeal.save(update_fields=["project"])
    return len(rows)
