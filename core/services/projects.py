"""Writes around a project that are not stage changes: passport, land plots, checklist, measures, documents,
roadmap, meetings, requests to participants and comments. Each writes its line of the project history."""

from datetime import date, timedelta

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import MeetingStatus, OrganisationKind, ProjectEventKind, ProjectStage, RequestStatus, TaskStatus
from core.models import (
    ChecklistItem,
    ChecklistMark,
    LandPlot,
    Meeting,
    Organisation,
    ParticipantRequest,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectMeasure,
    RequestPeriod,
    RoadmapItem,
    SupportMeasure,
    User,
)
from core.notifications import rules
from core.roles import Role
from core.selectors.visibility import is_investor, is_staff_member, projects_visible_to
from core.services.attachments import upload_quota_check, upload_store, uploads_check, uploads_cleanup
from core.services.content_limits import text_length_check
from core.workflows.door import Conflict
from core.workflows.projects import ProjectConflict, project_steered_by

# Passport fields an investor fills in; staff also set the people and the governor agreement.
INVESTOR_PASSPORT_FIELDS = (
    "name", "district", "industry", "description", "investment_volume", "jobs", "gas_m3_per_hour",
    "electricity_kw", "water_m3_per_day", "heat_gcal_per_hour", "planned_start", "planned_launch",
)
STAFF_PASSPORT_FIELDS = (
    *INVESTOR_PASSPORT_FIELDS, "personal_manager", "district_commissioner", "director", "governor_agreement_date",
    "governor_agreement_forum",
)


# who may stand in the passport's people fields, by role: the agency's person steering the project, the district's
# investment commissioner, the director
PASSPORT_PEOPLE: dict[str, tuple[Role, ...]] = {
    "personal_manager": (Role.MANAGER, Role.COORDINATOR, Role.HEAD),
    "district_commissioner": (Role.COMMISSIONER,),
    "director": (Role.DIRECTOR,),
}


def passport_people(field: str) -> models.QuerySet[User]:
    """The active staff who may be named in the passport field `field` (PASSPORT_PEOPLE)."""
    names = [role.group_name for role in PASSPORT_PEOPLE[field]]
    return User.objects.filter(is_active=True, is_staff=True, groups__name__in=names).distinct()


def _passport_people_check(values: dict) -> None:
    errors = {}
    for field, roles in PASSPORT_PEOPLE.items():
        person = values.get(field)
        if person is not None and not passport_people(field).filter(pk=person.pk).exists():
            errors[field] = [gettext("Выберите сотрудника с ролью «%(roles)s».")
                             % {"roles": "», «".join(str(role.label) for role in roles)}]
    if errors:
        raise ValidationError(errors)


def _event(project: Project, kind: str, actor: User, text: str, *, public: bool = True, name: str = "",
           **data) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project, kind=kind, name=name, actor=actor, text=text, is_public=public, data=data
    )


def _texts(values: dict) -> dict[str, str]:
    """The typed texts among a form's values, for the length limits (core.services.content_limits)."""
    return {field: value for field, value in values.items() if isinstance(value, str)}


def _require_access(project: Project, actor: User) -> None:
    if not projects_visible_to(actor).filter(pk=project.pk).exists():
        raise PermissionDenied(gettext("Проект недоступен."))


def _require_steering(project: Project, actor: User) -> None:
    _require_access(project, actor)
    if not project_steered_by(project=project, user=actor):
        raise PermissionDenied(gettext("Это действие выполняют сотрудники, сопровождающие проект."))


def _require_passport_editable(project: Project, actor: User) -> None:
    if not project_passport_editable_by(project=project, user=actor):
        raise PermissionDenied(gettext("Паспорт проекта сейчас нельзя изменить."))


def project_passport_editable_by(*, project: Project, user: User) -> tuple[str, ...]:
    """Which passport fields this person may change now: the investor only while it is an application."""
    if is_staff_member(user) and project_steered_by(project=project, user=user):
        return STAFF_PASSPORT_FIELDS
    if (
        is_investor(user)
        and user.membership_confirmed
        and project.investor_id == user.organisation_id
        and project.stage == ProjectStage.APPLICATION
    ):
        return INVESTOR_PASSPORT_FIELDS
    return ()


@transaction.atomic
def project_update_passport(*, project: Project, actor: User, **values) -> Project:
    """`project` is the version the person saw: if someone changed it meanwhile, ProjectConflict."""
    seen = project
    project = Project.objects.select_for_update().get(pk=seen.pk)
    if project.updated_at != seen.updated_at:
        raise ProjectConflict
    allowed = project_passport_editable_by(project=project, user=actor)
    if not allowed:
        raise PermissionDenied(gettext("Паспорт проекта сейчас нельзя изменить."))
    refused = set(values) - set(allowed)
    if refused:
        raise PermissionDenied(
            gettext("Эти поля паспорта вам менять нельзя: %(fields)s.") % {"fields": ", ".join(sorted(refused))}
        )
    text_length_check(**_texts(values))
    _passport_people_check(values)
    changed = [field for field, value in values.items() if getattr(project, field) != value]
    for field in changed:
        setattr(project, field, values[field])
    project.full_clean(exclude=["registry_number", "stage"])  # a protected FSM field cannot be re-set
    if changed:
        with set_actor(actor):
            project.save()
        labels = ", ".join(str(Project._meta.get_field(f).verbose_name) for f in changed)
        _event(project, ProjectEventKind.CHANGE, actor, gettext("Изменён паспорт: %(fields)s") % {"fields": labels},
               name="passport", fields=changed)
    return project


@transaction.atomic
def land_plot_add(*, project: Project, actor: User, cadastral_number: str, area_m2=None, address: str = "",
                  rights: str = "") -> LandPlot:
    _require_passport_editable(project, actor)
    text_length_check(address=address, rights=rights)
    plot = LandPlot(project=project, cadastral_number=cadastral_number.strip(), area_m2=area_m2, address=address,
                    rights=rights)
    plot.full_clean()
    with set_actor(actor):
        plot.save()
    _event(project, ProjectEventKind.CHANGE, actor, gettext("Добавлен земельный участок %(number)s")
           % {"number": plot.cadastral_number}, name="land_plot")
    return plot


@transaction.atomic
def land_plot_change(*, plot: LandPlot, actor: User, cadastral_number: str, area_m2=None, address: str = "",
                     rights: str = "") -> LandPlot:
    """A land plot's number, area, location or rights corrected, by those who may edit the passport now."""
    project = plot.project
    _require_passport_editable(project, actor)
    text_length_check(address=address, rights=rights)
    plot = LandPlot.objects.select_for_update().get(pk=plot.pk)
    before = (plot.cadastral_number, plot.area_m2, plot.address, plot.rights)
    plot.cadastral_number, plot.area_m2 = cadastral_number.strip(), area_m2
    plot.address, plot.rights = address, rights
    plot.full_clean()
    if (plot.cadastral_number, plot.area_m2, plot.address, plot.rights) == before:
        raise ValidationError(_("Сведения об участке не изменились."))
    with set_actor(actor):
        plot.save()
    _event(project, ProjectEventKind.CHANGE, actor, gettext("Изменены сведения о земельном участке %(number)s")
           % {"number": plot.cadastral_number}, name="land_plot")
    return plot


@transaction.atomic
def land_plot_remove(*, plot: LandPlot, actor: User) -> None:
    """A land plot taken off the passport (entered by mistake, or no longer the project's)."""
    project = plot.project
    _require_passport_editable(project, actor)
    number = plot.cadastral_number
    with set_actor(actor):
        plot.delete()
    _event(project, ProjectEventKind.CHANGE, actor, gettext("Удалён земельный участок %(number)s")
           % {"number": number}, name="land_plot")


@transaction.atomic
def checklist_tick(*, project: Project, item: ChecklistItem, actor: User, comment: str = "") -> ChecklistMark:
    _require_steering(project, actor)
    text_length_check(comment=comment)
    mark, created = ChecklistMark.objects.get_or_create(
        project=project, item=item, defaults={"done_by": actor, "comment": comment.strip()}
    )
    if created:
        _event(project, ProjectEventKind.CHECKLIST, actor, gettext("Выполнено: %(item)s") % {"item": item.name},
               name="checklist")
    return mark


@transaction.atomic
def measure_set(*, project: Project, measure: SupportMeasure, status: str, actor: User,
                comment: str = "") -> ProjectMeasure:
    _require_steering(project, actor)
    text_length_check(comment=comment)
    row, _created = ProjectMeasure.objects.get_or_create(project=project, measure=measure)
    row.status, row.comment = status, comment.strip()
    row.decided_at = None if status == "requested" else timezone.localdate()
    row.full_clean()
    with set_actor(actor):
        row.save()
    _event(project, ProjectEventKind.MEASURE, actor, f"{measure.name}: {row.get_status_display()}", name="measure")
    return row


def document_upload(*, project: Project, actor: User, upload: UploadedFile, kind: str, title: str = "",
                    is_internal: bool = False, request: ParticipantRequest | None = None) -> ProjectDocument:
    return documents_upload(project=project, actor=actor, uploads=[upload], kind=kind, title=title,
                            is_internal=is_internal, request=request)[0]


def documents_upload(*, project: Project, actor: User, uploads: list[UploadedFile], kind: str, title: str = "",
                     is_internal: bool = False, request: ParticipantRequest | None = None) -> list[ProjectDocument]:
    """All or nothing: the upload limits (attachments) are checked for the whole batch, and if storing one file
    fails (a full disk) no row stays and every file written is removed."""
    _require_access(project, actor)
    if is_internal and not is_staff_member(actor):
        is_internal = False  # an investor's upload is always visible to the investor
    uploads = list(uploads)
    try:
        content_types = uploads_check(uploads)
        upload_quota_check(user=actor, uploads=uploads)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    documents = []
    with uploads_cleanup() as stored, transaction.atomic(), set_actor(actor):
        for upload, content_type in zip(uploads, content_types, strict=True):
            document = ProjectDocument(
                project=project, kind=kind, title=title.strip(), original_name=upload.name[:255],
                content_type=content_type, size=upload.size, is_internal=is_internal, uploaded_by=actor,
                request=request,
            )
            document.full_clean(exclude=["file"])
            upload_store(document, upload, stored)
            document.save()
            _event(project, ProjectEventKind.DOCUMENT, actor, gettext("Загружен документ «%(name)s»")
                   % {"name": document}, public=not is_internal, name="document",
                   **({"request": request.pk} if request else {}))
            documents.append(document)
    return documents


# --- roadmap ---------------------------------------------------------------------------------------------
class RoadmapItemConflict(Conflict):
    message = _("Пункт дорожной карты уже изменён другим пользователем. Обновите страницу и повторите действие.")


class MeetingConflict(Conflict):
    message = _("Встреча уже изменена другим пользователем. Обновите страницу и повторите действие.")


def _refuse_stale(row: models.Model | None, field: str, seen: int | None, conflict: type[Conflict]) -> None:
    """A change of a stored row from a form: the row is locked, and refused when its version counter moved on since
    the form was opened (`seen`; None — a caller that saw no version, e.g. the import)."""
    if row is None or row.pk is None or seen is None:
        return
    current = type(row).objects.select_for_update().filter(pk=row.pk).values_list(field, flat=True).first()
    if current != seen:
        raise conflict


@transaction.atomic
def roadmap_item_save(*, project: Project, actor: User, item: RoadmapItem | None = None,
                      seen_version: int | None = None, **values) -> RoadmapItem:
    """Create or change a roadmap item. The first plan is kept as the baseline; an open task made from the
    item follows its planned end. A change from a page opened before someone else's raises RoadmapItemConflict."""
    _require_steering(project, actor)
    _refuse_stale(item, "version", seen_version, RoadmapItemConflict)
    text_length_check(**_texts(values))
    predecessors = values.pop("predecessors", None)
    item = item or RoadmapItem(project=project)
    for field, value in values.items():
        setattr(item, field, value)
    if item.planned_start and item.planned_end and item.planned_end < item.planned_start:
        raise ValidationError({"planned_end": [_("Окончание не может быть раньше начала.")]})
    created = item.pk is None
    if created:
        item.baseline_start, item.baseline_end = item.planned_start, item.planned_end
    else:
        item.version += 1
    item.full_clean()
    with set_actor(actor):
        item.save()
        if predecessors is not None:
            if any(p.project_id != project.pk or p.pk == item.pk for p in predecessors):
                raise ValidationError({"predecessors": [_("Предшествующие пункты — из этого же проекта.")]})
            item.predecessors.set(predecessors)
        for task in item.tasks.filter(status__in=TaskStatus.open()).exclude(due_date=item.planned_end):
            task.due_date = item.planned_end
            task.save(update_fields=["due_date", "updated_at"])
    verb = gettext("Добавлен пункт дорожной карты") if created else gettext("Изменён пункт дорожной карты")
    _event(project, ProjectEventKind.ROADMAP, actor, f"{verb} «{item.title}»: "
           f"{item.planned_start:%d.%m.%Y} – {item.planned_end:%d.%m.%Y}", name="roadmap")
    return item


# --- meetings -------------------------------------------------------------------------------------------
def _require_project_meeting(meeting: Meeting | None, project: Project | None) -> None:
    """The project page changes its own meetings; a meeting about an appeal without a project is not one of them
    (it is scheduled through the appeal's door)."""
    if project is None or (meeting is not None and meeting.project_id != project.pk):
        raise PermissionDenied(gettext("Встреча не относится к этому проекту."))


@transaction.atomic
def meeting_save(*, project: Project, actor: User, meeting: Meeting | None = None, participants=(),
                 organisations=(), seen_version: int | None = None, **values) -> Meeting:
    """Schedule a meeting or change it (each change raises the iCalendar SEQUENCE so calendars update; a change from
    a page opened before someone else's raises MeetingConflict)."""
    _require_steering(project, actor)
    created = meeting is None
    _require_project_meeting(meeting, project)
    _refuse_stale(meeting, "sequence", seen_version, MeetingConflict)
    text_length_check(**_texts(values))
    meeting = meeting or Meeting(project=project, created_by=actor)
    for field, value in values.items():
        setattr(meeting, field, value)
    if meeting.format == "video" and not meeting.link:
        raise ValidationError({"link": [_("Для ВКС укажите ссылку на подключение.")]})
    if meeting.format == "in_person" and not meeting.place:
        raise ValidationError({"place": [_("Для очной встречи укажите место.")]})
    if not created:
        meeting.sequence += 1
    meeting.full_clean(exclude=["uid"])
    with set_actor(actor):
        meeting.save()
        meeting.participants.set(participants)
        meeting.organisations.set(organisations)
    when = timezone.localtime(meeting.starts_at)
    text = (gettext("Назначена встреча «%(title)s» на %(when)s") if created
            else gettext("Изменена встреча «%(title)s»: %(when)s")) % {"title": meeting.title,
                                                                      "when": f"{when:%d.%m.%Y %H:%M}"}
    _event(project, ProjectEventKind.MEETING, actor, text, name="meeting", meeting=meeting.pk)
    rules.meeting_changed(meeting=meeting, actor=actor, created=created)
    return meeting


@transaction.atomic
def meeting_set_status(*, meeting: Meeting, actor: User, status: str, minutes: str = "",
                       seen_version: int | None = None) -> Meeting:
    _require_project_meeting(meeting, meeting.project)
    _require_steering(meeting.project, actor)
    _refuse_stale(meeting, "sequence", seen_version, MeetingConflict)
    if status not in MeetingStatus.values:
        raise ValidationError({"status": [_("Неизвестный статус встречи.")]})
    text_length_check(minutes=minutes)
    meeting.status, meeting.sequence = status, meeting.sequence + 1
    if minutes.strip():
        meeting.minutes = minutes.strip()
    with set_actor(actor):
        meeting.save()
    _event(meeting.project, ProjectEventKind.MEETING, actor, gettext("Встреча «%(title)s»: %(status)s")
           % {"title": meeting.title, "status": meeting.get_status_display()}, name="meeting", meeting=meeting.pk)
    rules.meeting_changed(meeting=meeting, actor=actor, created=False)
    return meeting


# --- requests to participants ----------------------------------------------------------------------------
def request_period_days(organisation: Organisation) -> int:
    period = RequestPeriod.objects.filter(kind=organisation.kind).first()
    return period.days if period else 7


@transaction.atomic
def request_send(*, project: Project, actor: User, organisation: Organisation, subject: str, text: str,
                 due_date: date | None = None) -> ParticipantRequest:
    _require_steering(project, actor)
    if organisation.kind not in OrganisationKind.participants():
        raise ValidationError({"organisation": [_("Запрос направляется участнику системы.")]})
    if not subject.strip() or not text.strip():
        raise ValidationError({"text": [_("Напишите тему и текст запроса.")]})
    text_length_check(subject=subject, text=text)
    due_date = due_date or timezone.localdate() + timedelta(days=request_period_days(organisation))
    with set_actor(actor):
        row = ParticipantRequest.objects.create(
            project=project, organisation=organisation, subject=subject.strip(), text=text.strip(),
            due_date=due_date, author=actor,
        )
    _event(project, ProjectEventKind.REQUEST, actor, gettext("Запрос «%(subject)s» в %(org)s, ответ до %(date)s")
           % {"subject": row.subject, "org": organisation.short_name, "date": f"{due_date:%d.%m.%Y}"},
           public=False, name="request_send", request=row.pk)
    rules.request_sent(request=row, actor=actor)
    return row


@transaction.atomic
def request_answer(*, request: ParticipantRequest, actor: User, answer_text: str,
                   files: list[UploadedFile] = ()) -> ParticipantRequest:
    """The participant answers; the answer and its files attach to the project."""
    if actor.organisation_id != request.organisation_id or not is_staff_member(actor):
        raise PermissionDenied(gettext("Ответить может сотрудник организации, которой направлен запрос."))
    if request.status == RequestStatus.ANSWERED:
        raise ValidationError(_("На запрос уже ответили."))
    if not answer_text.strip():
        raise ValidationError({"answer_text": [_("Напишите ответ.")]})
    text_length_check(answer_text=answer_text)
    request.status, request.answer_text = RequestStatus.ANSWERED, answer_text.strip()
    request.answered_at, request.answered_by = timezone.now(), actor
    with set_actor(actor):
        request.save()
    if files:
        documents_upload(project=request.project, actor=actor, uploads=files, kind="answer", title=request.subject,
                         is_internal=True, request=request)
    _event(request.project, ProjectEventKind.REQUEST, actor, gettext("Получен ответ на запрос «%(subject)s»")
           % {"subject": request.subject}, public=False, name="request_answer", request=request.pk)
    return request


def project_comment(*, project: Project, actor: User, text: str, is_public: bool = True) -> ProjectEvent:
    _require_access(project, actor)
    if not text.strip():
        raise ValidationError({"text": [_("Напишите комментарий.")]})
    text_length_check(text=text)
    public = True if not is_staff_member(actor) else is_public
    return _event(project, ProjectEventKind.COMMENT, actor, text.strip(), public=public, name="comment")
