"""Typed text is not lost by a slip (static/forms/keep-typed.js): a manager who closes the answer dialog by mistake
finds the text again when the dialog is opened again, «Вставить в ответ» on the card adds to it instead of starting
afresh, another dialog and leaving the page ask first; an investor leaving a half-filled appeal is asked too."""

import contextlib
import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from core.models import Appeal
from tests.e2e.conftest import ANSWER
from tests.e2e.test_appeal_journey import cabinet_login, portal_login
from tests.e2e.test_cabinet_dialogs_journey import settled

pytestmark = pytest.mark.e2e

TYPED = "Технические условия запрошены у сетевой организации, ответ ждём до конца месяца."
ANSWER_LABEL = "Направить ответ на согласование"


def card_button(page, label: str) -> None:
    """A button of the card: on a narrow screen the card's buttons are behind «…»."""
    link = page.get_by_role("link", name=label).first
    if not link.is_visible():
        page.locator('a[href="#"]', has_text="more_horiz").first.click()
    link.click()


def answer_dialog(page):
    return page.locator("#modal-content #appeal-action-form")


def dialogs_of(page) -> list:
    """The browser's own questions (confirm, «Leave the page?»), each dismissed: the person stays."""
    asked = []

    def dismiss(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", dismiss)
    return asked


def until(page, condition, timeout_ms: int = 5000) -> None:
    """Wait for what the page's events (the dialogs) bring."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the browser asked nothing")


def leave(page, address: str) -> None:
    """Go to another address as the address bar would; the page may stay (its «Leave the page?» dismissed)."""
    with contextlib.suppress(PlaywrightError):
        page.goto(address)


@pytest.mark.parametrize("width", [1440, 390])
def test_the_answer_typed_in_a_closed_dialog_is_there_when_it_opens_again(page, answered_and_current, manager,
                                                                         screenshot_dir, width):
    answered, current = answered_and_current
    card = f"/admin/core/appeal/{current.pk}/change/"
    page.set_viewport_size({"width": width, "height": 900})
    cabinet_login(page, manager)
    page.goto(card)
    asked = dialogs_of(page)

    card_button(page, ANSWER_LABEL)
    form = answer_dialog(page)
    area = form.locator('[name="answer_text"]')
    area.wait_for()
    area.press_sequentially(TYPED[:20])  # keys typed by the person, as the browser counts a person's activity
    area.fill(TYPED)
    page.keyboard.press("Escape")
    form.wait_for(state="hidden")

    # the same button again: the dialog as it was left, not a fresh one
    card_button(page, ANSWER_LABEL)
    form.wait_for()
    assert area.input_value() == TYPED
    page.keyboard.press("Escape")
    form.wait_for(state="hidden")

    # «Вставить в ответ» of «Похожие обращения» on the card adds the similar answer after the typed text
    panel = page.locator("#similar-appeals")
    panel.wait_for()
    item = panel.locator(f'[data-similar="{answered.pk}"]')
    item.get_by_role("link", name="Вставить в ответ").click()
    form.wait_for()
    assert area.input_value() == f"{TYPED}\n\n{ANSWER}"
    settled(page)
    page.screenshot(path=screenshot_dir / f"keep-typed-dialog-{width}.png")
    # the footer's buttons stay inside its padding on a phone too (the long label wraps, it does not reach the edge)
    inside, buttons = page.evaluate("""() => {
        const footer = document.querySelector('#modal-content .zk-dialog-footer');
        const inside = footer.getBoundingClientRect().right - parseFloat(getComputedStyle(footer).paddingRight);
        return [inside, [...footer.querySelectorAll('button, a')].map(el => el.getBoundingClientRect().right)];
    }""")
    assert max(buttons) <= inside + 0.5, (inside, buttons)
    page.keyboard.press("Escape")
    form.wait_for(state="hidden")

    # another dialog over the typed text asks first; «Отмена» keeps the answer dialog
    card_button(page, "Перенаправить")
    until(page, lambda: asked)
    assert asked[-1][0] == "confirm"
    assert asked[-1][1] == ("В закрытом окне остался неотправленный текст. Открыть другое окно? "
                            "Тот текст пропадёт.")
    card_button(page, ANSWER_LABEL)
    form.wait_for()
    assert area.input_value() == f"{TYPED}\n\n{ANSWER}"
    page.keyboard.press("Escape")
    form.wait_for(state="hidden")

    # leaving the card asks the browser's «Leave the page?»; staying keeps everything
    leave(page, "/admin/core/appeal/")
    until(page, lambda: asked[-1][0] == "beforeunload")
    assert urlparse(page.url).path == card

    # sending the form asks nothing and saves the text
    card_button(page, ANSWER_LABEL)
    form.wait_for()
    before = len(asked)
    with page.expect_navigation():
        form.get_by_role("button", name=ANSWER_LABEL).click()
    page.get_by_text(f"«{ANSWER_LABEL}»: готово.").wait_for()
    assert len(asked) == before
    assert Appeal.objects.get(pk=current.pk).answer_text == f"{TYPED}\n\n{ANSWER}"


def test_an_empty_dialog_opens_afresh_and_the_page_is_left_without_a_question(page, answered_and_current, manager):
    _answered, current = answered_and_current
    page.set_viewport_size({"width": 1440, "height": 900})
    cabinet_login(page, manager)
    page.goto(f"/admin/core/appeal/{current.pk}/change/")
    asked = dialogs_of(page)
    card_button(page, ANSWER_LABEL)
    answer_dialog(page).wait_for()
    page.keyboard.press("Escape")
    card_button(page, "Перенаправить")
    page.locator("#modal-content h1", has_text="Перенаправить").wait_for()
    page.keyboard.press("Escape")
    page.goto("/admin/core/appeal/")
    assert asked == []


@pytest.mark.parametrize("width", [1440, 390])
def test_an_investor_leaving_a_half_filled_appeal_is_asked_first(page, investor, width):
    page.set_viewport_size({"width": width, "height": 900})
    portal_login(page, investor)
    page.goto("/cabinet/appeals/new/")
    asked = dialogs_of(page)
    description = page.locator('[name="description"]')
    description.press_sequentially("Просим помочь с подключением к сетям.")
    leave(page, "/cabinet/")
    until(page, lambda: asked)
    assert [kind for kind, _message in asked] == ["beforeunload"]
    assert re.search(r"/cabinet/appeals/new/$", page.url)
    assert description.input_value() == "Просим помочь с подключением к сетям."


def test_typing_keeps_the_session_alive(page, investor):
    page.add_init_script("window.zkKeepAliveSeconds = 1;")  # five minutes in real use (core/sessions.py)
    page.set_viewport_size({"width": 1440, "height": 900})
    portal_login(page, investor)
    page.goto("/cabinet/appeals/new/")
    description = page.locator('[name="description"]')
    description.press_sequentially("Просим помочь")
    page.wait_for_timeout(1100)
    with page.expect_response(lambda response: response.url.endswith("/session/alive/")) as answer:
        description.press_sequentially(" с подключением к сетям.")
    assert answer.value.status == 204
