import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROFILE = {
    "last_name": "Синицына",
    "first_name": "Вера",
    "middle_name": "",
    "phone": "8 (812) 000-11-22",
    "position": "Финансовый директор",
}


def test_profile_shows_email_and_company(client, investor):
    client.force_login(investor)

    response = client.get(reverse("portal:profile"))

    assert investor.email in response.text
    assert investor.organisation.full_name in response.text
    assert investor.organisation.inn in response.text
    assert reverse("portal:password_change") in response.text
    assert f'value="{investor.last_name}"' in response.text


def test_investor_edits_name_phone_and_position(client, investor):
    client.force_login(investor)

    response = client.post(reverse("portal:profile"), PROFILE, follow=True)

    assert "Профиль сохранён" in response.text
    investor.refresh_from_db()
    assert (investor.last_name, investor.first_name, investor.middle_name) == ("Синицына", "Вера", "")
    assert (investor.phone, investor.position) == ("8 (812) 000-11-22", "Финансовый директор")


def test_invalid_phone_is_not_saved(client, investor):
    client.force_login(investor)
    phone = investor.phone

    response = client.post(reverse("portal:profile"), {**PROFILE, "phone": "123"})

    assert response.status_code == 200
    assert "Неверный номер телефона" in response.text
    assert 'value="Синицына"' in response.text
    investor.refresh_from_db()
    assert investor.phone == phone


def test_email_cannot_be_changed_through_the_profile(client, investor):
    client.force_login(investor)

    client.post(reverse("portal:profile"), {**PROFILE, "email": "hijack@test.zk.example"})

    investor.refresh_from_db()
    assert investor.email == "investor@test.zk.example"
