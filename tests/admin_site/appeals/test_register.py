"""«Зарегистрировать обращение» in the cabinet: an appeal that came by phone, e-mail, letter, visit, ПОС or at an
event, registered by agency staff through the same door as the portal's (issue 10, «Appeals from every channel»)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import AppealChannel, AppealStatus, OrganisationKind
from core.models import Appeal, Organisation
from tests.admin_site.appeals.helpers import card_url, pdf
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory, valid_inn, valid_ogrn

ADD_URL = reverse("admin:core_appeal_add")
LIST_URL = reverse("admin:core_appeal_changelist")


def broken(inn: str) -> str:
    """The same ИНН with a wrong check digit."""
    return inn[:-1] + str((int(inn[-1]) + 1) % 10)


@pytest.fixture
def form(company, problem_fact):
    """What a coordinator types for a phone call from the ready company, received an hour ago."""

    def make(**changes):
        data = {
            "channel": AppealChannel.PHONE,
            "received_at": f"{timezone.localtime() - timedelta(hours=1):%Y-%m-%dT%H:%M}",
            "organisation_inn": company.inn,
            "organisation_ogrn": "",
            "organisation_name": "",
            "contact_name": "Петров Пётр Петрович",
            "contact_email": "petrov@investor.example",
            "contact_phone": "8 (921) 000-11-22",
            "fact": problem_fact.pk,
            "subject": "Подключение к сетям водоснабжения",
            "description": "Позвонил директор: просит помочь с техническими условиями на подключение.",
        }
        data.update(changes)
        return data

    return make


@pytest.mark.parametrize("channel", AppealChannel.staff_registered())
def test_a_coordinator_registers_an_appeal_of_each_channel(login, coordinator, company, form, channel):
    client = login(coordinator)
    response = client.post(ADD_URL, form(channel=channel), follow=True)

    appeal = Appeal.objects.get()
    assert response.redirect_chain[-1][0] == card_url(appeal)
    text = page_text(response)
    assert f"Обращение №{appeal.number} зарегистрировано" in text
    assert (appeal.channel, appeal.status, appeal.organisation) == (channel, AppealStatus.MODERATION, company)
    assert appeal.applicant is None and appeal.registered_by == coordinator == appeal.coordinator
    assert (appeal.contact_name, appeal.contact_phone) == ("Петров Пётр Петрович", "+79210001122")
    # the card says how it came, when, who registered it and whom to answer
    assert str(AppealChannel(channel).label) in text and "Зарегистрировал" in text and coordinator.full_name in text
    assert "Петров Пётр Петрович" in text and "petrov@investor.example" in text


def test_received_in_the_past_counts_the_deadline_from_that_day(login, manager, form):
    with time_machine.travel("2025-03-03 10:00 +03:00", tick=False):
        response = login(manager).post(ADD_URL, form(received_at="2025-02-21T16:40"), follow=True)
    appeal = Appeal.objects.get()
    assert f"{timezone.localtime(appeal.received_at):%d.%m.%Y %H:%M}" == "21.02.2025 16:40"
    assert f"{appeal.deadline:%d.%m.%Y}" == "13.03.2025"  # «Проблема»: 20 calendar days from 21.02.2025
    assert "ответить до 13.03.2025" in page_text(response)


def test_a_future_date_is_refused_and_what_was_typed_stays(login, coordinator, form):
    tomorrow = f"{timezone.localtime() + timedelta(days=1):%Y-%m-%dT%H:%M}"
    response = login(coordinator).post(ADD_URL, form(received_at=tomorrow), follow=True)
    assert response.status_code == 200 and not Appeal.objects.exists()
    text = page_text(response)
    assert "Дата поступления не может быть в будущем" in text
    assert "Обращение не зарегистрировано" in text
    html = response.content.decode()
    assert 'value="Подключение к сетям водоснабжения"' in html and "Позвонил директор" in html


def test_a_wrong_inn_checksum_is_refused_in_russian(login, coordinator, form):
    response = login(coordinator).post(
        ADD_URL, form(organisation_inn=broken(valid_inn()), organisation_name="ООО «Новый завод»"), follow=True
    )
    assert "Неверный ИНН" in page_text(response)
    assert not Appeal.objects.exists() and not Organisation.objects.filter(short_name="ООО «Новый завод»").exists()


def test_an_existing_company_is_found_by_inn_without_a_duplicate(login, coordinator, company, form):
    before = Organisation.objects.count()
    login(coordinator).post(ADD_URL, form(organisation_name="Совсем другое название"), follow=True)
    assert Organisation.objects.count() == before
    assert Appeal.objects.get().organisation_name == company.full_name


def test_a_new_company_is_created_unconfirmed_and_without_users(login, coordinator, form):
    inn, ogrn = valid_inn(), valid_ogrn()
    response = login(coordinator).post(
        ADD_URL, form(organisation_inn=inn, organisation_ogrn=ogrn, organisation_name="ООО «Северный порт»"),
        follow=True,
    )
    company = Organisation.objects.get(inn=inn)
    assert (company.kind, company.ogrn, company.short_name) == (OrganisationKind.INVESTOR, ogrn, "ООО «Северный порт»")
    assert not company.people.exists()  # no portal access comes with it
    assert Appeal.objects.get().organisation == company
    assert "Компания «ООО «Северный порт»» добавлена в систему" in page_text(response)


def test_a_new_company_needs_a_name_and_a_fitting_ogrn(login, coordinator, form):
    response = login(coordinator).post(
        ADD_URL, form(organisation_inn=valid_inn(), organisation_ogrn=broken(valid_ogrn())), follow=True
    )
    text = page_text(response)
    assert "укажите её название" in text and "Неверный ОГРН" in text
    assert not Appeal.objects.exists()


def test_an_agency_or_body_inn_is_not_an_investor(login, coordinator, omsu, form):
    response = login(coordinator).post(ADD_URL, form(organisation_inn=omsu.inn), follow=True)
    assert "а не компании-инвестору" in page_text(response)
    assert not Appeal.objects.exists()


def test_a_contact_needs_an_email_or_a_phone(login, coordinator, form):
    response = login(coordinator).post(ADD_URL, form(contact_email="", contact_phone=""), follow=True)
    assert "Укажите e-mail или телефон контактного лица" in page_text(response)
    assert not Appeal.objects.exists()


def test_files_are_kept_after_an_error(login, coordinator, form):
    response = login(coordinator).post(ADD_URL, {**form(subject=""), "files": [pdf()]}, follow=True)
    assert "Этот файл уже получен: выбирать его снова не нужно." in page_text(response)
    assert not Appeal.objects.exists()


def test_files_are_stored_with_the_appeal(login, coordinator, form):
    login(coordinator).post(ADD_URL, {**form(), "files": [pdf()]}, follow=True)
    assert [f.original_name for f in Appeal.objects.get().files.all()] == ["Схема примыкания.pdf"]


def test_accept_now_assigns_the_manager_in_the_same_step(login, coordinator, manager, head, form):
    response = login(coordinator).post(
        ADD_URL, form(accept_now="on", executor_organisation=manager.organisation_id, manager=manager.pk,
                      head=head.pk),
        follow=True,
    )
    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.manager, appeal.head) == (AppealStatus.ASSIGNED, manager, head)
    assert appeal.executor_organisation == manager.organisation
    assert "Менеджер назначен" in page_text(response) or manager.full_name in page_text(response)


def test_accept_now_without_a_manager_writes_nothing(login, coordinator, manager, form):
    inn = valid_inn()
    response = login(coordinator).post(
        ADD_URL, form(accept_now="on", executor_organisation=manager.organisation_id, organisation_inn=inn,
                      organisation_name="ООО «Пробный»"),
        follow=True,
    )
    assert "Выберите сотрудника" in page_text(response)
    assert not Appeal.objects.exists() and not Organisation.objects.filter(inn=inn).exists()


@pytest.mark.parametrize("role", ["executor", "commissioner", "data_clerk"])
def test_who_may_not_register_gets_403_and_no_button(request, login, role, form):
    client = login(request.getfixturevalue(role))
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, form()).status_code == 403
    assert not Appeal.objects.exists()
    assert ADD_URL not in client.get(LIST_URL).content.decode()


@pytest.mark.parametrize("role", ["coordinator", "manager", "head"])
def test_the_list_leads_to_the_registration_form(request, login, role):
    client = login(request.getfixturevalue(role))
    html = client.get(LIST_URL).content.decode()
    assert f'href="{ADD_URL}"' in html
    page = client.get(ADD_URL)
    assert page.status_code == 200
    text = page_text(page)
    assert "Зарегистрировать обращение" in text and "Канал поступления" in text
    assert "Портал" not in [label for _value, label in page.context["form"].fields["channel"].choices]


def test_the_stream_page_links_back_and_creates_with_the_fact(login, coordinator, executor, problem_fact):
    stream = reverse("admin:core_appeal_stream", args=[problem_fact.pk])
    response = login(coordinator).get(stream)
    html, text = response.content.decode(), page_text(response)
    assert "← К подкатегории" in text and f"subcategory__id__exact={problem_fact.subcategory_id}" in html
    create = f"{ADD_URL}?fact={problem_fact.pk}"
    assert "Создать обращение" in text and f'href="{create}"' in html
    back = login(coordinator).get(f"{reverse('admin:core_fact_changelist')}?subcategory__id__exact="
                                  f"{problem_fact.subcategory_id}")
    assert back.status_code == 200 and problem_fact.name in page_text(back)
    form = login(coordinator).get(create).context["form"]
    assert form["fact"].value() == problem_fact.pk

    assert "Создать обращение" not in page_text(login(executor).get(stream))


def test_the_list_shows_and_filters_the_channel(login, director, coordinator, company, file_appeal, form):
    file_appeal(subject="С портала")
    login(coordinator).post(ADD_URL, form(channel=AppealChannel.LETTER, subject="Письмом"), follow=True)
    client = login(director)
    text = page_text(client.get(LIST_URL))
    assert "Канал поступления" in text and "Портал" in text and "Письмо" in text
    filtered = client.get(LIST_URL + "?channel__exact=letter").context["cl"].result_list
    assert [appeal.subject for appeal in filtered] == ["Письмом"]


def test_the_list_with_the_channel_column_keeps_its_query_count(login, director, coordinator, company, form):
    client = login(coordinator)

    def add(count: int) -> None:
        for index in range(count):
            client.post(ADD_URL, form(subject=f"Обращение {index}", channel=AppealChannel.staff_registered()[
                index % 6]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    add(3)
    client.get(LIST_URL)
    few = queries()
    add(9)
    OrganisationFactory()  # an unrelated company changes nothing
    assert Appeal.objects.count() == 12
    assert queries() == few


def test_a_pos_message_keeps_its_number_and_is_not_registered_twice(login, coordinator, form):
    client = login(coordinator)
    response = client.post(ADD_URL, form(channel=AppealChannel.POS, pos_number="№ 2026-AB/17"), follow=True)
    appeal = Appeal.objects.get()
    assert appeal.pos_number == "2026-AB/17"
    assert "2026-AB/17" in page_text(response)  # the card shows the ПОС number
    again = client.post(ADD_URL, form(channel=AppealChannel.POS, pos_number="2026-AB/17"), follow=True)
    assert Appeal.objects.count() == 1
    assert f"Сообщение ПОС №2026-AB/17 уже зарегистрировано: обращение №{appeal.number}." in page_text(again)


@pytest.mark.parametrize(("changes", "error"), [
    ({"channel": AppealChannel.PHONE, "pos_number": "123"},
     "Номер ПОС бывает только у обращения, поступившего через ПОС."),
    ({"channel": AppealChannel.POS, "pos_number": "12 34"}, "не похож на номер ПОС"),
])
def test_a_wrong_pos_number_is_refused_in_russian(login, coordinator, form, changes, error):
    response = login(coordinator).post(ADD_URL, form(**changes), follow=True)
    assert response.status_code == 200 and not Appeal.objects.exists()
    assert error in page_text(response)
