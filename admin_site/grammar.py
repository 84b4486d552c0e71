"""Russian grammar for the cabinet's generic screens.

Django admin and unfold build titles and buttons by gluing a verb to the model's name: «Добавить %s»,
«Изменить %s», «Удалить» + verbose_name, «Выберите %s для изменения». Russian puts the object of a verb in the
accusative, which differs from the nominative verbose_name for feminine nouns and animate masculine ones
(«Добавить организация», «Удалить пользователь»). Each model the cabinet registers therefore declares its
accusative here, or is listed as one whose accusative is its nominative; tests/admin_site/test_grammar.py fails
for a newly registered model that is in neither, and for a generic screen that still glues the nominative.

Django's success messages («{name} “{obj}“ был успешно добавлен.») also assume a masculine name; the cabinet
rewrites them in a form that needs no gender (`neutral_success_message`).
"""

import re

from django.db.models.options import Options
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACCUSATIVE = {
    "axes.accessattempt": _("попытку входа"),
    "axes.accessfailurelog": _("неудачную попытку входа"),
    "core.category": _("категорию обращений"),
    "core.subcategory": _("подкатегорию обращений"),
    "core.organisation": _("организацию"),
    "core.supportmeasure": _("меру поддержки"),
    "core.task": _("задачу"),
    "core.meeting": _("встречу"),
    "django_q.schedule": _("запланированную задачу"),
    "django_q.success": _("успешную задачу"),
    "django_q.failure": _("неудачную задачу"),
    "django_q.ormq": _("задачу в очереди"),
    "core.user": _("пользователя"),
    "core.webhooksubscription": _("подписку на события"),
    "core.webhookdelivery": _("доставку события"),
}

# Masculine inanimate, neuter, and feminine nouns in -ь: the accusative is the nominative.
SAME_AS_NOMINATIVE = frozenset({
    "axes.accesslog", "auditlog.logentry", "core.answertemplate", "core.faqentry", "core.apitoken", "core.appeal",
    "core.appealtype", "core.fact", "core.calendaroverride", "core.personaldataconsent", "core.documenttemplate",
    "core.notification", "core.district", "core.industry", "core.checklistitem", "core.requestperiod",
    "core.project", "core.participantrequest",
    "auth.group",  # «роль» (core.apps: the groups are named as the roles they are)
})


def accusative(opts: Options) -> str:
    """The model's name as the object of a verb: «Удалить организацию», «Добавить шаблон ответа»."""
    name = ACCUSATIVE.get(opts.label_lower)
    return str(name) if name is not None else str(opts.verbose_name)


def list_title(opts: Options) -> str:
    """A list page's title: the plural name, «Организации» (Django's «Выберите организация для изменения»)."""
    return capfirst(str(opts.verbose_name_plural))


def form_title(opts: Options, *, add: bool, can_change: bool) -> str:
    if add:
        return capfirst(gettext("добавить %(name)s") % {"name": accusative(opts)})
    if can_change:
        return capfirst(gettext("изменить %(name)s") % {"name": accusative(opts)})
    return capfirst(gettext("просмотреть %(name)s") % {"name": accusative(opts)})


# Django's own success messages of the add, change and delete views: (msgid, its neutral rewrite).
_DJANGO_SUCCESS = (
    ("The {name} “{obj}” was added successfully. You may add another {name} below.",
     _("Добавлено: %(name)s «%(obj)s». Ниже можно добавить ещё одну запись.")),
    ("The {name} “{obj}” was added successfully. You may edit it again below.",
     _("Добавлено: %(name)s «%(obj)s». Ниже можно продолжить редактирование.")),
    ("The {name} “{obj}” was added successfully.", _("Добавлено: %(name)s «%(obj)s».")),
    ("The {name} “{obj}” was changed successfully. You may edit it again below.",
     _("Сохранено: %(name)s «%(obj)s». Ниже можно продолжить редактирование.")),
    ("The {name} “{obj}” was changed successfully. You may add another {name} below.",
     _("Сохранено: %(name)s «%(obj)s». Ниже можно добавить ещё одну запись.")),
    ("The {name} “{obj}” was changed successfully.", _("Сохранено: %(name)s «%(obj)s».")),
    ("The %(name)s “%(obj)s” was deleted successfully.", _("Удалено: %(name)s «%(obj)s».")),
)


def _pattern(translated: str, name: str) -> re.Pattern:
    text = re.escape(translated)
    for placeholder in ("{name}", "%(name)s"):
        text = text.replace(re.escape(placeholder), re.escape(name))
    for placeholder in ("{obj}", "%(obj)s"):
        text = text.replace(re.escape(placeholder), "(?P<obj>.*?)", 1).replace(re.escape(placeholder), ".*?")
    return re.compile(rf"\A{text}\Z", re.DOTALL)


def neutral_success_message(opts: Options, message: str) -> str | None:
    """Django's add/change/delete success message for `opts` rewritten without a gendered verb, or None when the
    message is not one of those. The object keeps its link (the message is HTML from format_html)."""
    name = str(opts.verbose_name)
    for msgid, neutral in _DJANGO_SUCCESS:
        match = _pattern(gettext(msgid), name).match(str(message))
        if match:
            obj = SafeString(match.group("obj")) if isinstance(message, SafeString) else match.group("obj")
            return format_html(str(neutral).replace("%(name)s", "{name}").replace("%(obj)s", "{obj}"),
                               name=capfirst(name), obj=obj)
    return None
