"""An investor who has not accepted the consent text in force — an account the agency made, or a text changed since —
is asked to accept it before the portal's pages open, and comes back to the page they asked for."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from core.consent import consent_text, consent_version
from core.models import PersonalDataConsent
from core.roles import Role
from tests.admin_site.helpers import page_text

pytestmark = pytest.mark.django_db
CONSENT = reverse("portal:consent")
APPEALS = reverse("portal:cabinet")


@pytest.fixture
def unconsented(make_user, company):
    """An investor the agency made in the cabinet: no consent recorded."""
    return make_user(Role.INVESTOR, consent=False, organisation=company, email="made-by-staff@test.zk.example")


def test_an_investor_without_consent_is_asked_first_and_comes_back(client, unconsented):
    client.force_login(unconsented)

    asked = client.get(APPEALS + "?status=moderation")
    assert asked.status_code == 302 and asked.url == f"{CONSENT}?next={quote(APPEALS + '?status=moderation', safe='')}"
    page = client.get(asked.url)
    assert "Согласие на обработку персональных данных" in page_text(page)
    assert "в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ" in page.text  # the text in force, as prose
    assert reverse("portal:consent_withdraw") in page.text  # refusing is possible too

    refused = client.post(CONSENT, {"next": APPEALS})
    assert "Без согласия на обработку персональных данных личный кабинет не откроется." in page_text(refused)
    assert not PersonalDataConsent.objects.filter(user=unconsented).exists()

    done = client.post(CONSENT, {"accepted": "on", "next": APPEALS + "?status=moderation"},
                       REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox 140")
    assert done.url == APPEALS + "?status=moderation"
    consent = PersonalDataConsent.objects.get(user=unconsented)
    assert (consent.version, consent.text, consent.ip_address, consent.user_agent) == (
        consent_version(), consent_text(), "10.1.2.3", "Firefox 140")
    assert client.get(APPEALS).status_code == 200
    assert client.get(CONSENT).url == APPEALS  # accepted already: straight on
    client.post(CONSENT, {"accepted": "on"})  # a second tab sends it again
    assert PersonalDataConsent.objects.filter(user=unconsented).count() == 1


def test_a_changed_text_is_asked_for_again_and_the_old_consent_is_kept(client, investor):
    PersonalDataConsent.objects.filter(user=investor).update(version="2025-01-01")
    client.force_login(investor)

    assert client.get(reverse("portal:profile")).url.startswith(CONSENT)
    client.post(CONSENT, {"accepted": "on"})

    assert sorted(PersonalDataConsent.objects.filter(user=investor).values_list("version", flat=True)) == [
        "2025-01-01", consent_version()]
    assert client.get(reverse("portal:profile")).status_code == 200


def test_a_form_sent_before_accepting_is_not_turned_away(client, unconsented):
    """The text changed while the person was typing: what they sent is kept, the next page asks."""
    client.force_login(unconsented)

    response = client.post(reverse("portal:profile"), {"last_name": "Новикова", "first_name": "Анна",
                                                       "middle_name": "", "phone": "+7 900 111-22-33", "position": ""})

    assert response.status_code == 302 and not response.url.startswith(CONSENT)
    unconsented.refresh_from_db()
    assert unconsented.last_name == "Новикова"


def test_the_way_back_stays_on_the_site_and_the_withdrawal_stays_open(client, unconsented):
    client.force_login(unconsented)

    assert client.post(CONSENT, {"accepted": "on", "next": "https://evil.example/"}).url == APPEALS
    PersonalDataConsent.objects.all().delete()
    assert client.get(reverse("portal:consent_withdraw")).status_code == 200


def test_staff_are_not_asked(client, manager):
    client.force_login(manager)

    assert client.get(APPEALS).url == reverse("admin:index")


def test_the_consent_names_the_operator_of_the_installed_region_with_its_address(client, settings):
    """152-ФЗ art. 9 part 4: the consent names the operator who receives it and its address. The text names the
    region pack's agency; the registration page shows that paragraph."""
    settings.REGION_PACK = "test_zarechye"
    operator = ("Оператор персональных данных: Корпорация развития Заречной области, адрес: г. Заречинск, "
                "пр. Первопроходцев, д. 7, адрес электронной почты: invest@zarechye.example.")
    assert operator in " ".join(consent_text().split())
    assert operator in page_text(client.get(reverse("portal:register")))

    settings.REGION_PACK = "leningrad"  # no address in the pack: the name and the e-mail (and check --deploy warns)
    assert ("Оператор персональных данных: Агентство экономического развития Ленинградской области, адрес "
            "электронной почты: aerlo@lenoblinvest.ru.") in " ".join(consent_text().split())


def test_another_operator_is_a_new_text_the_investor_accepts_again(client, investor, settings):
    """The version carries a digest of the text: an agency that writes its address into the pack (or a new agency)
    asks every investor to accept the text naming it; what they accepted before stays as it was."""
    settings.REGION_PACK = "leningrad"
    before = PersonalDataConsent.objects.get(user=investor)
    assert before.version == consent_version()
    client.force_login(investor)
    assert client.get(reverse("portal:profile")).status_code == 200

    settings.REGION_PACK = "test_zarechye"
    assert consent_version() != before.version
    assert client.get(reverse("portal:profile")).url.startswith(CONSENT)
    assert "Корпорация развития Заречной области" in page_text(client.get(CONSENT))
    client.post(CONSENT, {"accepted": "on"})
    accepted = PersonalDataConsent.objects.filter(user=investor).exclude(pk=before.pk).get()
    assert (accepted.version, accepted.text) == (consent_version(), consent_text())
    assert "Корпорация развития Заречной области" in accepted.text
    assert PersonalDataConsent.objects.get(pk=before.pk).text == before.text
    assert client.get(reverse("portal:profile")).status_code == 200
