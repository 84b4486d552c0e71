"""`make cluster-demo` (scripts/cluster_demo.py): the rehearsal's own verdict on what the load saw and what the
database holds — the rehearsal itself runs nginx, two nodes and two workers for minutes and is not part of
`make test`."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

DOWN, BACK = 1_000.0, 1_020.0  # a web node killed at 1000 s and answering again at 1020 s


@pytest.fixture(scope="module")
def demo():
    path = Path(settings.BASE_DIR) / "scripts" / "cluster_demo.py"
    spec = importlib.util.spec_from_file_location("cluster_demo", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def findings(demo, **changes):
    subject = demo.LOAD_SUBJECT
    fields = {
        "filed": [{"t": 990.0, "number": 101, "token": "a1"}, {"t": 1030.0, "number": 102, "token": "b2"}],
        "numbers_in_db": {7: "Старое обращение", 101: subject + "a1", 102: subject + "b2"},
        "duplicate_numbers": [],
        "letters": {"sent": 12},
        "errors": [{"t": DOWN + 3, "name": "POST /cabinet/appeals/new/ POST", "error": "HTTP 502"}],
        "outages": [(DOWN, BACK)],
        "requests": 400,
    }
    return demo.Findings(**{**fields, **changes})


def test_a_run_that_lost_nothing_passes_with_its_figures(demo):
    result = demo.verdict(findings(demo))
    assert result["ok"]
    figures = result["figures"]
    assert (figures["appeals_filed"], figures["appeals_lost"], figures["errors"]) == (2, 0, 1)
    assert figures["errors_during_outages"] == 1 and figures["errors_outside_outages"] == 0


def test_an_appeal_with_a_success_page_missing_from_the_database_is_lost(demo):
    result = demo.verdict(findings(demo, numbers_in_db={101: demo.LOAD_SUBJECT + "a1"}))
    assert not result["ok"] and not result["checks"]["no appeal lost"]
    assert result["figures"]["lost_numbers"] == [102]


def test_an_appeal_saved_while_its_page_failed_is_counted_not_lost(demo):
    saved = {101: demo.LOAD_SUBJECT + "a1", 102: demo.LOAD_SUBJECT + "b2", 103: demo.LOAD_SUBJECT + "c3"}
    result = demo.verdict(findings(demo, numbers_in_db=saved))
    assert result["ok"] and result["figures"]["appeals_saved_without_success_page"] == 1


def test_a_duplicate_number_fails(demo):
    result = demo.verdict(findings(demo, duplicate_numbers=[101]))
    assert not result["checks"]["no duplicate number"] and not result["ok"]


@pytest.mark.parametrize("letters", [{"sent": 12, "pending": 1}, {"sent": 11, "sending": 1}, {"failed": 2, "sent": 3},
                                     {}])
def test_a_letter_not_sent_fails(demo, letters):
    assert not demo.verdict(findings(demo, letters=letters))["checks"]["every letter sent"]


def test_errors_count_against_the_run_only_outside_an_outage_and_its_grace(demo):
    late = {"t": BACK + demo.GRACE_SECONDS - 1, "name": "GET /admin/", "error": "HTTP 502"}
    assert demo.verdict(findings(demo, errors=[late]))["ok"]
    stray = {"t": BACK + demo.GRACE_SECONDS + 5, "name": "GET /admin/", "error": "HTTP 500"}
    before = {"t": DOWN - 1, "name": "GET /admin/", "error": "HTTP 500"}
    result = demo.verdict(findings(demo, errors=[late, stray, before]))
    assert not result["checks"]["errors only while a node was down"]
    assert result["figures"]["errors_outside_outages"] == 2 and result["figures"]["stray_errors"] == [stray, before]


def test_a_letter_marked_sent_that_never_reached_the_sink_fails(demo):
    assert demo.verdict(findings(demo, letters_sent_by_the_cluster=12, letters_at_the_sink=12))["ok"]
    result = demo.verdict(findings(demo, letters_sent_by_the_cluster=12, letters_at_the_sink=11))
    assert not result["checks"]["every letter marked sent reached the SMTP sink"]


def test_a_run_where_nobody_could_file_fails(demo):
    assert not demo.verdict(findings(demo, filed=[], numbers_in_db={}))["ok"]
