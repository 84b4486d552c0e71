"""«Отозвать согласие по заявлению»: an administrator carries out a withdrawal an investor sent on paper, from the
person's page; the same erasure as the portal's button, recorded with the administrator and the request."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from core.models import Appeal, PersonalDataConsent
from core.roles import Role
from core.services.personal_data import PLACEHOLDER, WITHDRAWAL_EVENT, withdrawn_email
from tests.admin_site.helpers import page_text

pytestmark = pytest.mark.django_db
BASIS = "заявление вх. № 124 от 01.12.2026, получено почтой"


def withdraw_url(user) -> str:
    return reverse("admin:core_user_consent_withdraw", args=[user.pk])


def change_url(user) -> str:
    return reverse("admin:core_user_change", args=[user.pk])


def test_an_administrator_withdraws_an_investors_consent_on_a_paper_request(login, administrator, investor,
                                                                             file_appeal):
    appeal = file_appeal(subject="Подключение к сетям")
    assert PersonalDataConsent.objects.filter(user=investor, withdrawn_at=None).exists()  # given at registration
    their_browser = Client()
    their_browser.force_login(investor)
    email, name = investor.email, investor.full_name
    cabinet = login(administrator)

    assert withdraw_url(investor) in cabinet.get(change_url(investor)).text  # the button on the person's page
    page = page_text(cabinet.get(withdraw_url(investor)))
    assert "Это действие нельзя отменить." in page and "Основание" in page
    response = cabinet.post(withdraw_url(investor), {"basis": f"  {BASIS} "}, follow=True)

    assert response.redirect_chain[-1][0] == change_url(investor)
    assert (f"{name}: согласие отозвано по заявлению, персональные данные удалены, учётная запись закрыта."
            in page_text(response))
    investor.refresh_from_db()
    assert (investor.last_name, investor.first_name, investor.phone) == (str(PLACEHOLDER), "", "")
    assert investor.email == withdrawn_email(investor) and not investor.is_active
    assert not PersonalDataConsent.objects.filter(user=investor, withdrawn_at=None).exists()
    assert Appeal.objects.get(pk=appeal.pk).applicant_id == investor.pk  # the company keeps its appeal
    assert their_browser.get(reverse("portal:cabinet")).status_code == 302  # their session is over
    entry = LogEntry.objects.get(additional_data__event=WITHDRAWAL_EVENT)
    assert (entry.actor_id, entry.actor_email, entry.object_pk) == (administrator.pk, administrator.email,
                                                                    str(investor.pk))
    assert entry.additional_data["basis"] == BASIS
    assert not LogEntry.objects.filter(changes__icontains=email).exists()  # the log forgot the old address
    # done once: the button is gone, the page only shows the account, and the form sent again (a second tab) does
    # nothing more but says so on the person's page
    after = cabinet.get(change_url(investor))
    assert withdraw_url(investor) not in after.text and "Сохранить" not in page_text(after)
    assert cabinet.post(change_url(investor), {"email": email, "last_name": "Вернули"}).status_code == 403
    again = cabinet.post(withdraw_url(investor), {"basis": BASIS}, follow=True)
    assert again.redirect_chain[-1][0] == change_url(investor)
    assert "Согласие уже отозвано: персональные данные удалены, учётная запись закрыта." in page_text(again)
    assert cabinet.get(withdraw_url(investor)).url == change_url(investor)
    assert LogEntry.objects.filter(additional_data__event=WITHDRAWAL_EVENT).count() == 1


@pytest.mark.parametrize("basis", ["", "   ", "з" * 301])
def test_without_a_proper_basis_nothing_changes(login, administrator, investor, basis):
    response = login(administrator).post(withdraw_url(investor), {"basis": basis})

    assert response.status_code == 200
    text = page_text(response)
    assert "Укажите основание: заявление, его номер и дату." in text or "не более 300 символов" in text
    investor.refresh_from_db()
    assert investor.is_active and investor.last_name != str(PLACEHOLDER)
    assert not LogEntry.objects.filter(additional_data__event=WITHDRAWAL_EVENT).exists()


def test_a_staff_account_has_no_such_button_and_is_refused(login, administrator, manager):
    cabinet = login(administrator)

    assert withdraw_url(manager) not in cabinet.get(change_url(manager)).text
    assert cabinet.get(withdraw_url(manager)).status_code == 403
    assert cabinet.post(withdraw_url(manager), {"basis": BASIS}).status_code == 403
    manager.refresh_from_db()
    assert manager.is_active


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DIRECTOR, Role.DATA_CLERK, Role.HEAD, Role.COORDINATOR])
def test_only_administrators_see_and_reach_it(login, users_by_role, investor, role):
    cabinet = login(users_by_role[role])
    page = cabinet.get(change_url(investor))

    assert page.status_code in (200, 302, 403) and withdraw_url(investor) not in page.text
    assert cabinet.post(withdraw_url(investor), {"basis": BASIS}).status_code == 403
    investor.refresh_from_db()
    assert investor.is_active
