"""Accessibility of the key pages of both faces, checked by axe-core in Chromium (docs/accessibility.md).

axe-core comes from npm (package.json, pinned in package-lock.json; `make test` runs `npm ci`) and is injected into
each page with Playwright's add_script_tag. The product's Content Security Policy would block that inline script,
so the browser context bypasses CSP: the test changes the browser, never the product's policy (tests/e2e/test_csp.py
checks the policy itself). A page passes with no critical and no serious violation and with exactly one <main>
landmark. The cabinet is checked in light and in dark mode (unfold follows the system's colour scheme), the portal,
which has no dark mode, in light only. The pages run on the demo data, so lists, charts and the Gantt chart are full.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core.choices import AppealStatus
from core.models import Appeal, Project, User
from core.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
PROJECT = "Логистический комплекс «Южный»"
PROJECT_TABS = ("passport", "stages", "roadmap", "tasks", "meetings", "documents", "appeals", "requests", "history")
RUN_AXE = """async (only) => {
  const result = await axe.run(document, {resultTypes: ["violations"], ...(only ? {runOnly: only} : {})});
  return result.violations.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map((node) => ({target: node.target.join(" "), message: node.failureSummary})),
  }));
}"""


@pytest.fixture
def axe_script() -> Path:
    """A missing axe-core fails the test rather than skipping it: a skipped check would pass every page."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE} is missing): run `make test`, or `npm ci` in the repository.",
                    pytrace=False)
    return AXE


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_reference", verbosity=0)
    call_command("seed_demo", "--no-history", verbosity=0)  # every kind of page; the 18 months add only rows
    settings.DEBUG = False


@pytest.fixture
def axe_page(chromium, live_server, axe_script, demo, settings):
    """A page at 1440 px in a context that bypasses the Content Security Policy, so axe-core can be injected."""
    settings.SITE_URL = live_server.url
    context = chromium.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        viewport={"width": 1440, "height": 900},
    )
    context.set_default_timeout(15_000)
    yield Audit(context.new_page(), axe_script)
    context.close()


class Audit:
    """Runs axe-core on each page it visits and keeps every problem, so one run reports all the pages at once."""

    def __init__(self, page, script: Path):
        self.page = page
        self.script = script
        self.problems: list[str] = []
        self.pages = 0
        self.only: list[str] | None = None  # axe rules to run; None runs them all

    def violations(self) -> list[dict]:
        self.page.add_script_tag(path=str(self.script))
        return self.page.evaluate(RUN_AXE, self.only)

    def check(self, label: str) -> None:
        """The page as it is now: no critical or serious axe violation and one <main> landmark."""
        self.pages += 1
        where = f"{label} ({self.page.url})"
        for rule in self.violations():
            if rule["impact"] not in BLOCKING:
                continue
            self.problems.append(f"{where}: {rule['impact']} {rule['id']}: {rule['help']}")
            for node in rule["nodes"]:
                self.problems.append(f"    {node['target']}\n      " + node["message"].replace("\n", "\n      "))
        mains = self.page.locator("main, [role=main]").count()
        if mains != 1:
            self.problems.append(f"{where}: {mains} <main> landmarks instead of one")

    def settle(self, *, cabinet: bool) -> None:
        self.page.wait_for_load_state("load")
        if cabinet:
            # unfold hides the page (x-cloak) until Alpine starts: before that axe would see an empty page.
            self.page.wait_for_function(
                "() => window.Alpine !== undefined && !document.documentElement.hasAttribute('x-cloak')"
            )

    def visit(self, url: str, label: str, *, cabinet: bool = False) -> None:
        self.page.goto(url)
        self.settle(cabinet=cabinet)
        self.check(label)

    def prove_it_sees(self) -> None:
        """Grey text on white must be reported, or this audit could never fail a test."""
        self.page.evaluate("() => { const p = document.createElement('p'); p.id = 'axe-probe';"
                           " p.textContent = 'Проверка контраста'; p.style.color = '#b0b0b0';"
                           " p.style.background = '#ffffff'; document.querySelector('main').append(p); }")
        found = {(rule["id"], node["target"]) for rule in self.violations() for node in rule["nodes"]}
        assert ("color-contrast", "#axe-probe") in found, found
        self.page.evaluate("() => document.getElementById('axe-probe').remove()")


def login(page, url: str, email: str, landing: str) -> None:
    page.goto(url)
    page.locator('[name="username"]').fill(email)
    page.locator('[name="password"]').fill(DEMO_PASSWORD)
    page.locator('button[type="submit"]').last.click()
    page.wait_for_url(landing)


def test_key_pages_of_both_faces_have_no_serious_violation_and_a_main_landmark(axe_page):
    """One test for both faces: the demo data is loaded once (it takes longer than all the pages together)."""
    audit = axe_page
    portal_pages(audit, "1440 px")
    cabinet_pages(audit, "1440 px")
    # A narrow screen and the dark theme change the layout and the colours, not the markup: those rounds run only
    # the rules that depend on them (and take a fraction of the time).
    audit.only = ["color-contrast", "scrollable-region-focusable"]
    audit.page.set_viewport_size({"width": 390, "height": 844})
    portal_pages(audit, "390 px")
    cabinet_pages(audit, "390 px")
    audit.page.set_viewport_size({"width": 1440, "height": 900})
    audit.page.emulate_media(color_scheme="dark")
    cabinet_pages(audit, "тёмная тема")
    assert audit.pages >= 3 * 12
    assert audit.problems == [], "axe-core and the landmark check found:\n" + "\n".join(audit.problems)


def portal_pages(audit: Audit, round_: str) -> None:
    page = audit.page
    page.context.clear_cookies()
    investor = User.objects.get(email="investor@zk.example")
    appeal = (
        Appeal.objects.filter(organisation=investor.organisation, status=AppealStatus.ANSWERED)
        .order_by("pk")
        .first()
    )
    assert appeal, "the demo has an answered appeal of the investor's company"
    project = Project.objects.get(name=PROJECT)

    audit.visit("/", f"Портал ({round_}): главная")
    audit.prove_it_sees()
    audit.visit("/login/", f"Портал ({round_}): вход")
    audit.visit("/no-such-page/", f"Портал ({round_}): страница не найдена")
    login(page, "/login/", investor.email, "**/cabinet/")
    audit.check(f"Портал ({round_}): мои обращения")
    audit.visit("/cabinet/appeals/new/", f"Портал ({round_}): форма обращения")
    # «Возможно, ответ уже есть»: the demo's published FAQ entry fits what the investor types
    page.locator('[name="subject"]').fill("Технологическое присоединение к электросетям")
    page.locator("[data-faq-suggestions]:not([hidden])").wait_for()
    audit.check(f"Портал ({round_}): форма обращения с подсказками из частых вопросов")
    audit.visit(f"/cabinet/appeals/{appeal.pk}/", f"Портал ({round_}): обращение")
    audit.visit(f"/cabinet/projects/{project.pk}/", f"Портал ({round_}): паспорт проекта")
    audit.visit(f"/cabinet/projects/{project.pk}/roadmap/", f"Портал ({round_}): дорожная карта проекта")
    audit.visit(f"/cabinet/projects/{project.pk}/meetings/", f"Портал ({round_}): встречи проекта, календарь")
    # The passport of a project past its application cannot be edited: back to the passport with a message.
    audit.visit(f"/cabinet/projects/{project.pk}/passport/", f"Портал ({round_}): сообщение")
    assert page.locator(".messages .message").count() == 1
    word = max(re.findall(r"\w+", appeal.subject), key=len)  # a word of the answered appeal: found at least there
    audit.visit(f"/cabinet/appeals/?q={word}", f"Портал ({round_}): поиск в моих обращениях")
    assert page.locator(".appeal-table tbody tr").count() >= 1
    audit.visit("/cabinet/projects/?q=Несуществующееслово", f"Портал ({round_}): поиск проектов, ничего не найдено")
    assert page.locator(".nothing-found").count() == 1


def cabinet_pages(audit: Audit, round_: str) -> None:
    page = audit.page
    project = Project.objects.get(name=PROJECT)
    appeal = Appeal.objects.filter(status=AppealStatus.MODERATION).order_by("pk").first()
    assert appeal, "the demo has an appeal waiting for the coordinator"

    page.context.clear_cookies()
    audit.visit("/admin/login/", f"Кабинет ({round_}): вход", cabinet=True)
    login(page, "/admin/login/", "coordinator@zk.example", "**/admin/")
    audit.settle(cabinet=True)
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas.chart')].every((canvas) => window.Chart.getChart(canvas))"
    )
    audit.check(f"Кабинет ({round_}): главная")
    audit.visit("/admin/core/appeal/", f"Кабинет ({round_}): обращения", cabinet=True)
    page.goto(f"/admin/core/appeal/{appeal.pk}/change/")
    audit.settle(cabinet=True)
    # «Похожие обращения», loaded after the page: its search took over the default 15 s once on a busy machine
    page.locator("#similar-appeals").wait_for(timeout=45_000)
    audit.check(f"Кабинет ({round_}): обращение")
    for tab in PROJECT_TABS:
        audit.visit(f"/admin/core/project/{project.pk}/change/?tab={tab}", f"Кабинет ({round_}): проект, {tab}",
                    cabinet=True)
        assert page.locator(f'#project-tab[data-tab="{tab}"]').count() == 1
    audit.visit("/admin/reports/", f"Кабинет ({round_}): отчёты", cabinet=True)
    audit.visit("/admin/reports/appeals-by-type/", f"Кабинет ({round_}): отчёт", cabinet=True)
    assert page.locator("table.zk-report").count() >= 1
    audit.visit("/admin/my-calendar/", f"Кабинет ({round_}): мой календарь", cabinet=True)
    page.get_by_role("link", name="Неделя", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/my-calendar/\?"))
    audit.settle(cabinet=True)
    audit.check(f"Кабинет ({round_}): мой календарь, неделя")
    word = max(re.findall(r"\w+", appeal.subject), key=len)
    audit.visit(f"/admin/search/?q={word}", f"Кабинет ({round_}): поиск", cabinet=True)
    assert page.locator('section[aria-labelledby^="search-group-"]').count() >= 1
    audit.visit("/admin/no-such-page/", f"Кабинет ({round_}): страница не найдена")
