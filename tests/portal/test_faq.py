"""«Частые вопросы» in the portal (issue 15): only published entries, for anyone, searchable, in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Category, FaqEntry
from core.search import search_index_rebuild
from tests.admin_site.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(classifier):
    category = Category.objects.order_by("pk").first()
    created = {
        "published": FaqEntry.objects.create(category=category, question="Как получить технические условия?",
                                             answer="Подайте заявку в сетевую организацию.", is_published=True),
        "other": FaqEntry.objects.create(question="Сколько ждать ответа?", answer="Двадцать дней.",
                                         is_published=True),
        "draft": FaqEntry.objects.create(category=category, question="Черновик с телефоном +7 900",
                                         answer="Иван Петров", is_published=False),
        "grid": FaqEntry.objects.create(
            category=category, question="Сколько времени занимает технологическое присоединение к электросетям?",
            answer="Срок зависит от мощности: до 150 кВт — четыре месяца.", is_published=True),
    }
    search_index_rebuild()  # the entries' rows are written after commit, which a test's transaction never does
    return created


def test_anonymous_visitors_see_only_published_entries_grouped_by_category(client, entries):
    text = page_text(client.get(reverse("portal:faq")))
    category = entries["published"].category
    assert "Как получить технические условия?" in text and "Сколько ждать ответа?" in text
    assert (category.short_name or category.name) in text and "Другие вопросы" in text
    assert "Черновик" not in text and "Иван Петров" not in text


def test_an_investor_sees_the_page_too(client, investor, entries):
    client.force_login(investor)
    assert "Сколько ждать ответа?" in page_text(client.get(reverse("portal:faq")))


@pytest.mark.parametrize(("query", "found", "missing"), [
    ("сетевую", "технические условия", "Сколько ждать"),
    ("ЖДАТЬ", "Сколько ждать", "технические условия"),
])
def test_search_looks_in_questions_and_answers(client, entries, query, found, missing):
    text = page_text(client.get(reverse("portal:faq"), {"q": query}))
    assert found in text and missing not in text and "Найден 1 вопрос" in text


@pytest.mark.parametrize("query", [
    "присоединение", "присоединения", "технологического присоединения", "мощность", "сроки", "электросети",
])
def test_search_finds_other_word_forms(client, entries, query):
    text = page_text(client.get(reverse("portal:faq"), {"q": query}))
    assert "технологическое присоединение к электросетям" in text and "Найден 1 вопрос" in text
    assert "Сколько ждать" not in text and "технические условия?" not in text
    assert (entries["grid"].category.short_name or entries["grid"].category.name) in text  # still grouped


@pytest.mark.parametrize("query", ["и на", "присоединение к газу", "№", "'\"*(:"])
def test_a_query_without_a_matching_word_finds_nothing_and_never_fails(client, entries, query):
    response = client.get(reverse("portal:faq"), {"q": query})
    assert response.status_code == 200 and "Ничего не найдено" in page_text(response)


def test_search_for_a_draft_finds_nothing(client, entries):
    text = page_text(client.get(reverse("portal:faq"), {"q": "Иван"}))
    assert "Ничего не найдено" in text and "Иван Петров" not in text


def test_the_page_costs_the_same_queries_whatever_the_number_of_entries(client, entries):
    def count() -> int:  # the page and its search
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:faq")).status_code == 200
            assert client.get(reverse("portal:faq"), {"q": "вопрос ответ"}).status_code == 200
        return len(captured)

    before = count()
    for n in range(15):
        FaqEntry.objects.create(category=Category.objects.order_by("-pk")[n % 3], question=f"Вопрос {n}",
                                answer="Ответ", is_published=True)
    search_index_rebuild()
    assert count() == before
