"""Answer templates in the appeal dialogs and «В частые вопросы» on the card (issue 15)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AnswerTemplate, Category, Fact, FaqEntry
from tests.admin_site.appeals.helpers import act, action_url, card_url, post_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_work(assigned, manager):
    return act(assigned, "take_into_work", manager)


@pytest.fixture
def answered(in_work, manager, head):
    act(in_work, "submit_for_approval", manager, answer_text="Ответ: съезд согласуют до конца месяца.")
    return act(in_work, "approve", head)


@pytest.fixture
def templates(in_work):
    fact = in_work.fact
    other_fact = Fact.objects.exclude(subcategory__category=fact.subcategory.category_id).first()
    other_category = Category.objects.exclude(pk=fact.subcategory.category_id).first()
    make = AnswerTemplate.objects.create
    return {
        "fact": make(title="По факту", text="Уважаемый %инвестор%, ответим до %срок%.", fact=fact, usage_count=1),
        "category": make(title="По категории", text="Текст категории", category=fact.subcategory.category),
        "everyone": make(title="Для всех", text="Менеджер: %менеджер%. %Подпись%", usage_count=5),
        "other_fact": make(title="Чужой факт", text="-", fact=other_fact),
        "other_category": make(title="Чужая категория", text="-", category=other_category),
        "inactive": make(title="Выключенный", text="-", fact=fact, is_active=False),
    }


def offered(response) -> list[str]:
    select = re.search(r'<select name="answer_template_pick".*?</select>', response.content.decode(), re.S).group(0)
    return [title for value, title in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select) if value]


@pytest.mark.parametrize(("name", "who"), [("submit_for_approval", "manager"), ("request_clarification", "manager")])
def test_the_dialog_offers_only_the_templates_that_fit_the_appeal_most_used_first(request, login, in_work,
                                                                                 templates, name, who):
    response = login(request.getfixturevalue(who)).get(action_url(in_work, name))
    assert offered(response) == ["Для всех", "По факту", "По категории"]
    assert "Вставить" in response.content.decode()


def test_the_card_comment_box_loads_the_same_templates_after_the_page(login, in_work, templates, manager):
    client = login(manager)
    card = client.get(card_url(in_work)).content.decode()
    url = reverse("admin:core_appeal_answer_template", args=[in_work.pk])
    assert re.search(r'<select name="answer_template_pick"[^>]*data-load', card) and f'data-url="{url}"' in card
    assert [row["title"] for row in client.get(url).json()["templates"]] == ["Для всех", "По факту", "По категории"]


def test_insert_returns_the_text_filled_for_the_appeal_and_flags_the_rest(login, in_work, templates, manager):
    url = reverse("admin:core_appeal_answer_template", args=[in_work.pk])
    answer = login(manager).get(url, {"template": templates["fact"].pk}).json()
    assert answer["text"] == f"Уважаемый {in_work.organisation_name}, ответим до {in_work.deadline:%d.%m.%Y}."
    answer = login(manager).get(url, {"template": templates["everyone"].pk}).json()
    assert answer["text"] == f"Менеджер: {manager.full_name}. %Подпись%"
    assert answer["unknown"] == ["%Подпись%"] and "%Подпись%" in answer["note"]
    assert AnswerTemplate.objects.get(pk=templates["fact"].pk).usage_count == 1  # inserting is not using


@pytest.mark.parametrize("template", ["other_fact", "inactive", "abc", ""])
def test_insert_refuses_a_template_that_does_not_fit(login, in_work, templates, manager, template):
    value = templates[template].pk if template in templates else template
    response = login(manager).get(reverse("admin:core_appeal_answer_template", args=[in_work.pk]), {"template": value})
    assert response.status_code == 404


def test_insert_refuses_an_appeal_outside_the_users_scope(login, in_work, templates, executor, other_investor):
    url = reverse("admin:core_appeal_answer_template", args=[in_work.pk])
    assert login(executor).get(url, {"template": templates["fact"].pk}).status_code == 404
    assert login(other_investor).get(url, {"template": templates["fact"].pk}).status_code in (302, 403)


def test_a_use_is_counted_once_when_the_form_is_sent(login, in_work, templates, manager):
    template = templates["category"]
    client = login(manager)
    post_action(client, in_work, "comment", text="Уточняем сроки", answer_template=str(template.pk))
    post_action(client, in_work, "comment", text="Без шаблона")
    post_action(client, in_work, "comment", text="Чужой шаблон", answer_template=str(templates["other_fact"].pk))
    post_action(client, in_work, "submit_for_approval", answer_text="Текст категории", answer_template="x")
    assert AnswerTemplate.objects.get(pk=template.pk).usage_count == 1
    assert AnswerTemplate.objects.get(pk=templates["other_fact"].pk).usage_count == 0


def test_add_to_faq_makes_an_unpublished_draft_for_coordinators_only(login, answered, coordinator, manager):
    url = action_url(answered, "add_to_faq")
    assert "В частые вопросы" in login(coordinator).get(card_url(answered)).content.decode()
    assert "В частые вопросы" not in login(manager).get(card_url(answered)).content.decode()
    login(manager).post(url)
    assert not FaqEntry.objects.exists()
    response = login(coordinator).post(url)
    entry = FaqEntry.objects.get()
    assert response.url == reverse("admin:core_faqentry_change", args=[entry.pk])
    assert not entry.is_published and entry.source_appeal_id == answered.pk
    assert entry.answer == "Ответ: съезд согласуют до конца месяца." and answered.subject in entry.question


def test_the_templates_list_costs_the_same_queries_whatever_its_length(login, coordinator, problem_fact):
    client = login(coordinator)
    url = reverse("admin:core_answertemplate_changelist")

    def count(rows: int) -> int:
        for n in range(rows):
            AnswerTemplate.objects.create(title=f"Шаблон {n}", text="-", fact=problem_fact if n % 2 else None,
                                          updated_by=coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert count(2) == count(20)


def test_a_template_for_a_fact_and_a_category_at_once_is_refused_in_russian(login, coordinator, problem_fact):
    response = login(coordinator).post(reverse("admin:core_answertemplate_add"), {
        "title": "Оба сразу", "text": "-", "fact": problem_fact.pk, "category": problem_fact.subcategory.category_id,
        "is_active": "on"})
    assert response.status_code == 200 and "Укажите факт или категорию, а не оба сразу." in response.content.decode()
    assert not AnswerTemplate.objects.exists()
