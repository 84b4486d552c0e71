"""Appeals registered by staff (phone, letter, visit…): who hears about them. A company with portal users follows
the appeal in «Мои обращения» and gets the usual letters; otherwise the contact person's e-mail gets the investor's
letters — with the number and the public text, never a link into a face they have no account for."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.choices import AppealChannel, OrganisationKind
from core.models import Appeal, Notification
from core.services.notifications import notify
from core.services.organisations import investor_get_or_create
from core.workflows.appeals import appeal_submit, appeal_transition
from tests.factories import OrganisationFactory, valid_inn, valid_ogrn

ANSWER = "Технические условия выданы, письмо водоканала направлено вам почтой."
INTERNAL = "Прошу взять в работу до пятницы"


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


@pytest.fixture
def register(coordinator, problem_fact):
    def make(organisation, **fields):
        fields.setdefault("contact_email", "petrov@investor.example")
        return appeal_submit(
            actor=coordinator, organisation=organisation, channel=AppealChannel.LETTER,
            received_at=timezone.now() - timedelta(days=1), contact_name="Петров Пётр Петрович",
            fact=problem_fact, subject="Подключение к водоснабжению", description="Письмо директора завода.",
            **fields,
        )

    return make


def letters_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def answer(appeal, coordinator, manager, head):
    appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head, comment=INTERNAL, text_public=False)
    appeal = act(appeal, "take_into_work", manager)
    appeal = act(appeal, "submit_for_approval", manager, answer_text=ANSWER)
    return act(appeal, "approve", head)


def test_a_company_without_users_is_told_through_its_contact(
    register, coordinator, manager, head, django_capture_on_commit_callbacks
):
    company = OrganisationFactory(kind=OrganisationKind.INVESTOR)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = register(company)
    registered = letters_to("petrov@investor.example")
    assert [message.subject for message in registered] == [f"Обращение №{appeal.number} зарегистрировано"]
    body = registered[0].body
    assert "Здравствуйте, Петров Пётр Петрович!" in body and f"№{appeal.number}" in body
    assert "/cabinet/" not in body and "/admin/" not in body and "Открыть" not in body
    assert coordinator.full_name in body  # whom to ask: the appeal's coordinator
    row = Notification.objects.get(event="appeal_registered")
    assert (row.recipient, row.email, row.channel) == (None, "petrov@investor.example", "email")

    with django_capture_on_commit_callbacks(execute=True):
        answer(appeal, coordinator, manager, head)
    answered = [m for m in letters_to("petrov@investor.example") if "Получен ответ" in m.subject]
    assert len(answered) == 1
    body, html = answered[0].body, answered[0].alternatives[0][0]
    assert ANSWER in body and ANSWER in html
    assert INTERNAL not in body  # the assignment's internal text never reaches the contact
    for text in (body, html):
        assert "/cabinet/" not in text and "/admin/" not in text and "#action-rate" not in text
    assert not Notification.objects.filter(recipient__isnull=True, channel="site").exists()


def test_a_company_with_a_confirmed_investor_hears_through_the_portal(
    register, company, investor, coordinator, manager, head, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = register(company)
        answer(appeal, coordinator, manager, head)
    assert not letters_to("petrov@investor.example")
    subjects = [message.subject for message in letters_to(investor.email)]
    assert f"Обращение №{appeal.number} зарегистрировано" in subjects
    assert f"Получен ответ на обращение №{appeal.number}" in subjects

    client.force_login(investor)
    listing = client.get(reverse("portal:appeal_list"))
    assert listing.status_code == 200 and "Подключение к водоснабжению" in listing.content.decode()
    card = client.get(reverse("portal:appeal_detail", args=[appeal.pk]))
    assert card.status_code == 200 and ANSWER in card.content.decode()


def test_no_contact_email_means_no_letter(register, django_capture_on_commit_callbacks):
    company = OrganisationFactory(kind=OrganisationKind.INVESTOR)
    with django_capture_on_commit_callbacks(execute=True):
        register(company, contact_email="", contact_phone="+7 921 000-11-22")
    assert not mail.outbox and not Notification.objects.filter(event="appeal_registered").exists()


def test_a_contact_letter_is_written_once(register, problem_fact):
    appeal = register(OrganisationFactory(kind=OrganisationKind.INVESTOR))
    for _ in range(2):
        notify(event="appeal_registered", obj=appeal, recipients=[], level="again",
               emails=[("Петров", "petrov@investor.example")])
    assert Notification.objects.filter(event="appeal_registered", level="again").count() == 1


def test_investor_get_or_create_checks_what_it_is_given(coordinator, company, omsu):
    assert investor_get_or_create(inn=company.inn, name="другое", actor=coordinator) == (company, False)
    inn, ogrn = valid_inn(), valid_ogrn()
    created, is_new = investor_get_or_create(inn=f" {inn} ", ogrn=ogrn, name="  ООО  «Новое» ", actor=coordinator)
    assert is_new and (created.inn, created.ogrn, created.short_name, created.kind) == (
        inn, ogrn, "ООО «Новое»", OrganisationKind.INVESTOR)
    cases = [
        ({"inn": "1234567890"}, "organisation_inn"),
        ({"inn": omsu.inn}, "organisation_inn"),
        ({"inn": valid_inn()}, "organisation_name"),
        ({"inn": valid_inn(), "name": "ИП", "ogrn": ogrn}, "organisation_ogrn"),  # taken by «Новое»
        ({"inn": valid_inn(), "name": "ИП", "ogrn": "304500116000157"}, "organisation_ogrn"),  # ОГРНИП, 10-digit ИНН
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as refused:
            investor_get_or_create(actor=coordinator, **kwargs)
        assert field in refused.value.message_dict, kwargs
