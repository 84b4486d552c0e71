"""«Возможно, ответ уже есть» on «Создать обращение» (issue 15): while the investor types, up to three similar
published FAQ answers; drafts never; short, empty or huge texts are no error; filing goes on without it."""

import time

import pytest
import time_machine
from django.urls import reverse

from core.models import Category, FaqEntry
from core.portal.faq import SUGGEST_RATE
from core.search import search_index_rebuild
from tests.admin_site.helpers import page_text

pytestmark = pytest.mark.django_db

URL = "/cabinet/appeals/faq-suggestions/"
TEXT = "Как получить технические условия на подключение к сетям"


@pytest.fixture
def entries(classifier):
    """The entries, then the search index written for them (in a test's transaction nothing commits)."""
    category = Category.objects.order_by("pk").first()
    make = FaqEntry.objects.create
    try:
        return {
            "published": make(category=category, question="Как получить технические условия?",
                              answer="Подайте заявку в сетевую организацию через её личный кабинет.",
                              is_published=True),
            "draft": make(category=category, question="Технические условия: черновик с телефоном +7 900",
                          answer="Иван Петров из сетевой организации", is_published=False),
            "unrelated": make(question="Сколько ждать ответа?", answer="Двадцать дней.", is_published=True),
        }
    finally:
        search_index_rebuild()


def test_the_url_is_the_portals():
    assert reverse("portal:faq_suggestions") == URL


def test_a_fitting_published_answer_is_suggested_and_a_draft_never(client, investor, entries):
    client.force_login(investor)
    response = client.get(URL, {"text": TEXT})
    assert response.status_code == 200
    text = page_text(response)
    assert "Возможно, ответ уже есть" in text
    assert "Как получить технические условия?" in text and "Подайте заявку в сетевую организацию" in text
    assert "черновик" not in text and "Иван Петров" not in text and "+7 900" not in text
    assert f'href="{reverse("portal:faq")}"' in response.content.decode()


def test_at_most_three_answers_are_suggested(client, investor, entries):
    for n in range(5):
        FaqEntry.objects.create(question=f"Технические условия, вопрос {n}", answer="Ответ.", is_published=True)
    search_index_rebuild()
    client.force_login(investor)
    assert client.get(URL, {"text": TEXT}).content.decode().count("<details") <= 3


@pytest.mark.parametrize("text", ["", "   ", "условия", "технич\u00a0"])
def test_a_short_or_empty_text_asks_nothing_and_gives_an_empty_fragment(client, investor, entries,
                                                                         django_assert_max_num_queries, text):
    client.force_login(investor)
    client.get(URL, {"text": TEXT})
    with django_assert_max_num_queries(4):  # the session and the user only: no FAQ lookup
        response = client.get(URL, {"text": text})
    assert response.status_code == 200 and response.content.decode().strip() == ""


@pytest.mark.parametrize("text", ["технические условия " * 5000, "\x00\x01 технические условия <script>", "%" * 50,
                                  "' OR 1=1 -- технические условия"])
def test_a_huge_or_odd_text_is_no_error(client, investor, entries, text):
    client.force_login(investor)
    response = client.get(URL, {"text": text})
    assert response.status_code in (200, 400)
    assert "<script>" not in response.content.decode()


def test_no_text_parameter_is_no_error(client, investor, entries):
    client.force_login(investor)
    assert client.get(URL).status_code == 200


def test_asking_faster_than_a_person_types_gets_nothing_and_no_error(client, investor, entries):
    client.force_login(investor)
    # all the requests at one moment in the middle of a window: the limit slides (core/services/throttle.py), so on a
    # slow machine requests spread over a window's edge would let the 61st through, as they should
    moment = (time.time() // SUGGEST_RATE.period + 1) * SUGGEST_RATE.period + SUGGEST_RATE.period / 2
    with time_machine.travel(moment, tick=False):
        answers = [client.get(URL, {"text": TEXT}) for _ in range(SUGGEST_RATE.limit + 1)]
    assert all(answer.status_code == 200 for answer in answers)
    assert "Возможно, ответ уже есть" in answers[SUGGEST_RATE.limit - 1].content.decode()
    assert answers[-1].content.decode().strip() == ""


def test_guests_are_sent_to_the_login(client, entries):
    response = client.get(URL, {"text": TEXT})
    assert response.status_code == 302 and "/login" in response.url


def test_the_filing_form_has_the_hidden_box(client, investor, entries):
    client.force_login(investor)
    page = client.get(reverse("portal:appeal_create")).content.decode()
    assert f'data-faq-suggestions data-url="{URL}"' in page and "portal/faq-suggestions.js" in page
    assert 'aria-live="polite" hidden' in page  # nothing shown until something fits
