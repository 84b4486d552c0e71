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
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core.calendar import deadline_for
from core.choices import AppealEventKind, AppealStatus, FileKind, OrganisationKind
from core.models import Appeal, AppealEvent, AppealFile, Fact, Organisation, Project, User
from core.notifications import rules
from core.roles import Role
from core.selectors.calendar import calendar_overrides
from core.selectors.contacts import director_of_agency
from core.selectors.visibility import appeals_visible_to, is_agency_staff, is_investor, user_roles
from core.services.attachments import upload_check
from core.services.numbers import number_next

CONCURRENT_CHANGE = _("Обращение уже изменено другим пользователем. Обновите страницу и повторите действие.")
NUMBER_COUNTER = "appeal"


class AppealConflict(Exception):
    """The appeal changed since the person looked at it; nothing was written."""

    def __init__(self) -> None:
        super().__init__(str(CONCURRENT_CHANGE))


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


def _controls(appeal: Appeal, user: User) -> bool:
    """The coordinator, the manager or an agency lead: follows the appeal wherever it is executed."""
    return _agency_lead(user) or user.pk in {appeal.coordinator_id, appeal.manager_id}


def _works_on(appeal: Appeal, user: User) -> bool:
    return user.pk == appeal.manager_id or _in_executor_organisation(appeal, user)


def _staff_on(appeal: Appeal, user: User) -> bool:
    return not is_investor(user) and appeals_visible_to(user).filter(pk=appeal.pk).exists()


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    may: Callable[[Appeal, User], bool]
    statuses: tuple[str, ...] | None = None  # for actions that keep the status; transitions ask django-fsm
    investor_facing: bool = False


S = AppealStatus
_OPEN = tuple(S.open())
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("reject", _("Отклонить"), lambda a, u: _agency_lead(u) or a.coordinator_id == u.pk),
        Action("assign", _("Назначить менеджера"), lambda a, u: _agency_lead(u) or a.coordinator_id == u.pk),
        Action("redirect", _("Перенаправить"), lambda a, u: _controls(a, u) or _is_head(a, u)),
        Action("take_into_work", _("Взять в работу"), _works_on),
        Action("request_clarification", _("Запросить уточнение"), lambda a, u: _works_on(a, u) or _controls(a, u)),
        Action("provide_clarification", _("Ответить на уточнение"), _is_applicant_side, investor_facing=True),
        Action("submit_for_approval", _("Направить ответ на согласование"), _works_on),
        Action("approve", _("Согласовать ответ"), _is_head),
        Action("return_to_executor", _("Вернуть исполнителю"), _is_head),
        Action("send_back_for_rework", _("Отправить на доработку"), _is_applicant_side, investor_facing=True),
        Action("close", _("Закрыть с итогом"), _controls),
        Action("extend_deadline", _("Перенести срок"), lambda a, u: _controls(a, u) or _is_head(a, u), _OPEN),
        Action("reclassify", _("Изменить факт обращения"), _controls, _OPEN),
        Action("link_project", _("Связать с проектом"), lambda a, u: _controls(a, u) or _works_on(a, u),
               tuple(S.values)),
        Action(
            "rate", _("Оценить ответ"), lambda a, u: _is_applicant_side(a, u) and a.rating is None,
            (S.ANSWERED, *S.outcomes()), investor_facing=True,
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
    applicant: User,
    fact: Fact,
    subject: str,
    description: str,
    organisation_name: str = "",
    organisation_inn: str = "",
    files: Iterable[UploadedFile] = (),
    to_director: bool = False,
    project: Project | None = None,
) -> Appeal:
    """An investor files an appeal: numbered, classified, with its deadline counted from today (Moscow)."""
    company = applicant.organisation
    errors: dict[str, list] = {}
    if not (is_investor(applicant) and company and applicant.membership_confirmed):
        raise PermissionDenied(gettext("Подавать обращения могут инвесторы с подтверждённым участием в компании."))
    if not fact.is_active or not fact.subcategory.is_active or not fact.subcategory.category.is_active:
        errors["fact"] = [_("Этот факт обращения больше не используется: выберите другой.")]
    if not subject.strip():
        errors["subject"] = [_("Напишите тему обращения.")]
    if project is not None and project.investor_id != company.pk:
        errors["project"] = [_("Выберите проект своей компании.")]
    if not description.strip():
        errors["description"] = [_("Подробно опишите суть обращения.")]
    files = list(files)
    content_types = []
    for upload in files:
        try:
            content_types.append(upload_check(upload))
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    with transaction.atomic(), set_actor(applicant):
        director = director_of_agency() if to_director else None
        if to_director and director is None:
            raise ValidationError(_("Директор агентства пока не указан в системе: напишите персональному менеджеру."))
        appeal = Appeal(
            number=number_next(name=NUMBER_COUNTER),
            applicant=applicant,
            organisation=company,
            organisation_name=(organisation_name.strip() or company.full_name)[:500],
            organisation_inn=organisation_inn.strip() or company.inn,
            organisation_ogrn=company.ogrn,
            fact=fact,
            appeal_type=fact.appeal_type,
            subject=subject.strip(),
            description=description.strip(),
            to_director=to_director,
            project=project,
            created_at=now,
            deadline=appeal_deadline(fact=fact, start=timezone.localdate(now)),
            coordinator=company.personal_manager if not to_director else None,
            head=director,
            executor_organisation=director.organisation if director else fact.default_executor,
        )
        appeal.save()
        event = AppealEvent.objects.create(
            appeal=appeal, kind=AppealEventKind.SUBMITTED, name="submit", actor=applicant, created_at=now,
            to_status=appeal.status, text=gettext("Ответить до %(date)s") % {"date": f"{appeal.deadline:%d.%m.%Y}"},
        )
        _store_files(appeal, event, files, content_types, FileKind.REQUEST, applicant, public=True)
        rules.appeal_submitted(appeal=appeal, event=event)
    return appeal


def _store_files(appeal, event, files, content_types, kind, actor, *, public: bool) -> None:
    for upload, content_type in zip(files, content_types, strict=True):
        AppealFile.objects.create(
            appeal=appeal, event=event, kind=kind, file=upload, original_name=upload.name[:255],
            content_type=content_type, size=upload.size, is_public=public, uploaded_by=actor,
        )


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
    content_types, file_errors = [], []
    for upload in files:
        try:
            content_types.append(upload_check(upload))
        except ValidationError as error:
            file_errors.extend(error.messages)
    if file_errors:
        raise ValidationError({"files": file_errors})
    with transaction.atomic(), set_actor(actor):
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.updated_at != appeal.updated_at or locked.status != appeal.status:
            raise AppealConflict
        if not _status_allows(locked, action):
            raise PermissionDenied(
                gettext("Действие «%(action)s» недоступно в статусе «%(status)s».")
                % {"action": action.label, "status": locked.get_status_display()}
            )
        if not action.may(locked, actor):
            raise PermissionDenied(gettext("У вас нет права на действие «%(action)s».") % {"action": action.label})
        from_status = locked.status
        event = _HANDLERS[name](locked, actor, **data)
        locked.save()
        event.appeal, event.actor, event.name = locked, actor, name
        event.from_status, event.to_status = from_status, locked.status
        if not event.kind:
            event.kind = AppealEventKind.TRANSITION
        event.save()
        _store_files(
            locked, event, files, content_types,
            FileKind.ANSWER if name == "submit_for_approval" else FileKind.COMMENT, actor, public=event.is_public,
        )
        rules.appeal_changed(appeal=locked, event=event, actor=actor)
    return locked


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
    return user


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
    head = head or appeal.head or _head_of(organisation)
    coordinator = appeal.coordinator or actor
    appeal.assign(executor_organisation=organisation, manager=manager, head=head, coordinator=coordinator)
    return AppealEvent(
        text=comment.strip(),
        data={"executor_organisation": organisation.short_name, "manager": manager.full_name},
    )


def _redirect(appeal, actor, *, executor_organisation=None, manager=None, comment: str = "") -> AppealEvent:
    organisation = _participant(executor_organisation, "executor_organisation")
    if organisation.pk == appeal.executor_organisation_id:
        raise ValidationError({"executor_organisation": [_("Обращение уже у этой организации.")]})
    manager = _member(manager, organisation, "manager", required=False)
    comment = _required(comment, "comment", _("Напишите, что нужно сделать исполнителю."))
    if appeal.coordinator_id is None:  # seed: the one who hands it over stays as coordinator and keeps control
        appeal.coordinator = appeal.manager or actor
    appeal.redirect(executor_organisation=organisation, manager=manager)
    # the executor body's head approves its answer (the director keeps a letter addressed to the director)
    if appeal.head is None or (
        appeal.head.organisation_id != organisation.pk and Role.DIRECTOR not in user_roles(appeal.head)
    ):
        appeal.head = _head_of(organisation) or appeal.head
    return AppealEvent(text=comment, data={"executor_organisation": organisation.short_name})


def _simple(method: str, *, text_required=None, public: bool = True):
    def handler(appeal, actor, *, comment: str = "") -> AppealEvent:
        text = _required(comment, "comment", text_required) if text_required else comment.strip()
        getattr(appeal, method)()
        return AppealEvent(text=text, is_public=public)

    return handler


def _submit_for_approval(appeal, actor, *, answer_text: str = "") -> AppealEvent:
    answer_text = _required(answer_text, "answer_text", _("Напишите текст ответа инвестору."))
    appeal.submit_for_approval(answer_text=answer_text, author=actor)
    return AppealEvent(text=answer_text, is_public=False)


def _approve(appeal, actor, *, comment: str = "") -> AppealEvent:
    appeal.approve()
    appeal.files.filter(kind=FileKind.ANSWER).update(is_public=True)  # the investor now sees the answer's files
    if comment.strip():  # the head's remark stays among staff; the investor sees the answer
        AppealEvent.objects.create(
            appeal=appeal, kind=AppealEventKind.COMMENT, name="comment", actor=actor, text=comment.strip(),
            is_public=False,
        )
    return AppealEvent(text=appeal.answer_text)


def _send_back_for_rework(appeal, actor, *, reason: str = "") -> AppealEvent:
    reason = _required(reason, "reason", _("Напишите, что в ответе нужно доработать."))
    appeal.send_back_for_rework()
    return AppealEvent(text=reason)


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
    appeal.deadline = appeal_deadline(fact=fact, start=timezone.localdate(appeal.created_at))
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


def _rate(appeal, actor, *, rating: int | None = None, comment: str = "") -> AppealEvent:
    if rating not in {1, 2, 3, 4, 5}:
        raise ValidationError({"rating": [_("Поставьте оценку от 1 до 5.")]})
    appeal.rating, appeal.rating_comment = rating, comment.strip()
    return AppealEvent(kind=AppealEventKind.RATED, text=comment.strip(), data={"rating": rating})


def _comment(appeal, actor, *, text: str = "", is_public: bool = True) -> AppealEvent:
    text = _required(text, "text", _("Напишите комментарий."))
    public = True if is_investor(actor) else bool(is_public)  # an investor's words are always visible to them
    return AppealEvent(kind=AppealEventKind.COMMENT, text=text, is_public=public)


_HANDLERS: dict[str, Callable[..., AppealEvent]] = {
    "reject": _reject,
    "assign": _assign,
    "redirect": _redirect,
    "take_into_work": _simple("take_into_work"),
    "request_clarification": _simple(
        "request_clarification", text_required=_("Напишите, какие сведения нужны от инвестора.")
    ),
    "provide_clarification": _simple("provide_clarification", text_required=_("Напишите ответ на вопрос.")),
    "submit_for_approval": _submit_for_approval,
    "approve": _approve,
    "return_to_executor": _simple(
        "return_to_executor", text_required=_("Напишите, что исправить в ответе."), public=False
    ),
    "send_back_for_rework": _send_back_for_rework,
    "close": _close,
    "extend_deadline": _extend_deadline,
    "reclassify": _reclassify,
    "rate": _rate,
    "link_project": _link_project,
    "comment": _comment,
}
assert set(_HANDLERS) == set(ACTIONS)
