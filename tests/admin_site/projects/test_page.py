"""The project page: every tab renders what it should, the stage buttons follow core, strangers get nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from core.choices import ProjectStage
from core.models import Appeal
from core.services.projects import (
    checklist_tick,
    document_upload,
    land_plot_add,
    measure_set,
    meeting_save,
    project_comment,
    request_send,
    roadmap_item_save,
)
from core.workflows.tasks import task_create
from tests.admin_site.helpers import page_text
from tests.admin_site.projects.helpers import bring, page_url, pdf

TODAY = timezone.localdate()


def buttons(response) -> set[str]:
    items = [item for action in response.context["actions_detail"] for item in action.get("items", [action])]
    return {item["title"] for item in items}


@pytest.fixture
def full(supported, manager, references, rso, file_appeal):
    """A project with something on every tab."""
    land_plot_add(project=supported, actor=manager, cadastral_number="47:20:0112015:226", area_m2=8222)
    checklist_tick(project=supported, item=references["land"], actor=manager, comment="Участок подобран")
    measure_set(project=supported, measure=references["rip"], status="granted", actor=manager)
    item = roadmap_item_save(project=supported, actor=manager, title="Получение технических условий",
                             planned_start=TODAY - timedelta(days=40), planned_end=TODAY - timedelta(days=5))
    task_create(author=manager, assignee=manager, title="Проверить технические условия", roadmap_item=item,
                due_date=None)
    meeting_save(project=supported, actor=manager, title="Совещание на площадке", format="in_person",
                 place="Тосно, ул. Промышленная, 1", starts_at=timezone.now() + timedelta(days=2))
    document_upload(project=supported, actor=manager, upload=pdf(), kind="technical", is_internal=True)
    request_send(project=supported, actor=manager, organisation=rso, subject="Возможность подключения",
                 text="Просим сообщить о возможности подключения 2,5 МВт.")
    project_comment(project=supported, actor=manager, text="Инвестор просит ускорить ТУ", is_public=False)
    Appeal.objects.filter(pk=file_appeal(subject="Съезд на площадку").pk).update(project=supported)
    return supported


EXPECTED = {
    "passport": ["Паспорт проекта", "Логистический комплекс «Южный»", "1 500 000 000 ₽", "47:20:0112015:226",
                 "8 222", "Газ, м³/ч", "Персональный менеджер", "manager@test.zk.example", "Инвестор", "ИНН",
                 "Изменить паспорт", "Добавить участок"],
    "stages": ["Чек-лист сопровождения", "Прединвестиционный этап", "Анализ земельного участка",
               "Участок подобран", "Запрос в РСО о возможности подключения", "Отметить",
               "Региональный инвестиционный проект (РИП)", "Предоставлена"],
    "roadmap": ["Диаграмма Ганта", "Получение технических условий", "Просрочен", "Проверить технические условия",
                "Новая", "Создать задачу", "Добавить пункт"],
    "tasks": ["Проверить технические условия", "Взять в работу", "Отметить выполненной", "Поставить задачу"],
    "meetings": ["Календарь проекта", "Совещание на площадке", "Очно", "Запланирована", "Скачать .ics",
                 "Назначить встречу", "Пн", "Вс"],
    "documents": ["Технические условия.pdf", "Технические условия", "Внутренний", "Загрузить документ"],
    "appeals": ["Съезд на площадку", "Обращение поступило на модерацию"],
    "requests": ["Возможность подключения", "Электросеть (тест)", "Направлен", "Направить запрос"],
    "history": ["История проекта", "Инвестор просит ускорить ТУ", "Внутреннее", "Смена этапа",
                "Было: Принят на сопровождение", "Стало: Прединвестиционный этап", "Добавить комментарий"],
}


@pytest.mark.parametrize("tab", EXPECTED)
def test_each_tab_renders(login, manager, full, tab):
    response = login(manager).get(page_url(full, tab))
    assert response.status_code == 200
    text = page_text(response)
    for expected in EXPECTED[tab]:
        assert expected in text, f"{tab}: {expected}"
    assert response.context["tab"] == tab


def test_gantt_is_inline_svg_with_the_overdue_item_in_red(login, manager, full):
    html = login(manager).get(page_url(full, "roadmap")).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="zk-gantt"' in html
    assert 'data-overdue="1"' in html and 'fill="#dc2626"' in html


def test_calendar_shows_meetings_and_milestones_of_the_month(login, manager, full):
    month = (TODAY - timedelta(days=5)).strftime("%Y-%m")
    text = page_text(login(manager).get(page_url(full, "meetings") + f"&month={month}"))
    assert "◆ Получение технических условий" in text


def test_history_filters_by_kind(login, manager, full):
    text = page_text(login(manager).get(page_url(full, "history") + "&kind=comment"))
    assert "Инвестор просит ускорить ТУ" in text
    assert "Стало: Прединвестиционный этап" not in text


def test_unknown_tab_falls_back_to_the_passport(login, manager, project):
    assert login(manager).get(page_url(project, "nonsense")).context["tab"] == "passport"


@pytest.mark.parametrize(
    ("stage", "who", "expected", "absent"),
    [
        (ProjectStage.APPLICATION, "manager", {"Взять на рассмотрение", "Отозвать проект"}, {"Возобновить"}),
        (ProjectStage.REVIEW, "manager", {"Принять на сопровождение", "Отказать в сопровождении"}, {"Возобновить"}),
        (ProjectStage.REVIEW, "commissioner", set(), {"Принять на сопровождение", "Отказать в сопровождении"}),
        (ProjectStage.PRE_INVESTMENT, "director", {"Перейти к инвестиционному этапу", "Приостановить"}, set()),
    ],
)
def test_stage_buttons_follow_core(request, login, project, manager, stage, who, expected, absent):
    if stage != ProjectStage.APPLICATION:
        project = bring(project, stage, manager)
    names = buttons(login(request.getfixturevalue(who)).get(page_url(project)))
    assert expected <= names
    assert not absent & names


def test_someone_who_does_not_see_the_project_gets_nothing(login, executor, project):
    client = login(executor)
    response = client.get(page_url(project))
    assert response.status_code == 403 and "нет к ней доступа" in page_text(response)  # it exists: «Нет доступа»
    assert client.get(reverse("admin:core_project_op", args=[project.pk, "task"])).status_code == 404
    assert client.get(reverse("admin:core_project_action_start_review", args=[project.pk])).status_code == 404


def test_without_the_view_permission_the_section_is_closed(login, manager, project):
    for group in manager.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_project"))
    manager = type(manager).objects.get(pk=manager.pk)
    client = login(manager)
    assert client.get(reverse("admin:core_project_changelist")).status_code == 403
    assert client.get(reverse("admin:core_project_op", args=[project.pk, "task"])).status_code == 403
