"""The cabinet's appeal, project, task and meeting lists show the rows of core's list selectors (core.filters): the
same rows in the same order for every sidebar filter, search and column sorting; the sidebar writes only parameters
the FilterSet reads; a filter core cannot apply sends the person back to the whole list with a Russian message (no
500); the list's queries stay constant and an unfiltered list is still counted from the statistics."""

import pytest
from django.contrib.admin import site
from django.contrib.admin.utils import get_fields_from_path
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admin_site.admin.paginators import EstimatedCountPaginator
from core.choices import AppealChannel, AppealStatus, MeetingFormat, ProjectStage, TaskStatus
from core.filters.appeals import AppealFilterSet
from core.filters.meetings import MeetingFilterSet
from core.filters.projects import ProjectFilterSet
from core.filters.tasks import TaskFilterSet
from core.models import Appeal, Meeting, Project, Task
from core.selectors.appeals import appeal_list
from core.selectors.projects import meeting_list, project_list, task_list
from tests.admin_site.helpers import page_text
from tests.core.test_filters import TODAY, build_world

LISTS = {  # model -> (its selector, its FilterSet)
    Appeal: (appeal_list, AppealFilterSet),
    Project: (project_list, ProjectFilterSet),
    Task: (task_list, TaskFilterSet),
    Meeting: (meeting_list, MeetingFilterSet),
}


def list_url(model) -> str:
    return reverse(f"admin:core_{model._meta.model_name}_changelist")


@pytest.fixture
def world(file_appeal, apply_project, investor, other_investor, other_company, coordinator, manager, head,
          problem_fact):
    return build_world(file_appeal=file_appeal, apply_project=apply_project, investor=investor,
                       other_investor=other_investor, other_company=other_company, coordinator=coordinator,
                       manager=manager, head=head, problem_fact=problem_fact)


def queries_of(world, manager, head, company) -> dict:
    """Every sidebar filter of each list with a value that narrows it, searches, and sortings."""
    gas, south = world["gas"], world["south"]
    return {
        Appeal: [
            "", f"status__exact={AppealStatus.ASSIGNED}", f"channel__exact={AppealChannel.PHONE}",
            f"appeal_type__id__exact={gas.appeal_type_id}",
            f"fact__subcategory__category__id__exact={gas.fact.subcategory.category_id}",
            f"executor_organisation__id__exact={manager.organisation_id}", "executor_organisation__isnull=True",
            f"organisation__district__id__exact={company.district_id}", "overdue=yes", "overdue=no",
            f"created_at_from=04.03.2025&created_at_to={TODAY:%d.%m.%Y}", "created_at_to=2025-03-03",
            f"q={world['road'].number}", "q=%E2%84%96" + str(world["road"].number), "q=Дорога", "q=Энергостройпроект",
            "q=Дорога&o=-2.1", "o=4.-1", "o=-7", f"status__exact={AppealStatus.MODERATION}&o=3&p=1",
        ],
        Project: [
            "", f"stage__exact={ProjectStage.ACCEPTED}", f"district__id__exact={south.district_id}",
            f"industry__id__exact={world['industry'].pk}", f"personal_manager__id__exact={manager.pk}",
            "personal_manager__isnull=True", "investment_volume_from=1000000000", "investment_volume_to=900000000",
            f"accepted_at_from={TODAY:%d.%m.%Y}", "q=Север", f"q=№{south.registry_number}", "o=4", "o=-1.2",
        ],
        Task: [
            "", f"status__exact={TaskStatus.NEW}", "overdue=yes", "overdue=no", f"assignee__id__exact={head.pk}",
            f"due_date_from={TODAY:%d.%m.%Y}", "q=справка", f"q={world['north'].registry_number}",
        ],
        Meeting: [
            "", f"status__exact={world['visit'].status}", f"format__exact={MeetingFormat.VIDEO}",
            f"starts_at_from={TODAY:%d.%m.%Y}", "q=площадку", "q=Созвон",
        ],
    }


@pytest.mark.parametrize("model", LISTS, ids=lambda model: model._meta.model_name)
def test_the_list_shows_the_selectors_rows_in_the_same_order(login, director, manager, head, company, world,
                                                             model):
    client = login(director)
    select, _filterset = LISTS[model]
    everything = list(select(user=director, filters={}))
    narrowed = 0
    for query in queries_of(world, manager, head, company)[model]:
        response = client.get(f"{list_url(model)}?{query}")
        assert response.status_code == 200, query
        shown = list(response.context["cl"].result_list)
        assert shown == list(select(user=director, filters=QueryDict(query))), query
        narrowed += len(shown) < len(everything)
    assert narrowed >= 4  # the filters did narrow the list, not only show it whole


@pytest.mark.parametrize("model", LISTS, ids=lambda model: model._meta.model_name)
def test_the_sidebar_writes_only_parameters_the_filterset_reads(director, model):
    model_admin = site._registry[model]
    request = RequestFactory().get("/")
    request.user = director
    written = set()
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, tuple | list):
            field_path, filter_class = list_filter
            field = get_fields_from_path(model, field_path)[-1]
            spec = filter_class(field, request, {}, model, model_admin, field_path=field_path)
        else:
            spec = list_filter(request, {}, model, model_admin)
        written |= set(spec.expected_parameters())
    assert written - LISTS[model][1].parameters() == set()


@pytest.mark.parametrize("model", [Appeal, Project], ids=lambda model: model._meta.model_name)
def test_each_column_sorts_as_the_filterset_sorts(login, director, world, model):
    """`o` is stored in saved filters and export jobs: core must read each column number as the list does."""
    client = login(director)
    filterset = LISTS[model][1]
    response = client.get(list_url(model))
    columns = len(response.context["cl"].list_display)
    for index in range(columns + 1):
        for order in (str(index), f"-{index}"):
            response = client.get(f"{list_url(model)}?o={order}")
            changelist = response.context["cl"]
            by_list = list(dict.fromkeys(changelist.get_ordering(response.wsgi_request, changelist.root_queryset)))
            assert by_list == filterset({}, user=director).ordering(order), order


@pytest.mark.parametrize(("model", "query", "detail"), [
    (Appeal, "appeal_type__id__exact=abc", "«Тип обращения»: Введите целое число."),
    (Appeal, "created_at_from=31.02.2025&q=Дорога", "«Создано с»: Введите правильную дату."),
    (Appeal, "status__exact=lost", "«Статус»"),
    (Appeal, "status=assigned", "Такого фильтра у списка нет: «status»."),
    (Project, "investment_volume_from=много", "«Объём инвестиций от, ₽»: Введите число."),
    (Project, "district__id__exact=" + "9" * 30, "«Район»"),
    (Task, "due_date_to=99.99.2025", "«Срок по»"),
    (Meeting, "format__exact=pigeon", "«Формат»"),
])
def test_a_wrong_filter_opens_the_whole_list_with_a_russian_message(login, director, world, model, query, detail):
    client = login(director)
    response = client.get(f"{list_url(model)}?{query}")
    assert response.status_code == 302 and response["Location"] == list_url(model)
    text = page_text(client.get(response["Location"]))
    assert "Фильтры списка заданы неверно, список открыт без них." in text and detail in text


def test_an_unfiltered_list_is_still_counted_from_the_statistics(login, director, world):
    client = login(director)
    changelist = client.get(list_url(Appeal)).context["cl"]
    assert isinstance(changelist.paginator, EstimatedCountPaginator)
    assert not changelist.queryset.query.has_filters()  # the director's whole list: the paginator may estimate
    assert client.get(f"{list_url(Appeal)}?overdue=yes").context["cl"].queryset.query.has_filters()


@pytest.mark.parametrize(("model", "query"), [
    (Project, f"stage__exact={ProjectStage.APPLICATION}&q=Склад"),
    (Task, "overdue=no&q=Справка"),
    (Meeting, f"format__exact={MeetingFormat.VIDEO}&q=Созвон"),
])
def test_a_filtered_list_costs_the_same_queries_for_few_and_many_rows(login, director, manager, head,
                                                                      apply_project, model, query):
    from core.services.projects import meeting_save
    from core.workflows.tasks import task_create

    client = login(director)
    url = f"{list_url(model)}?{query}"

    def add(count: int) -> None:
        for _ in range(count):
            project = apply_project(name="Склад у трассы")
            task_create(author=manager, assignee=head, title="Справка", project=project, due_date=TODAY)
            meeting_save(project=project, actor=manager, title="Созвон", format=MeetingFormat.VIDEO,
                         link="https://meet.example/3", starts_at=project.submitted_at)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200 and response.context["cl"].result_list
        return len(captured)

    add(2)
    client.get(url)  # warm the per-process caches
    few = queries()
    add(8)
    assert queries() == few
