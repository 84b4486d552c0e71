"""The start page of the cabinet: its title, the welcome and the counts the user may see."""

from django.urls import reverse

from core.choices import OrganisationKind
from core.roles import Role
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory


def card(login, user, title: str) -> str:
    """The text of one dashboard card, from its title to its «Открыть список» link."""
    text = page_text(login(user).get(reverse("admin:index")))
    assert title in text
    return text.split(title, 1)[1].split("Открыть список", 1)[0]


def test_index_is_titled_green_corridor_and_greets_the_manager(login, manager):
    response = login(manager).get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert "Зелёный коридор" in title
    assert f"Здравствуйте, {manager.first_name} {manager.middle_name}!" in page_text(response)
    assert "Кабинет менеджера" in page_text(response)


def test_counts_organisations_by_kind(login, director, company, other_company, omsu, agency):
    OrganisationFactory(kind=OrganisationKind.RSO)
    text = card(login, director, "Организации по видам")
    assert f"{OrganisationKind.INVESTOR.label} 2" in text
    assert f"{OrganisationKind.RSO.label} 1" in text
    assert f"{OrganisationKind.FEDERAL.label} 0" in text


def test_counts_only_what_the_user_may_see(login, commissioner, company, other_company):
    text = card(login, commissioner, "Организации по видам")
    assert f"{OrganisationKind.INVESTOR.label} 1" in text  # the district's company, not the other one


def test_counts_users_by_role(login, director, users_by_role):
    users_by_role[Role.MANAGER].is_active = False
    users_by_role[Role.MANAGER].save()
    text = card(login, director, "Активные пользователи по ролям")
    assert "Инвестор 1" in text
    assert "Директор 1" in text
    assert "Менеджер 0" in text


def test_executor_gets_no_user_counts(login, executor):
    text = page_text(login(executor).get(reverse("admin:index")))
    assert "Организации по видам" in text
    assert "Активные пользователи по ролям" not in text
