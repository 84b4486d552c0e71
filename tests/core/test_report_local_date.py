"""The Moscow date of an answer in the appeal reports (core.reports.appeals.LocalDate): plain SQL arithmetic on
SQLite since Moscow keeps UTC+3 (26.10.2014), the exact time-zone conversion before — never a Python call per row
for today's data, and the same dates as PostgreSQL's AT TIME ZONE."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Appeal
from core.reports.appeals import _answered_date


@pytest.mark.parametrize(("answered_at", "moscow_date"), [
    (datetime(2025, 3, 1, 20, 59, tzinfo=UTC), date(2025, 3, 1)),  # 23:59 in Moscow
    (datetime(2025, 3, 1, 21, 0, tzinfo=UTC), date(2025, 3, 2)),  # midnight in Moscow
    (datetime(2014, 10, 25, 22, 0, tzinfo=UTC), date(2014, 10, 26)),  # the first moment of UTC+3 for good
    (datetime(2013, 6, 1, 20, 30, tzinfo=UTC), date(2013, 6, 2)),  # UTC+4 then: 00:30 the next day
    (None, None),
])
def test_the_answer_date_is_the_moscow_calendar_day(file_appeal, answered_at, moscow_date):
    appeal = file_appeal()
    Appeal.objects.filter(pk=appeal.pk).update(answered_at=answered_at)
    with CaptureQueriesContext(connection) as captured:
        day = Appeal.objects.filter(pk=appeal.pk).annotate(day=_answered_date()).values_list("day", flat=True).get()
    assert day == moscow_date
    if connection.vendor == "sqlite":  # arithmetic for today's moments; Django's function only for older ones
        assert "'+3 hours'" in captured[0]["sql"]
