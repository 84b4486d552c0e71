"""The search rows of `make bench` (scripts/bench.py): their hand-written SQL fetches what the list page and
core.search.search() show, so the ratio compares like with like."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.search import APPEAL, search, search_index_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", Path(settings.BASE_DIR) / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def appeals(file_appeal):
    found = [file_appeal(subject="Аренда земельного участка без торгов"),
             file_appeal(subject="Вопрос", description="Нужен земельный участок под склад")]
    file_appeal(subject="Подключение к газу")
    search_index_rebuild()
    return found


def test_the_hand_written_word_search_fetches_what_the_list_shows(bench, client, director, appeals):
    client.force_login(director)
    changelist = client.get(reverse("admin:core_appeal_changelist"), {"q": bench.SEARCH_WORDS}).context["cl"]
    rows, ((count,),), *_around = bench._fetch(bench.sql_search_list(director, bench.SEARCH_WORDS))
    assert [row[1] for row in rows] == [appeal.number for appeal in changelist.result_list]
    assert sorted(row[0] for row in rows) == sorted(appeal.pk for appeal in appeals)
    assert count == changelist.result_count == 2


def test_the_hand_written_search_ranks_what_search_shows(bench, director, appeals):
    ranked, objects, *_others = bench._fetch(bench.sql_search(bench.SEARCH_WORDS))
    shown = search(user=director, query=bench.SEARCH_WORDS).groups[APPEAL]
    assert [row[0] for row in ranked] == [hit.obj.pk for hit in shown]
    assert ranked[0][-1] == 2 and len(objects) == 2
