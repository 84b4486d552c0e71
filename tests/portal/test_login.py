import pytest
from django.contrib.auth import get_user
from django.template.loader import render_to_string
from django.urls import reverse

from core.roles import Role
from tests.factories import UserFactory
from tests.portal.support import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, user, password=PASSWORD, email=None, follow=False, **extra):
    data = {"username": email or user.email, "password": password, **extra}
    return client.post(reverse("portal:login"), data, follow=follow)


def test_login_form_uses_the_username_field_name_axes_expects(client):
    response = client.get(reverse("portal:login"))

    assert 'name="username"' in response.text
    assert "Электронная почта" in response.text


def test_unconfirmed_investor_cannot_log_in(client, make_user, company):
    user = make_user(Role.INVESTOR, organisation=company, email="late@test.zk.example", email_confirmed_at=None)

    response = log_in(client, user)

    assert response.status_code == 200
    assert "Электронная почта ещё не подтверждена" in response.text
    assert reverse("portal:resend_confirmation") + "?email=late%40test.zk.example" in response.text
    assert not get_user(client).is_authenticated


def test_investor_logs_in_with_email_in_any_case_and_lands_in_the_cabinet(client, investor):
    response = log_in(client, investor, email=investor.email.upper(), follow=True)

    assert get_user(client) == investor
    assert response.redirect_chain[-1][0] == reverse("portal:cabinet")


def test_staff_member_lands_in_the_manager_cabinet(client, manager):
    response = log_in(client, manager)

    assert response.url == reverse("portal:after_login")
    assert client.get(response.url).url == reverse("admin:index")


def test_unconfirmed_staff_member_is_not_held_back(client, make_user, agency):
    manager = make_user(
        Role.MANAGER, organisation=agency, email="fresh-manager@test.zk.example", email_confirmed_at=None
    )

    log_in(client, manager)

    assert get_user(client) == manager


def test_wrong_password_gets_a_russian_error(client, investor):
    response = log_in(client, investor, "wrong-password")

    assert "Неверная электронная почта или пароль" in response.text
    assert not get_user(client).is_authenticated


def test_next_parameter_is_honoured(client, investor):
    profile = reverse("portal:profile")
    response = log_in(client, investor, next=profile)

    assert response.url == profile


def test_logout_is_a_post(client, investor):
    client.force_login(investor)

    assert client.get(reverse("portal:logout")).status_code == 405
    response = client.post(reverse("portal:logout"))

    assert response.url == reverse("portal:landing")
    assert not get_user(client).is_authenticated


def test_after_login_requires_login(client):
    response = client.get(reverse("portal:after_login"))

    assert response.url.startswith(reverse("portal:login"))


def test_logged_in_user_skips_login_and_registration(client, investor):
    client.force_login(investor)

    assert client.get(reverse("portal:login"))["Location"] == reverse("portal:after_login")
    assert client.get(reverse("portal:register"))["Location"] == reverse("portal:after_login")


def test_repeated_failures_lock_out_with_the_russian_page(client, settings, db):
    settings.AXES_ENABLED = True
    user = UserFactory(email="target@test.zk.example")

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user, "wrong-password")
    response = log_in(client, user)

    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.text
    assert not get_user(client).is_authenticated


def test_locked_out_page_states_the_wait():
    from datetime import timedelta

    html = render_to_string("portal/locked_out.html", {"failure_limit": 5, "cooloff_timedelta": timedelta(hours=1)})

    assert "Вход временно заблокирован" in html
    assert "через 60 мин." in html
