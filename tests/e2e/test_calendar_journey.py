"""Issue 12's calendar journey: a manager with a meeting, an appeal deadline and a task opens «Мой календарь», finds
them in the month and in the week, each a link that opens its object; their head switches to the manager's
calendar. The page is photographed at 1440 px and at 390 px (where the month becomes a day-by-day list)."""

import re
from datetime import datetime

import pytest
from django.utils import timezone

from core.models import Appeal
from core.services.projects import meeting_save
from core.workflows.appeals import appeal_transition
from core.workflows.tasks import task_create
from tests.e2e.test_project_journey import cabinet_login

pytestmark = pytest.mark.e2e

MEETING = "Выездное совещание на площадке «Южный»"
TASK = "Подготовить справку о ходе строительства"
SUBJECT = "Согласование съезда на промышленную улицу"


@pytest.fixture
def busy_manager(apply_project, manager, coordinator, head, file_appeal):
    """The manager's day: a meeting at noon, a task due and an appeal whose answer is due — all today."""
    today = timezone.localdate()
    project = apply_project()
    meeting = meeting_save(project=project, actor=manager, title=MEETING, format="in_person", place="Площадка",
                           starts_at=timezone.make_aware(datetime(today.year, today.month, today.day, 12, 0)))
    task = task_create(author=manager, assignee=manager, title=TASK, project=project, due_date=today)
    appeal = appeal_transition(appeal=file_appeal(subject=SUBJECT), name="assign", actor=coordinator,
                               executor_organisation=manager.organisation, manager=manager, head=head)
    Appeal.objects.filter(pk=appeal.pk).update(deadline=today)  # filed 20 days ago: the answer is due today
    return {"meeting": meeting, "task": task, "appeal": appeal}


def entry(page, text: str):
    return page.locator("#calendar-grid a.zk-cal-entry", has_text=text)


def test_a_manager_finds_the_day_in_month_and_week_and_the_head_looks_at_it(
    person_page, manager, head, busy_manager, screenshot_dir
):
    from playwright.sync_api import expect  # here: without Playwright the fixtures skip or fail the test first

    page = person_page()
    page.set_viewport_size({"width": 1440, "height": 1000})
    cabinet_login(page, manager)
    page.locator("#nav-sidebar-apps").get_by_role("link", name=re.compile("Мой календарь")).click()
    page.wait_for_url("**/admin/my-calendar/")
    today = page.locator('#calendar-grid td[aria-current="date"]')
    appeal = busy_manager["appeal"]
    for text in (MEETING, TASK, f"Обращение №{appeal.number}"):
        today.locator("a.zk-cal-entry", has_text=text).wait_for()
    assert "12:00" in entry(page, MEETING).inner_text()
    assert page.locator(".zk-cal-legend").inner_text().count("Срок") >= 3
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.screenshot(path=screenshot_dir / "calendar-1-month-1440.png", full_page=True)

    entry(page, MEETING).click()
    page.wait_for_url(f"**/admin/core/meeting/{busy_manager['meeting'].pk}/change/")
    page.go_back()
    entry(page, f"Обращение №{appeal.number}").click()
    page.wait_for_url(f"**/admin/core/appeal/{appeal.pk}/change/**")
    page.go_back()

    page.locator(".zk-cal-switch").get_by_role("link", name="Неделя").click()
    page.wait_for_url("**/admin/my-calendar/?week=*")
    assert page.locator("#calendar-grid tbody td").count() == 7
    entry(page, TASK).click()
    page.wait_for_url(f"**/admin/core/task/{busy_manager['task'].pk}/change/")
    page.go_back()
    page.locator(".zk-cal-nav").get_by_role("link", name="Следующий ›").click()
    expect(entry(page, TASK)).to_have_count(0)
    page.locator(".zk-cal-nav").get_by_role("link", name="Сегодня", exact=True).click()
    entry(page, TASK).wait_for()
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.screenshot(path=screenshot_dir / "calendar-2-week-1440.png", full_page=True)

    page.locator(".zk-cal-switch").get_by_role("link", name="Месяц").click()
    page.set_viewport_size({"width": 390, "height": 844})
    entry(page, MEETING).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll on a phone
    expect(today.locator(".zk-cal-long")).to_be_visible()  # the weekday spelled out in the list
    page.screenshot(path=screenshot_dir / "calendar-3-month-390.png", full_page=True)

    head_page = person_page()
    cabinet_login(head_page, head)
    head_page.goto("/admin/my-calendar/")
    assert entry(head_page, MEETING).count() == 0  # the head's own calendar
    head_page.get_by_label("Чей календарь").select_option(label=manager.full_name)
    head_page.get_by_role("button", name="Показать").click()
    entry(head_page, MEETING).wait_for()
    expect(head_page.locator("#calendar-heading")).to_contain_text(manager.full_name)
    head_page.get_by_label("Чей календарь").select_option(label="Все сотрудники")
    head_page.get_by_role("button", name="Показать").click()
    head_page.locator(".zk-cal-switch").get_by_role("link", name="Неделя").click()
    head_page.wait_for_url("**/admin/my-calendar/?week=*staff=all*")
    expect(entry(head_page, TASK)).to_contain_text(manager.full_name)  # whose entry it is, among all of them
    head_page.set_viewport_size({"width": 1440, "height": 1000})
    head_page.screenshot(path=screenshot_dir / "calendar-4-head-week-1440.png", full_page=True)
