"""Browser journeys: Django's live server (in this process) driven by Debian Chromium through Playwright.

Locally a missing /usr/bin/chromium skips these tests; with CI set it fails them, so CI cannot go green
without ever opening a browser.
"""

import os
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from core.models import Appeal
from tests.admin_site.appeals.helpers import act

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "e2e"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests.", pytrace=False)
    pytest.skip(reason)


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server on SQLite's in-memory test database: a thread per connection, one request at a time.

    There the server's threads share the test's one SQLite connection (pytest-django passes it over), and two requests
    using it at once break it («bad parameter or other API misuse»): the appeal's answer dialog loads its templates and
    its similar appeals side by side, and on a busy machine their queries met. Each request, its response read to the
    end and closed, runs under one lock; keep-alive connections wait for it only while a request is being answered.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started while MEDIA_URL has a prefix.

    Uploads have no public URL (MEDIA_URL is None), but Django's live server wraps the site in a media handler
    that parses MEDIA_URL once, at start-up: None breaks every request and "" would route every request to the
    media handler. A prefix set only for the start keeps the rest of the session on the real settings.
    """
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(MEDIA_URL="/live-server-media/"):
        server = LiveServer(addr, start=False)
        if server.thread.connections_override:
            server.thread.server_class = OneRequestAtATimeServer
        server.start()
    yield server
    server.stop()


class _Shared:
    """One Playwright driver and one Chromium for each run of consecutive browser tests on a worker.

    Starting both costs a second or two of CPU, which every one of some forty journeys paid (a tenth of the
    PostgreSQL pass's browser time). Each test still gets fresh browser contexts — their own cookies, storage and
    cache, as a fresh profile — and closes them; the browser itself stops after the last browser test of the run
    (pytest_runtest_teardown below), so the tests that follow on the worker run without Playwright's event loop.
    """

    playwright = None
    chromium = None


def _shared_chromium():
    if _Shared.playwright is None:
        from playwright.sync_api import sync_playwright

        # Playwright's sync API keeps an event loop running in this thread while it is started, which Django's ORM
        # guard would refuse; the ORM here is called synchronously from that thread, which is safe.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        _Shared.playwright = sync_playwright().start()
    if _Shared.chromium is None or not _Shared.chromium.is_connected():  # a crashed browser is not handed on
        _Shared.chromium = _Shared.playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    return _Shared.chromium


def _stop_shared_chromium() -> None:
    chromium, playwright = _Shared.chromium, _Shared.playwright
    _Shared.chromium = _Shared.playwright = None
    try:
        if chromium is not None and chromium.is_connected():
            chromium.close()
    finally:
        if playwright is not None:
            playwright.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a browser test's fixtures are torn down: stop the shared browser unless the next test uses it too."""
    try:
        return (yield)
    finally:
        if _Shared.playwright is not None and (
                nextitem is None or "sync_playwright_api" not in getattr(nextitem, "fixturenames", ())):
            _stop_shared_chromium()


def pytest_sessionfinish(session, exitstatus):
    """A run stopped inside a run of browser tests (-x, Ctrl-C) leaves no driver or browser behind."""
    if _Shared.playwright is not None:
        _stop_shared_chromium()


@pytest.fixture
def sync_playwright_api():
    """The worker's Playwright (see _Shared); the browser contexts a test opens are closed when it ends."""
    if not CHROMIUM.exists():
        _unavailable(f"Debian Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Python playwright is not installed in the virtualenv")
    chromium = _shared_chromium()
    try:
        yield _Shared.playwright
    finally:
        try:
            for context in list(chromium.contexts):
                context.close()
        finally:
            # While Playwright's loop counts as running in this thread, Django keeps the test's connections
            # apart from pytest-django's; close them, or one outlives the test and stops the test database
            # from being dropped at the end («being accessed by other users»).
            connections.close_all()


@pytest.fixture
def browser(sync_playwright_api, live_server):
    """A fresh browser context per test (a profile of its own); relative addresses go to the live server."""
    context = _shared_chromium().new_context(
        base_url=live_server.url,
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser, live_server, transactional_db, settings):
    """A page on the live server; letters link back to it because SITE_URL points there."""
    settings.SITE_URL = live_server.url
    return browser.pages[0] if browser.pages else browser.new_page()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def chromium(sync_playwright_api):
    """The worker's Chromium, for journeys that need several people at once (see `person_page`): each
    `new_context()` is a person of their own, closed when the test ends."""
    return _shared_chromium()


@pytest.fixture
def person_page(chromium, live_server, transactional_db, settings):
    """person_page() -> a page in a fresh browser context: its own cookies, so one person per call."""
    settings.SITE_URL = live_server.url
    contexts = []

    def open_page():
        context = chromium.new_context(
            base_url=live_server.url,
            locale="ru-RU",
            timezone_id="Europe/Moscow",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploads of the test go to its own directory instead of var/test-private."""
    root = tmp_path / "private-media"
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


# --- an answered appeal and a current one of the same fact («Похожие обращения», typed text) -----------------
ANSWER = ("Съезд согласован комитетом по дорожному хозяйству, письмо № 12 от 03.03.2026. Технические условия на "
          "примыкание выданы на три года; проект организации дорожного движения согласуйте до начала работ.")


@pytest.fixture
def answered_and_current(file_appeal, coordinator, manager, head):
    """An answered appeal of the same fact (rated 4) and a new one in the manager's work."""

    def in_work(appeal):
        appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                     head=head)
        return act(appeal, "take_into_work", manager)

    answered = in_work(file_appeal())
    act(answered, "submit_for_approval", manager, answer_text=ANSWER)
    answered = act(answered, "approve", head)
    act(answered, "rate", answered.applicant, rating=4)
    return Appeal.objects.get(pk=answered.pk), in_work(file_appeal())
