"""«Мои обращения» and «Мои проекты» filter by status / stage and search by number or words, with the cabinet's
FilterSets (core.filters): the form keeps what was chosen, the page links keep the filter, a wrong value is a
Russian error on the page (never a 500), another company's rows stay out, and the queries do not grow."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import AppealStatus, ProjectStage
from core.models import Appeal, Project
from core.portal import appeals as appeal_views
from core.portal import projects as project_views
from core.workflows.appeals import appeal_transition
from core.workflows.projects import project_transition

pytestmark = pytest.mark.django_db
APPEALS = reverse("portal:appeal_list")
PROJECTS = reverse("portal:project_list")


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


def text_of(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def listed(response) -> list:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.fixture
def appeals(file_appeal, other_investor, coordinator, manager):
    road = file_appeal(subject="Дорога к участку")
    gas = file_appeal(subject="Газ для котельной")
    road = appeal_transition(appeal=Appeal.objects.get(pk=road.pk), name="assign", actor=coordinator,
                             executor_organisation=manager.organisation, manager=manager)
    foreign = file_appeal(subject="Дорога к складу", applicant=other_investor)
    return road, gas, foreign


def test_appeals_are_filtered_by_status_and_searched_by_number_or_subject(logged_in, appeals):
    road, gas, foreign = appeals
    assert listed(logged_in.get(APPEALS)) == [gas, road]
    response = logged_in.get(f"{APPEALS}?status__exact={AppealStatus.ASSIGNED}")
    assert listed(response) == [road]
    assert '<option value="assigned" selected>' in response.content.decode()  # the form keeps the choice
    assert listed(logged_in.get(f"{APPEALS}?q=%E2%84%96{gas.number}")) == [gas]  # «№…»
    response = logged_in.get(f"{APPEALS}?q=Дорога&status__exact=")
    assert listed(response) == [road]  # not the other company's «Дорога к складу»
    assert 'value="Дорога"' in response.content.decode()
    response = logged_in.get(f"{APPEALS}?q={foreign.number}")
    assert listed(response) == [] and f"Ничего не найдено по запросу «{foreign.number}»." in text_of(response)
    assert "Сбросить" in text_of(response)
    assert listed(logged_in.get(f"{APPEALS}?utm_source=letter")) == [gas, road]  # not a filter here: ignored


def test_the_filter_stays_in_the_page_links(logged_in, file_appeal, monkeypatch):
    monkeypatch.setattr(appeal_views, "PAGE_SIZE", 2)
    made = [file_appeal(subject=f"Подключение к сетям, очередь {n}") for n in range(5)]
    file_appeal(subject="Другое")
    first = logged_in.get(f"{APPEALS}?q=Подключение")
    assert listed(first) == [made[4], made[3]] and "Страница 1 из 3" in text_of(first)
    next_link = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1)
    assert unescape(next_link) == "?q=%D0%9F%D0%BE%D0%B4%D0%BA%D0%BB%D1%8E%D1%87%D0%B5%D0%BD%D0%B8%D0%B5&page=2"
    second = logged_in.get(APPEALS + unescape(next_link))
    assert listed(second) == [made[2], made[1]] and "Страница 2 из 3" in text_of(second)
    previous = re.search(r'href="([^"]+)" rel="prev"', second.content.decode()).group(1)
    assert "q=" in previous and unescape(previous).endswith("&page=1")


@pytest.mark.parametrize(("query", "detail"), [
    ("status__exact=lost", "Выберите корректный вариант. lost нет среди допустимых значений."),
    ("status__exact=" + "Ы" * 300, "Выберите корректный вариант."),
])
def test_a_wrong_filter_is_a_russian_error_on_the_page(logged_in, appeals, query, detail):
    response = logged_in.get(f"{APPEALS}?{query}")
    assert response.status_code == 200 and listed(response) == []
    text = text_of(response)
    assert "Фильтр не применён: исправьте условия или сбросьте их." in text and detail in text
    assert "Ничего не найдено" not in text


def test_the_form_waits_for_the_first_appeal(logged_in):
    text = text_of(logged_in.get(APPEALS))
    assert "У вашей компании пока нет обращений" in text and "Найти" not in text


def test_projects_are_filtered_by_stage_and_searched(logged_in, apply_project, manager, monkeypatch):
    monkeypatch.setattr(project_views, "PAGE_SIZE", 1)
    north = apply_project(name="Склад «Север»")
    south = apply_project(name="Склад «Юг»")
    plant = apply_project(name="Завод")
    for name in ("start_review", "accept"):
        north = project_transition(project=Project.objects.get(pk=north.pk), name=name, actor=manager)
    response = logged_in.get(f"{PROJECTS}?stage__exact={ProjectStage.ACCEPTED}")
    assert listed(response) == [north] and '<option value="accepted" selected>' in response.content.decode()
    assert listed(logged_in.get(f"{PROJECTS}?q={plant.registry_number}")) == [plant]
    first = logged_in.get(f"{PROJECTS}?q=Склад")
    assert listed(first) == [south] and "Страница 1 из 2" in text_of(first)
    second = logged_in.get(PROJECTS + unescape(re.search(r'href="([^"]+)" rel="next"',
                                                          first.content.decode()).group(1)))
    assert listed(second) == [north]
    response = logged_in.get(f"{PROJECTS}?stage__exact=nowhere")
    assert listed(response) == [] and "Фильтр не применён" in text_of(response)


@pytest.mark.parametrize(("url", "query"), [
    (APPEALS, "status__exact=moderation&q=Подключение"),
    (PROJECTS, "stage__exact=application&q=Склад"),
])
def test_a_filtered_list_costs_the_same_queries_for_few_and_many_rows(logged_in, file_appeal, apply_project,
                                                                      url, query):
    def add(count: int) -> None:
        for _ in range(count):
            file_appeal(subject="Подключение к сетям")
            apply_project(name="Склад у трассы")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert listed(logged_in.get(f"{url}?{query}"))
        return len(captured)

    add(1)
    few = queries()
    add(6)
    assert queries() == few
