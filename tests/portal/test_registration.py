import re

import pytest
from django.core import mail
from django.urls import reverse

from core.choices import OrganisationKind
from core.consent import consent_text, consent_version
from core.models import Organisation, PersonalDataConsent, User
from core.roles import Role
from tests.factories import OrganisationFactory, valid_ogrn
from tests.portal.support import VALID_INN, VALID_OGRN, link_path

pytestmark = pytest.mark.django_db


def test_registration_creates_unconfirmed_investor_company_consent_and_sends_link(client, register):
    response = register()

    assert response.status_code == 302
    assert response.url == reverse("portal:registration_done")
    user = User.objects.get()
    assert user.email == "o.zyablikova@severny-terminal.example"
    assert (user.last_name, user.first_name, user.middle_name) == ("Зябликова", "Ольга", "Игоревна")
    assert (user.phone, user.position) == ("+7 921 555-01-02", "Генеральный директор")
    assert user.check_password("Zelenyi-koridor-2025")
    assert not user.is_staff and not user.is_superuser
    assert user.email_confirmed_at is None
    assert user.has_role(Role.INVESTOR)

    company = user.organisation
    assert company.kind == OrganisationKind.INVESTOR
    assert (company.inn, company.ogrn) == (VALID_INN, VALID_OGRN)
    assert company.short_name == "ООО «Северный терминал»"

    consent = PersonalDataConsent.objects.get()
    assert consent.user == user
    assert (consent.version, consent.text) == (consent_version(), consent_text())
    assert consent.ip_address == "127.0.0.1"
    assert consent.user_agent == "pytest-browser/1.0"
    assert consent.given_at is not None

    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [user.email]
    assert "Подтвердите электронную почту" in letter.subject
    assert letter.alternatives and "text/html" in letter.alternatives[0][1]

    done = client.get(response.url)
    assert "o.zyablikova@severny-terminal.example" in done.text

    confirmed = client.get(link_path(letter))
    assert confirmed.status_code == 302
    assert confirmed.url == reverse("portal:login")
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_second_person_joins_the_company_with_the_same_inn(register):
    company = OrganisationFactory(kind=OrganisationKind.INVESTOR, inn=VALID_INN, ogrn=VALID_OGRN)

    response = register(full_name="", short_name="")

    assert response.status_code == 302
    assert Organisation.objects.filter(inn=VALID_INN).count() == 1
    assert User.objects.get().organisation == company


def test_joining_works_without_ogrn(register):
    company = OrganisationFactory(kind=OrganisationKind.INVESTOR, inn=VALID_INN, ogrn=VALID_OGRN)

    register(ogrn="")

    assert User.objects.get().organisation == company


def test_mismatching_ogrn_for_a_known_inn_is_refused(register):
    OrganisationFactory(kind=OrganisationKind.INVESTOR, inn=VALID_INN, ogrn=valid_ogrn())

    response = register()

    assert response.status_code == 200
    assert "ОГРН не совпадает" in response.text
    assert not User.objects.exists()
    assert not PersonalDataConsent.objects.exists()
    assert mail.outbox == []


def test_inn_of_a_participant_body_is_refused(register):
    OrganisationFactory(kind=OrganisationKind.OIV, inn=VALID_INN, ogrn=VALID_OGRN)

    response = register()

    assert "не может принимать регистрации инвесторов" in response.text
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("inn", "9704098568", "Неверный ИНН"),
        ("ogrn", "1217700535679", "Неверный ОГРН"),
        ("phone", "позвоните мне", "Неверный номер телефона"),
        ("password_repeat", "Something-else-2025", "Пароли не совпадают"),
        ("password", "12345", "Введённый пароль слишком короткий"),
        ("email", "not-an-email", "Введите правильный адрес электронной почты"),
    ],
)
def test_bad_input_saves_nothing_and_keeps_typed_values(register, field, value, message):
    changes = {field: value, "password_repeat": value} if field == "password" else {field: value}
    response = register(**changes)

    assert response.status_code == 200
    assert message in response.text
    assert 'value="Зябликова"' in response.text
    assert 'value="ООО «Северный терминал»"' in response.text
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
    assert not PersonalDataConsent.objects.exists()
    assert mail.outbox == []


def _page(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)


def test_a_registered_email_gets_the_same_answer_and_its_owner_a_letter(client, register, roles):
    """The same form twice: the first creates the account, the second (the address now taken, typed in capitals)
    answers identically — same redirect, same page — and nothing is created; the owner gets a letter."""
    first = register()
    first_page = client.get(first.url)
    client.cookies.clear()
    again = register(email="O.ZYABLIKOVA@SEVERNY-TERMINAL.EXAMPLE")
    again_page = client.get(again.url)

    done = (302, reverse("portal:registration_done"))
    assert (again.status_code, again.url) == (first.status_code, first.url) == done
    assert _page(again_page) == _page(first_page)
    assert "o.zyablikova@severny-terminal.example" in again_page.text
    assert User.objects.count() == 1
    assert PersonalDataConsent.objects.count() == 1

    confirmation, attempt = mail.outbox
    assert "Подтвердите электронную почту" in confirmation.subject
    assert attempt.to == ["o.zyablikova@severny-terminal.example"]
    assert attempt.subject == "Попытка регистрации с вашим адресом — «Зелёный коридор»"
    assert "Кто-то пытался зарегистрироваться" in attempt.body
    assert "новая не создана" in attempt.body
    assert "Адрес ещё не подтверждён" in attempt.body  # the owner never confirmed: how to get a new link
    assert attempt.alternatives and "Кто-то пытался зарегистрироваться" in attempt.alternatives[0][0]
    reset = client.get(link_path(attempt))  # the reset link works: Django moves the token into the session
    assert reset.status_code == 302
    assert "set-password" in reset.url


def test_invalid_input_is_refused_alike_for_a_taken_and_a_free_address(register, investor):
    """The service's own checks (a new company needs its names) run and answer the same either way."""
    taken = register(email=investor.email, full_name="", short_name="")
    free = register(email="free@test.zk.example", full_name="", short_name="")

    assert taken.status_code == free.status_code == 200
    assert "Укажите полное наименование" in taken.text
    assert "Пользователь с такой электронной почтой" not in taken.text
    assert _page(taken).replace(investor.email, "free@test.zk.example") == _page(free)
    assert mail.outbox == []


@pytest.mark.usefixtures("mid_hour")
def test_the_owner_letters_are_limited_per_address(register, investor):
    answers = [register(email=investor.email).status_code for _ in range(5)]

    assert answers == [302] * 5  # always the same answer; only the letters stop
    assert [letter.to for letter in mail.outbox] == [[investor.email]] * 3
    assert User.objects.filter(email__iexact=investor.email).count() == 1
    assert not Organisation.objects.filter(inn=VALID_INN).exists()


@pytest.mark.usefixtures("mid_hour")
def test_registrations_from_one_address_are_limited(client, register, investor, settings):
    settings.ACCOUNT_REQUESTS_PER_IP_HOUR = 2
    answers = [register(email=email) for email in ("a@test.zk.example", investor.email)]
    client.logout()
    third_free, third_taken = register(email="b@test.zk.example"), register(email=investor.email)

    assert [answer.status_code for answer in answers] == [302, 302]
    assert third_free.status_code == third_taken.status_code == 429
    assert "Слишком много регистраций с вашего подключения" in third_free.text
    assert _page(third_taken).replace(investor.email, "b@test.zk.example") == _page(third_free)
    assert not User.objects.filter(email="b@test.zk.example").exists()


def test_missing_consent_saves_nothing(register):
    response = register(consent_accepted=None)

    assert response.status_code == 200
    assert "Без согласия на обработку персональных данных регистрация невозможна" in response.text
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
    assert not PersonalDataConsent.objects.exists()
    assert mail.outbox == []


def test_new_company_needs_its_names(register):
    response = register(full_name="", short_name="")

    assert "Укажите полное наименование" in response.text
    assert "Укажите краткое наименование" in response.text
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_registration_page_shows_the_consent_text(client):
    response = client.get(reverse("portal:register"))

    assert "152-ФЗ" in response.text
    # its paragraphs read as prose: the source's line wrapping is not carried onto the page
    assert "в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ" in response.text
    assert 'name="consent_accepted"' in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text


def test_a_person_joining_an_existing_company_waits_for_the_agency(client, register, make_user, manager):
    from core.roles import Role
    from core.selectors.visibility import organisations_visible_to, users_visible_to
    from tests.factories import UserFactory

    company = OrganisationFactory(kind=OrganisationKind.INVESTOR, inn=VALID_INN, ogrn=VALID_OGRN,
                                  personal_manager=manager)
    colleague = UserFactory(organisation=company)
    register(full_name="", short_name="")
    newcomer = User.objects.get(email="o.zyablikova@severny-terminal.example")
    assert not newcomer.membership_confirmed
    assert not organisations_visible_to(newcomer).exists()  # the ИНН is public: typing it reveals nothing
    assert list(users_visible_to(newcomer)) == [newcomer]

    newcomer.email_confirmed_at = newcomer.date_joined
    newcomer.save()
    client.force_login(newcomer)
    page = client.get(reverse("portal:cabinet")).content.decode()
    assert "Агентство проверяет, что вы представляете эту компанию" in page
    assert manager.email not in page  # the company's personal manager is not shown yet

    staff = client.__class__()
    staff.force_login(manager)
    response = staff.post(
        reverse("admin:core_user_changelist"), {"action": "confirm_membership", "_selected_action": [newcomer.pk]}
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.membership_confirmed
    assert set(users_visible_to(newcomer)) == {newcomer, colleague}
    assert manager.email in client.get(reverse("portal:cabinet")).content.decode()
    assert make_user(Role.EXECUTOR).has_perm("core.confirm_membership") is False


def test_the_first_person_of_a_new_company_is_its_confirmed_member(register):
    register()
    assert User.objects.get().membership_confirmed
