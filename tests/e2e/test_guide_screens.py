"""The user guide's screenshots (docs/guide/), taken by walking the demo as each role does.

`make guide` runs this module with GUIDE_SCREENSHOTS set to docs/guide/img, so the guide shows the product as it
is; `make test` runs it too (screenshots into a temporary folder), so a page the guide shows cannot break
unnoticed. SHOTS is the catalogue: tests/docs/test_guide.py fails when a guide page shows a picture no journey
here takes, and this test fails when a journey no longer takes a picture it declares.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from core.models import Appeal, Project, User
from core.services.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("guide")]

WIDE = {"width": 1440, "height": 900}
NARROW = {"width": 390, "height": 844}

# file name (docs/guide/img/<name>.png) → what it shows; grouped by the role whose page uses it.
SHOTS = {
    # investor
    "investor-appeals": "«Мои обращения» в личном кабинете",
    "investor-appeal-form": "форма нового обращения",
    "investor-appeal": "страница обращения с ответом и оценкой",
    "investor-appeal-phone": "страница обращения на телефоне",
    "investor-projects": "«Мои проекты»",
    "investor-notifications": "уведомления инвестора",
    # manager
    "manager-dashboard": "главная страница кабинета",
    "manager-appeals": "список обращений",
    "manager-appeal": "карточка обращения",
    "manager-project": "карточка проекта",
    "manager-calendar": "«Мой календарь»",
    "manager-search": "поиск в кабинете",
    # coordinator
    "coordinator-register": "регистрация обращения, поступившего по телефону",
    "coordinator-new-appeals": "новые обращения, ждущие распределения",
    # head
    "head-approval": "ответы, ждущие утверждения",
    "head-report": "отчёт «Обращения по типу»",
    "head-workload": "отчёт «Загрузка сотрудников»",
    # executor of another public body
    "executor-appeals": "обращения, направленные в орган власти",
    "executor-appeal": "карточка обращения у исполнителя",
    # director
    "director-dashboard": "главная страница директора",
    "director-reports": "список отчётов",
    # data clerk
    "clerk-import": "импорт фактов классификатора",
    "clerk-projects": "реестр проектов с выгрузкой",
    # administrator
    "admin-users": "пользователи и роли",
    "admin-outbox": "исходящие письма",
}


def _output_dir(tmp_path) -> Path:
    target = os.environ.get("GUIDE_SCREENSHOTS")
    path = Path(target) if target else tmp_path / "guide"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Camera:
    """Opens a page as a person and keeps what it photographed."""

    def __init__(self, chromium, base_url: str, folder: Path) -> None:
        self.chromium, self.base_url, self.folder = chromium, base_url, folder
        self.taken: list[str] = []
        self.context = None

    def login(self, email: str, *, portal: bool = False, viewport=WIDE):
        if self.context:
            self.context.close()
        self.context = self.chromium.new_context(
            base_url=self.base_url, locale="ru-RU", timezone_id="Europe/Moscow", viewport=viewport
        )
        self.context.set_default_timeout(20_000)
        page = self.context.new_page()
        page.goto("/login/" if portal else "/admin/login/")
        page.locator('[name="username"]').fill(email)
        page.locator('[name="password"]').fill(DEMO_PASSWORD)
        page.locator('button[type="submit"]').click()
        page.wait_for_load_state("networkidle")
        assert "/login/" not in page.url, f"{email} could not log in"
        self.page = page
        return page

    def shoot(self, name: str, path: str | None = None, *, full_page: bool = False) -> None:
        assert name in SHOTS, f"declare {name!r} in SHOTS"
        if path:
            response = self.page.goto(path)
            assert response.status == 200, f"{path} answered {response.status}"
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=self.folder / f"{name}.png", full_page=full_page)
        self.taken.append(name)

    def close(self) -> None:
        if self.context:
            self.context.close()


@pytest.fixture
def demo(transactional_db):
    """`make guide` photographs the full demo, its 18 months of appeals filling the dashboards and reports; in
    `make test` the named demo shows every page the guide does (the history adds rows, and a minute of set-up on
    each database: tests/core/test_demo_history.py opens the dashboard and the reports on the full demo, and
    tests/e2e/test_cabinet_reports_journey.py measures their layout on a generated data set)."""
    history = [] if os.environ.get("GUIDE_SCREENSHOTS") else ["--no-history"]
    with override_settings(DEBUG=True):
        call_command("seed_reference", verbosity=0)
        call_command("seed_demo", *history, verbosity=0)


def test_the_guide_screenshots_are_taken_from_the_demo(demo, chromium, live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url
    camera = Camera(chromium, live_server.url, _output_dir(tmp_path))
    investor = User.objects.get(email="investor@zk.example")
    answered = Appeal.objects.filter(applicant__organisation=investor.organisation, answers__isnull=False)
    own_appeal = answered.order_by("-pk").first() or Appeal.objects.filter(
        applicant__organisation=investor.organisation).latest("pk")
    project = Project.objects.filter(investor=investor.organisation).order_by("pk").first()
    try:
        camera.login("investor@zk.example", portal=True)
        camera.shoot("investor-appeals", "/cabinet/appeals/")
        camera.shoot("investor-appeal-form", "/cabinet/appeals/new/")
        camera.shoot("investor-appeal", f"/cabinet/appeals/{own_appeal.pk}/", full_page=True)
        camera.shoot("investor-projects", "/cabinet/projects/")
        camera.shoot("investor-notifications", "/notifications/")
        camera.login("investor@zk.example", portal=True, viewport=NARROW)
        camera.shoot("investor-appeal-phone", f"/cabinet/appeals/{own_appeal.pk}/")

        camera.login("manager@zk.example")
        camera.shoot("manager-dashboard", "/admin/", full_page=True)
        camera.shoot("manager-appeals", "/admin/core/appeal/")
        camera.shoot("manager-appeal", f"/admin/core/appeal/{own_appeal.pk}/change/")
        camera.shoot("manager-project", f"/admin/core/project/{project.pk}/change/")
        camera.shoot("manager-calendar", "/admin/my-calendar/")
        camera.shoot("manager-search", "/admin/search/?q=газ")

        camera.login("coordinator@zk.example")
        camera.shoot("coordinator-register", "/admin/core/appeal/add/", full_page=True)
        camera.shoot("coordinator-new-appeals", "/admin/core/appeal/?status__exact=moderation")

        camera.login("head@zk.example")
        camera.shoot("head-approval", "/admin/core/appeal/?status__exact=approval")
        camera.shoot("head-report", "/admin/reports/appeals-by-type/")
        camera.shoot("head-workload", "/admin/reports/staff-workload/")

        executor = User.objects.get(email="executor.kingisepp@zk.example")
        camera.login(executor.email)
        camera.shoot("executor-appeals", "/admin/core/appeal/")
        first_row = camera.page.locator("#result_list tbody tr a").first
        if first_row.count():
            first_row.click()
            camera.page.wait_for_load_state("networkidle")
        camera.shoot("executor-appeal")

        camera.login("director@zk.example")
        camera.shoot("director-dashboard", "/admin/")
        camera.shoot("director-reports", "/admin/reports/")

        camera.login("clerk@zk.example")
        camera.shoot("clerk-import", "/admin/core/fact/import/")
        camera.shoot("clerk-projects", "/admin/core/project/")

        camera.login("admin@zk.example")
        camera.shoot("admin-users", "/admin/core/user/")
        camera.shoot("admin-outbox", "/admin/core/notification/")
    finally:
        camera.close()
    assert sorted(camera.taken) == sorted(SHOTS), "every declared screenshot is taken exactly once"
