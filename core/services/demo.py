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

from core.choices import ProjectEventKind, RoadmapStatus
from core.models import (
    Appeal,
    ChecklistItem,
    District,
    Industry,
    Organisation,
    ParticipantRequest,
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


@transaction.atomic
def demo_appeals_load() -> int:
    """Appeals in different statuses and from different channels, driven through the door like real ones: one
    waiting for moderation, one corrected by the moderator, a redirected one as in the seed's #737 (with a ВКС),
    one answered and rated, one sent back for rework twice, two registered by staff (phone, paper letter — the
    second for a company without portal users), one approved in two stages by an executor body that approves its
    own answers, and one taken to the МРГ after «Не решено».

    Runs once: if the demo investor's company already has appeals, nothing is added.
    """
    from core.choices import AppealChannel, AppealStatus
    from core.models import Appeal, Fact
    from core.workflows.appeals import appeal_submit, appeal_transition

    investor = User.objects.get(email="investor@zk.example")
    if Appeal.objects.filter(organisation=investor.organisation).exists():
        return 0
    people = {row["email"]: User.objects.get(email=row["email"]) for row in demo_users()}
    terminal, coordinator, manager, head, executor, commissioner, kingisepp_head, kingisepp_executor = (
        people[f"{name}@zk.example"] for name in ("terminal", "coordinator", "manager", "head", "executor",
                                                  "commissioner", "head.kingisepp", "executor.kingisepp")
    )
    organisations = _organisations_by_key()
    agency = manager.organisation

    def step(appeal, name, actor, **data):
        return appeal_transition(appeal=appeal, name=name, actor=actor, **data)

    def answer(appeal, author, approvers, text):
        appeal = step(appeal, "submit_for_approval", author, answer_text=text)
        for approver in approvers:
            appeal = step(appeal, "approve", approver)
        return appeal

    def to_agency_manager(appeal):  # the coordinator hands it to the agency's manager; the agency head approves
        appeal = step(appeal, "assign", coordinator, executor_organisation=agency, manager=manager, head=head)
        return step(appeal, "take_into_work", manager)

    fact = {code: Fact.objects.get(code=code) for code in (
        "01.01.002", "01.02.001", "03.01.001", "03.01.002", "04.01.001", "04.01.002", "05.01.001", "05.01.002",
        "06.01.002")}
    loaded = [appeal_submit(
        applicant=investor, fact=fact["05.01.001"], subject="Свободные участки под склад",
        description="Просим направить перечень свободных земельных участков площадью 2–3 га в Тосненском районе.",
    )]

    # the moderator corrects the investor's text (seed «Ятэк Рус»), then hands it over
    corrected = appeal_submit(
        applicant=terminal, fact=fact["01.02.001"], subject="встреча",
        description="нужна встреча с комитетом по дорогам по поводу съезда, отказали, срочно!!!",
    )
    corrected = step(corrected, "correct", coordinator, subject="Встреча с дорожным комитетом по проекту съезда",
                     description="Получен отказ в согласовании проекта съезда к терминалу. Просим организовать "
                                 "встречу (ВКС) с профильным комитетом, чтобы выяснить причины отказа.",
                     comment="Уточнил тему и описание со слов инвестора по телефону.")
    loaded.append(step(corrected, "assign", coordinator, executor_organisation=agency, manager=manager, head=head))

    # seed #737: the agency's manager redirects it to the district administration, whose specialist takes it into
    # work and becomes its manager; the agency head stays the head, the personal manager keeps control
    redirected = appeal_submit(
        applicant=investor, fact=fact["03.01.001"], subject="Ускорение получения разрешения на ввод склада",
        description="Заявление на выдачу разрешения на ввод в эксплуатацию подано в администрацию района.",
    )
    redirected = step(redirected, "assign", coordinator, executor_organisation=agency, manager=manager, head=head)
    redirected = step(redirected, "redirect", manager, executor_organisation=organisations["omsu_tosno"],
                      comment="Павел Андреевич, добрый день! Просим рассмотреть выдачу разрешения без выезда на "
                              "осмотр: инвестор готов направить фотографии объекта.")
    redirected = step(redirected, "take_into_work", executor,
                      comment="Заявление поступило в администрацию, решение направим в течение 5 рабочих дней.")
    redirected = step(redirected, "schedule_meeting", redirected.coordinator,
                      title="ВКС с администрацией Тосненского района: ввод склада в эксплуатацию",
                      starts_at=_demo_moment(3, "11:00"), duration_minutes=45, format="video",
                      link="https://vks.zk.example/tosno-sklad", participants=[executor, commissioner, manager],
                      agenda="Выдача разрешения на ввод без выезда на осмотр; сроки постановки на учёт.")
    redirected = step(redirected, "comment", redirected.coordinator, is_public=False,
                      text="Фотографии объекта инвестор направил на почту администрации; держу на контроле.")
    loaded.append(answer(redirected, executor, [head],
                         "Разрешение на ввод склада в эксплуатацию будет выдано без выезда на осмотр после "
                         "получения фотографий объекта; решение — в течение 5 рабочих дней."))

    answered = appeal_submit(
        applicant=investor, fact=fact["06.01.002"], subject="Согласование съезда на промышленную улицу",
        description="Получен отказ в согласовании проекта съезда. Просим организовать ВКС с профильным комитетом.",
    )
    answered = answer(to_agency_manager(answered), manager, [head],
                      "ВКС проведена, проект примыкания согласован администрацией района.")
    answered = step(answered, "close", coordinator, outcome=AppealStatus.RESOLVED)
    loaded.append(step(answered, "rate", investor, rating=5, comment="Вопрос решён за неделю, спасибо!"))

    # three answer rounds: rated 2 and sent back, rated 3 and sent back, rated 5
    reworked = to_agency_manager(appeal_submit(
        applicant=investor, fact=fact["05.01.002"], subject="Продление договора аренды участка под склад",
        description="Срок аренды участка истекает через два месяца. Просим помочь продлить договор без торгов.",
    ))
    rounds = [
        ("Договор аренды может быть продлён по заявлению в администрацию района.", 2,
         "Не указано, какие документы нужны и в какой срок.", "Перечислите документы и сроки рассмотрения."),
        ("К заявлению приложите выписку ЕГРН и документы об объекте на участке; срок рассмотрения — 30 дней.", 3,
         "Не ясно, можно ли без торгов.", "Ответьте, возможно ли продление без торгов и на каком основании."),
        ("Продление без торгов возможно: на участке расположен ваш объект (п. 1 ст. 39.6 ЗК РФ). Заявление "
         "принимает администрация района, срок — 30 дней; образец заявления приложен к ответу в письме.", 5,
         "Теперь всё понятно, спасибо.", ""),
    ]
    for text, rating, comment, reason in rounds:
        reworked = answer(reworked, manager, [head], text)
        reworked = step(reworked, "rate", investor, rating=rating, comment=comment)
        if reason:
            reworked = step(reworked, "send_back_for_rework", investor, reason=reason)
    loaded.append(step(reworked, "close", coordinator, outcome=AppealStatus.RESOLVED))

    # registered by staff: a phone call from a company with portal users, a paper letter from one without
    by_phone = appeal_submit(
        actor=manager, organisation=organisations["investor_terminal"], channel=AppealChannel.PHONE,
        received_at=timezone.now() - timedelta(days=1), contact_name="Григорьев Степан Ильич",
        contact_phone="+7 900 100-00-10", fact=fact["04.01.001"],
        subject="Порядок технологического присоединения причала к электросетям",
        description="Звонок инвестора: просит разъяснить порядок и сроки техприсоединения второй очереди причала.",
    )
    loaded.append(step(by_phone, "assign", manager, executor_organisation=agency, manager=manager, head=head))
    by_letter = appeal_submit(
        actor=coordinator, organisation=organisations["investor_agro"], channel=AppealChannel.LETTER,
        received_at=timezone.now() - timedelta(days=5), contact_name="Луговская Светлана Юрьевна",
        contact_email="s.lugovskaya@lugovoe.zk.example", fact=fact["01.01.002"],
        subject="Льготный заём на модернизацию молочной фермы",
        description="Письмо инвестора (вх. №118 от почты): просит содействия в получении льготного займа фонда "
                    "развития на закупку доильного оборудования.",
    )
    loaded.append(to_agency_manager(by_letter))

    # the Kingisepp administration approves its own answers: its head first, then the agency head
    two_stage = appeal_submit(
        applicant=terminal, fact=fact["03.01.002"], subject="Нарушен срок выдачи разрешения на строительство склада",
        description="Заявление на разрешение на строительство склада подано 30 дней назад, ответа нет.",
    )
    two_stage = step(two_stage, "assign", coordinator, executor_organisation=agency, manager=manager, head=head)
    two_stage = step(two_stage, "redirect", manager, executor_organisation=organisations["omsu_kingisepp"],
                     manager=kingisepp_executor, comment="Просим выдать разрешение или сообщить причины задержки.")
    two_stage = step(two_stage, "take_into_work", kingisepp_executor)
    two_stage = answer(two_stage, kingisepp_executor, [kingisepp_head, head],
                       "Разрешение на строительство выдано, направлено на электронную почту заявителя.")
    two_stage = step(two_stage, "close", coordinator, outcome=AppealStatus.RESOLVED)
    loaded.append(step(two_stage, "rate", terminal, rating=4, comment="Выдали, но с опозданием."))

    # «Не решено» and then the interdepartmental working group (МРГ)
    unresolved = to_agency_manager(appeal_submit(
        applicant=investor, fact=fact["04.01.002"], subject="Нарушен срок выдачи технических условий на газ",
        description="Запрос технических условий на подключение к газу направлен 45 дней назад, ответа нет.",
    ))
    unresolved = answer(unresolved, manager, [head],
                        "Газораспределительная организация ссылается на нехватку мощности; срок выдачи ТУ не назван.")
    unresolved = step(unresolved, "close", coordinator, outcome=AppealStatus.NOT_RESOLVED,
                      comment="Вопрос не решён на уровне агентства, готовим вынесение на МРГ.")
    unresolved = step(unresolved, "rate", investor, rating=2, comment="Срок так и не назван.")
    loaded.append(step(unresolved, "escalate", head, session_date=timezone.localdate(),
                       decision="Поручить газораспределительной организации выдать технические условия в течение "
                                "10 рабочих дней; агентству — проконтролировать.",
                       follow_up_deadline=timezone.localdate() + timedelta(days=14)))
    return len(loaded)


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
