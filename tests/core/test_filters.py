"""The lists' FilterSets (core.filters) through their selectors: each filter narrows to exactly the rows it names,
within what the person may see; the search finds a number or an ИНН by its index and words in the text columns;
`o` sorts by the cabinet's column numbers; a wrong value or an unknown key is a Russian FilterError (never every
row); and a list costs one query whatever its size."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.choices import AppealChannel, AppealStatus, MeetingFormat, ProjectStage, TaskStatus
from core.filters import FilterError
from core.models import Appeal, Fact, Industry, Project
from core.selectors.appeals import appeal_list
from core.selectors.projects import meeting_list, project_list, task_list
from core.services.projects import meeting_save
from core.workflows.appeals import appeal_transition
from core.workflows.projects import project_transition
from core.workflows.tasks import task_create
from tests.factories import DistrictFactory

TODAY = timezone.localdate()


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def build_world(*, file_appeal, apply_project, investor, other_investor, other_company, coordinator, manager, head,
                problem_fact) -> dict:
    """Appeals, projects, tasks and meetings that differ in every filtered field. The director sees them all; the
    ready manager, the company's personal manager, its appeals (road, gas) but not the other company's (power)."""
    other_company.district = DistrictFactory(name="Другой район")
    other_company.full_name = "Акционерное общество «Энергостройпроект»"
    other_company.save()
    other_fact = Fact.objects.exclude(subcategory__category=problem_fact.subcategory.category).exclude(
        appeal_type=problem_fact.appeal_type).filter(is_active=True).order_by("pk").first()
    with time_machine.travel("2025-03-03 10:00 +03:00", tick=False):
        road = file_appeal(subject="Дорога к участку")
        road = act(road, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    gas = file_appeal(subject="Газ для котельной", fact=other_fact)
    Appeal.objects.filter(pk=gas.pk).update(channel=AppealChannel.PHONE)
    gas.refresh_from_db()
    power = file_appeal(subject="Электросети «Дорога»", applicant=other_investor)

    industry = Industry.objects.create(code="logistics", name="Транспорт и логистика")
    north = apply_project(name="Склад «Север»", industry=industry, investment_volume=Decimal("2000000000"))
    for name in ("start_review", "accept"):
        north = project_transition(project=Project.objects.get(pk=north.pk), name=name, actor=manager)
    south = apply_project(name="Завод «Юг»", investment_volume=Decimal("900000000"))
    Project.objects.filter(pk=south.pk).update(district=other_company.district, personal_manager=None)
    south.refresh_from_db()

    with time_machine.travel(TODAY - timedelta(days=20), tick=False):
        late = task_create(author=manager, assignee=manager, title="Просроченная справка", project=north,
                           due_date=TODAY - timedelta(days=10))
    soon = task_create(author=manager, assignee=head, title="Справка в срок", project=north,
                       due_date=TODAY + timedelta(days=5))
    visit = meeting_save(project=north, actor=manager, title="Выезд на площадку", format=MeetingFormat.IN_PERSON,
                         place="Тосно", starts_at=timezone.now() + timedelta(days=3))
    call = meeting_save(project=north, actor=manager, title="Созвон по сетям", format=MeetingFormat.VIDEO,
                        link="https://meet.example/1", starts_at=timezone.now() - timedelta(days=30))
    return {"road": road, "gas": gas, "power": power, "north": north, "south": south, "late": late, "soon": soon,
            "visit": visit, "call": call, "industry": industry}


@pytest.fixture
def world(file_appeal, apply_project, investor, other_investor, other_company, coordinator, manager, head,
          problem_fact):
    return build_world(file_appeal=file_appeal, apply_project=apply_project, investor=investor,
                       other_investor=other_investor, other_company=other_company, coordinator=coordinator,
                       manager=manager, head=head, problem_fact=problem_fact)


def picked(select, user, query: str = "") -> list:
    return list(select(user=user, filters=QueryDict(query)))


# --- each filter narrows to the rows it names ----------------------------------------------------------------------
def test_each_appeal_filter_finds_its_rows(world, director, manager, company):
    road, gas, power = world["road"], world["gas"], world["power"]
    cases = {
        f"status__exact={AppealStatus.ASSIGNED}": [road],
        f"status__exact={AppealStatus.MODERATION}": [power, gas],
        "status__isnull=True": [],
        f"channel__exact={AppealChannel.PHONE}": [gas],
        f"appeal_type__id__exact={gas.appeal_type_id}": [gas],
        f"fact__subcategory__category__id__exact={gas.fact.subcategory.category_id}": [gas],
        f"executor_organisation__id__exact={manager.organisation_id}": [road],
        "executor_organisation__isnull=True": [power, gas],
        "executor_organisation__isnull=False": [road],
        f"organisation__district__id__exact={company.district_id}": [gas, road],
        "overdue=yes": [road],
        "overdue=no": [power, gas],
        f"created_at_from=04.03.2025&created_at_to={TODAY:%d.%m.%Y}": [power, gas],  # as the calendar types them
        "created_at_to=2025-03-03": [road],  # ISO, the last day included
        "appeal_type__id__exact=999999": [],  # an id nobody has: no rows, not an error
    }
    for query, expected in cases.items():
        assert picked(appeal_list, director, query) == expected, query
    assert picked(appeal_list, director) == [power, gas, road]  # newest first


def test_each_project_task_and_meeting_filter_finds_its_rows(world, director, manager, head):
    north, south, late, soon, visit, call = (world[key] for key in ("north", "south", "late", "soon", "visit", "call"))
    cases = [
        (project_list, f"stage__exact={ProjectStage.ACCEPTED}", [north]),
        (project_list, f"district__id__exact={south.district_id}", [south]),
        (project_list, f"industry__id__exact={world['industry'].pk}", [north]),
        (project_list, "industry__isnull=True", [south]),
        (project_list, f"personal_manager__id__exact={manager.pk}", [north]),
        (project_list, "personal_manager__isnull=1", [south]),
        (project_list, "investment_volume_from=1000000000", [north]),
        (project_list, "investment_volume_to=900000000,00", [south]),  # a Russian decimal comma
        (project_list, f"accepted_at_from={TODAY:%d.%m.%Y}", [north]),
        (task_list, f"status__exact={TaskStatus.NEW}", [late, soon]),
        (task_list, "overdue=yes", [late]),
        (task_list, "overdue=no", [soon]),
        (task_list, f"assignee__id__exact={head.pk}", [soon]),
        (task_list, f"due_date_from={TODAY:%d.%m.%Y}", [soon]),
        (meeting_list, f"format__exact={MeetingFormat.VIDEO}", [call]),
        (meeting_list, f"starts_at_from={TODAY:%d.%m.%Y}", [visit]),
        (meeting_list, f"status__exact={visit.status}", [visit, call]),
    ]
    for select, query, expected in cases:
        assert picked(select, director, query) == expected, query


def test_filters_narrow_only_what_the_person_sees(world, manager, investor):
    road, gas = world["road"], world["gas"]
    assert picked(appeal_list, manager) == [gas, road]
    assert picked(appeal_list, manager, f"status__exact={AppealStatus.MODERATION}") == [gas]  # not power: unseen
    assert picked(appeal_list, manager, "q=Электросети") == []
    assert picked(appeal_list, investor) == [gas, road]  # the company's own
    assert picked(appeal_list, investor, f"q={world['power'].number}") == []  # another company's number


# --- the search ---------------------------------------------------------------------------------------------------
def test_a_number_or_an_inn_is_found_by_its_index(world, director, investor):
    road = world["road"]
    for term in (str(road.number), f"№{road.number}", f"#{road.number}", f" {road.number} "):
        with CaptureQueriesContext(connection) as captured:
            assert picked(appeal_list, director, f"q={term}".replace("#", "%23")) == [road], term
        assert "LIKE" not in captured.captured_queries[-1]["sql"].upper()
    assert picked(appeal_list, director, f"q={investor.organisation.inn}") == [world["gas"], road]


def test_words_are_searched_in_the_subject_and_the_investor(world, director):
    assert picked(appeal_list, director, "q=Дорога") == [world["power"], world["road"]]
    assert picked(appeal_list, director, "q=Дорога участку") == [world["road"]]  # every word
    assert picked(appeal_list, director, 'q="Газ для"') == [world["gas"]]  # quoted words stay together
    Appeal.objects.filter(pk=world["gas"].pk).update(pos_number="AB-2026/17")  # a ПОС message's number
    assert picked(appeal_list, director, "q=ab-2026/17") == [world["gas"]]
    assert picked(appeal_list, director, "q=Энергостройпроект") == [world["power"]]  # the investor's name
    assert picked(project_list, director, "q=Север") == [world["north"]]
    assert picked(project_list, director, f"q=№{world['south'].registry_number}") == [world["south"]]
    assert picked(task_list, director, f"q={world['north'].registry_number}") == [world["late"], world["soon"]]
    assert picked(meeting_list, director, "q=площадку") == [world["visit"]]


# --- the order ----------------------------------------------------------------------------------------------------
def test_o_sorts_by_the_cabinet_columns_and_skips_what_names_none(world, director):
    road, gas, power = world["road"], world["gas"], world["power"]
    assert picked(appeal_list, director, "o=1") == [road, gas, power]  # the number, ascending
    assert picked(appeal_list, director, "o=-2") == [power, road, gas]  # the subject, descending
    assert picked(appeal_list, director, "o=99.x.-") == [power, gas, road]  # nothing usable: the default
    north, south = world["north"], world["south"]
    assert picked(project_list, director, "o=4") == [south, north]  # the investment, ascending
    assert picked(project_list, director, "o=-4") == [north, south]


# --- wrong filters ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("select", "query", "message"), [
    (appeal_list, "appeal_type__id__exact=abc", "«Тип обращения»: Введите целое число."),
    (appeal_list, "executor_organisation__id__exact=" + "9" * 30, "«Исполнитель»"),
    (appeal_list, "status__exact=lost", "«Статус»: Выберите корректный вариант."),
    (appeal_list, "created_at_from=31.02.2025", "«Создано с»: Введите правильную дату."),
    (appeal_list, "overdue=maybe", "«Просрочка»"),
    (appeal_list, "status__isnull=perhaps", "«Статус»: Укажите True или False."),
    (appeal_list, "no_such_field__exact=1", "Такого фильтра у списка нет: «no_such_field__exact»."),
    (project_list, "investment_volume_from=много", "«Объём инвестиций от, ₽»: Введите число."),
    (project_list, "investment_volume_to=1e309", "«Объём инвестиций до, ₽»"),
    (project_list, "stage__exact=appeal", "«Этап»"),
    (task_list, "due_date_to=9999-99-99", "«Срок по»"),
    (meeting_list, "format__exact=pigeon", "«Формат»"),
])
def test_a_wrong_filter_is_a_russian_error_never_every_row(world, director, select, query, message):
    with pytest.raises(FilterError) as error:
        picked(select, director, query)
    assert any(message in line for line in error.value.messages), error.value.messages
    assert error.value.form.errors  # the bound form, for a face that shows the errors by its fields


def test_navigation_parameters_choose_no_rows(world, director):
    assert picked(appeal_list, director, "p=3&page=2&all=&e=1&_facets=1") == picked(appeal_list, director)


# --- queries ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("select", "query"), [
    (appeal_list, "status__exact=moderation&q=Обращение&overdue=no&o=-2"),
    (project_list, "stage__exact=application&q=Склад&investment_volume_from=1"),
    (task_list, "status__exact=new&overdue=no&q=Справка"),
    (meeting_list, "format__exact=video&q=Созвон"),
])
def test_a_list_is_one_query_for_few_or_many_rows(director, manager, head, file_appeal, apply_project, select,
                                                  query):
    def add(count: int) -> None:
        for _ in range(count):
            file_appeal(subject="Обращение о подключении")
            project = apply_project(name="Склад у трассы")
            task_create(author=manager, assignee=head, title="Справка", project=project, due_date=TODAY)
            meeting_save(project=project, actor=manager, title="Созвон", format=MeetingFormat.VIDEO,
                         link="https://meet.example/2", starts_at=timezone.now())

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = picked(select, director, query)
        return len(captured), len(rows)

    add(1)
    picked(select, director, query)  # the person's roles, read once per request
    few = queries()
    add(4)
    many = queries()
    assert few[0] == many[0] == 1 and many[1] == 5 * few[1] > 0, (few, many)
