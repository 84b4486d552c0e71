import pytest
from django.urls import reverse

from core.portal.navigation import CABINET_TABS
from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INVESTOR_PAGES = ["portal:cabinet", "portal:profile", "portal:password_change"]


@pytest.fixture
def accompanied_company(company, make_user, agency, omsu, director):
    company.personal_manager = make_user(
        Role.MANAGER,
        organisation=agency,
        last_name="Клёнова",
        first_name="Дарья",
        middle_name="Сергеевна",
        position="Менеджер по сопровождению",
        phone="+7 812 000-00-01",
        email="klenova@test.zk.example",
    )
    company.district_commissioner = make_user(
        Role.COMMISSIONER,
        organisation=omsu,
        last_name="Рябинин",
        first_name="Глеб",
        middle_name="Олегович",
        position="Инвестиционный уполномоченный",
        phone="+7 813 000-00-02",
        email="ryabinin@test.zk.example",
    )
    company.save()
    director.position = "Директор агентства"
    director.save()
    return company


def test_cabinet_shows_the_investor_and_company(client, investor):
    client.force_login(investor)

    response = client.get(reverse("portal:cabinet"))

    assert response.status_code == 200
    assert investor.polite_name in response.text
    assert "ООО «Инвестор»" in response.text
    assert "Мой профиль" in response.text
    assert "Выйти" in response.text
    for tab in CABINET_TABS:
        assert str(tab.label) in response.text


def test_cards_show_assigned_people(client, investor, accompanied_company, director):
    client.force_login(investor)

    response = client.get(reverse("portal:cabinet"))

    text = response.text
    for title in ("Ваш персональный менеджер", "Ваш уполномоченный района", "Написать директору"):
        assert title in text
    assert "Дарья Сергеевна Клёнова" in text
    assert "Менеджер по сопровождению" in text
    assert 'href="tel:+78120000001"' in text
    assert 'href="mailto:klenova@test.zk.example"' in text
    assert "Глеб Олегович Рябинин" in text
    assert "ryabinin@test.zk.example" in text
    assert director.polite_name in text
    assert "Директор агентства" in text
    assert 'href="mailto:director@test.zk.example"' in text
    assert "будет назначен" not in text


def test_cards_without_assigned_people_say_so(client, investor):
    client.force_login(investor)

    response = client.get(reverse("portal:cabinet"))

    assert "Менеджер будет назначен после рассмотрения" in response.text
    assert "Инвестиционный уполномоченный района будет указан" in response.text
    assert "Контакты директора агентства пока не указаны" in response.text


def test_inactive_manager_is_not_shown(client, investor, accompanied_company):
    accompanied_company.personal_manager.is_active = False
    accompanied_company.personal_manager.save()
    client.force_login(investor)

    response = client.get(reverse("portal:cabinet"))

    assert "Клёнова" not in response.text
    assert "Менеджер будет назначен" in response.text


def test_unknown_tab_is_404(client, investor):
    client.force_login(investor)

    assert client.get(reverse("portal:cabinet_section", args=["secret"])).status_code == 404


@pytest.mark.parametrize("page", INVESTOR_PAGES)
def test_guests_are_sent_to_login(client, page):
    response = client.get(reverse(page))

    assert response.url == reverse("portal:login") + "?next=" + reverse(page)


@pytest.mark.parametrize("page", INVESTOR_PAGES)
@pytest.mark.parametrize("staff", ["manager", "director", "administrator", "superuser"])
def test_staff_cannot_open_investor_pages(client, request, page, staff):
    client.force_login(request.getfixturevalue(staff))

    response = client.get(reverse(page))

    assert response.url == reverse("admin:index")


def test_user_without_a_role_gets_a_russian_403(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("portal:cabinet"))

    assert response.status_code == 403
    assert "Нет доступа" in response.text
