"""The stored Moscow date of an answer (answered_on) and the indexes the dashboard and the list filters ask
(issue 13)."""

import datetime

import pytest
import time_machine
from django.db import connection

from core.choices import AppealStatus
from core.models import Appeal
from core.selectors.appeals import appeal_number_or_inn_q, appeal_overdue_q
from core.selectors.dashboard import MOST_OVERDUE, dashboard_figures
from core.services.db_statistics import statistics_refresh
from core.workflows.appeals import appeal_transition

UTC = datetime.UTC


def answered_on(appeal: Appeal, moment: datetime.datetime | None) -> datetime.date | None:
    Appeal.objects.filter(pk=appeal.pk).update(answered_at=moment)
    return Appeal.objects.get(pk=appeal.pk).answered_on


def test_answered_on_is_the_moscow_date_across_midnight(file_appeal):
    appeal = file_appeal()
    assert appeal.answered_on is None
    assert answered_on(appeal, datetime.datetime(2026, 3, 10, 20, 59, 59, tzinfo=UTC)) == datetime.date(2026, 3, 10)
    assert answered_on(appeal, datetime.datetime(2026, 3, 10, 21, 0, 0, tzinfo=UTC)) == datetime.date(2026, 3, 11)
    assert answered_on(appeal, None) is None


def test_an_answer_approved_a_minute_before_moscow_midnight_is_on_time(file_appeal, coordinator, manager, head):
    def step(appeal, name, actor, **data):
        return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)

    with time_machine.travel("2026-03-01 10:00 +03:00", tick=False):
        appeal = step(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation,
                      manager=manager, head=head)
        appeal = step(step(appeal, "take_into_work", manager), "submit_for_approval", manager, answer_text="Ответ")
    Appeal.objects.filter(pk=appeal.pk).update(deadline=datetime.date(2026, 3, 10))
    with time_machine.travel("2026-03-10 23:59 +03:00", tick=False):  # 20:59 UTC: still the 10th in Moscow
        step(appeal, "approve", head)
    appeal.refresh_from_db()
    assert appeal.answered_at.date() == datetime.date(2026, 3, 10) and appeal.answered_on == datetime.date(2026, 3, 10)
    figures = dashboard_figures(head, today=datetime.date(2026, 3, 11))
    assert (figures.appeals_answered, figures.answered_on_time) == (1, 1)
    Appeal.objects.filter(pk=appeal.pk).update(answered_at=datetime.datetime(2026, 3, 10, 21, 1, tzinfo=UTC))
    figures = dashboard_figures(head, today=datetime.date(2026, 3, 11))  # 00:01 in Moscow on the 11th: late
    assert (figures.appeals_answered, figures.answered_on_time) == (1, 0)


@pytest.fixture
def many_closed(file_appeal):
    """Twenty thousand closed appeals, six hundred assigned in time and thirty in work overdue, analysed, so the
    planner weighs real sizes."""
    model = file_appeal()
    fields = {f.attname: getattr(model, f.attname) for f in Appeal._meta.concrete_fields
              if not f.generated and not f.primary_key and f.attname != "number"}
    old = datetime.date(2024, 1, 1)
    rows = [Appeal(**{**fields, "number": 100_000 + n, "status": AppealStatus.RESOLVED, "deadline": old})
            for n in range(20_000)]
    rows += [Appeal(**{**fields, "number": 30_000 + n, "status": AppealStatus.ASSIGNED,
                       "deadline": datetime.date(2099, 1, 1)}) for n in range(600)]
    rows += [Appeal(**{**fields, "number": 20_000 + n, "status": AppealStatus.IN_WORK, "deadline": old,
                       "organisation_inn": f"{7800000000 + n}"}) for n in range(30)]
    Appeal.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_appeal")


@pytest.mark.postgres
def test_the_dashboards_most_overdue_reads_the_open_appeals_index(many_closed, director):
    from core.selectors.dashboard import _most_overdue  # the one query of that table

    assert len(_most_overdue(Appeal.objects.all(), datetime.date(2026, 1, 1))) == MOST_OVERDUE
    plan = (Appeal.objects.filter(status__in=AppealStatus.open(), deadline__lt=datetime.date(2026, 1, 1))
            .order_by("deadline", "number").values("pk")[:MOST_OVERDUE].explain())
    assert "appeal_open_deadline" in plan, plan
    assert dashboard_figures(director).appeals_overdue == 30


@pytest.mark.postgres
def test_the_overdue_and_status_filters_and_the_number_search_use_indexes(many_closed):
    overdue = Appeal.objects.filter(appeal_overdue_q()).order_by().values("pk").explain()  # the list's count
    # the count of the «Просрочены» filter: the open-appeals index or the (status, deadline) one, as the planner weighs
    assert "Seq Scan" not in overdue and "Index" in overdue, overdue
    status = Appeal.objects.filter(status=AppealStatus.ASSIGNED).order_by("-number")[:50].explain()
    assert "appeal_status_number" in status, status
    search = Appeal.objects.filter(appeal_number_or_inn_q("7800000007")).explain()
    assert "appeal_organisation_inn" in search and "Seq Scan" not in search, search


@pytest.mark.postgres
def test_statistics_refresh_analyses_postgresql(file_appeal):
    file_appeal()
    statistics_refresh()  # generate_dataset's last step
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'core_appeal'")
        assert cursor.fetchone()[0] == 1
