"""On a phone (390 px): the cabinet's list toolbar menus («Скачать реестр», «Мои фильтры», «Сохранить фильтр») open
inside the screen, the project passport's label–value pairs keep a long value («Лесопромышленный комплекс и
деревообработка») inside its card, and the portal's project pages break a long word of the project's name instead
of widening the page."""

import pytest

from core.models import Category, FaqEntry, Industry, Project
from tests.e2e.test_appeal_journey import cabinet_login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 900}


def test_the_list_menus_open_inside_a_phone_screen(page, manager, file_appeal, screenshot_dir):
    file_appeal()
    page.set_viewport_size(PHONE)
    cabinet_login(page, manager)
    page.goto("/admin/core/appeal/?status__exact=moderation")
    for menu in ("#register-download", "#saved-filters", "#saved-filter-save"):
        page.locator(f"{menu} > summary").click()
        panel = page.locator(f"{menu} .zk-menu-panel")
        panel.wait_for()
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (menu, box)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], menu
        if menu == "#saved-filters":
            page.screenshot(path=screenshot_dir / "phone-saved-filters-390.png")
        page.locator(f"{menu} > summary").click()


def test_the_passport_keeps_long_values_inside_its_card(page, manager, apply_project, screenshot_dir):
    project = apply_project(name="Производство картонной упаковки «Кировск»")
    Project.objects.filter(pk=project.pk).update(
        industry=Industry.objects.create(code="wood", name="Лесопромышленный комплекс и деревообработка"))
    page.set_viewport_size(PHONE)
    cabinet_login(page, manager)
    page.goto(f"/admin/core/project/{project.pk}/change/")
    pairs = page.locator(".zk-pairs").first
    pairs.wait_for()
    pairs.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "phone-project-passport-390.png")
    outside = pairs.evaluate("""list => {
        const edge = list.getBoundingClientRect().right;
        return [...list.querySelectorAll('dt, dd')].filter(cell => cell.getBoundingClientRect().right > edge + 0.5)
            .map(cell => cell.textContent.trim());
    }""")
    assert outside == []


def test_a_change_form_with_a_long_chosen_option_fits_the_phone(page, coordinator, problem_fact, screenshot_dir):
    """A <fieldset> is never narrower than its content by default, and the autocomplete takes its longest option's
    width: a long category name made the whole «Частый вопрос» form 650 px wide."""
    category = problem_fact.subcategory.category
    Category.objects.filter(pk=category.pk).update(
        name="Вопросы бизнеса, связанные с поддержкой и сопровождением инвестора")
    entry = FaqEntry.objects.create(category=category, question="Как заключить соглашение?", answer="По заявлению.")
    page.set_viewport_size(PHONE)
    cabinet_login(page, coordinator)
    page.goto(f"/admin/core/faqentry/{entry.pk}/change/")
    page.locator(".select2-container").first.wait_for()
    page.screenshot(path=screenshot_dir / "phone-faq-entry-390.png", full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_project_named_with_a_long_word_fits_the_investors_phone(page, investor, apply_project, screenshot_dir):
    """At 28 px «Деревообрабатывающее» is wider than a 390 px screen: the heading breaks it instead of widening the
    whole page of the project and of each of its tabs."""
    from tests.e2e.test_appeal_journey import portal_login

    project = apply_project(name="Деревообрабатывающее производство «Любань»")
    page.set_viewport_size(PHONE)
    portal_login(page, investor)
    for tab in ("", "documents/", "tasks/", "meetings/"):
        page.goto(f"/cabinet/projects/{project.pk}/{tab}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], tab
    page.screenshot(path=screenshot_dir / "phone-portal-project-390.png")
