"""The search of «Мои обращения» and «Мои проекты» (issue 15): words go to the full-text search (core.search through
the lists' FilterSets), scoped to the investor's company and to what the investor may read; the status filter and
the page links keep working with it; «Ничего не найдено» says what was looked for and leads back to the list.
Written against core.search's interface: every assertion holds for its first version and for the index."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import AppealStatus
from tests.admin_site.appeals.helpers import act

pytestmark = pytest.mark.django_db
APPEALS = reverse("portal:appeal_list")
PROJECTS = reverse("portal:project_list")
WORD = "теплотрассы"


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Rows made inside `with indexed():` are in the search index, which is written after the transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].object_list]


def test_a_word_of_the_description_finds_the_appeal_of_the_company_only(
        logged_in, file_appeal, other_investor, indexed):
    with indexed():
        ours = file_appeal(subject="Подключение склада", description=f"Нет проекта {WORD} до границы участка.")
        file_appeal(subject="Газ для котельной")
        foreign = file_appeal(subject=f"Прокладка {WORD}", description=f"Трасса {WORD}.", applicant=other_investor)

    response = logged_in.get(APPEALS, {"q": WORD})

    assert listed(response) == [ours.pk]
    assert f"№{foreign.number}" not in text_of(response)
    assert f'value="{WORD}"' in response.content.decode()  # the box keeps the words


def test_staff_only_comments_are_not_searched_for_the_investor(
        logged_in, file_appeal, coordinator, manager, head, indexed):
    with indexed():
        appeal = act(file_appeal(subject="Подключение склада"), "assign", coordinator,
                     executor_organisation=manager.organisation, manager=manager, head=head)
        appeal = act(appeal, "take_into_work", manager)
        act(appeal, "comment", manager, text="Внутреннее: созвониться с Россетями по Зеленогорску", is_public=False)

    assert listed(logged_in.get(APPEALS, {"q": "Зеленогорску"})) == []
    assert listed(logged_in.get(APPEALS, {"q": "Подключение"})) == [appeal.pk]


def test_words_keep_the_status_filter_and_the_page_links(logged_in, file_appeal, coordinator, manager, indexed,
                                                         monkeypatch):
    from core.portal import appeals as appeal_views

    monkeypatch.setattr(appeal_views, "PAGE_SIZE", 2)
    with indexed():
        made = [file_appeal(subject=f"Прокладка {WORD}, участок {number}") for number in range(3)]
        assigned = act(file_appeal(subject=f"Прокладка {WORD}, участок 9"), "assign", coordinator,
                       executor_organisation=manager.organisation, manager=manager)

    assert listed(logged_in.get(APPEALS, {"q": WORD, "status__exact": AppealStatus.ASSIGNED})) == [assigned.pk]
    first = logged_in.get(APPEALS, {"q": WORD})
    assert listed(first) == [assigned.pk, made[2].pk] and "Страница 1 из 2" in text_of(first)
    next_link = unescape(re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1))
    assert listed(logged_in.get(APPEALS + next_link)) == [made[1].pk, made[0].pk]


def test_nothing_found_says_what_was_looked_for(logged_in, file_appeal, indexed):
    with indexed():
        file_appeal(subject="Подключение склада")

    response = logged_in.get(APPEALS, {"q": "Несуществующееслово"})

    text = text_of(response)
    assert listed(response) == []
    assert "Ничего не найдено по запросу «Несуществующееслово»." in text
    assert f'<a href="{APPEALS}">Показать все обращения</a>' in response.content.decode()
    assert "Фильтр не применён" not in text


def test_a_word_of_the_passport_finds_the_project(logged_in, apply_project, other_investor, indexed):
    with indexed():
        plant = apply_project(name="Тепличный комплекс", description=f"Строительство {WORD} и котельной.")
        apply_project(name="Склад «Юг»")
        apply_project(applicant=other_investor, name=f"Реконструкция {WORD}")

    assert listed(logged_in.get(PROJECTS, {"q": WORD})) == [plant.pk]
    response = logged_in.get(PROJECTS, {"q": "Несуществующееслово"})
    assert "Ничего не найдено по запросу «Несуществующееслово»." in text_of(response)
    assert "Показать все проекты" in text_of(response)


@pytest.mark.parametrize("query", [
    "я" * 10_000, "\u202eсправа налево", "д\u0301орога 🚧 ﬁ", "%_\\'\"; DROP TABLE core_appeal; --", '"', "№",
    "a\u200bb",
])
def test_odd_words_never_break_the_lists(logged_in, file_appeal, apply_project, indexed, query):
    with indexed():
        file_appeal(subject="Дорога к площадке")
        apply_project(name="Дорога к площадке")

    for url in (APPEALS, PROJECTS):
        response = logged_in.get(url, {"q": query})
        assert response.status_code == 200, url
        assert "Фильтр не применён" not in text_of(response)


def test_searching_asks_the_same_queries_however_many_appeals_match(logged_in, file_appeal, indexed):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert logged_in.get(APPEALS, {"q": WORD}).status_code == 200
        return len(captured)

    with indexed():
        file_appeal(subject=f"Прокладка {WORD}")
    few = count()
    with indexed():
        for number in range(6):
            file_appeal(subject=f"Прокладка {WORD} {number}")

    assert len(listed(logged_in.get(APPEALS, {"q": WORD}))) == 7
    assert count() == few


def test_the_found_words_are_marked_in_the_subject_and_the_name(logged_in, file_appeal, apply_project, indexed):
    with indexed():
        file_appeal(subject=f"Прокладка {WORD} <b>срочно</b>")
        apply_project(name=f"Реконструкция {WORD}")

    appeals = logged_in.get(APPEALS, {"q": WORD}).content.decode()
    assert f"Прокладка <mark>{WORD}</mark> &lt;b&gt;срочно&lt;/b&gt;" in appeals  # marked, the rest escaped
    assert f"Реконструкция <mark>{WORD}</mark>" in logged_in.get(PROJECTS, {"q": WORD}).content.decode()
    unsearched = logged_in.get(APPEALS).content.decode()
    assert "<mark>" not in unsearched and f"Прокладка {WORD} &lt;b&gt;срочно&lt;/b&gt;" in unsearched
