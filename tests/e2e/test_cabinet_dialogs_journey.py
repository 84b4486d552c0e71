"""Issue 12's browser journey through the cabinet's dialogs and the Gantt chart.

An agency coordinator registers a phone call at «Зарегистрировать обращение», hands it at once to the agency's
manager (picked in a searchable list), then redirects it to the district administration: once that organisation is
chosen, the manager's list offers only its people who answer for appeals, searchable by name. The project's Gantt
chart opens with today's line and the overdue item in view. Screens at 1440 and 390 px (var/e2e/).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.choices import AppealChannel, AppealStatus, RoadmapStatus
from core.models import Appeal, RoadmapItem
from core.roles import Role
from tests.e2e.pickers import choose, offers, offers_head, open_picker, picker
from tests.e2e.test_appeal_journey import cabinet_action, cabinet_login
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.e2e

SUBJECT = "Подключение склада к сетям водоснабжения"
DESCRIPTION = "Позвонил директор: просит помочь с техническими условиями на подключение к водопроводу."
REDIRECT_COMMENT = "Просим подготовить ответ по техническим условиям водоснабжения."


def settled(page) -> None:
    page.wait_for_function("() => document.getAnimations().every(animation => animation.playState !== 'running')")


def list_fits(page) -> bool:
    """The changelist's table is no wider than the box it scrolls in."""
    return page.evaluate("() => { const table = document.querySelector('#result_list'); "
                         "return table.scrollWidth <= table.parentElement.clientWidth + 1; }")


@pytest.fixture
def people(make_user, omsu, manager, head, executor):
    """Besides the ready agency and ОМСУ people: an ОМСУ head, an ОМСУ data clerk (who answers for nothing) and an
    executor of another district, whom the redirect dialog must never offer."""
    other = OrganisationFactory(kind=omsu.kind, short_name="Администрация соседнего района")
    return {
        "omsu_head": make_user(Role.HEAD, organisation=omsu, last_name="Гладкова", position="Глава администрации"),
        "omsu_clerk": make_user(Role.DATA_CLERK, organisation=omsu, last_name="Операторов"),
        "stranger": make_user(Role.EXECUTOR, organisation=other, last_name="Соседов"),
    }


def test_a_coordinator_registers_a_call_and_redirects_it_to_the_people_of_the_chosen_body(
    page, coordinator, manager, head, executor, omsu, company, problem_fact, people, screenshot_dir,
):
    page.set_viewport_size({"width": 1440, "height": 900})
    cabinet_login(page, coordinator)

    # --- «Зарегистрировать обращение»: a phone call, handed to the agency's manager at once ---------------------
    page.goto("/admin/core/appeal/")
    page.get_by_role("link", name="Зарегистрировать обращение").first.click()
    page.wait_for_url("**/admin/core/appeal/add/")
    form = page.locator("#content-main form")
    form.locator('select[name="channel"]').select_option(value=AppealChannel.PHONE)
    received = timezone.localtime() - timedelta(hours=1)
    form.locator('input[name="received_at"]').fill(f"{received:%Y-%m-%dT%H:%M}")
    form.locator('input[name="organisation_inn"]').fill(company.inn)
    form.locator('input[name="contact_name"]').fill("Петров Пётр Петрович")
    form.locator('input[name="contact_phone"]').fill("8 (921) 000-11-22")
    form.locator('select[name="fact"]').select_option(value=str(problem_fact.pk))
    form.locator('input[name="subject"]').fill(SUBJECT)
    form.locator('textarea[name="description"]').fill(DESCRIPTION)
    form.locator('input[name="accept_now"]').check(force=True)
    form.locator('select[name="executor_organisation"]').select_option(value=str(manager.organisation_id))
    offered = open_picker(page, form, "manager")
    assert offers(offered, manager) and offers(offered, head)
    for outsider in (coordinator, executor, people["omsu_head"], people["stranger"]):
        assert not offers(offered, outsider), outsider  # coordinators follow an appeal; others work elsewhere
    choose(page, manager)
    offered_heads = open_picker(page, form, "head")
    assert offers_head(offered_heads, head) and offers_head(offered_heads, people["omsu_head"])
    assert not offers_head(offered_heads, manager)
    choose(page, head)
    page.screenshot(path=screenshot_dir / "dialogs-1-register-1440.png", full_page=True)
    form.get_by_role("button", name="Зарегистрировать обращение").click()
    page.wait_for_url(re.compile(r"/admin/core/appeal/\d+/change/$"))
    appeal = Appeal.objects.get(subject=SUBJECT)
    assert (appeal.status, appeal.manager, appeal.head) == (AppealStatus.ASSIGNED, manager, head)
    page.get_by_role("heading", name="История работ по обращению").wait_for()

    # --- the breadcrumbs read in full words ------------------------------------------------------------------------
    crumbs = page.locator("#header-inner h1")
    assert "Обращения" in crumbs.text_content() and f"№{appeal.number}" in crumbs.text_content()
    assert page.evaluate("() => [...document.querySelectorAll('#header-inner h1 .truncate')]"
                         ".every(crumb => crumb.scrollWidth <= crumb.clientWidth + 1)")

    # --- «Перенаправить»: the list offers the chosen body's people only, searchable ---------------------------
    page.wait_for_function("() => window.htmx !== undefined && window.Alpine !== undefined")

    def redirect(form):
        assert open_picker(page, form, "manager") == ["Сначала выберите организацию"]
        picker(form, "manager").click()  # closes it
        form.locator('select[name="executor_organisation"]').select_option(value=str(omsu.pk))
        offered = open_picker(page, form, "manager")
        assert sorted(offered) == sorted([f"{people['omsu_head'].full_name}, глава администрации",
                                          executor.full_name]), offered
        settled(page)
        page.screenshot(path=screenshot_dir / "dialogs-2-redirect-list-1440.png")
        assert open_picker(page, form, "manager", "глад") == [f"{people['omsu_head'].full_name}, глава администрации"]
        picker(form, "manager").click()
        page.set_viewport_size({"width": 390, "height": 844})
        found = open_picker(page, form, "manager", executor.last_name[:4])
        assert found == [executor.full_name], found
        page.screenshot(path=screenshot_dir / "dialogs-3-redirect-list-390.png")
        choose(page, executor)
        page.set_viewport_size({"width": 1440, "height": 900})
        form.locator('textarea[name="comment"]').fill(REDIRECT_COMMENT)

    cabinet_action(page, "Перенаправить", redirect)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.executor_organisation, appeal.manager) == (AppealStatus.REDIRECTED, omsu, executor)
    page.screenshot(path=screenshot_dir / "dialogs-4-redirected-1440.png", full_page=True)

    # --- the appeals list fits the screen: no column is cut ------------------------------------------------------
    page.goto("/admin/core/appeal/")
    page.locator("#result_list").wait_for()
    assert list_fits(page)
    page.screenshot(path=screenshot_dir / "dialogs-5-appeals-list-1440.png")


@pytest.mark.parametrize("width", [1440, 390])
def test_the_gantt_chart_opens_at_today_with_the_overdue_item_in_view(page, manager, apply_project, width,
                                                                       screenshot_dir):
    today = timezone.localdate()
    project = apply_project()
    for order, (title, start, end, status) in enumerate([
        ("Подбор земельного участка", -700, -600, RoadmapStatus.DONE),
        ("Технические условия на газ", -120, -30, RoadmapStatus.IN_PROGRESS),  # overdue
        ("Строительство склада", -60, 400, RoadmapStatus.IN_PROGRESS),
        ("Ввод в эксплуатацию", 400, 500, RoadmapStatus.PLANNED),
    ], start=1):
        RoadmapItem.objects.create(
            project=project, title=title, order=order, status=status,
            planned_start=today + timedelta(days=start), planned_end=today + timedelta(days=end),
            baseline_start=today + timedelta(days=start), baseline_end=today + timedelta(days=end),
        )
    page.set_viewport_size({"width": width, "height": 900})
    cabinet_login(page, manager)
    page.goto(f"/admin/core/project/{project.pk}/change/?tab=roadmap")
    frame = page.locator("#gantt")
    frame.locator("svg.zk-gantt").wait_for()
    frame.scroll_into_view_if_needed()
    page.wait_for_function("() => document.getElementById('gantt').scrollLeft > 0")  # not at the first month

    box = frame.bounding_box()
    today_line = frame.locator(".zk-gantt-today line").bounding_box()
    assert box["x"] < today_line["x"] < box["x"] + box["width"], (box, today_line)
    late_bar = frame.locator(".zk-gantt-row[data-overdue='1'] .zk-gantt-plan").bounding_box()
    assert late_bar["x"] + late_bar["width"] > box["x"] and late_bar["x"] < box["x"] + box["width"]
    if width == 1440:  # the titles stay beside the bars
        title = frame.locator(".zk-gantt-labels text").nth(1).bounding_box()
        assert box["x"] <= title["x"] < box["x"] + 40
    frame.screenshot(path=screenshot_dir / f"dialogs-6-gantt-{width}.png")
