"""The character counter of limited textareas (static/portal/counter.js) in a real browser, on both faces."""

import pytest

from tests.e2e.test_appeal_journey import cabinet_login, portal_login

pytestmark = pytest.mark.e2e


def test_the_counter_counts_what_is_typed_on_the_portal_and_in_the_cabinet(person_page, investor, coordinator,
                                                                          file_appeal):
    appeal = file_appeal()
    page = person_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    portal_login(page, investor)
    page.goto("/cabinet/appeals/new/")
    counter = page.locator("#id_description_counter")
    assert counter.text_content() == "0 из 20\u00a0000 — осталось 20\u00a0000"
    page.locator("#id_description").fill("Строка\nвторая")
    assert counter.text_content() == "13 из 20\u00a0000 — осталось 19\u00a0987"
    # a text pasted past the limit stays whole: the counter says how much is over, the server refuses it
    assert page.locator("#id_description").get_attribute("maxlength") is None
    page.locator("#id_description").fill("я" * 20_005)
    assert page.locator("#id_description").input_value() == "я" * 20_005
    assert counter.text_content() == ("20\u00a0005 из 20\u00a0000 — лишних 5: сократите текст или приложите его "
                                      "файлом")
    assert "is-over" in counter.get_attribute("class")
    assert page.locator("#id_description").get_attribute("aria-invalid") == "true"
    page.locator("#id_description").fill("Строка")
    assert page.locator("#id_description").get_attribute("aria-invalid") is None

    staff = person_page()
    staff.on("pageerror", lambda error: errors.append(str(error)))
    cabinet_login(staff, coordinator)
    staff.goto(f"/admin/core/appeal/{appeal.pk}/change/")
    staff.locator("#comment-box textarea[name=text]").fill("Принято")
    assert staff.locator("#comment-box .text-counter").text_content() == "7 из 10\u00a0000 — осталось 9\u00a0993"
    assert errors == []
