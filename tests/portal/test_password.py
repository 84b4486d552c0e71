import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from tests.portal.support import PASSWORD, link_path

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Novyi-parol-2025-zk"


def request_reset(client, run_on_commit, email):
    with run_on_commit():
        return client.post(reverse("portal:password_reset"), {"email": email})


def test_reset_mail_lets_the_investor_set_a_new_password(client, investor, run_on_commit):
    response = request_reset(client, run_on_commit, investor.email.upper())

    assert response.url == reverse("portal:password_reset_done")
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [investor.email]
    assert "Восстановление пароля" in letter.subject

    form = client.get(link_path(letter), follow=True)
    assert "Новый пароль" in form.text
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.url == reverse("portal:password_reset_complete")
    investor.refresh_from_db()
    assert investor.check_password(NEW_PASSWORD)
    client.post(reverse("portal:login"), {"username": investor.email, "password": NEW_PASSWORD})
    assert get_user(client) == investor


def test_reset_link_works_only_once(client, investor, run_on_commit):
    request_reset(client, run_on_commit, investor.email)
    path = link_path(mail.outbox[0])
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(path, follow=True)

    assert "Ссылка недействительна" in again.text


def test_unknown_email_gets_the_same_answer_and_no_mail(client, run_on_commit, db):
    response = request_reset(client, run_on_commit, "nobody@test.zk.example")

    assert response.url == reverse("portal:password_reset_done")
    assert mail.outbox == []


def test_investor_changes_password(client, investor):
    client.force_login(investor)

    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("portal:profile")
    assert "Пароль изменён" in response.text
    investor.refresh_from_db()
    assert investor.check_password(NEW_PASSWORD)
    assert get_user(client) == investor  # the session survives the change


def test_wrong_old_password_is_refused_in_russian(client, investor):
    client.force_login(investor)

    response = client.post(
        reverse("portal:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Ваш старый пароль введен неправильно" in response.text
