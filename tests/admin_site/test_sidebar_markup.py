"""The sidebar's markup is kept per process for each distinct sidebar (admin_site/templatetags/cabinet_sidebar.py):
every page must be exactly what unfold's include drew, for each person, and any change in what the sidebar holds —
the person's items, the current page, the unread count — must show at once."""


import pytest
from django.urls import reverse

from admin_site.templatetags import cabinet_sidebar
from tests.admin_site.helpers import sidebar_text, steady_page
from tests.admin_site.test_notifications import letter, notice

PAGES = [reverse("admin:reports"), reverse("admin:core_appeal_changelist"), reverse("admin:index"),
         reverse("admin:my_calendar")]
def _sidebar(html: str) -> str:
    start = html.index('id="nav-sidebar-apps"')
    return html[start:html.index("</nav>", start)]


@pytest.fixture(autouse=True)
def fresh_cache():
    cabinet_sidebar._RENDERED.clear()
    yield
    cabinet_sidebar._RENDERED.clear()


def test_pages_are_what_unfolds_include_drew(client, director, manager, executor, data_clerk, monkeypatch):
    for person in (director, manager, executor, data_clerk):
        client.force_login(person)
        pages = [url for url in PAGES if client.get(url).status_code == 200]  # the reports are not everyone's
        assert len(pages) >= 2
        kept = [steady_page(client, url) for url in pages]
        again = [steady_page(client, url) for url in pages]  # now from the kept markup
        with monkeypatch.context() as unkept:
            unkept.setattr(cabinet_sidebar, "_key", lambda context: None)
            drawn = [steady_page(client, url) for url in pages]
        assert kept == again == drawn, person
    assert cabinet_sidebar._RENDERED  # the markup was kept, not drawn every time


def test_each_person_gets_their_own_items(client, director, executor):
    client.force_login(director)
    directors = sidebar_text(client.get(reverse("admin:reports")))
    client.force_login(executor)
    executors = sidebar_text(client.get(reverse("admin:core_appeal_changelist")))
    client.force_login(director)
    assert sidebar_text(client.get(reverse("admin:reports"))) == directors
    assert directors != executors


def test_the_unread_count_and_the_current_page_show_at_once(client, director):
    client.force_login(director)
    url = reverse("admin:reports")
    before = _sidebar(steady_page(client, url))
    notice(director, 1)
    after = _sidebar(steady_page(client, url))
    assert before != after and "Уведомления: 1 непрочитанное" in after
    elsewhere = _sidebar(steady_page(client, reverse("admin:core_appeal_changelist")))
    assert elsewhere != after  # another item is the current one


def test_the_failed_letters_badge_shows_at_once(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:index")
    before = _sidebar(steady_page(client, url))
    letter(administrator)
    assert _sidebar(steady_page(client, url)) != before


def test_a_sidebar_with_anything_but_plain_values_is_drawn_every_time():
    assert cabinet_sidebar._frozen({"a": [1, True, None, "x"]}) != cabinet_sidebar._frozen({"a": [True, 1, None, "x"]})
    with pytest.raises(cabinet_sidebar._NotPlain):
        cabinet_sidebar._frozen([{"link_callback": object()}])
