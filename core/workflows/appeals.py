"""The only door to changing an appeal: its status, deadline, classification, roles, rating and comments.

`appeal_submit` files a new appeal; `appeal_transition(*, appeal, name, actor, **data)` does everything else.
Each call is atomic, locks the row, refuses a stale view («уже изменено другим пользователем»), checks who
may act and whether the status allows it, changes the appeal through its @transition method, saves it with
the auditlog actor set and writes one history row. The admin, the portal and background jobs all use it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core.calendar import deadline_for
from core.choices import (
    AppealChannel,
    AppealEventKind,
    AppealStatus,
    FileKind,
    MeetingFormat,
    MeetingStatus,
    OrganisationKind,
)
from core.models import (
    Appeal,
    AppealAnswer,
    AppealEscalation,
    AppealEvent,
    AppealFile,
    Fact,
    Meeting,
    Organisation,
    Project,
    User,
)
from core.notifications import rules
from core.roles import Role
from core.search.index import APPEAL, index_later
from core.selectors.appeal_people import appeal_head_candidates, appeal_manager_candidates
from core.selectors.calendar import calendar_overrides
from core.selectors.contacts import director_of_agency
from core.selectors.visibility import appeal_visible, is_agency_staff, is_investor, user_roles
from core.services.attachments import upload_quota_check, upload_store, uploads_check, uploads_cleanup
from core.services.content_limits import company_appeal_quota_check, company_comment_quota_check, text_length_check
from core.services.deadlines import appeal_next_alert_at
from core.services.numbers import number_next
from core.workflows.door import Conflict, door_pass

CONCURRENT_CHANGE = _("Обращение уже изменено другим пользователем. Обновите страницу и повторите действие.")
NUMBER_COUNTER = "appeal"


class AppealConflict(Conflict):
    """The appeal changed since the person looked at it; nothing was written."""

    message = CONCURRENT_CHANGE


# --- who may act -------------------------------------------------------------------------------------------
def _is_applicant_side(appeal: Appeal, user: User) -> bool:
    return is_investor(user) and user.membership_confirmed and user.organisation_id == appeal.organisation_id


def _in_executor_organisation(appeal: Appeal, user: User) -> bool:
    return bool(
        appeal.executor_organisation_id
        and user.organisation_id == appeal.executor_organisation_id
        and user_roles(user) & {Role.EXECUTOR, Role.MANAGER, Role.HEAD}
    )


def _agency_lead(user: User) -> bool:
    """Agency coordinators and heads, and the director: they route and control every appeal."""
    roles = user_roles(user)
    return user.is_superuser or Role.DIRECTOR in roles or (
        is_agency_staff(user) and bool(roles & {Role.COORDINATOR, Role.HEAD})
    )


def _is_head(appeal: Appeal, user: User) -> bool:
    roles = user_roles(user)
    return (
        appeal.head_id == user.pk
        or Role.DIRECTOR in roles
        or user.is_superuser
        or (Role.HEAD in roles and user.organisation_id in {appeal.executor_organisation_id})
    )


def _needs_executor_approval(appeal: Appeal) -> bool:
    """An executor body marked «сначала согласует ответы сам» has not yet approved the answer its people wrote."""
    organisation = appeal.executor_organisation
    return bool(
        organisation
        and organisation.approves_own_answers
        and organisation.kind != OrganisationKind.AGENCY
        and appeal.executor_approved_at is None
    )


def _executor_head(appeal: Appeal, user: User) -> bool:
    return bool(
        appeal.executor_organisation_id
        and user.organisation_id == appeal.executor_organisation_id
        and Role.HEAD in user_roles(user)
    )


def _approves(appeal: Appeal, user: User) -> bool:
    """Whose turn it is to approve (or return) the answer: the executor body's head first where that body approves
    its own answers, then the appeal's head — the agency's (seed: «Руководитель согласовывает ответы»). With no
    head on the appeal, the executor organisation's head approves."""
    if user.is_superuser or Role.DIRECTOR in user_roles(user):
        return True
    if _needs_executor_approval(appeal):
        return _executor_head(appeal, user)
    if appeal.head_id:
        return appeal.head_id == user.pk
    return _executor_head(appeal, user)


def _registers(user: User) -> bool:
    """Agency coordinators, managers and heads register appeals that came by phone, letter, visit…"""
    return user.is_superuser or (
        is_agency_staff(user) and bool(user_roles(user) & {Role.COORDINATOR, Role.MANAGER, Role.HEAD})
    )


def _moderates(appeal: Appeal, user: User) -> bool:
    return _agency_lead(user) or appeal.coordinator_id == user.pk or (
        is_agency_staff(user) and Role.MANAGER in user_roles(user)
    )


def _has_unrated_round(appeal: Appeal) -> bool:
    return appeal.answers.filter(rating__isnull=True).exists()


def _controls(appeal: Appeal, user: User) -> bool:
    """The coordinator, the manager or an agency lead: follows the appeal wherever it is executed."""
    return _agency_lead(user) or user.pk in {appeal.coordinator_id, appeal.manager_id}


def _agency_controls(appeal: Appeal, user: User) -> bool:
    """Who may move the deadline, or change the fact (which moves it too): the agency — its leads, the appeal's
    coordinator, and its manager or head when they are the agency's. A public body's people ask the agency: the
    deadline is what the bodies' rating («Ответов в срок») counts, so a body does not move its own."""
    return _agency_lead(user) or user.pk == appeal.coordinator_id or (
        user.pk in {appeal.manager_id, appeal.head_id} and is_agency_staff(user))


def _works_on(appeal: Appeal, user: User) -> bool:
    return user.pk == appeal.manager_id or _in_executor_organisation(appeal, user)


def _staff_on(appeal: Appeal, user: User) -> bool:
    return not is_investor(user) and appeal_visible(appeal, user)


def _has_planned_meeting(appeal: Appeal) -> bool:
    """From the appeal's meetings when they were read with it (its page shows them), else from the database."""
    if "meetings" in getattr(appeal, "_prefetched_objects_cache", {}):
        return any(meeting.status == MeetingStatus.PLANNED for meeting in appeal.meetings.all())
    return appeal.meetings.filter(status=MeetingStatus.PLANNED).exists()


PUBLIC, INTERNAL = "public", "internal"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    may: Callable[[Appeal, User], bool]
    statuses: tuple[str, ...] | None = None  # for actions that keep the status; transitions ask django-fsm
    investor_facing: bool = False
    # who reads the text typed in the dialog: PUBLIC or INTERNAL by default; `text_fixed` means the dialog may
    # not change it (a rejection reason is for the investor; a draft answer is for the head)
    text_default: str = PUBLIC
    text_fixed: bool = False
    row_public: bool = True  # the history line itself (status, dates) reaches the investor

    @property
    def text_choice(self) -> bool:
        return not self.text_fixed and not self.investor_facing


S = AppealStatus
_OPEN = tuple(S.open())
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("correct", _("Уточнить текст обращения"), _moderates, (S.MODERATION,), text_default=INTERNAL,
               text_fixed=True),
        Action("reject", _("Отклонить"), lambda a, u: _agency_lead(u) or a.coordinator_id == u.pk, text_fixed=True),
        Action("assign", _("Назначить менеджера"), lambda a, u: _agency_lead(u) or a.coordinator_id == u.pk,
               text_default=INTERNAL),
        Action("redirect", _("Перенаправить"), lambda a, u: _controls(a, u) or _is_head(a, u), text_default=INTERNAL),
        Action("appoint_manager", _("Назначить ответственного"),
               lambda a, u: _executor_head(a, u) or _controls(a, u),
               (S.ASSIGNED, S.REDIRECTED, S.IN_WORK, S.CLARIFICATION, S.APPROVAL), text_default=INTERNAL),
        Action("take_into_work", _("Взять в работу"), _works_on, text_default=INTERNAL),
        Action("request_clarification", _("Запросить уточнение"), lambda a, u: _works_on(a, u) or _controls(a, u),
               text_fixed=True),
        Action("provide_clarification", _("Ответить на уточнение"), _is_applicant_side, investor_facing=True),
        Action("submit_for_approval", _("Направить ответ на согласование"), _works_on, text_default=INTERNAL,
               text_fixed=True, row_public=False),
        Action("approve", _("Согласовать ответ"), _approves, text_fixed=True),
        Action("return_to_executor", _("Вернуть исполнителю"), _approves, text_default=INTERNAL, row_public=False),
        Action("send_back_for_rework", _("Отправить на доработку"), _is_applicant_side, investor_facing=True),
        Action("close", _("Закрыть с итогом"), _controls),
        Action("extend_deadline", _("Перенести срок"), _agency_controls, _OPEN),
        Action("reclassify", _("Изменить факт обращения"), _agency_controls, _OPEN, text_default=INTERNAL),
        Action("link_project", _("Связать с проектом"), lambda a, u: _controls(a, u) or _works_on(a, u),
               tuple(S.values), text_fixed=True),
        Action("schedule_meeting", _("Назначить встречу / ВКС"), lambda a, u: _controls(a, u) or _works_on(a, u),
               (*_OPEN, S.ANSWERED, S.NOT_RESOLVED), text_fixed=True),
        Action("change_meeting", _("Перенести или отменить встречу"),
               lambda a, u: (_controls(a, u) or _works_on(a, u)) and _has_planned_meeting(a), tuple(S.values),
               text_fixed=True),
        Action("escalate", _("Вынести на МРГ"), lambda a, u: _controls(a, u) or _is_head(a, u)),
        Action(
            "rate", _("Оценить ответ"), lambda a, u: _is_applicant_side(a, u) and _has_unrated_round(a),
            tuple(s for s in S.values if s not in {S.MODERATION, S.REJECTED}), investor_facing=True,
        ),
        Action("comment", _("Добавить комментарий"), lambda a, u: _is_applicant_side(a, u) or _staff_on(a, u),
               tuple(S.values)),
    ]
}
CLOSE_OUTCOMES = {
    S.RESOLVED: "close_resolved",
    S.NOT_RESOLVED: "close_not_resolved",
    S.POSTPONED: "close_postponed",
    S.DECLINED: "close_declined",
}


def _status_allows(appeal: Appeal, action: Action) -> bool:
    if action.statuses is not None:
        return appeal.status in action.statuses
    if action.name == "close":
        return any(can_proceed(getattr(appeal, method)) for method in CLOSE_OUTCOMES.values())
    if action.name == "escalate":  # the working group hears what the bodies did not solve in time
        return appeal.status == S.NOT_RESOLVED or appeal.is_overdue
    return can_proceed(getattr(appeal, action.name))


def appeal_actions_for(*, appeal: Appeal, user: User) -> list[Action]:
    """The actions this person may take on the appeal now (for buttons); the door checks them again."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [a for a in ACTIONS.values() if _status_allows(appeal, a) and a.may(appeal, user)]


# --- filing --------------------------------------------------------------------------------------------------
def appeal_deadline(*, fact: Fact, start: date) -> date:
    kind = fact.appeal_type
    return deadline_for(
        start=start, period=kind.period_days, day_kind=kind.day_kind, move_to_working_day=kind.move_to_working_day,
        overrides=calendar_overrides(),
    )


def appeal_submit(
    *,
    fact: Fact,
    subject: str,
    description: str,
    applicant: User | None = None,
    actor: User | None = None,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    organisation_inn: str = "",
    files: Iterable[UploadedFile] = (),
    to_director: bool = False,
    project: Project | None = None,
    channel: str = AppealChannel.PORTAL,
    received_at=None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    pos_number: str = "",
) -> Appeal:
    """File a new appeal: numbered, classified, with its deadline counted from the day it was received (Moscow).

    An investor files on the portal (`applicant`): the company is theirs, the ИНН typed must be its ИНН. Staff
    register an appeal that came another way (`actor` is staff, `organisation` is the investor company,
    `channel`, `received_at`, the contact person, for a message of the federal platform ПОС its `pos_number`): it
    starts in moderation like any other, with the registering person as its coordinator. A staff-registered appeal
    is then routed through `appeal_transition`."""
    actor = actor or applicant
    if actor is None:
        raise PermissionDenied(gettext("Не указано, кто подаёт обращение."))
    staff_entry = not is_investor(actor)
    now = timezone.now()
    errors: dict[str, list] = {}
    if staff_entry:
        company = organisation
        if not _registers(actor):
            raise PermissionDenied(gettext("Регистрировать обращения могут координаторы, менеджеры и руководители "
                                           "агентства."))
        if company is None or company.kind != OrganisationKind.INVESTOR:
            errors["organisation"] = [_("Укажите компанию-инвестора.")]
        if channel not in AppealChannel.staff_registered():
            errors["channel"] = [_("Выберите, как поступило обращение: телефон, почта, письмо, приём, ПОС или "
                                   "мероприятие.")]
        if received_at is None:
            errors["received_at"] = [_("Укажите, когда обращение поступило.")]
        elif received_at > now:
            errors["received_at"] = [_("Дата поступления не может быть в будущем.")]
        if not (contact_email.strip() or contact_phone.strip()):
            errors["contact_email"] = [_("Укажите e-mail или телефон контактного лица: по ним инвестор получит ответ.")]
        pos_number = pos_number.strip()
        if pos_number and channel != AppealChannel.POS:
            errors["pos_number"] = [_("Номер ПОС бывает только у обращения, поступившего через ПОС.")]
        elif pos_number and (known := Appeal.objects.filter(pos_number=pos_number).values_list("number").first()):
            errors["pos_number"] = [_("Сообщение ПОС №%(pos)s уже зарегистрировано: обращение №%(number)s.")
                                    % {"pos": pos_number, "number": known[0]}]
        applicant = None
    else:
        company = actor.organisation
        if not (company and actor.membership_confirmed):
            raise PermissionDenied(gettext("Подавать обращения могут инвесторы с подтверждённым участием в компании."))
        typed_inn = organisation_inn.strip()
        if typed_inn and typed_inn != company.inn:
            errors["organisation_inn"] = [
                _("ИНН не совпадает с ИНН вашей компании (%(inn)s). Обращение подаётся от имени компании, в которой "
                  "подтверждено ваше участие.") % {"inn": company.inn}
            ]
        applicant, channel, received_at = actor, AppealChannel.PORTAL, now
    if not fact.is_active or not fact.subcategory.is_active or not fact.subcategory.category.is_active:
        errors["fact"] = [_("Этот факт обращения больше не используется: выберите другой.")]
    if not subject.strip():
        errors["subject"] = [_("Напишите тему обращения.")]
    if project is not None and (company is None or project.investor_id != company.pk):
        errors["project"] = [_("Выберите проект этой компании.")]
    if not description.strip():
        errors["description"] = [_("Подробно опишите суть обращения.")]
    files, content_types = list(files), []
    for check in (lambda: text_length_check(subject=subject, description=description),
                  lambda: content_types.extend(uploads_check(files))):
        try:
            check()
        except ValidationError as error:
            for field, messages in error.update_error_dict({}).items():
                errors.setdefault("files" if field == "__all__" else field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    with uploads_cleanup() as stored, transaction.atomic(), set_actor(actor):
        if not staff_entry:  # the company's daily limit; an appeal staff register is not the investor's doing
            company_appeal_quota_check(company)
        upload_quota_check(user=actor, uploads=files)
        director = director_of_agency() if to_director else None
        if to_director and director is None:
            raise ValidationError(_("Директор агентства пока не указан в системе: напишите персональному менеджеру."))
        coordinator = actor if staff_entry else (company.personal_manager if not to_director else None)
        appeal = Appeal(
            number=number_next(name=NUMBER_COUNTER),
            applicant=applicant,
            registered_by=actor if staff_entry else None,
            channel=channel,
            pos_number=pos_number if staff_entry else "",
            organisation=company,
            # the applicant's organisation as it stands in its confirmed card, never as typed
            organisation_name=company.full_name[:500],
            organisation_inn=company.inn,
            organisation_ogrn=company.ogrn,
            contact_name=contact_name.strip()[:300],
            contact_email=contact_email.strip(),
            contact_phone=contact_phone.strip()[:32],
            fact=fact,
            appeal_type=fact.appeal_type,
            subject=subject.strip(),
            description=description.strip(),
            to_director=to_director,
            project=project,
            created_at=now,
            received_at=received_at,
            deadline=appeal_deadline(fact=fact, start=timezone.localdate(received_at)),
            coordinator=coordinator,
            head=director,
            executor_organisation=director.organisation if director else fact.default_executor,
        )
        appeal.next_alert_at = appeal_next_alert_at(appeal)
        appeal.save()
        # the investor reads it too: the date the answer is due, not an order to them (migration 0028)
        text = gettext("Срок ответа — до %(date)s") % {"date": f"{appeal.deadline:%d.%m.%Y}"}
        if staff_entry:
            text = gettext("Зарегистрировано: %(channel)s, поступило %(when)s. %(deadline)s") % {
                "channel": appeal.get_channel_display(), "when": f"{timezone.localtime(received_at):%d.%m.%Y %H:%M}",
                "deadline": text,
            }
        event = AppealEvent.objects.create(
            appeal=appeal, kind=AppealEventKind.SUBMITTED, name="submit", actor=actor, created_at=now,
            to_status=appeal.status, text=text,
        )
        _store_files(appeal, event, files, content_types, FileKind.REQUEST, actor, stored, public=True)
        rules.appeal_submitted(appeal=appeal, event=event)
    return appeal


# the history lines that hold an answer draft's files: the submission, or its note when its text was kept apart
DRAFT_LINES = ("submit_for_approval", "submit_for_approval_note")


def answer_draft_line(appeal: Appeal) -> int | None:
    """The id of the history line holding the files of the answer being prepared: the newest submission's. The files
    of a draft the head returned stay on their own line, among staff; they are never published with a later draft
    (the executor attaches again what the new draft needs)."""
    return appeal.events.filter(name__in=DRAFT_LINES).order_by("-pk").values_list("pk", flat=True).first()


def _store_files(appeal, event, files, content_types, kind, actor, stored: list, *, public: bool) -> None:
    """Write each file, then its row; `stored` (from uploads_cleanup) lets a failure remove every file written."""
    for upload, content_type in zip(files, content_types, strict=True):
        row = AppealFile(
            appeal=appeal, event=event, kind=kind, original_name=upload.name[:255],
            content_type=content_type, size=upload.size, is_public=public, uploaded_by=actor,
        )
        upload_store(row, upload, stored)
        row.save()


# --- the door ------------------------------------------------------------------------------------------------
def appeal_transition(*, appeal: Appeal, name: str, actor: User, **data) -> Appeal:
    """Apply action `name` (see ACTIONS) to the appeal as `actor`. `appeal` is the version the person saw:
    if it changed meanwhile, AppealConflict is raised. Invalid data raises a Russian ValidationError,
    a forbidden action PermissionDenied; in every failure nothing is written."""
    action = ACTIONS.get(name)
    if action is None:
        raise ValueError(f"unknown appeal action {name!r}")
    if not actor.is_active:
        raise PermissionDenied(gettext("Учётная запись отключена."))
    files = list(data.pop("files", []) or [])
    text_public = data.pop("text_public", None)
    text_length_check(**{key: value for key, value in data.items() if isinstance(value, str)})
    content_types = _files_check(appeal, files)

    def change(locked: Appeal) -> AppealEvent:
        if name == "comment" and is_investor(actor):  # the company's daily limit on comments
            company_comment_quota_check(locked.organisation)
        upload_quota_check(user=actor, uploads=files)
        event = _HANDLERS[name](locked, actor, **data)
        # the status or the deadline may have moved: the sweep's next moment moves with them
        locked.next_alert_at = appeal_next_alert_at(locked)
        return event

    def record(locked: Appeal, from_status: str, event: AppealEvent) -> None:
        event.appeal, event.actor, event.name = locked, actor, event.name or name
        event.from_status, event.to_status = from_status, locked.status
        if not event.kind:
            event.kind = AppealEventKind.TRANSITION
        note = _apply_visibility(event, action, actor, text_public)
        event.save()
        if note:  # typed text kept among staff: its own internal line right after the public one
            note = AppealEvent.objects.create(
                appeal=locked, kind=AppealEventKind.NOTE, name=f"{event.name}_note", actor=actor, text=note,
                is_public=False, created_at=event.created_at, data={"for": event.name},
            )
        for extra in getattr(event, "extra_notes", ()):
            AppealEvent.objects.create(appeal=locked, actor=actor, created_at=event.created_at, is_public=False,
                                       kind=AppealEventKind.NOTE, **extra)
        _store_files(
            locked, note or event, files, content_types,
            FileKind.ANSWER if name == "submit_for_approval" else FileKind.COMMENT, actor, stored,
            public=event.is_public and not note,
        )
        rules.appeal_changed(appeal=locked, event=event, actor=actor, note=note.text if note else "")

    with uploads_cleanup() as stored:  # a refusal or an error removes the files `record` wrote
        return door_pass(
            row=appeal, actor=actor, conflict=AppealConflict, state="status",
            status_allows=lambda locked: _status_allows(locked, action),
            status_refusal=lambda locked: gettext("Действие «%(action)s» недоступно в статусе «%(status)s».")
            % {"action": action.label, "status": locked.get_status_display()},
            may=lambda locked: action.may(locked, actor),
            refusal=gettext("У вас нет права на действие «%(action)s».") % {"action": action.label},
            change=change, record=record,
        )


def _files_check(appeal: Appeal, files: list[UploadedFile]) -> list[str]:
    """Each file, this request and the appeal with its files so far: a Russian ValidationError on `files`."""
    if not files:
        return []
    held = AppealFile.objects.filter(appeal=appeal).aggregate(count=Count("pk"), size=Sum("size"))
    try:
        return uploads_check(files, already_count=held["count"], already_size=held["size"] or 0)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error


def text_is_public_by_default(name: str) -> bool:
    return ACTIONS[name].text_default == PUBLIC


def _apply_visibility(event: AppealEvent, action: Action, actor: User, text_public: bool | None) -> str:
    """Decide who reads the typed text (SPEC «Visibility of typed text»). An investor's words are public; a
    fixed action keeps its default; otherwise the dialog's choice, or the action's default. When the line itself
    is public but its text is internal, the text moves to an internal note, returned for the door to write."""
    if getattr(event, "visibility_decided", False):
        return ""
    if action.investor_facing or is_investor(actor):
        public = True
    elif action.text_fixed or text_public is None:
        public = action.text_default == PUBLIC
    else:
        public = bool(text_public)
    if not action.row_public:
        event.is_public = public
        return ""
    if public or not event.text:
        return ""
    note, event.text = event.text, ""
    return note


def _required(value: str | None, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


def _participant(organisation: Organisation | None, field: str) -> Organisation:
    if organisation is None or organisation.kind not in OrganisationKind.participants() or not organisation.is_active:
        raise ValidationError({field: [_("Выберите действующую организацию — участника системы.")]})
    return organisation


def _member(user: User | None, organisation: Organisation, field: str, *, required: bool) -> User | None:
    if user is None:
        if required:
            raise ValidationError({field: [_("Выберите сотрудника.")]})
        return None
    if not user.is_active or not user.is_staff:
        raise ValidationError({field: [_("Выберите действующего сотрудника.")]})
    if organisation and user.organisation_id != organisation.pk:
        raise ValidationError({field: [_("Сотрудник должен работать в организации-исполнителе.")]})
    if organisation and not appeal_manager_candidates(organisation=organisation).filter(pk=user.pk).exists():
        raise ValidationError({field: [_("Этот сотрудник не готовит ответы на обращения: выберите менеджера, "
                                         "исполнителя или руководителя организации-исполнителя.")]})
    return user


def _approver(head: User | None) -> User | None:
    if head is not None and not appeal_head_candidates().filter(pk=head.pk).exists():
        raise ValidationError({"head": [_("Согласует ответы руководитель или директор: выберите действующего "
                                          "сотрудника с одной из этих ролей.")]})
    return head


def _head_of(organisation: Organisation) -> User | None:
    return (
        User.objects.filter(organisation=organisation, is_active=True, groups__name=Role.HEAD.group_name)
        .order_by("pk")
        .first()
    )


def _reject(appeal, actor, *, reason: str = "") -> AppealEvent:
    reason = _required(reason, "reason", _("Укажите причину отклонения: её увидит инвестор."))
    appeal.reject(reason=reason)
    return AppealEvent(text=reason)


def _assign(appeal, actor, *, executor_organisation=None, manager=None, head=None, comment: str = "") -> AppealEvent:
    organisation = _participant(executor_organisation, "executor_organisation")
    manager = _member(manager, organisation, "manager", required=True)
    head = _approver(head) or appeal.head or _head_of(organisation)
    coordinator = appeal.coordinator or actor
    appeal.assign(executor_organisation=organisation, manager=manager, head=head, coordinator=coordinator)
    return AppealEvent(
        text=comment.strip(),
        data={"executor_organisation": organisation.short_name, "manager": manager.full_name},
    )


def _agency_head(actor: User) -> User | None:
    agency = actor.organisation if is_agency_staff(actor) else Organisation.objects.filter(
        kind=OrganisationKind.AGENCY, is_active=True).order_by("pk").first()
    return _head_of(agency) if agency else None


def _redirect(appeal, actor, *, executor_organisation=None, manager=None, comment: str = "") -> AppealEvent:
    """Seed #737: the appeal goes to another body; the agency's head stays its head and approves the answer, the
    coordinator keeps control, and the receiving body's responsible person becomes the manager (named here, by
    that body's head later, or whoever of that body takes it into work)."""
    organisation = _participant(executor_organisation, "executor_organisation")
    if organisation.pk == appeal.executor_organisation_id:
        raise ValidationError({"executor_organisation": [_("Обращение уже у этой организации.")]})
    manager = _member(manager, organisation, "manager", required=False)
    comment = _required(comment, "comment", _("Напишите, что нужно сделать исполнителю."))
    if appeal.coordinator_id is None:  # seed: the one who hands it over stays as coordinator and keeps control
        appeal.coordinator = appeal.manager or actor
    if appeal.head_id is None:
        appeal.head = _agency_head(actor)
    appeal.redirect(executor_organisation=organisation, manager=manager)
    data = {"executor_organisation": organisation.short_name}
    if manager:
        data["manager"] = manager.full_name
    return AppealEvent(text=comment, data=data)


def _appoint_manager(appeal, actor, *, manager=None, comment: str = "") -> AppealEvent:
    organisation = appeal.executor_organisation
    manager = _member(manager, organisation, "manager", required=True)
    if manager.pk == appeal.manager_id:
        raise ValidationError({"manager": [_("Этот сотрудник уже отвечает за обращение.")]})
    appeal.manager = manager
    return AppealEvent(
        kind=AppealEventKind.ASSIGNMENT, text=comment.strip(),
        data={"manager": manager.full_name, "executor_organisation": organisation.short_name},
    )


def _take_into_work(appeal, actor, *, comment: str = "") -> AppealEvent:
    appeal.take_into_work()
    manager = appeal.manager
    if actor.organisation_id == appeal.executor_organisation_id and (
        manager is None or manager.organisation_id != appeal.executor_organisation_id
    ):
        appeal.manager = actor  # the executor body's person who took it answers for it
    return AppealEvent(text=comment.strip(), data={"manager": appeal.manager.full_name} if appeal.manager else {})


def _correct(appeal, actor, *, subject: str = "", description: str = "", comment: str = "") -> AppealEvent:
    """Moderation (seed «Ятэк Рус»: «скорректировал текст Инвестора»): the investor reads the corrected text; the
    original stays in an internal line with who and when."""
    subject = _required(subject, "subject", _("Напишите тему обращения."))[:300]
    description = _required(description, "description", _("Напишите описание обращения."))
    if subject == appeal.subject and description == appeal.description:
        raise ValidationError({"description": [_("Текст не изменился.")]})
    original = {"subject": appeal.subject, "description": appeal.description}
    appeal.subject, appeal.description = subject, description
    event = AppealEvent(kind=AppealEventKind.CORRECTED)  # its kind reads «Текст обращения уточнён»: no text twice
    event.visibility_decided = True
    note = gettext("Исходный текст инвестора.\nТема: %(subject)s\n\n%(description)s") % original
    if comment.strip():
        note = f"{comment.strip()}\n\n{note}"
    event.extra_notes = [{"name": "correct_original", "text": note, "data": {"original": original}}]
    return event


def _simple(method: str, *, text_required=None):
    def handler(appeal, actor, *, comment: str = "") -> AppealEvent:
        text = _required(comment, "comment", text_required) if text_required else comment.strip()
        getattr(appeal, method)()
        return AppealEvent(text=text)

    return handler


def _submit_for_approval(appeal, actor, *, answer_text: str = "") -> AppealEvent:
    answer_text = _required(answer_text, "answer_text", _("Напишите текст ответа инвестору."))
    appeal.submit_for_approval(answer_text=answer_text, author=actor)
    return AppealEvent(text=answer_text, is_public=False)


def approval_is_executor_step(appeal: Appeal, user: User) -> bool:
    """«Согласовать ответ» by this person is the executor body's own «да»: the answer then waits for the appeal's head
    (the agency's), and the investor gets it only after that."""
    return _needs_executor_approval(appeal) and not (user.is_superuser or Role.DIRECTOR in user_roles(user))


def _approve(appeal, actor, *, comment: str = "") -> AppealEvent:
    if approval_is_executor_step(appeal, actor):
        # the executor body's own «да»: the answer now waits for the appeal's head
        appeal.executor_approved_by, appeal.executor_approved_at = actor, timezone.now()
        event = AppealEvent(kind=AppealEventKind.APPROVED_BY_EXECUTOR, name="approve_by_executor",
                            text=comment.strip(), is_public=False)
        event.visibility_decided = True
        return event
    appeal.approve(approver=actor)
    number = appeal.answers.count() + 1
    round_ = AppealAnswer.objects.create(
        appeal=appeal, number=number, text=appeal.answer_text, author=appeal.answered_by, approved_by=actor,
        approved_at=appeal.answered_at,
    )
    # the investor now sees this round's files: those of the draft approved, not of one returned earlier
    appeal.files.filter(kind=FileKind.ANSWER, answer__isnull=True, event_id=answer_draft_line(appeal)).update(
        is_public=True, answer=round_)
    index_later(APPEAL, appeal.pk)  # update() passes by the signals: the file names become public text
    if comment.strip():  # the head's remark stays among staff; the investor sees the answer
        AppealEvent.objects.create(
            appeal=appeal, kind=AppealEventKind.COMMENT, name="comment", actor=actor, text=comment.strip(),
            is_public=False,
        )
    return AppealEvent(text=appeal.answer_text, data={"round": number})


def _last_round(appeal) -> AppealAnswer:
    return appeal.answers.order_by("-number").first()


def _send_back_for_rework(appeal, actor, *, reason: str = "") -> AppealEvent:
    reason = _required(reason, "reason", _("Напишите, что в ответе нужно доработать."))
    round_ = _last_round(appeal)
    appeal.send_back_for_rework()
    if round_ is not None:
        round_.rework_reason, round_.sent_back_at = reason, timezone.now()
        round_.save(update_fields=["rework_reason", "sent_back_at"])
    return AppealEvent(text=reason, data={"round": round_.number if round_ else None})


def _close(appeal, actor, *, outcome: str = "", comment: str = "") -> AppealEvent:
    if outcome not in CLOSE_OUTCOMES:
        raise ValidationError({"outcome": [_("Выберите итог: решено, не решено, отложено или отклонено.")]})
    getattr(appeal, CLOSE_OUTCOMES[outcome])()
    return AppealEvent(text=comment.strip())


def _extend_deadline(appeal, actor, *, new_deadline: date | None = None, reason: str = "") -> AppealEvent:
    reason = _required(reason, "reason", _("Укажите причину переноса срока."))
    if new_deadline is None or new_deadline <= appeal.deadline:
        raise ValidationError({"new_deadline": [_("Новый срок должен быть позже текущего.")]})
    old = appeal.deadline
    appeal.deadline = new_deadline
    return AppealEvent(
        kind=AppealEventKind.DEADLINE_EXTENDED, text=reason,
        data={"old_deadline": old.isoformat(), "new_deadline": new_deadline.isoformat()},
    )


def _reclassify(appeal, actor, *, fact: Fact | None = None, comment: str = "") -> AppealEvent:
    if fact is None or not fact.is_active:
        raise ValidationError({"fact": [_("Выберите действующий факт обращения.")]})
    if fact.pk == appeal.fact_id:
        raise ValidationError({"fact": [_("Обращение уже отнесено к этому факту.")]})
    old_fact, old_deadline = appeal.fact, appeal.deadline
    appeal.fact, appeal.appeal_type = fact, fact.appeal_type
    appeal.deadline = appeal_deadline(fact=fact, start=timezone.localdate(appeal.received_at))
    return AppealEvent(
        kind=AppealEventKind.RECLASSIFIED, text=comment.strip(),
        data={"old_fact": old_fact.name, "new_fact": fact.name, "old_deadline": old_deadline.isoformat(),
              "new_deadline": appeal.deadline.isoformat()},
    )


def _link_project(appeal, actor, *, project: Project | None = None) -> AppealEvent:
    """Tie the appeal to a project of the same investor (or untie it): the project's history then shows it."""
    if project is not None and project.investor_id != appeal.organisation_id:
        raise ValidationError({"project": [_("Проект другого инвестора: выберите проект этой компании.")]})
    if project is not None and project.pk == appeal.project_id:
        raise ValidationError({"project": [_("Обращение уже связано с этим проектом.")]})
    if project is None and appeal.project_id is None:
        raise ValidationError({"project": [_("Обращение и так не связано с проектом.")]})
    appeal.project = project
    text = gettext("Связано с проектом %(project)s") % {"project": project} if project else gettext(
        "Связь с проектом снята"
    )
    return AppealEvent(kind=AppealEventKind.ASSIGNMENT, text=text, data={"project": project.pk if project else None})


def _schedule_meeting(
    appeal, actor, *, title: str = "", starts_at=None, duration_minutes: int = 60, format: str = MeetingFormat.VIDEO,
    place: str = "", link: str = "", participants: Iterable[User] = (), agenda: str = "",
) -> AppealEvent:
    """Seed: «направил администрации … приглашение на ВКС». The meeting belongs to the appeal (and to its project,
    if any), so it shows in calendars and feeds; the investor's history gets a public line."""
    title = _required(title, "title", _("Напишите тему встречи."))[:300]
    if starts_at is None:
        raise ValidationError({"starts_at": [_("Укажите дату и время встречи.")]})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": [_("Встречу нельзя назначить на прошедшее время.")]})
    if format not in MeetingFormat.values:
        raise ValidationError({"format": [_("Выберите формат встречи.")]})
    if not 5 <= int(duration_minutes or 0) <= 24 * 60:
        raise ValidationError({"duration_minutes": [_("Длительность — от 5 минут до суток.")]})
    meeting = Meeting.objects.create(
        project=appeal.project, appeal=appeal, title=title, starts_at=starts_at, duration_minutes=duration_minutes,
        format=format, place=place.strip()[:300], link=link.strip(), agenda=agenda.strip(), created_by=actor,
    )
    people = [p for p in participants if p is not None]
    meeting.participants.set(people)
    meeting.organisations.set({p.organisation_id for p in people if p.organisation_id})
    event = AppealEvent(
        kind=AppealEventKind.MEETING,
        text=gettext("Назначена встреча «%(title)s» на %(when)s") % {
            "title": title, "when": f"{timezone.localtime(starts_at):%d.%m.%Y %H:%M}"},
        data={"meeting": meeting.pk},
    )
    event.meeting = meeting
    return event


MEETING_CHANGES = ("move", "cancel", "held")


def _change_meeting(appeal, actor, *, meeting: Meeting | None = None, change: str = "", starts_at=None,
                    minutes: str = "") -> AppealEvent:
    """Move, cancel or mark held a planned meeting about the appeal; participants get the updated .ics (a higher
    SEQUENCE replaces the earlier copy in their calendars); the investor's history gets a line."""
    if meeting is None or meeting.appeal_id != appeal.pk:
        raise ValidationError({"meeting": [_("Выберите встречу по этому обращению.")]})
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError({"meeting": [_("Эта встреча уже проведена или отменена.")]})
    when = timezone.localtime(meeting.starts_at)
    if change == "move":
        if starts_at is None:
            raise ValidationError({"starts_at": [_("Укажите новые дату и время встречи.")]})
        if starts_at < timezone.now():
            raise ValidationError({"starts_at": [_("Встречу нельзя перенести на прошедшее время.")]})
        if starts_at == meeting.starts_at:
            raise ValidationError({"starts_at": [_("Встреча и так назначена на это время.")]})
        meeting.starts_at = starts_at
        text = gettext("Встреча «%(title)s» перенесена с %(old)s на %(new)s") % {
            "title": meeting.title, "old": f"{when:%d.%m.%Y %H:%M}",
            "new": f"{timezone.localtime(starts_at):%d.%m.%Y %H:%M}"}
    elif change == "cancel":
        meeting.status = MeetingStatus.CANCELLED
        text = gettext("Встреча «%(title)s» %(when)s отменена") % {"title": meeting.title,
                                                                  "when": f"{when:%d.%m.%Y %H:%M}"}
    elif change == "held":
        meeting.status, meeting.minutes = MeetingStatus.HELD, minutes.strip()
        text = gettext("Встреча «%(title)s» %(when)s проведена") % {"title": meeting.title,
                                                                  "when": f"{when:%d.%m.%Y %H:%M}"}
    else:
        raise ValidationError({"change": [_("Выберите: перенести, отменить или отметить проведённой.")]})
    if change != "held":
        meeting.sequence += 1
    meeting.save()
    event = AppealEvent(kind=AppealEventKind.MEETING, text=text, data={"meeting": meeting.pk, "change": change})
    event.meeting = meeting
    if change == "held" and meeting.minutes:  # the minutes stay among staff
        event.extra_notes = [{"name": "change_meeting_minutes", "text": meeting.minutes}]
    return event


def _escalate(appeal, actor, *, session_date: date | None = None, decision: str = "",
              follow_up_deadline: date | None = None) -> AppealEvent:
    """«Вынести на МРГ» (seed: распоряжение №105) for an appeal closed «Не решено» or overdue."""
    if session_date is None:
        raise ValidationError({"session_date": [_("Укажите дату заседания МРГ.")]})
    decision = _required(decision, "decision", _("Запишите решение МРГ."))
    if follow_up_deadline is not None and follow_up_deadline < session_date:
        raise ValidationError({"follow_up_deadline": [_("Срок исполнения не может быть раньше заседания.")]})
    AppealEscalation.objects.create(appeal=appeal, session_date=session_date, decision=decision,
                                    follow_up_deadline=follow_up_deadline, created_by=actor)
    data = {"session_date": session_date.isoformat()}
    if follow_up_deadline:
        data["follow_up_deadline"] = follow_up_deadline.isoformat()
    return AppealEvent(kind=AppealEventKind.ESCALATED, text=decision, data=data)


def _rate(appeal, actor, *, rating: int | None = None, comment: str = "", round_number: int | None = None
          ) -> AppealEvent:
    """The investor rates one answer round (the last unrated one unless told); the appeal's rating is its last
    round's."""
    if rating not in {1, 2, 3, 4, 5}:
        raise ValidationError({"rating": [_("Поставьте оценку от 1 до 5.")]})
    rounds = appeal.answers.filter(rating__isnull=True)
    round_ = (rounds.filter(number=round_number) if round_number else rounds.order_by("-number")).first()
    if round_ is None:
        raise ValidationError({"rating": [_("Этот ответ уже оценён.")]})
    round_.rating, round_.rating_comment, round_.rated_at = rating, comment.strip(), timezone.now()
    round_.save(update_fields=["rating", "rating_comment", "rated_at"])
    if round_.number == appeal.answers.count():
        appeal.rating, appeal.rating_comment = rating, comment.strip()
    return AppealEvent(kind=AppealEventKind.RATED, text=comment.strip(),
                       data={"rating": rating, "round": round_.number})


def _comment(appeal, actor, *, text: str = "", is_public: bool | None = None) -> AppealEvent:
    text = _required(text, "text", _("Напишите комментарий."))
    public = True if is_investor(actor) else bool(is_public)  # an investor's words are always visible to them
    event = AppealEvent(kind=AppealEventKind.COMMENT, text=text, is_public=public)
    event.visibility_decided = True
    return event


_HANDLERS: dict[str, Callable[..., AppealEvent]] = {
    "reject": _reject,
    "assign": _assign,
    "correct": _correct,
    "redirect": _redirect,
    "appoint_manager": _appoint_manager,
    "take_into_work": _take_into_work,
    "request_clarification": _simple(
        "request_clarification", text_required=_("Напишите, какие сведения нужны от инвестора.")
    ),
    "provide_clarification": _simple("provide_clarification", text_required=_("Напишите ответ на вопрос.")),
    "submit_for_approval": _submit_for_approval,
    "approve": _approve,
    "return_to_executor": _simple("return_to_executor", text_required=_("Напишите, что исправить в ответе.")),
    "send_back_for_rework": _send_back_for_rework,
    "close": _close,
    "extend_deadline": _extend_deadline,
    "reclassify": _reclassify,
    "rate": _rate,
    "link_project": _link_project,
    "schedule_meeting": _schedule_meeting,
    "change_meeting": _change_meeting,
    "escalate": _escalate,
    "comment": _comment,
}
assert set(_HANDLERS) == set(ACTIONS)
