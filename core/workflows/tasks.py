"""The only door to a task's status (новая → в работе → выполнена / отменена) and to setting a task."""

from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core.choices import ProjectEventKind, RoadmapStatus, TaskStatus
from core.models import Project, ProjectEvent, RoadmapItem, Task, User
from core.notifications import rules
from core.roles import Role
from core.selectors.visibility import is_investor, is_staff_member, projects_visible_to, user_roles
from core.services.content_limits import text_length_check
from core.workflows.door import Conflict, door_pass

CONCURRENT_CHANGE = _("Задача уже изменена другим пользователем. Обновите страницу.")
LABELS = {"start": _("Взять в работу"), "finish": _("Отметить выполненной"), "cancel": _("Отменить задачу")}


class TaskConflict(Conflict):
    message = CONCURRENT_CHANGE


def _may(task: Task, user: User, name: str) -> bool:
    if not user.is_active:
        return False
    if name == "cancel":
        heads_the_assignee = (
            Role.HEAD in user_roles(user) and is_staff_member(user)
            and user.organisation_id is not None and user.organisation_id == task.assignee.organisation_id
        )
        return user.pk == task.author_id or heads_the_assignee
    return user.pk == task.assignee_id


def _investor_sees(task: Task) -> bool:
    """The investor follows the tasks their company set; staff's tasks for each other stay internal."""
    return bool(task.project_id and task.author.organisation_id == task.project.investor_id)


def task_actions_for(*, task: Task, user: User) -> list[str]:
    return [name for name in LABELS if can_proceed(getattr(task, name)) and _may(task, user, name)]


def task_create(
    *, author: User, assignee: User | None, title: str, due_date: date | None, description: str = "",
    project: Project | None = None, roadmap_item: RoadmapItem | None = None,
) -> Task:
    """Set a task. An investor sets tasks only for the people accompanying their project (seed: «Создавать
    задачи менеджерам»); staff set tasks for staff. The task's due date follows its roadmap item."""
    if roadmap_item is not None:
        if roadmap_item.status == RoadmapStatus.DONE or roadmap_item.actual_end:
            raise ValidationError({"roadmap_item": [_("Пункт дорожной карты уже выполнен.")]})
        project, due_date = roadmap_item.project, roadmap_item.planned_end
    text_length_check(title=title, description=description)
    errors: dict[str, list] = {}
    if not title.strip():
        errors["title"] = [_("Напишите, что нужно сделать.")]
    if due_date is None:
        errors["due_date"] = [_("Укажите срок.")]
    elif roadmap_item is None and due_date < timezone.localdate():
        errors["due_date"] = [_("Срок не может быть в прошлом.")]
    if assignee is None or not assignee.is_active or not assignee.is_staff:
        errors["assignee"] = [_("Выберите сотрудника, который выполнит задачу.")]
    if project is not None and not projects_visible_to(author).filter(pk=project.pk).exists():
        raise PermissionDenied(gettext("Проект недоступен."))
    if is_investor(author):
        allowed = {project.personal_manager_id, project.district_commissioner_id} if project else set()
        if project is None or (assignee and assignee.pk not in allowed):
            errors["assignee"] = [_("Задачу можно поставить персональному менеджеру или уполномоченному проекта.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(author):
        task = Task.objects.create(
            author=author, assignee=assignee, title=title.strip(), description=description.strip(),
            due_date=due_date, project=project, roadmap_item=roadmap_item,
        )
        if project:
            ProjectEvent.objects.create(
                project=project, kind=ProjectEventKind.TASK, name="task_create", actor=author,
                is_public=_investor_sees(task),
                # the name stays in the nominative, so no preposition before it («для Кузнецова Ольга»; 0029)
                text=gettext("Задача «%(title)s»: исполнитель — %(who)s, срок — %(date)s")
                % {"title": task.title, "who": assignee.full_name, "date": f"{task.due_date:%d.%m.%Y}"},
                data={"task": task.pk},
            )
        rules.task_assigned(task=task, actor=author)
    return task


def task_transition(*, task: Task, name: str, actor: User, result: str = "") -> Task:
    if name not in LABELS:
        raise ValueError(f"unknown task action {name!r}")
    refusal = gettext("Действие «%(action)s» недоступно.") % {"action": LABELS[name]}
    text_length_check(result=result)

    def change(locked: Task) -> None:
        if name == "finish":
            locked.finish(result=result.strip())
        else:
            getattr(locked, name)()

    def record(locked: Task, from_status: str, _changed) -> None:
        if locked.project_id:
            ProjectEvent.objects.create(
                project_id=locked.project_id, kind=ProjectEventKind.TASK, name=f"task_{name}", actor=actor,
                is_public=_investor_sees(locked),
                text=gettext("Задача «%(title)s»: %(from)s → %(to)s")
                % {"title": locked.title, "from": TaskStatus(from_status).label, "to": locked.get_status_display()},
                data={"task": locked.pk},
            )

    return door_pass(
        row=task, actor=actor, conflict=TaskConflict, state="status",
        status_allows=lambda locked: can_proceed(getattr(locked, name)), status_refusal=lambda locked: refusal,
        may=lambda locked: _may(locked, actor, name), refusal=refusal, change=change, record=record,
    )
