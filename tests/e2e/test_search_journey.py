"""Issue 15's search in a browser, in both faces.

The manager presses «/» on the cabinet's home page, types a word of an appeal's description and lands on «Поиск»:
the appeal is under «Обращения» with its word marked, and its title opens its card. At 390 px the header keeps only
the search button, which opens the same page, and nothing scrolls sideways. The investor searches «Мои обращения»
for a word of the company's appeal and sees only it, then a word nothing has and reads «Ничего не найдено».
"""

import pytest

from tests.e2e.test_appeal_journey import cabinet_login, portal_login
from tests.e2e.test_notices_journey import assert_fits

pytestmark = pytest.mark.e2e

WORD = "теплотрассы"


def test_search_from_the_header_and_in_the_portal(page, person_page, investor, other_investor, manager, file_appeal,
                                                   coordinator, screenshot_dir):
    from tests.e2e.test_notices_journey import act

    ours = act(file_appeal(subject="Подключение склада", description=f"Нет проекта {WORD} до границы участка."),
               "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    foreign = file_appeal(subject=f"Прокладка {WORD}", applicant=other_investor)

    # --- the manager: «/», a word, the results, the card -------------------------------------------------------
    staff = person_page()
    cabinet_login(staff, manager)
    staff.keyboard.press("/")
    box = staff.locator("#header-search-q")
    assert box.evaluate("(element) => element === document.activeElement")
    box.fill(WORD)
    box.press("Enter")
    staff.wait_for_url("**/admin/search/?q=*")
    appeals = staff.locator('section[aria-labelledby="search-group-appeal"]')
    hit = appeals.get_by_role("link", name="Подключение склада")
    hit.wait_for()
    assert WORD in appeals.locator("mark").first.inner_text().lower()
    assert_fits(staff, 1440, "cabinet search")
    staff.screenshot(path=screenshot_dir / "cabinet-search-1440.png", full_page=True)
    assert_fits(staff, 390, "cabinet search")
    staff.screenshot(path=screenshot_dir / "cabinet-search-390.png", full_page=True)
    hit.click()
    staff.wait_for_url(f"**/admin/core/appeal/{ours.pk}/change/")

    staff.goto("/admin/")  # still 390 px: only the button, which opens the page with its own field
    assert not staff.locator("#header-search-q").is_visible()
    assert_fits(staff, 390, "cabinet home")
    staff.locator("#header-search").get_by_role("button", name="Найти").click()
    staff.wait_for_url("**/admin/search/?q=*")
    staff.locator("#search-page-q").wait_for()

    # --- the investor: «Мои обращения» --------------------------------------------------------------------------
    portal_login(page, investor)
    page.goto("/cabinet/appeals/")
    page.get_by_role("searchbox").fill(WORD)
    page.get_by_role("button", name="Найти").click()
    page.wait_for_url("**/cabinet/appeals/?*")
    rows = page.locator(".appeal-table tbody tr")
    assert rows.count() == 1 and f"№{ours.number}" in rows.first.inner_text()
    assert f"№{foreign.number}" not in page.content()
    page.get_by_role("searchbox").fill("несуществующееслово")
    page.get_by_role("button", name="Найти").click()
    page.get_by_text("Ничего не найдено по запросу «несуществующееслово».").wait_for()
    assert_fits(page, 390, "portal search")
    page.screenshot(path=screenshot_dir / "portal-search-nothing-390.png", full_page=True)
    page.get_by_role("link", name="Показать все обращения").click()
    page.wait_for_url("**/cabinet/appeals/")
