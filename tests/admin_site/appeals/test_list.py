"""The appeals list: badges, filters, search, constant queries, and what each role sees (SPEC.md §2)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import AppealStatus, OrganisationKind
from core.roles import Role
from tests.admin_site.appeals.helpers import act
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory

LIST_URL = reverse("admin:core_appeal_changelist")


def numbers(client, query: str = "") -> set[int]:
    response = client.get(LIST_URL + query)
    assert response.status_code == 200
    return {appeal.number for appeal in response.context["cl"].result_list}


@pytest.fixture
def overdue(file_appeal):
    with time_machine.travel("2025-02-21 12:47 +03:00", tick=False):
        return file_appeal(subject="Старое обращение")  # due 13.03.2025, long overdue


def test_list_shows_badges_for_status_and_deadline(login, director, appeal, overdue):
    response = login(director).get(LIST_URL)
    html, text = response.content.decode(), page_text(response)
    assert "Обращение поступило на модерацию" in text
    assert "bg-blue-100" in html  # moderation is an «info» badge (AppealStatus.colour)
    assert "13.03.2025 · просрочено на" in text and "bg-red-100" in html
    assert "осталось 20 дн." in text
    assert f'href="{reverse("admin:core_appeal_stream", args=[appeal.fact_id])}"' in html  # the fact's stream


def test_list_queries_do_not_grow_with_rows(login, director, file_appeal, manager, coordinator):
    client = login(director)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager)

    add(3)
    client.get(LIST_URL)  # warm the per-process caches
    few = queries()
    add(27)
    assert queries() == few


def test_filters(login, director, appeal, overdue, coordinator, manager):
    act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    client = login(director)
    assert numbers(client, "?overdue=yes") == {overdue.number}
    assert numbers(client, "?overdue=no") == {appeal.number}
    assert numbers(client, f"?status__exact={AppealStatus.ASSIGNED}") == {appeal.number}
    assert numbers(client, f"?executor_organisation__id__exact={manager.organisation_id}") == {appeal.number}
    assert numbers(client, "?created_at_from=01.02.2025&created_at_to=21.02.2025") == {overdue.number}  # as typed
    assert numbers(client, "?created_at_from=2025-02-22") == {appeal.number}
    category = appeal.fact.subcategory.category_id
    assert numbers(client, f"?fact__subcategory__category__id__exact={category}") == {appeal.number, overdue.number}
    assert numbers(client, f"?organisation__district__id__exact={appeal.organisation.district_id}") == {
        appeal.number, overdue.number
    }


def test_search_by_number_inn_and_organisation(login, director, appeal, overdue):
    client = login(director)
    assert numbers(client, f"?q=%23{appeal.number}") >= {appeal.number}
    assert numbers(client, "?q=Старое") == {overdue.number}
    assert numbers(client, f"?q={appeal.organisation_inn}") == {appeal.number, overdue.number}


def test_each_role_sees_what_spec_says(login, file_appeal, company, director, manager, executor, omsu, commissioner,
                                       make_user):
    oiv = OrganisationFactory(kind=OrganisationKind.OIV)
    coordinator = make_user(Role.COORDINATOR, organisation=oiv)  # sees appeals only through the role on them
    company.personal_manager = coordinator
    company.save()
    elsewhere = file_appeal(subject="Другое")
    appeal = act(file_appeal(), "assign", director, executor_organisation=manager.organisation, manager=manager)
    appeal = act(appeal, "redirect", director, executor_organisation=omsu, comment="Просим принять участие")
    assert appeal.coordinator == coordinator
    other_body = make_user(Role.EXECUTOR, organisation=oiv)

    assert numbers(login(executor)) == {appeal.number}  # its organisation executes it now
    assert numbers(login(other_body)) == set()  # another body: nothing
    assert numbers(login(coordinator)) == {appeal.number, elsewhere.number}  # kept after the redirect
    assert numbers(login(director)) == {appeal.number, elsewhere.number}  # everything
    assert numbers(login(commissioner)) == {appeal.number, elsewhere.number}  # the investor is in their district


def test_investors_never_open_the_cabinet_list(login, other_investor, appeal):
    response = login(other_investor).get(LIST_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_no_add_or_delete_in_the_cabinet(login, director, appeal):
    client = login(director)
    assert client.get(reverse("admin:core_appeal_add")).status_code == 403
    assert client.get(reverse("admin:core_appeal_delete", args=[appeal.pk])).status_code == 403
