"""The appeals list and the appeal page at volume: no query per row, no scan of every appeal for the filters, a number
or ИНН found by its index, no full-table count, and the appeal page within 12 queries (issue 13)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from admin_site.admin import paginators
from core.choices import AppealEventKind, FileKind
from core.models import Appeal, AppealAnswer, AppealEscalation, AppealEvent, AppealFile, Meeting
from core.selectors.appeals import appeal_number_or_inn_q
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
    with django_assert_max_num_queries(12) as captured:
        response = client.get(card_url(appeal))
    assert response.status_code == 200
    assert f"Обращение #{appeal.number}" in response.content.decode()
    queries = [query["sql"] for query in captured.captured_queries]
    loads = [sql for sql in queries if sql.startswith('SELECT "core_appeal"."id"')]
    assert len(loads) == 1, loads
    assert len([sql for sql in queries if 'FROM "core_appealfile"' in sql]) == 1  # the history's files among them


def scans_every_appeal(plan: str) -> bool:
    return "Seq Scan on core_appeal" in plan or re.search(r"\bSCAN core_appeal\b", plan) is not None


def test_a_number_search_reads_the_indexes_only(file_appeal):
    """Number, ИНН and ПОС message number, each found by its index: never a pass over every appeal (the ПОС
    number's index is partial, and SQLite uses it only when the query says so)."""
    file_appeal()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table of one row would be scanned anyway
    plan = Appeal.objects.filter(appeal_number_or_inn_q("7800000007")).order_by().values("pk").explain()
    assert not scans_every_appeal(plan), plan
    words = Appeal.objects.filter(subject__icontains="съезд").order_by().values("pk").explain()
    assert scans_every_appeal(words), words  # the check tells a scan when there is one


def card_queries(client, appeal: Appeal) -> tuple[int, str]:
    client.get(card_url(appeal))  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(card_url(appeal))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def grow(appeal: Appeal, *, by: int, people: list, start: int = 0) -> None:
    """History lines, approved rounds with a file each, meetings with their participants and МРГ sessions."""
    moment = timezone.now() - timedelta(days=30)
    AppealEvent.objects.bulk_create(
        AppealEvent(appeal=appeal, kind=AppealEventKind.COMMENT, actor=people[n % len(people)],
                    created_at=moment + timedelta(hours=n), text=f"Строка истории {n}", is_public=n % 2 == 0)
        for n in range(10 * start, 10 * (start + by))
    )
    for n in range(start, start + by):
        answer = AppealAnswer.objects.create(appeal=appeal, number=n + 1, text=f"Ответ раунда {n + 1}",
                                             author=people[0], approved_by=people[-1],
                                             approved_at=moment + timedelta(days=n))
        AppealFile.objects.create(appeal=appeal, answer=answer, kind=FileKind.ANSWER, file=f"appeals/answer-{n}.pdf",
                                  original_name=f"Ответ {n + 1}.pdf", content_type="application/pdf", size=100,
                                  uploaded_by=people[0])
        meeting = Meeting.objects.create(appeal=appeal, title=f"Встреча {n + 1}", starts_at=moment + timedelta(days=n),
                                         created_by=people[0])
        meeting.participants.add(*people)
        AppealEscalation.objects.create(appeal=appeal, session_date=moment.date() + timedelta(days=n),
                                        decision=f"Решение МРГ {n + 1}", created_by=people[-1])


def test_the_appeal_page_runs_at_most_12_queries_however_long_its_history(
        login, director, executor, coordinator, manager, head, assigned, omsu, apply_project):
    """The fullest card — a project, rounds with files, meetings with participants, МРГ sessions, an answer approved
    on the executor's side, and no manager yet, so the executor body's head is shown — for the director and for an
    executor of that body: at most the issue's 12 queries, as many with 10 history lines and one of everything else
    as with 400 lines and forty of everything else."""
    appeal = act(assigned, "redirect", coordinator, executor_organisation=omsu, comment="По компетенции")
    Appeal.objects.filter(pk=appeal.pk).update(project=apply_project(), executor_approved_by=executor,
                                               executor_approved_at=timezone.now())
    people = [executor, manager, head]
    grow(appeal, by=1, people=people)
    short = {user: card_queries(login(user), appeal) for user in (director, executor)}
    grow(appeal, by=39, people=people, start=1)
    for user in (director, executor):
        queries, page = card_queries(login(user), appeal)
        assert queries == short[user][0] <= 12, (user, queries, short[user][0])
        shown = ("Строка истории 398", "Ответ раунда 40", "Ответ 40.pdf", "Встреча 40", "Решение МРГ 40",
                 executor.full_name, "Логистический комплекс")
        assert [text for text in shown if text not in page] == []
        assert "Строка истории 0" in short[user][1] and "Встреча 1" in short[user][1]


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
