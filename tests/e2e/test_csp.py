"""The Content Security Policy in a real browser: the key pages of both faces load with the policy on, nothing is
blocked, and what needs scripts still works (docs/adr/0003-content-security-policy.md).

Chromium reports a blocked script, style or eval twice, and both are collected: a `securitypolicyviolation` event
(a listener injected before any page script runs) and a console message naming the Content Security Policy.
The pages run on the demo data (`seed_demo`), so charts, the Gantt chart and the rating form have something to show.
"""

import re

import pytest
from django.core.management import call_command

from core.choices import AppealStatus
from core.models import Appeal, Project, User
from core.services.demo import DEMO_PASSWORD
from tests.e2e.pickers import open_picker

pytestmark = pytest.mark.e2e

LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
    + (event.sample ? ` (${event.sample})` : "")
  );
});
"""


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_reference", verbosity=0)
    call_command("seed_demo", "--no-history", verbosity=0)  # the named demo shows every page; the history adds rows
    settings.DEBUG = False


class Watch:
    """Collects every CSP violation a page reports, with the address it happened on."""

    def __init__(self, page):
        self.page = page
        self.found: list[str] = []
        page.add_init_script(LISTEN_FOR_VIOLATIONS)
        page.on("console", self._console)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.found.append(f"{self.page.url}: console: {message.text}")

    def _request(self, request) -> None:
        if "/csp-report/" in request.url:
            self.found.append(f"{self.page.url}: report sent: {request.post_data}")

    def collect(self) -> None:
        """Read the page's listener before leaving it (a navigation starts a fresh list)."""
        self.page.wait_for_timeout(100)  # events of the last paint
        for line in self.page.evaluate("() => window.__cspViolations || []"):
            self.found.append(f"{self.page.url}: {line}")

    def prove_it_sees(self) -> None:
        """A script added without the nonce must be seen by both channels, or this watch could never fail a test."""
        self.page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1';"
                           " document.body.append(s); }")
        self.page.wait_for_function("() => window.__cspViolations.length > 0")
        for _ in range(100):  # the console message arrives on its own
            if any("console:" in line for line in self.found):
                break
            self.page.wait_for_timeout(20)
        self.collect()
        assert any("console:" in line for line in self.found), self.found
        assert any("script-src-elem blocked inline" in line for line in self.found), self.found
        self.found.clear()
        self.page.evaluate("() => { window.__cspViolations = []; }")

    def visit(self, url: str, heading: str | None = None) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        if heading:
            self.page.get_by_role("heading", name=heading).first.wait_for()
        self.collect()


def login(page, url: str, email: str, landing: str) -> None:
    page.goto(url)
    page.locator('[name="username"]').fill(email)
    page.locator('[name="password"]').fill(DEMO_PASSWORD)
    page.locator('button[type="submit"]').last.click()
    page.wait_for_url(landing)


def test_key_pages_of_both_faces_report_no_violation_and_still_work(page, live_server, demo):
    """One test for both faces: the demo data is loaded once (it takes longer than all the pages together)."""
    portal_pages(page)
    page.context.clear_cookies()
    cabinet_pages(page)


def portal_pages(page) -> None:
    investor = User.objects.get(email="investor@zk.example")
    watch = Watch(page)

    # --- anonymous: landing, login, registration ----------------------------------------------------------------
    watch.visit("/")
    watch.prove_it_sees()
    watch.visit("/login/")
    watch.visit("/register/")
    login(page, "/login/", investor.email, "**/cabinet/")
    watch.collect()

    # --- the cabinet and the appeal list -----------------------------------------------------------------------
    watch.visit("/cabinet/")
    watch.visit("/cabinet/appeals/", "Мои обращения")

    # --- an answered appeal with its rating form ---------------------------------------------------------------
    answered = Appeal.objects.filter(organisation=investor.organisation, status=AppealStatus.ANSWERED,
                                     rating__isnull=True).order_by("pk").first()
    assert answered, "the demo has an answered, unrated appeal of the investor's company"
    watch.visit(f"/cabinet/appeals/{answered.pk}/")
    page.locator("#action-rate").get_by_role("button", name="Оценить ответ").wait_for()
    watch.collect()

    # --- the appeal form: its classifier script narrows the selects in place -----------------------------------
    watch.visit("/cabinet/appeals/new/", "Создать обращение")
    page.locator("[data-step]").first.wait_for(state="detached")  # the script took over the no-JavaScript buttons
    category = page.get_by_label("Выберите категорию")
    subcategory = page.get_by_label("Выберите подкатегорию")
    fact = page.get_by_label("Выберите факт обращения")
    assert subcategory.locator("option").count() == 1  # nothing but the prompt before a category is chosen
    category.select_option(index=1)
    assert subcategory.locator("option").count() > 1
    subcategory.select_option(index=1)
    assert fact.locator("option").count() > 1
    fact.select_option(index=1)
    assert page.locator("#id_fact_helptext").text_content().strip()
    watch.collect()

    # --- a project with its Gantt chart ----------------------------------------------------------------------
    project = Project.objects.get(name="Логистический комплекс «Южный»")
    watch.visit(f"/cabinet/projects/{project.pk}/roadmap/")
    gantt = page.locator("svg.zk-gantt")
    gantt.wait_for()
    assert gantt.bounding_box()["width"] > 300
    watch.visit(f"/cabinet/projects/{project.pk}/meetings/")

    # --- personal API tokens, and the REST API's docs: Swagger UI from the package's own static files ------------
    watch.visit("/profile/api-tokens/", "API-токены")
    watch.visit("/api/v1/docs")
    page.locator(".opblock").first.wait_for()  # the schema was fetched and drawn
    watch.collect()

    assert watch.found == [], "\n".join(watch.found)


def cabinet_pages(page) -> None:
    watch = Watch(page)

    # --- the login page (unfold's layout without the sidebar) -------------------------------------------------
    watch.visit("/admin/login/")
    watch.prove_it_sees()
    login(page, "/admin/login/", "coordinator@zk.example", "**/admin/")
    page.wait_for_function("() => window.htmx !== undefined && window.Alpine !== undefined")

    # --- the dashboard: Chart.js draws every chart -------------------------------------------------------------
    charts = page.locator("canvas.chart")
    charts.first.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas.chart')].every((canvas) => window.Chart.getChart(canvas))"
    )
    assert charts.first.bounding_box()["height"] > 50
    watch.collect()

    # --- the appeal list and a card: Alpine opens the «Ещё» menu and unfold's modal, htmx loads the form -------
    watch.visit("/admin/core/appeal/")
    appeal = Appeal.objects.filter(status=AppealStatus.MODERATION).order_by("pk").first()
    assert appeal, "the demo has an appeal waiting for the coordinator"
    watch.visit(f"/admin/core/appeal/{appeal.pk}/change/", "История работ по обращению")
    page.wait_for_function("() => window.htmx !== undefined && window.Alpine !== undefined")
    page.get_by_role("link", name="Назначить менеджера").click()
    form = page.locator("#modal-content #appeal-action-form")
    form.wait_for()
    open_picker(page, form, "manager")  # the searchable list starts inside the modal and asks the cabinet
    watch.collect()

    # --- a report page ------------------------------------------------------------------------------------------
    watch.visit("/admin/reports/")
    watch.visit("/admin/reports/appeals-by-type/")
    page.locator("table.zk-report").first.wait_for()
    watch.collect()

    # --- a project page and its tabs -----------------------------------------------------------------------------
    project = Project.objects.get(name="Логистический комплекс «Южный»")
    watch.visit(f"/admin/core/project/{project.pk}/change/")
    page.locator("#project-tabs").get_by_role("link", name=re.compile("Дорожная карта")).first.click()
    page.wait_for_url(re.compile(r"\?tab=roadmap"))
    page.locator('#project-tab[data-tab="roadmap"]').wait_for()
    watch.collect()

    # --- the calendar: the feed address selects itself on a click (a script of ours, not an inline handler) ----
    watch.visit("/admin/my-calendar/", "Мой календарь")
    feed = page.locator("[data-select-on-click]")
    feed.click()
    selected = page.evaluate("() => window.getSelection().toString() || (document.activeElement.selectionEnd"
                             " - document.activeElement.selectionStart)")
    assert selected and selected != 0, "clicking the feed address selects it"
    watch.collect()

    assert watch.found == [], "\n".join(watch.found)
