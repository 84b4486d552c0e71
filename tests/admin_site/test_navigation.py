"""The sidebar speaks Russian and shows each person only the sections they may open."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.functional import Promise
from unfold.sites import UnfoldAdminSite

from admin_site.navigation import sidebar_navigation
from core.roles import Role
from tests.admin_site.helpers import sidebar_text


def sidebar_for(login, user) -> str:
    return sidebar_text(login(user).get(reverse("admin:index")))


def test_administrator_sees_every_section_in_russian(login, administrator):
    text = sidebar_for(login, administrator)
    for label in (
        "Главная",
        "Участники системы",
        "Организации",
        "Районы",
        "Пользователи и роли",
        "Пользователи",
        "Роли",
        "Согласия на обработку ПДн",
        "Журналы",
        "Журнал изменений",
        "Попытки входа",
        "Фоновые задачи",
        "Расписание",
    ):
        assert label in text


def test_executor_sees_participants_but_no_people_or_journals(login, executor):
    text = sidebar_for(login, executor)
    assert "Организации" in text
    assert "Районы" in text
    for hidden in ("Пользователи и роли", "Пользователи", "Согласия", "Журналы", "Фоновые задачи"):
        assert hidden not in text


def test_manager_sees_users_but_not_roles_or_consents(login, manager):
    text = sidebar_for(login, manager)
    assert "Пользователи" in text
    assert "Роли" not in text
    assert "Согласия на обработку ПДн" not in text


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DATA_CLERK, Role.COMMISSIONER])
def test_every_sidebar_link_opens(login, users_by_role, role):
    request = RequestFactory().get("/admin/")
    request.user = users_by_role[role]
    client = login(users_by_role[role])
    links = [item["link"] for group in sidebar_navigation(request) for item in group["items"]]
    assert len(links) > 1
    for link in links:
        assert client.get(str(link)).status_code == 200, link


def active_items(response) -> list[str]:
    html = response.content.decode()
    sidebar = html[html.index('id="nav-sidebar-apps"'):]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", link)).strip()
            for link in re.findall(r'<a [^>]*class="[^"]*\bactive"[^>]*>(.*?)</a>', sidebar, flags=re.S)]


@pytest.mark.parametrize(("url_name", "item"), [("admin:index", "dashboard Главная"),
                                                ("admin:core_appeal_changelist", "forum Обращения"),
                                                ("admin:reports", "summarize Отчёты")])
def test_the_sidebar_marks_the_page_it_is_on(login, director, url_name, item):
    assert active_items(login(director).get(reverse(url_name))) == [item]


def test_a_cabinet_page_costs_four_queries_before_its_own(login, director, manager):
    """The list of reports has no data of its own: what is left is what every cabinet page asks — the session, the
    person with their organisation, their roles with their permissions, the bell's count. The sidebar's sections
    are checked against the permissions already read, and Django's list of every model is not built for it."""
    for user in (director, manager):
        client = login(user)
        client.get(reverse("admin:reports"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("admin:reports"))
        assert response.status_code == 200 and "Отчёты" in sidebar_text(response)
        assert len(captured) == 4, [query["sql"][:80] for query in captured]


def _plain(value):
    """A sidebar list with every lazy text, link and badge worked out, as the template prints them."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    return value


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.ADMINISTRATOR, Role.EXECUTOR, Role.DATA_CLERK])
@pytest.mark.parametrize("path", ["/admin/", "/admin/core/appeal/", "/admin/core/appeal/7/change/", "/admin/reports/",
                                  "/admin/reports/crm-audit/", "/admin/notifications/", "/admin/core/user/add/"])
def test_the_sidebar_list_is_what_unfold_makes_of_the_navigation(users_by_role, role, path):
    """admin_site.navigation.sidebar_list spares unfold's deep copy and its reverse() per item; each item is marked
    active, with its badge, exactly as unfold's get_sidebar_list marks it."""
    request = RequestFactory().get(path)
    request.user = users_by_role[role]
    ours = _plain(admin.site.get_sidebar_list(request))
    assert ours == _plain(UnfoldAdminSite.get_sidebar_list(admin.site, request))
    assert sum(item["active"] for group in ours for item in group["items"]) <= 1
    assert all(isinstance(item["link"], str) for group in ours for item in group["items"])
