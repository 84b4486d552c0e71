"""Issue 10.1 in a browser: the trial's defect «the rating form never came back».

The investor rates the first answer 3 and sends it back; in the cabinet the executor reads the reason and answers
again and the head approves; the investor opens the letter's «Оценить ответ» link, lands on the new answer's rating
form and rates it 5; the page keeps both answers with their own ratings.
"""

import re

import pytest

from core.choices import AppealStatus
from core.models import Appeal, Notification
from core.workflows.appeals import appeal_transition
from tests.e2e.test_appeal_journey import cabinet_action, cabinet_login, cabinet_open_appeal, portal_login

pytestmark = pytest.mark.e2e

FIRST = "Встреча по ВКС с администрацией района назначена на 03.03.2025."
SECOND = "Встреча по ВКС назначена на 03.03.2025 в 11:00, ссылка и повестка направлены на вашу почту."
REASON = "Не указано время встречи и ссылка на ВКС."


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def letter_rate_link(appeal) -> str:
    """The «Оценить ответ» link of the newest answer letter, as its notification row holds it."""
    letter = Notification.objects.filter(event="appeal_answered", channel="email", object_id=appeal.pk).latest("pk")
    return re.search(r"(\S+#action-rate)\b", letter.body_text).group(1)


def test_the_rating_form_comes_back_after_rework(page, person_page, investor, coordinator, manager, head, file_appeal,
                                                 screenshot_dir):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    appeal = act(appeal, "take_into_work", manager)
    appeal = act(appeal, "submit_for_approval", manager, answer_text=FIRST)
    appeal = act(appeal, "approve", head)

    # --- the investor rates the first answer 3 and sends it back ----------------------------------------------
    portal_login(page, investor)
    page.goto(f"/cabinet/appeals/{appeal.pk}/")
    page.get_by_role("heading", name=f"Обращение №{appeal.number}").wait_for()
    round_1 = page.locator("#round-1")
    round_1.get_by_text(FIRST).wait_for()
    rate = page.locator("#action-rate")
    rate.get_by_label("3 — удовлетворительно").check()
    rate.get_by_label("Комментарий к оценке").fill("Не хватает времени встречи.")
    rate.get_by_role("button", name="Оценить ответ").click()
    page.get_by_text("Спасибо за оценку ответа.").wait_for()
    round_1.get_by_text("Ваша оценка: 3 из 5").wait_for()

    rework = page.locator("#action-send_back_for_rework")
    rework.get_by_label("Что нужно доработать").fill(REASON)
    rework.get_by_role("button", name="Отправить на доработку").click()
    page.get_by_text("Обращение отправлено на доработку.").wait_for()
    round_1.locator(".rework-reason").get_by_text(REASON).wait_for()
    page.get_by_text("Ответ дорабатывается").wait_for()
    assert page.locator("#action-rate").count() == 0

    # --- in the cabinet the executor sees the reason, answers again, and the head approves -----------------------
    staff = person_page()
    cabinet_login(staff, manager)
    cabinet_open_appeal(staff, appeal.number)
    staff.get_by_text(REASON).first.wait_for()
    cabinet_action(
        staff, "Направить ответ на согласование",
        lambda form: form.locator('textarea[name="answer_text"]').fill(SECOND),
    )
    staff.context.close()
    staff = person_page()
    cabinet_login(staff, head)
    cabinet_open_appeal(staff, appeal.number)
    staff.get_by_text(SECOND).first.wait_for()
    cabinet_action(staff, "Согласовать ответ")
    staff.get_by_text("Ответ 2", exact=True).wait_for()
    staff.screenshot(path=screenshot_dir / "cabinet-rounds-head.png", full_page=True)
    staff.context.close()
    appeal.refresh_from_db()

    # --- the investor reloads: the new answer with its rating form ----------------------------------------------
    page.reload()
    round_2 = page.locator("#round-2")
    round_2.get_by_text(SECOND).wait_for()
    round_2.locator("#action-rate").wait_for()
    round_1.get_by_text("Ваша оценка: 3 из 5").wait_for()

    # --- … and follows the letter's «Оценить ответ» link --------------------------------------------------------
    link = letter_rate_link(appeal)
    assert link.endswith(f"/cabinet/appeals/{appeal.pk}/#action-rate")
    page.goto(link)
    rate = round_2.locator("#action-rate")
    rate.wait_for()
    assert page.evaluate("location.hash") == "#action-rate"
    for width, height in ((1440, 1000), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=screenshot_dir / f"portal-rounds-{width}.png", full_page=True)
        page.locator("#answer").screenshot(path=screenshot_dir / f"portal-rounds-{width}-answers.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    rate.get_by_label("5 — отлично").check()
    rate.get_by_role("button", name="Оценить ответ").click()
    page.get_by_text("Спасибо за оценку ответа.").wait_for()
    round_2.get_by_text("Ваша оценка: 5 из 5").wait_for()
    round_1.get_by_text("Ваша оценка: 3 из 5").wait_for()
    assert page.locator("#action-rate").count() == 0
    page.locator("#answer").screenshot(path=screenshot_dir / "portal-rounds-rated-answers.png")

    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating, appeal.rework_count) == (AppealStatus.ANSWERED, 5, 1)
    assert list(appeal.answers.values_list("number", "rating", "rework_reason")) == [(1, 3, REASON), (2, 5, "")]
