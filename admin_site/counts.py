"""How many rows a cabinet list holds, in Russian: «1 задача», «22 задачи», «25 задач».

Django and unfold print a list's count as the number followed by verbose_name or verbose_name_plural, which
is right only in English («12 инвестиционные проекты»). Every model registered in the cabinet names its
three Russian forms here, once; the changelist footer reads them through `CountedChangeList`
(admin_site/admin/base.py). A registered model missing here breaks its list page and
tests/admin_site/test_changelist_plurals.py instead of printing a wrong form.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import ngettext_lazy

# "count" names the placeholder that picks the form: COUNT_FORMS[label] % {"count": n} (ngettext_lazy).
COUNT_FORMS: dict[str, Promise] = {
    # appeals and their classifier
    "core.appeal": ngettext_lazy("%(count)s обращение", "%(count)s обращений", "count"),
    "core.appealtype": ngettext_lazy("%(count)s тип обращения", "%(count)s типов обращений", "count"),
    "core.category": ngettext_lazy("%(count)s категория обращений", "%(count)s категорий обращений", "count"),
    "core.subcategory": ngettext_lazy(
        "%(count)s подкатегория обращений", "%(count)s подкатегорий обращений", "count"
    ),
    "core.fact": ngettext_lazy("%(count)s факт обращения", "%(count)s фактов обращений", "count"),
    "core.answertemplate": ngettext_lazy("%(count)s шаблон ответа", "%(count)s шаблонов ответов", "count"),
    "core.faqentry": ngettext_lazy("%(count)s частый вопрос", "%(count)s частых вопросов", "count"),
    "core.calendaroverride": ngettext_lazy(
        "%(count)s исключение производственного календаря",
        "%(count)s исключений производственного календаря",
        "count",
    ),
    # projects and the rows around them
    "core.project": ngettext_lazy("%(count)s инвестиционный проект", "%(count)s инвестиционных проектов", "count"),
    "core.task": ngettext_lazy("%(count)s задача", "%(count)s задач", "count"),
    "core.meeting": ngettext_lazy("%(count)s встреча", "%(count)s встреч", "count"),
    "core.participantrequest": ngettext_lazy(
        "%(count)s запрос участнику системы", "%(count)s запросов участникам системы", "count"
    ),
    "core.industry": ngettext_lazy("%(count)s отрасль", "%(count)s отраслей", "count"),
    "core.checklistitem": ngettext_lazy(
        "%(count)s действие по сопровождению", "%(count)s действий по сопровождению", "count"
    ),
    "core.supportmeasure": ngettext_lazy("%(count)s мера поддержки", "%(count)s мер поддержки", "count"),
    "core.requestperiod": ngettext_lazy(
        "%(count)s срок ответа на запрос", "%(count)s сроков ответа на запрос", "count"
    ),
    "core.documenttemplate": ngettext_lazy("%(count)s шаблон документа", "%(count)s шаблонов документов", "count"),
    # organisations, people, access
    "core.organisation": ngettext_lazy("%(count)s организация", "%(count)s организаций", "count"),
    "core.district": ngettext_lazy("%(count)s район", "%(count)s районов", "count"),
    "core.user": ngettext_lazy("%(count)s пользователь", "%(count)s пользователей", "count"),
    "auth.group": ngettext_lazy("%(count)s роль", "%(count)s ролей", "count"),
    "core.personaldataconsent": ngettext_lazy(
        "%(count)s согласие на обработку персональных данных",
        "%(count)s согласий на обработку персональных данных",
        "count",
    ),
    "core.notification": ngettext_lazy("%(count)s уведомление", "%(count)s уведомлений", "count"),
    "core.apitoken": ngettext_lazy("%(count)s API-токен", "%(count)s API-токенов", "count"),
    "auditlog.logentry": ngettext_lazy("%(count)s запись журнала", "%(count)s записей журнала", "count"),
    "axes.accessattempt": ngettext_lazy("%(count)s попытка входа", "%(count)s попыток входа", "count"),
    "axes.accesslog": ngettext_lazy(
        "%(count)s запись журнала входов", "%(count)s записей журнала входов", "count"
    ),
    "axes.accessfailurelog": ngettext_lazy(
        "%(count)s неудачная попытка входа", "%(count)s неудачных попыток входа", "count"
    ),
    # integrations
    "core.webhooksubscription": ngettext_lazy(
        "%(count)s подписка на события", "%(count)s подписок на события", "count"
    ),
    "core.webhookdelivery": ngettext_lazy("%(count)s доставка события", "%(count)s доставок событий", "count"),
    # the django-q2 worker
    "django_q.schedule": ngettext_lazy(
        "%(count)s запланированная задача", "%(count)s запланированных задач", "count"
    ),
    "django_q.success": ngettext_lazy("%(count)s успешная задача", "%(count)s успешных задач", "count"),
    "django_q.failure": ngettext_lazy("%(count)s неудачная задача", "%(count)s неудачных задач", "count"),
    "django_q.ormq": ngettext_lazy("%(count)s задача в очереди", "%(count)s задач в очереди", "count"),
}


def count_text(model: type[Model], count: int) -> str:
    """«22 задачи» for Task and 22; a model without its forms here is a programming error, never a guess."""
    try:
        forms = COUNT_FORMS[model._meta.label_lower]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} is listed in the cabinet but has no Russian count forms in admin_site/counts.py"
        ) from None
    return forms % {"count": count}
