from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from core.services.accounts import email_confirmation_link
from core.tasks import send_email_confirmation
from tests.factories import UserFactory
from tests.portal.support import link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(make_user, company):
    return make_user(Role.INVESTOR, organisation=company, email="newcomer@test.zk.example", email_confirmed_at=None)


def confirmation_path(user) -> str:
    return email_confirmation_link(user=user).removeprefix(settings.SITE_URL)


def test_valid_link_confirms_the_email(client, newcomer):
    response = client.get(confirmation_path(newcomer), follow=True)

    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is not None
    assert response.redirect_chain[-1][0] == reverse("portal:login")
    assert "Электронная почта подтверждена" in response.text


def test_opening_the_link_twice_is_harmless(client, newcomer):
    path = confirmation_path(newcomer)
    client.get(path)
    newcomer.refresh_from_db()
    first = newcomer.email_confirmed_at

    assert client.get(path).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at == first


def test_tampered_link_is_refused(client, newcomer):
    path = confirmation_path(newcomer)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = reverse("portal:confirm_email", args=[token[:-2] + ("AA" if token[-2:] != "AA" else "BB")])

    response = client.get(tampered)

    assert response.status_code == 400
    assert "Ссылка недействительна" in response.text
    assert "Отправить письмо повторно" in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None


def test_expired_link_is_refused(client, newcomer):
    path = confirmation_path(newcomer)
    later = timezone.now() + timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE + 60)

    with time_machine.travel(later):
        response = client.get(path)

    assert response.status_code == 400
    assert "Срок действия ссылки истёк" in response.text
    assert reverse("portal:resend_confirmation") in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None


def test_link_stops_working_when_the_email_changes(client, newcomer):
    path = confirmation_path(newcomer)
    newcomer.email = "changed@test.zk.example"
    newcomer.save()

    assert client.get(path).status_code == 400


def test_resend_sends_a_fresh_working_link(client, newcomer, run_on_commit):
    with run_on_commit():
        response = client.post(reverse("portal:resend_confirmation"), {"email": "NEWCOMER@test.zk.example"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [newcomer.email]
    client.get(link_path(mail.outbox[0]))
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed


@pytest.mark.parametrize("email", ["nobody@test.zk.example", "investor@test.zk.example"])
def test_resend_is_silent_for_unknown_or_confirmed_addresses(client, investor, run_on_commit, email):
    with run_on_commit():
        response = client.post(reverse("portal:resend_confirmation"), {"email": email}, follow=True)

    assert mail.outbox == []
    assert "Если этот адрес зарегистрирован" in response.text


def test_resend_page_prefills_the_email(client):
    response = client.get(reverse("portal:resend_confirmation"), {"email": "someone@test.zk.example"})

    assert 'value="someone@test.zk.example"' in response.text


def test_task_for_a_deleted_or_confirmed_user_sends_nothing():
    send_email_confirmation(987654)
    send_email_confirmation(UserFactory().pk)

    assert mail.outbox == []
