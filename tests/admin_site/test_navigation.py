"""The sidebar speaks Russian and shows each person only the sections they may open."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

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
