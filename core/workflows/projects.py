"""The only door to a project's stage and to filing a project; the same pattern as core.workflows.appeals.

`project_apply` files an application; `project_transition(*, project, name, actor, **data)` moves the stage:
atomic, row lock, stale-view check, who-may check, the @transition method, save with the auditlog actor,
one history row. `project_import_stage` is the one audited way an imported project gets its stage.
"""

from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core.choices import ProjectEventKind, ProjectStage
from core.models import Project, ProjectEvent, User
from core.notifications import rules
from core.roles import Role
from core.selectors.contacts import director_of_agency
from core.selectors.visibility import is_agency_staff, is_investor, user_roles
from core.services.content_limits import text_length_check
from core.services.numbers import number_next
from core.workflows.door import Conflict, door_pass

CONCURRENT_CHANGE = _("Проект уже изменён другим пользователем. Обновите страницу и повторите действие.")
NUMBER_COUNTER = "project"
P = ProjectStage


class ProjectConflict(Conflict):
    message = CONCURRENT_CHANGE


def _owner(project: Project, user: User) -> bool:
    return is_investor(user) and user.membership_confirmed and user.organisation_id == project.investor_id


def _steers(project: Project, user: User) -> bool:
    """The project's personal manager, the agency's coordinators and heads, the director."""
    if not user.is_active:
        return False
    roles = user_roles(user)
    return (
        user.is_superuser
        or project.personal_manager_id == user.pk
        or Role.DIRECTOR in roles
        or (is_agency_staff(user) and bool(roles & {Role.COORDINATOR, Role.HEAD}))
    )


def project_steered_by(*, project: Project, user: User) -> bool:
    """Who runs the project's work (passport, roadmap, meetings, checklist, measures, requests): those who move
    its stage and its district commissioner. Participants who only received a request do not."""
    return _steers(project, user) or (user.is_active and project.district_commissioner_id == user.pk)


@dataclass(frozen=True)
class StageAction:
    name: str
    label: str
    may: Callable[[Project, User], bool]
    reason_required: bool = False


ACTIONS: dict[str, StageAction] = {
    a.name: a
    for a in [
        StageAction("start_review", _("Взять на рассмотрение"), _steers),
        StageAction("accept", _("Принять на сопровождение"), _steers),
        StageAction("decline", _("Отказать в сопровождении"), _steers, reason_required=True),
        StageAction("start_pre_investment", _("Начать прединвестиционный этап"), _steers),
        StageAction("start_investment", _("Перейти к инвестиционному этапу"), _steers),
        StageAction("start_operation", _("Перейти к эксплуатационному этапу"), _steers),
        StageAction("complete", _("Завершить сопровождение"), _steers),
        StageAction("suspend", _("Приостановить"), _steers, reason_required=True),
        StageAction(
            "withdraw", _("Отозвать проект"),
            lambda p, u: _steers(p, u) or (_owner(p, u) and p.stage in {P.APPLICATION, P.REVIEW}),
            reason_required=True,
        ),
        StageAction("resume", _("Возобновить"), _steers),
    ]
}


def project_actions_for(*, project: Project, user: User) -> list[StageAction]:
    if not user.is_authenticated or not user.is_active:
        return []
    return [a for a in ACTIONS.values() if can_proceed(getattr(project, a.name)) and a.may(project, user)]


def _registry_number() -> str:
    return f"ИП-{timezone.localdate():%Y}-{number_next(name=NUMBER_COUNTER):05d}"


def project_apply(*, applicant: User, **passport) -> Project:
    """An investor files a project application; the company's personal manager and the agency director are
    put on it, the stage is «Заявка». `passport` holds the Project fields the form collected."""
    company = applicant.organisation
    if not (is_investor(applicant) and company and applicant.membership_confirmed):
        raise PermissionDenied(gettext("Подавать заявки могут инвесторы с подтверждённым участием в компании."))
    text_length_check(**{field: value for field, value in passport.items() if isinstance(value, str)})
    project = Project(
        investor=company, personal_manager=company.personal_manager,
        district_commissioner=company.district_commissioner, director=director_of_agency(),
        district=passport.pop("district", None) or company.district, **passport,
    )
    project.full_clean(exclude=["registry_number", "stage"])  # a protected FSM field cannot be re-set
    with transaction.atomic(), set_actor(applicant):
        project.registry_number = _registry_number()
        project.save()
        ProjectEvent.objects.create(
            project=project, kind=ProjectEventKind.STAGE, name="apply", actor=applicant, to_stage=project.stage,
            text=gettext("Подана заявка на сопровождение проекта"),
        )
    return project


def project_transition(*, project: Project, name: str, actor: User, reason: str = "") -> Project:
    action = ACTIONS.get(name)
    if action is None:
        raise ValueError(f"unknown project action {name!r}")
    if not actor.is_active:
        raise PermissionDenied(gettext("Учётная запись отключена."))
    reason = reason.strip()
    if action.reason_required and not reason:
        raise ValidationError({"reason": [_("Укажите причину: её увидит инвестор.")]})
    text_length_check(reason=reason)

    def record(locked: Project, from_stage: str, _changed) -> None:
        event = ProjectEvent.objects.create(
            project=locked, kind=ProjectEventKind.STAGE, name=name, actor=actor, from_stage=from_stage,
            to_stage=locked.stage, text=reason,
        )
        rules.project_stage_changed(project=locked, event=event, actor=actor)

    return door_pass(
        row=project, actor=actor, conflict=ProjectConflict, state="stage",
        status_allows=lambda locked: can_proceed(getattr(locked, name)),
        status_refusal=lambda locked: gettext("Действие «%(action)s» недоступно на этапе «%(stage)s».")
        % {"action": action.label, "stage": locked.get_stage_display()},
        may=lambda locked: action.may(locked, actor),
        refusal=gettext("У вас нет права на действие «%(action)s».") % {"action": action.label},
        change=lambda locked: getattr(locked, name)(), record=record,
    )


def project_import_stage(*, project: Project, stage: str, actor: User) -> Project:
    """The stage a data clerk picked for a project loaded from a file: set once, on a project that has no
    history yet, recorded in the history and the auditlog."""
    if stage not in P.values:
        raise ValidationError({"stage": [_("Неизвестный этап проекта.")]})
    with transaction.atomic(), set_actor(actor):
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.events.filter(kind=ProjectEventKind.STAGE).exclude(name="import").exists():
            raise PermissionDenied(gettext("Этап задаётся при загрузке только новому проекту."))
        from_stage = locked.stage
        # queryset.update() bypasses the protected field and auditlog alike: log the change by hand
        Project.objects.filter(pk=locked.pk).update(stage=stage, stage_changed_at=timezone.now())
        locked.refresh_from_db()
        LogEntry.objects.log_create(
            locked, action=LogEntry.Action.UPDATE, changes={"stage": [from_stage, stage]}, actor=actor
        )
        ProjectEvent.objects.create(
            project=locked, kind=ProjectEventKind.STAGE, name="import", actor=actor, from_stage=from_stage,
            to_stage=stage, text=gettext("Этап указан при загрузке из файла"), is_public=False,
        )
    return locked
