"""«Похожие обращения» on the appeal card and in its answer dialog (issue 15): the closest answered appeals the
person may open, with their public answer, rating and executor; «Вставить в ответ» carries the answer into the
answer form as a draft. Written against core.search's interface: they hold for its first version and for the index."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Appeal, Fact
from core.search import search_index_rebuild
from tests.admin_site.appeals.helpers import act, action_url, card_url

pytestmark = pytest.mark.django_db

SUBJECT = "Согласование съезда на промышленную улицу"
ANSWER = "Съезд согласован комитетом по дорожному хозяйству, письмо № 12 от 03.03.2026."
INTERNAL = "Внутренняя заметка: позвонить в комитет"


def panel(client, appeal: Appeal, **params) -> str:
    response = client.get(reverse("admin:core_appeal_similar", args=[appeal.pk]), {"fragment": "1", **params})
    assert response.status_code == 200
    return response.content.decode()


def numbers(fragment: str) -> list[int]:
    return [int(number) for number in re.findall(r'<a href="/admin/core/appeal/\d+/change/"[^>]*>#(\d+)</a>', fragment)]


@pytest.fixture
def answer(coordinator, head):
    """answer(appeal, text, by=manager, rating=None, internal="") -> the appeal answered through the door; the search
    index is written again after it (in a test's transaction nothing commits)."""

    def make(appeal, text, *, by, organisation=None, rating=None, internal=""):
        appeal = act(appeal, "assign", coordinator, executor_organisation=organisation or by.organisation,
                     manager=by, head=head)
        appeal = act(appeal, "take_into_work", by)
        if internal:
            act(appeal, "comment", by, text=internal, is_public=False)
        act(appeal, "submit_for_approval", by, answer_text=text)
        appeal = act(appeal, "approve", head)
        if rating:
            act(appeal, "rate", appeal.applicant, rating=rating)
        search_index_rebuild()
        return Appeal.objects.get(pk=appeal.pk)

    return make


@pytest.fixture
def other_fact(problem_fact):
    return Fact.objects.exclude(pk=problem_fact.pk).order_by("pk").first()


@pytest.fixture
def current(file_appeal, coordinator, manager, head):
    """The appeal being answered by the agency's manager."""
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    return act(appeal, "take_into_work", manager)


def test_the_panel_lists_the_answered_same_fact_appeal_first_with_its_public_answer(
        login, current, file_appeal, answer, manager, other_fact):
    same = answer(file_appeal(), ANSWER, by=manager, rating=4, internal=INTERNAL)
    words = answer(file_appeal(fact=other_fact, subject=SUBJECT + " (повторно)"), "Ответ по другому факту.",
                   by=manager)
    waiting = act(act(act(file_appeal(), "assign", current.coordinator, executor_organisation=manager.organisation,
                          manager=manager, head=current.head), "take_into_work", manager),
                  "submit_for_approval", manager, answer_text="Черновик ещё не согласован")
    fragment = panel(login(manager), current)
    listed = numbers(fragment)
    assert listed[0] == same.number
    assert current.number not in listed and waiting.number not in listed
    assert set(listed) <= {same.number, words.number}
    assert html.escape(ANSWER) in fragment and SUBJECT in fragment
    assert "оценка 4 из 5" in fragment and "тот же факт" in fragment
    assert manager.organisation.short_name in fragment  # the executor
    assert INTERNAL not in fragment and "Черновик ещё не согласован" not in fragment
    if words.number in listed:
        assert "без оценки" in fragment


def test_the_card_loads_the_panel_after_the_page_with_a_link_for_a_browser_without_scripts(login, current, manager):
    card = login(manager).get(card_url(current)).content.decode()
    url = reverse("admin:core_appeal_similar", args=[current.pk])
    assert "Похожие обращения" in card
    assert f'hx-get="{url}?fragment=1"' in card and f'href="{url}"' in card
    page = login(manager).get(url)  # the same list as a cabinet page
    assert page.status_code == 200 and "Похожих обращений с ответом пока нет." in page.content.decode()


def test_insert_on_the_card_opens_the_answer_dialog_with_the_answer_as_the_draft(login, current, file_appeal,
                                                                                 answer, manager):
    same = answer(file_appeal(), ANSWER, by=manager)
    client = login(manager)
    fragment = panel(client, current)
    link = f'{action_url(current, "submit_for_approval")}?similar={same.pk}'
    assert f'href="{link}"' in fragment and "Вставить в ответ" in fragment
    dialog = client.get(link).content.decode()
    area = re.search(r'<textarea name="answer_text"[^>]*>(.*?)</textarea>', dialog, re.S).group(1)
    assert html.unescape(area).strip() == ANSWER
    assert Appeal.objects.get(pk=current.pk).answer_text == ""  # nothing sent: the person edits and sends it
    # an appeal the panel does not offer (itself, an unknown id, garbage) leaves the text empty
    for value in (current.pk, 10**12, "abc", ""):
        dialog = client.get(action_url(current, "submit_for_approval"), {"similar": value}).content.decode()
        assert re.search(r'<textarea name="answer_text"[^>]*>\s*</textarea>', dialog), value


def test_the_answer_dialog_offers_the_panel_whose_buttons_carry_the_text(login, current, file_appeal, answer,
                                                                         manager):
    answer(file_appeal(), ANSWER, by=manager)
    client = login(manager)
    dialog = client.get(action_url(current, "submit_for_approval")).content.decode()
    url = reverse("admin:core_appeal_similar", args=[current.pk])
    assert f'hx-get="{url}?fragment=1&amp;in=form"' in dialog
    fragment = panel(client, current, **{"in": "form"})
    button = re.search(r"<button[^>]*data-similar-insert[^>]*>", fragment).group(0)
    assert f'data-text="{html.escape(ANSWER)}"' in button and 'data-target="answer_text"' in button


def test_a_person_who_cannot_answer_sees_the_answers_without_the_button(login, current, file_appeal, answer,
                                                                        manager, director):
    answer(file_appeal(), ANSWER, by=manager)
    fragment = panel(login(director), current)
    assert html.escape(ANSWER) in fragment and "Вставить в ответ" not in fragment


def test_a_member_of_another_body_sees_only_the_appeals_they_could_open(
        login, file_appeal, answer, manager, executor, coordinator, head, omsu):
    ours = answer(file_appeal(), "Ответ агентства.", by=manager)
    theirs = answer(file_appeal(), "Ответ администрации района.", by=executor, organisation=omsu)
    current = act(file_appeal(), "assign", coordinator, executor_organisation=omsu, manager=executor, head=head)
    fragment = panel(login(executor), current)
    assert numbers(fragment) == [theirs.number]
    assert "Ответ агентства." not in fragment and f"#{ours.number}" not in fragment
    client = login(executor)
    assert client.get(reverse("admin:core_appeal_similar", args=[ours.pk]), {"fragment": "1"}).status_code == 404
    dialog = client.get(action_url(current, "take_into_work"))
    assert dialog.status_code == 200
    current = act(current, "take_into_work", executor)
    text = client.get(action_url(current, "submit_for_approval"), {"similar": ours.pk}).content.decode()
    assert "Ответ агентства." not in text  # an appeal they cannot open is never copied into their answer


def test_an_investor_never_reaches_the_panel(client, current, investor):
    client.force_login(investor)
    response = client.get(reverse("admin:core_appeal_similar", args=[current.pk]), {"fragment": "1"})
    assert response.status_code in (302, 403)


def test_the_panel_costs_the_same_queries_whatever_the_number_of_similar_appeals(login, current, file_appeal,
                                                                                  answer, manager):
    client = login(manager)

    def count() -> int:
        panel(client, current)  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            panel(client, current)
        return len(captured)

    answer(file_appeal(), ANSWER, by=manager, rating=5)
    one = count()
    for n in range(4):
        answer(file_appeal(), f"{ANSWER} Вариант {n}.", by=manager, rating=3)
    assert numbers(panel(client, current)).__len__() == 5
    assert count() == one
