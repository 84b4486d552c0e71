"""The project registry in the cabinet: badges, filters, search, constant queries and who sees which project."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import ProjectStage
from core.services.projects import request_send
from tests.admin_site.helpers import page_text
from tests.admin_site.projects.helpers import bring, move
from tests.factories import DistrictFactory

LIST_URL = reverse("admin:core_project_changelist")


def numbers(client, query: str = "") -> set[str]:
    response = client.get(LIST_URL + query)
    assert response.status_code == 200
    return {project.registry_number for project in response.context["cl"].result_list}


def test_list_shows_number_investor_stage_badge_money_and_manager(login, director, project, manager):
    response = login(director).get(LIST_URL)
    html, text = response.content.decode(), page_text(response)
    for expected in (project.registry_number, project.name, project.investor.short_name, "Заявка",
                     "1 500 000 000 ₽", "120 раб. мест", manager.full_name):
        assert expected in text, expected
    assert "bg-blue-100" in html  # «Заявка» is an «info» badge (ProjectStage.colour)


def test_list_queries_do_not_grow_with_rows(login, director, apply_project, references):
    client = login(director)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            apply_project(district=DistrictFactory(), industry=references["industry"])

    add(3)
    client.get(LIST_URL)  # warm the per-process caches
    few = queries()
    add(27)
    assert queries() == few


def test_filters(login, director, apply_project, manager, head, references, district):
    with time_machine.travel("2025-03-13 12:00 +03:00", tick=False):
        early = bring(apply_project(name="Ранний", investment_volume=900_000_000), ProjectStage.ACCEPTED, manager)
    with time_machine.travel("2025-06-02 12:00 +03:00", tick=False):
        late = bring(apply_project(name="Поздний", industry=references["industry"], investment_volume=5_000_000_000),
                     ProjectStage.ACCEPTED, manager)
    fresh = apply_project(name="Новый", investment_volume=2_000_000_000, district=DistrictFactory())
    fresh.personal_manager = head
    fresh.save()
    client = login(director)
    assert numbers(client, f"?stage__exact={ProjectStage.APPLICATION}") == {fresh.registry_number}
    assert numbers(client, f"?industry__id__exact={references['industry'].pk}") == {late.registry_number}
    assert numbers(client, f"?district__id__exact={district.pk}") == {early.registry_number, late.registry_number}
    assert numbers(client, f"?personal_manager__id__exact={head.pk}") == {fresh.registry_number}
    assert numbers(client, "?investment_volume_from=1000000000&investment_volume_to=3000000000") == {
        fresh.registry_number
    }
    assert numbers(client, "?accepted_at_from=01.03.2025&accepted_at_to=31.03.2025") == {early.registry_number}
    assert numbers(client, "?accepted_at_from=2025-04-01") == {late.registry_number}


def test_search_by_number_name_and_investor(login, director, apply_project, company):
    one, other = apply_project(name="Логистический комплекс «Южный»"), apply_project(name="Тепличный комплекс")
    client = login(director)
    assert numbers(client, f"?q={one.registry_number}") == {one.registry_number}
    assert numbers(client, "?q=Теплич") == {other.registry_number}
    assert numbers(client, f"?q={company.inn}") == {one.registry_number, other.registry_number}
    assert numbers(client, f"?q={company.short_name}") == {one.registry_number, other.registry_number}


def test_each_role_sees_its_projects(login, apply_project, manager, director, executor, commissioner, rso_executor,
                                     rso, other_investor):
    project = apply_project()
    assert numbers(login(director)) == {project.registry_number}
    assert numbers(login(manager)) == {project.registry_number}  # the personal manager
    assert numbers(login(commissioner)) == {project.registry_number}  # the investor's district
    assert numbers(login(executor)) == set()
    assert numbers(login(rso_executor)) == set()
    request_send(project=project, actor=manager, organisation=rso, subject="Подключение", text="Просим сообщить")
    assert numbers(login(rso_executor)) == {project.registry_number}  # a request to its organisation
    response = login(other_investor).get(LIST_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_no_add_or_delete_in_the_cabinet(login, director, project):
    client = login(director)
    assert client.get(reverse("admin:core_project_add")).status_code == 403
    assert client.get(reverse("admin:core_project_delete", args=[project.pk])).status_code == 403


def test_stage_filter_and_badge_after_a_move(login, director, project, manager):
    move(project, "start_review", manager)
    assert "На рассмотрении" in page_text(login(director).get(LIST_URL))


def test_data_clerk_imports_and_exports_the_registry(login, data_clerk, manager, project):
    text = page_text(login(data_clerk).get(LIST_URL))
    assert "Импорт" in text and "Экспорт" in text
    assert login(data_clerk).get(reverse("admin:core_project_import")).status_code == 200
    manager_text = page_text(login(manager).get(LIST_URL))
    assert "Импорт" not in manager_text and "Экспорт" in manager_text  # those who see the list may download it
