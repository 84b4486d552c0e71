"""Issue 12 in a browser: an in-app notice is one line with a button to its object, in both faces.

The coordinator assigns an appeal with an internal comment and moves its deadline for an internal reason. The
manager reads «Вам назначено обращение №…» in the cabinet's list and opens the appeal with «Открыть обращение»;
the investor reads the registration and the new deadline in the portal and opens the appeal the same way. Neither
list carries the letters' text or a raw link, the investor's never the internal comment, and at 390 px the lists
do not scroll sideways — also with the longest button, «Открыть дорожную карту», beside «Отметить прочитанным»
(the cabinet's list scrolled by 17 px until 07.12.2026).
"""

from datetime import timedelta

import pytest

from core.models import Appeal, RoadmapItem
from core.services.notifications import notify
from core.workflows.appeals import appeal_transition
from core.workflows.projects import project_apply
from tests.e2e.test_appeal_journey import cabinet_login, portal_login

pytestmark = pytest.mark.e2e

INTERNAL = "Служебно: согласовать ответ с дорожным комитетом"
INTERNAL_REASON = "Служебно: ждём заключение комитета"


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def assert_fits(page, width: int, where: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{where}: the list scrolls sideways at {width} px ({scrolled} px)"


def test_notices_are_one_line_with_a_button_in_both_faces(page, person_page, investor, coordinator, manager,
                                                          file_appeal, screenshot_dir):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 comment=INTERNAL)
    appeal = act(appeal, "extend_deadline", coordinator, new_deadline=appeal.deadline + timedelta(days=10),
                 reason=INTERNAL_REASON, text_public=False)
    # the longest button a notice has (core.notifications.links.OPEN_LABELS): an overdue roadmap item
    project = project_apply(applicant=investor, name="Логистический комплекс «Южный»", investment_volume=10**9,
                            jobs=50)
    overdue = appeal.deadline - timedelta(days=30)
    item = RoadmapItem.objects.create(project=project, title="Технические условия на газоснабжение",
                                      planned_start=overdue, planned_end=overdue, baseline_start=overdue,
                                      baseline_end=overdue)
    notify(event="roadmap_overdue", obj=item, recipients=[manager])

    # --- the manager in the cabinet ------------------------------------------------------------------------------
    staff = person_page()
    cabinet_login(staff, manager)
    staff.goto("/admin/notifications/")
    line = f"Вам назначено обращение №{appeal.number}"
    notice = staff.locator(".zk-notice", has_text=line)
    notice.get_by_text("не прочитано").wait_for()
    assert "Здравствуйте" not in notice.inner_text() and "http" not in notice.inner_text()
    staff.locator(".zk-notice", has_text="Просрочен пункт дорожной карты").get_by_role(
        "link", name="Открыть дорожную карту").wait_for()
    assert_fits(staff, 1440, "cabinet")
    staff.screenshot(path=screenshot_dir / "cabinet-notices-1440.png")
    assert_fits(staff, 390, "cabinet")
    staff.screenshot(path=screenshot_dir / "cabinet-notices-390.png")
    notice.get_by_role("link", name="Открыть обращение").click()
    staff.wait_for_url(f"**/admin/core/appeal/{appeal.pk}/change/")
    staff.goto("/admin/notifications/")
    assert staff.locator(".zk-notice", has_text=line).get_by_text("не прочитано").count() == 0

    # --- the investor in the portal ------------------------------------------------------------------------------
    portal_login(page, investor)
    page.goto("/notifications/")
    moved = f"Срок ответа на обращение №{appeal.number} перенесён на {appeal.deadline:%d.%m.%Y}"
    page.locator(".notice", has_text=moved).wait_for()
    page.locator(".notice", has_text=f"Обращение №{appeal.number} зарегистрировано").wait_for()
    text = page.locator(".notice-list").inner_text()
    assert "Служебно" not in text and "Здравствуйте" not in text and "http" not in text
    assert_fits(page, 1440, "portal")
    page.screenshot(path=screenshot_dir / "portal-notices-1440.png")
    assert_fits(page, 390, "portal")
    page.screenshot(path=screenshot_dir / "portal-notices-390.png")
    page.locator(".notice", has_text=moved).get_by_role("link", name="Открыть обращение").click()
    page.wait_for_url(f"**/cabinet/appeals/{appeal.pk}/")
    page.get_by_role("heading", name=f"Обращение №{appeal.number}").wait_for()
    assert "Служебно" not in page.content()
