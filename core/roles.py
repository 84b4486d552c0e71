"""Roles are Django groups with model permissions; this module is the single list of them.

`seed_reference` creates the groups and syncs their permissions from ROLE_PERMISSIONS, so a new model's
permissions are granted by editing one table. Object-level scoping lives in core.selectors.visibility.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INVESTOR = "investor", _("Инвестор")
    MANAGER = "manager", _("Менеджер")
    COORDINATOR = "coordinator", _("Координатор")
    HEAD = "head", _("Руководитель")
    COMMISSIONER = "commissioner", _("Инвестиционный уполномоченный района")
    DIRECTOR = "director", _("Директор")
    EXECUTOR = "executor", _("Исполнитель (участник системы)")
    DATA_CLERK = "data_clerk", _("Оператор данных")
    ADMINISTRATOR = "administrator", _("Администратор")

    @property
    def group_name(self) -> str:
        return str(self.label)


# Roles whose members work in the manager cabinet (is_staff); investors use the portal only.
STAFF_ROLES = frozenset(set(Role) - {Role.INVESTOR})

_VIEW = ("view",)
_EDIT = ("view", "add", "change")
_ALL = ("view", "add", "change", "delete")
_CONFIRM = "confirm_membership"  # a custom permission: confirm that an investor represents the company
# Webhooks: the agency's administrators and its director manage subscriptions and watch (and resend) deliveries.
_WEBHOOKS = {"core.webhooksubscription": _ALL, "core.webhookdelivery": ("view", "change")}

# Answer templates are read by every staff member (the appeal dialogs offer them) and written, with the public FAQ,
# by coordinators, heads and administrators.
_ANSWERS = {"core.answertemplate": _ALL, "core.faqentry": _ALL}

_CLASSIFIER = ("core.appealtype", "core.category", "core.subcategory", "core.fact")


def _classifier(actions: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(_CLASSIFIER, actions)


# role -> {model label: actions}. Only models that exist are granted; later issues extend the table.
# Projects and the rows around them are seen in the cabinet with "view"; stages and tasks move through their
# doors and the rest through core.services.projects, which decide by the person's place on the project.
_PROJECTS = ("core.project", "core.task", "core.meeting", "core.participantrequest", "core.roadmapitem",
             "core.projectdocument")
_PROJECT_REFERENCE = ("core.industry", "core.checklistitem", "core.supportmeasure", "core.requestperiod")
# «Шаблоны документов» (docs/documents.md): uploaded and switched off, never deleted
_TEMPLATES = {"core.documenttemplate": _EDIT}
_STAFF_READS = {
    "core.district": _VIEW, **_classifier(_VIEW), "core.appeal": _VIEW,
    **dict.fromkeys(_PROJECTS, _VIEW), **dict.fromkeys(_PROJECT_REFERENCE, _VIEW), "core.answertemplate": _VIEW,
}

# Appeals are seen in the cabinet with "view"; every change to one goes through core.workflows.appeals,
# which decides by the person's place on the appeal, not by model permissions.
ROLE_PERMISSIONS: dict[Role, dict[str, tuple[str, ...]]] = {
    Role.INVESTOR: {},
    Role.MANAGER: {**_STAFF_READS, "core.organisation": _EDIT, "core.user": (*_VIEW, _CONFIRM)},
    Role.COORDINATOR: {**_STAFF_READS, "core.organisation": _VIEW, "core.user": _VIEW, **_ANSWERS,
                        **_TEMPLATES},
    Role.HEAD: {**_STAFF_READS, "core.organisation": _VIEW, "core.user": (*_VIEW, _CONFIRM), **_ANSWERS,
                **_TEMPLATES},
    Role.COMMISSIONER: {**_STAFF_READS, "core.organisation": _VIEW, "core.user": _VIEW},
    Role.DIRECTOR: {**_STAFF_READS, "core.organisation": _VIEW, "core.user": (*_VIEW, _CONFIRM), **_WEBHOOKS},
    Role.EXECUTOR: {**_STAFF_READS, "core.organisation": _VIEW},
    # Data clerks load reference data and legacy appeals («Мои обращения (Старые)»): adding appeals is that import.
    Role.DATA_CLERK: {
        "core.organisation": _ALL,
        "core.district": _ALL,
        "core.user": _VIEW,
        **_classifier(_EDIT),
        "core.appeal": ("view", "add"),
        # the project import writes new rows and updates passports (core.resources.projects); the stage only
        # through core.workflows.projects.project_import_stage
        **dict.fromkeys(_PROJECTS, _VIEW),
        **dict.fromkeys(_PROJECT_REFERENCE, _VIEW),
        "core.project": _EDIT,
    },
    Role.ADMINISTRATOR: {
        "core.organisation": _ALL,
        "core.district": _ALL,
        **_classifier(_ALL),
        "core.calendaroverride": _ALL,
        **_TEMPLATES,
        "core.appeal": _VIEW,
        **_ANSWERS,
        **dict.fromkeys(_PROJECTS, _VIEW),
        **dict.fromkeys(_PROJECT_REFERENCE, _EDIT),
        "core.user": (*_ALL, _CONFIRM),
        "core.personaldataconsent": _VIEW,
        "auth.group": _ALL,
        "auditlog.logentry": _VIEW,
        "core.notification": ("view", "change"),  # the outbox: watch letters, send a failed one again
        **_WEBHOOKS,
        "django_q.schedule": _ALL,
        "django_q.success": _VIEW,
        "django_q.failure": _ALL,
        "django_q.ormq": _VIEW,
        "axes.accessattempt": ("view", "delete"),
        "axes.accesslog": _VIEW,
        "axes.accessfailurelog": _VIEW,
    },
}
