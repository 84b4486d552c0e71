"""The investor withdraws consent on the portal: confirmed with the password, logged out, erased; the company keeps
its appeals and the staff card no longer names the person."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from core.models import Appeal, User
from core.services.personal_data import WITHDRAWAL_EVENT
from tests.admin_site.helpers import page_text
from tests.portal.support import PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("portal:consent_withdraw")


def test_the_profile_links_to_the_withdrawal_page_which_warns_in_russian(client, investor):
    client.force_login(investor)

    assert URL in client.get(reverse("portal:profile")).text
    page = client.get(URL).text
    assert "Отзыв согласия на обработку персональных данных" in page
    assert "Это действие нельзя отменить." in page
    assert "Обращения, проекты и их история останутся у вашей компании" in page
    assert 'type="password"' in page


def test_wrong_password_gets_a_russian_error_and_changes_nothing(client, investor):
    client.force_login(investor)

    response = client.post(URL, {"password": "не тот пароль"})

    assert response.status_code == 200
    assert "Неверный пароль. Согласие не отозвано." in response.text
    fresh = User.objects.get(pk=investor.pk)
    assert (fresh.email, fresh.last_name, fresh.is_active) == (investor.email, investor.last_name, True)
    assert get_user(client).is_authenticated


def test_withdrawal_logs_out_closes_the_account_and_keeps_the_appeals(client, investor, file_appeal, coordinator):
    investor.last_name, investor.first_name = "Зябликова", "Ольга"
    investor.save()
    appeal = file_appeal()
    email = investor.email
    staff = Client()
    staff.force_login(coordinator)
    card_url = reverse("admin:core_appeal_change", args=[appeal.pk])
    assert "Зябликова Ольга" in page_text(staff.get(card_url))  # the card names the applicant before
    other_device = Client()
    other_device.force_login(investor)
    client.force_login(investor)

    response = client.post(URL, {"password": PASSWORD}, follow=True)

    assert "Согласие на обработку персональных данных отозвано" in response.text
    assert not get_user(client).is_authenticated
    assert not get_user(other_device).is_authenticated  # every session of the account is over
    login = client.post(reverse("portal:login"), {"username": email, "password": PASSWORD})
    assert login.status_code == 200 and not get_user(client).is_authenticated
    assert Appeal.objects.filter(pk=appeal.pk, organisation=investor.organisation, applicant=investor).exists()

    card = page_text(staff.get(card_url))
    assert "Зябликова" not in card and "Ольга" not in card and email not in card
    assert "Персональные данные удалены" in card

    entry = LogEntry.objects.get(additional_data__event=WITHDRAWAL_EVENT)
    assert entry.actor_id == investor.pk
