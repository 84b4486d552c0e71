"""Every cabinet list counts its rows in Russian: «1 задача», «2 задачи», «5 задач», «21 задача».

The forms below are written out by hand (not read from admin_site/counts.py), so a wrong form there fails here;
a model registered in the cabinet without a line here fails too.
"""

import itertools
from functools import cache

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.choices import OrganisationKind, ProjectStage
from core.models import ChecklistItem, Industry, RequestPeriod, SupportMeasure
from core.roles import Role
from core.services.projects import meeting_save, request_send
from core.services.roles import user_set_roles
from core.workflows.projects import project_apply
from core.workflows.tasks import task_create
from tests.admin_site.helpers import MAKERS, html_text
from tests.admin_site.project_rows import project_with_manager
from tests.conftest import role_groups
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# (one, few, many): «1 …», «2 …», «5 …»
FORMS = {
    "core.appeal": ("обращение", "обращения", "обращений"),
    "core.appealtype": ("тип обращения", "типа обращений", "типов обращений"),
    "core.category": ("категория обращений", "категории обращений", "категорий обращений"),
    "core.subcategory": ("подкатегория обращений", "подкатегории обращений", "подкатегорий обращений"),
    "core.fact": ("факт обращения", "факта обращений", "фактов обращений"),
    "core.calendaroverride": (
        "исключение производственного календаря",
        "исключения производственного календаря",
        "исключений производственного календаря",
    ),
    "core.project": ("инвестиционный проект", "инвестиционных проекта", "инвестиционных проектов"),
    "core.task": ("задача", "задачи", "задач"),
    "core.meeting": ("встреча", "встречи", "встреч"),
    "core.participantrequest": (
        "запрос участнику системы",
        "запроса участникам системы",
        "запросов участникам системы",
    ),
    "core.industry": ("отрасль", "отрасли", "отраслей"),
    "core.checklistitem": ("действие по сопровождению", "действия по сопровождению", "действий по сопровождению"),
    "core.supportmeasure": ("мера поддержки", "меры поддержки", "мер поддержки"),
    "core.requestperiod": ("срок ответа на запрос", "срока ответа на запрос", "сроков ответа на запрос"),
    "core.organisation": ("организация", "организации", "организаций"),
    "core.district": ("район", "района", "районов"),
    "core.user": ("пользователь", "пользователя", "пользователей"),
    "auth.group": ("роль", "роли", "ролей"),
    "core.personaldataconsent": (
        "согласие на обработку персональных данных",
        "согласия на обработку персональных данных",
        "согласий на обработку персональных данных",
    ),
    "core.notification": ("уведомление", "уведомления", "уведомлений"),
    "core.apitoken": ("API-токен", "API-токена", "API-токенов"),
    "auditlog.logentry": ("запись журнала", "записи журнала", "записей журнала"),
    "axes.accessattempt": ("попытка входа", "попытки входа", "попыток входа"),
    "axes.accesslog": ("запись журнала входов", "записи журнала входов", "записей журнала входов"),
    "axes.accessfailurelog": ("неудачная попытка входа", "неудачные попытки входа", "неудачных попыток входа"),
    "core.answertemplate": ("шаблон ответа", "шаблона ответов", "шаблонов ответов"),
    "core.faqentry": ("частый вопрос", "частых вопроса", "частых вопросов"),
    "core.documenttemplate": ("шаблон документа", "шаблона документов", "шаблонов документов"),
    "core.webhooksubscription": ("подписка на события", "подписки на события", "подписок на события"),
    "core.webhookdelivery": ("доставка события", "доставки событий", "доставок событий"),
    "django_q.schedule": ("запланированная задача", "запланированные задачи", "запланированных задач"),
    "django_q.success": ("успешная задача", "успешные задачи", "успешных задач"),
    "django_q.failure": ("неудачная задача", "неудачные задачи", "неудачных задач"),
    "django_q.ormq": ("задача в очереди", "задачи в очереди", "задач в очереди"),
}
COUNTS = (1, 2, 5, 11, 21, 22)
# RequestPeriod holds one row per organisation kind (unique), so its list never grows past that.
CAPPED = {"core.requestperiod": len(OrganisationKind.choices)}


def expected(label: str, count: int) -> str:
    one, few, many = FORMS[label]
    if count % 10 == 1 and count % 100 != 11:
        return f"{count} {one}"
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return f"{count} {few}"
    return f"{count} {many}"


_serial = itertools.count(1)


@cache
def shared_project():
    """Tasks, meetings and requests hang off one project: a project per row would make this test slow."""
    return project_with_manager()


@cache
def shared_investor():
    role_groups()
    return user_set_roles(user=UserFactory(), roles={Role.INVESTOR})


def _project():
    return project_apply(applicant=shared_investor(), name=f"Проект {next(_serial)}", investment_volume=1_000_000,
                         jobs=10)


def _task():
    project, manager = shared_project()
    return task_create(author=manager, assignee=manager, title=f"Задача {next(_serial)}", project=project,
                       due_date=timezone.localdate())


def _meeting():
    project, manager = shared_project()
    return meeting_save(project=project, actor=manager, title=f"Встреча {next(_serial)}", format="video",
                        link="https://vks.zk.example/room", starts_at=timezone.now())


def _request():
    project, manager = shared_project()
    return request_send(project=project, actor=manager, organisation=OrganisationFactory(kind=OrganisationKind.RSO),
                        subject="Подключение", text=f"Запрос {next(_serial)}")


_kinds = itertools.cycle(OrganisationKind.values)

# Rows whose helpers.MAKERS version is a single fixed row (unique code or name) or needlessly heavy.
ROW_MAKERS = {
    **MAKERS,
    "core.Project": _project,
    "core.Task": _task,
    "core.Meeting": _meeting,
    "core.ParticipantRequest": _request,
    "core.Industry": lambda: Industry.objects.create(code=f"ind-{next(_serial)}", name="Отрасль"),
    "core.ChecklistItem": lambda: ChecklistItem.objects.create(
        stage=ProjectStage.PRE_INVESTMENT, code=f"item-{next(_serial)}", name="Действие"
    ),
    "core.SupportMeasure": lambda: SupportMeasure.objects.create(code=f"measure-{next(_serial)}", name="Мера"),
    "core.RequestPeriod": lambda: RequestPeriod.objects.update_or_create(kind=next(_kinds))[0],
    "auth.Group": lambda: Group.objects.create(name=f"Группа {next(_serial)}"),
    "axes.AccessAttempt": lambda: AccessAttempt.objects.create(
        username=f"user{next(_serial)}@test.zk.example", ip_address="192.0.2.1", user_agent="pytest",
        http_accept="*/*", path_info="/admin/login/", get_data="", post_data="", failures_since_start=1,
    ),
}


def footer_count(html: str) -> str:
    start = html.index("data-result-count")
    return html_text(html[html.index(">", start) + 1 : html.index("</div>", start)]).lstrip("- ")


def test_every_registered_model_has_its_forms_here():
    assert sorted(model._meta.label_lower for model in admin.site._registry) == sorted(FORMS)


@pytest.fixture(autouse=True)
def _fresh_project():
    yield
    shared_project.cache_clear()  # the database rolls back after each test
    shared_investor.cache_clear()


def listed(model, user):
    """The rows the cabinet's list shows to this user (an admin may narrow its model's rows)."""
    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[model].get_queryset(request)


def settle(model, user, count: int) -> None:
    """Exactly `count` listed rows: add rows with the maker, then drop the newest if a maker added several."""
    make = ROW_MAKERS[model._meta.label]
    while listed(model, user).count() < count:
        make()
    excess = listed(model, user).count() - count
    if excess > 0:
        newest = listed(model, user).order_by("-pk").values_list("pk", flat=True)[:excess]
        model._default_manager.filter(pk__in=list(newest)).delete()


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label_lower)
def test_list_footer_counts_in_russian(client, superuser, model):
    label = model._meta.label_lower
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client.force_login(superuser)
    for count in [c for c in COUNTS if c <= CAPPED.get(label, c)]:
        settle(model, superuser, count)
        response = client.get(url)
        assert response.status_code == 200, label
        assert response.context["cl"].result_count == count
        assert footer_count(response.content.decode()) == expected(label, count)


@pytest.mark.parametrize(("found", "expected"), [(1, "1 результат"), (3, "3 результата"), (21, "21 результат")])
def test_search_counts_in_russian(client, superuser, found, expected):
    for number in range(found):
        ROW_MAKERS["core.District"](name=f"Искомый район {number}")
    ROW_MAKERS["core.District"](name="Другой район")
    client.force_login(superuser)
    text = html_text(client.get(reverse("admin:core_district_changelist"), {"q": "Искомый"}).content.decode())
    assert f"{expected} (" in text


@pytest.mark.parametrize(("count", "expected"), [(1, "Удалено: 1 район."), (3, "Удалено: 3 района."),
                                                 (21, "Удалено: 21 район.")])
def test_bulk_delete_counts_in_russian(client, superuser, count, expected):
    districts = [ROW_MAKERS["core.District"]() for _ in range(count)]
    client.force_login(superuser)
    response = client.post(reverse("admin:core_district_changelist"), {
        "action": "delete_selected", "post": "yes", "_selected_action": [d.pk for d in districts],
    }, follow=True)
    assert [str(m) for m in response.context["messages"]] == [expected]
