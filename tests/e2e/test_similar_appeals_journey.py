"""«Похожие обращения» and «Возможно, ответ уже есть» in a browser (issue 15): the manager copies a similar appeal's
answer into the answer form from the card and from the answer dialog, then edits it — nothing is sent by the copy;
the investor sees a fitting published FAQ answer while typing and files the appeal all the same."""

import re

import pytest

from core.models import Appeal, FaqEntry
from tests.e2e.conftest import ANSWER
from tests.e2e.test_appeal_journey import cabinet_login, portal_login


@pytest.mark.parametrize("width", [1440, 390])
def test_the_manager_copies_a_similar_answer_into_the_answer_form(page, answered_and_current, manager,
                                                                  screenshot_dir, width):
    answered, current = answered_and_current
    page.set_viewport_size({"width": width, "height": 900})
    cabinet_login(page, manager)
    page.goto(f"/admin/core/appeal/{current.pk}/change/")
    panel = page.locator("#similar-appeals")
    panel.wait_for()
    item = panel.locator(f'[data-similar="{answered.pk}"]')
    assert item.get_by_text("оценка 4 из 5").is_visible()
    assert item.locator(".zk-similar-full").is_hidden()  # a long answer shows its start first
    item.get_by_text("Ответ полностью").click()
    assert item.locator(".zk-similar-full").inner_text().strip() == ANSWER
    item.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"similar-appeals-card-{width}.png", full_page=True)

    item.get_by_role("link", name="Вставить в ответ").click()
    form = page.locator("#modal-content #appeal-action-form")
    form.wait_for()
    area = form.locator('[name="answer_text"]')
    assert area.input_value().strip() == ANSWER
    area.fill(area.input_value().strip() + " Дополнение менеджера.")

    # the dialog's own list: one click more puts the same answer after what is typed
    form.get_by_text("Похожие обращения: ответы, которые можно взять за основу").click()
    button = form.locator(f'[data-similar="{answered.pk}"]').get_by_role("button", name="Вставить в ответ")
    button.click()
    assert area.input_value() == f"{ANSWER} Дополнение менеджера.\n\n{ANSWER}"
    form.get_by_text("Ответ вставлен в текст.").wait_for()
    page.screenshot(path=screenshot_dir / f"similar-appeals-dialog-{width}.png")
    assert Appeal.objects.get(pk=current.pk).answer_text == ""  # nothing sent: the person edits and sends it


@pytest.mark.parametrize("width", [1440, 390])
def test_the_investor_sees_a_fitting_faq_answer_while_filing_and_files_anyway(page, investor, problem_fact,
                                                                              screenshot_dir, width):
    FaqEntry.objects.create(question="Как согласовать съезд на региональную дорогу?",
                            answer="Подайте заявление в комитет по дорожному хозяйству.", is_published=True)
    FaqEntry.objects.create(question="Съезд: черновик", answer="Не опубликовано", is_published=False)
    page.set_viewport_size({"width": width, "height": 900})
    portal_login(page, investor)
    page.goto("/cabinet/appeals/new/")
    box = page.locator("[data-faq-suggestions]")
    page.locator('[name="subject"]').fill("Съезд")  # too short: nothing is asked
    page.wait_for_timeout(1200)
    assert box.is_hidden()
    page.locator('[name="subject"]').fill("Как согласовать съезд на дорогу")
    box.get_by_text("Возможно, ответ уже есть").wait_for()
    assert box.locator("details").count() == 1 and "черновик" not in box.inner_text()
    box.get_by_text("Как согласовать съезд на региональную дорогу?").click()
    box.get_by_text("Подайте заявление в комитет по дорожному хозяйству.").wait_for()
    box.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"faq-suggestions-{width}.png", full_page=True)

    page.select_option('[name="category"]', str(problem_fact.subcategory.category_id))
    page.select_option('[name="subcategory"]', str(problem_fact.subcategory_id))
    page.select_option('[name="fact"]', str(problem_fact.pk))
    page.locator('[name="description"]').fill("Получен отказ в согласовании проекта съезда.")
    page.get_by_role("button", name="Отправить обращение").click()
    page.wait_for_url(re.compile(r"/cabinet/appeals/\d+/$"))
    assert Appeal.objects.filter(applicant=investor, subject="Как согласовать съезд на дорогу").exists()
