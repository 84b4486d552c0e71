"""«Мои обращения», «Создать обращение», «Написать директору» and downloads in the investor portal."""

import json
import re
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from core.models import Appeal, Category, Fact, Organisation, Subcategory
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
SEED_FILE_NAME = "ЗУ западнее участка 226.png"


def create_data(chosen: Fact, **changes) -> dict:
    data = {
        "category": chosen.subcategory.category_id,
        "subcategory": chosen.subcategory_id,
        "fact": chosen.pk,
        "subject": "Согласование съезда на промышленную улицу",
        "description": "Получен отказ в согласовании проекта съезда. Просим организовать встречу по ВКС.",
    }
    company = Organisation.objects.filter(short_name="ООО «Инвестор»").first()  # the `company` fixture
    if company is not None:
        data |= {"organisation_name": company.full_name, "organisation_inn": company.inn}
    return {**data, **changes}


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


# --- «Мои обращения» ---------------------------------------------------------------------------------------------
@time_machine.travel("2025-02-21 12:47 +03:00", tick=False)
def test_list_shows_the_company_appeals_with_status_and_deadline(logged_in, file_appeal, other_investor):
    mine = file_appeal(subject="Подключение к электрическим сетям")
    file_appeal(applicant=other_investor, subject="Чужое обращение о дороге")

    response = logged_in.get(reverse("portal:appeal_list"))

    text = response.text
    assert f"№{mine.number}" in text
    assert "Подключение к электрическим сетям" in text
    assert "21.02.2025" in text
    assert "ответ до 13.03.2025" in text
    assert '<span class="badge badge-info appeal-status">Обращение поступило на модерацию</span>' in text
    assert reverse("portal:appeal_detail", args=[mine.pk]) in text
    assert reverse("portal:appeal_create") in text
    assert "Чужое обращение" not in text
    assert "просрочено" not in text


def test_the_cabinet_opens_on_my_appeals(logged_in, file_appeal):
    appeal = file_appeal()

    response = logged_in.get(reverse("portal:cabinet"))

    assert 'aria-current="page">Мои обращения' in response.text
    assert f"№{appeal.number}" in response.text


def test_overdue_appeals_are_marked(logged_in, file_appeal):
    with time_machine.travel("2025-02-21 12:47 +03:00", tick=False):
        file_appeal()

    with time_machine.travel("2025-03-14 09:00 +03:00", tick=False):
        response = logged_in.get(reverse("portal:appeal_list"))

    assert "ответ до 13.03.2025" in response.text
    assert "просрочено" in response.text


def test_empty_list_invites_to_file_an_appeal(logged_in):
    response = logged_in.get(reverse("portal:appeal_list"))

    assert "У вашей компании пока нет обращений" in response.text
    assert reverse("portal:appeal_create") in response.text


def test_list_queries_do_not_grow_with_the_number_of_appeals(logged_in, file_appeal):
    file_appeal()
    with CaptureQueriesContext(connection) as one:
        logged_in.get(reverse("portal:appeal_list"))
    for _ in range(6):
        file_appeal()
    with CaptureQueriesContext(connection) as seven:
        logged_in.get(reverse("portal:appeal_list"))

    assert len(seven) == len(one)


def test_list_is_paginated(logged_in, file_appeal, settings):
    settings.COMPANY_APPEALS_PER_DAY = 30  # 22 appeals in one day: above the company's daily limit of 20
    appeals = [file_appeal(subject=f"Обращение о площадке {n:02d}") for n in range(22)]

    first = logged_in.get(reverse("portal:appeal_list")).text
    second = logged_in.get(reverse("portal:appeal_list") + "?page=2").text

    assert "Страница 1 из 2" in first
    assert appeals[-1].subject in first and appeals[0].subject not in first
    assert appeals[0].subject in second and appeals[-1].subject not in second


# --- «Создать обращение» -----------------------------------------------------------------------------------------
def test_the_selects_narrow_by_get_steps_without_javascript(logged_in, investor, classifier):
    category = Category.objects.get(code="01")
    subcategory = Subcategory.objects.get(code="01.02")
    url = reverse("portal:appeal_create")

    start = logged_in.get(url).text
    # the categories by their short names: the seven federal names all begin «Вопросы бизнеса, связанные с…»
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', start[start.index('name="category"'):
                                                                          start.index('name="subcategory"')])
    assert options == list(Category.objects.filter(is_active=True).order_by("order", "name")
                           .values_list("short_name", flat=True))
    assert category.short_name in start and "Вопросы бизнеса, связанные с" not in start
    Category.objects.filter(pk=category.pk).update(short_name="")  # none given: the full name
    assert category.name in logged_in.get(url).text
    assert "— сначала выберите категорию —" in start
    assert "Показать подкатегории" in start
    assert f'value="{investor.organisation.inn}"' in start  # ИНН and name prefilled from the company
    assert investor.organisation.full_name in start

    with_category = logged_in.get(url, {"category": category.pk}).text
    assert "Меры государственной поддержки инвестора" in with_category
    assert subcategory.name in with_category
    assert "Подбор персонала" not in with_category  # another category's subcategory
    assert "— сначала выберите подкатегорию —" in with_category

    with_subcategory = logged_in.get(url, {"category": category.pk, "subcategory": subcategory.pk}).text
    fact = subcategory.facts.get()
    assert fact.name in with_subcategory
    assert "Разъяснить порядок получения статуса" not in with_subcategory  # a fact of the other subcategory


def test_a_changed_category_drops_the_choices_below_it(logged_in, classifier):
    other = Category.objects.get(code="02")
    subcategory = Subcategory.objects.get(code="01.02")

    text = logged_in.get(reverse("portal:appeal_create"), {"category": other.pk, "subcategory": subcategory.pk}).text

    assert "Подбор персонала" in text
    assert subcategory.name not in text


def test_only_active_classifier_items_are_offered(logged_in, classifier):
    Fact.objects.filter(code="01.01.001").update(is_active=False)
    Category.objects.filter(code="07").update(is_active=False)
    first = Subcategory.objects.get(code="01.01")

    text = logged_in.get(reverse("portal:appeal_create"), {"category": first.category_id, "subcategory": first.pk}).text

    assert "Разъяснить порядок получения статуса" not in text
    assert "Требуется содействие в получении льготного займа" in text
    assert Category.objects.get(code="07").name not in text


def test_a_step_button_reloads_the_narrowed_form_and_keeps_the_typed_text(logged_in, problem_fact):
    data = create_data(problem_fact, subcategory="", fact="", step="category")

    response = logged_in.post(reverse("portal:appeal_create"), data)

    assert response.status_code == 200
    assert problem_fact.subcategory.name in response.text
    assert "Получен отказ в согласовании проекта съезда" in response.text
    assert "Проверьте форму" not in response.text
    assert not Appeal.objects.exists()


def test_the_script_gets_the_classifier_and_is_our_own(logged_in, problem_fact):
    text = logged_in.get(reverse("portal:appeal_create")).text

    tree = json.loads(re.search(r'<script id="classifier-data" type="application/json">(.*?)</script>', text).group(1))
    road = next(category for category in tree if category["id"] == problem_fact.subcategory.category_id)
    assert problem_fact.name in [fact["name"] for fact in road["subcategories"][0]["facts"]]
    assert "Проблема" in road["subcategories"][0]["facts"][-1]["hint"]
    hint = next(fact["hint"] for fact in road["subcategories"][0]["facts"] if fact["id"] == problem_fact.pk)
    assert "Срок ответа — 20 дней (календарные дни)." in hint  # a word, not «20 дн.»
    assert '<script src="/static/portal/appeal-form.js" defer></script>' in text
    # every script and style is the project's own (no CDN); the footer may link to the agency's site
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', text)


@time_machine.travel("2025-02-21 12:47 +03:00", tick=False)
def test_investor_files_an_appeal_with_a_pdf(logged_in, investor, problem_fact):
    data = create_data(problem_fact, files=[SimpleUploadedFile("Схема съезда.pdf", PDF)])

    response = logged_in.post(reverse("portal:appeal_create"), data, follow=True)

    appeal = Appeal.objects.get()
    assert response.redirect_chain == [(reverse("portal:appeal_detail", args=[appeal.pk]), 302)]
    assert f"Обращение №{appeal.number} зарегистрировано. Ответ будет дан до 13.03.2025." in response.text
    assert (appeal.applicant, appeal.fact, appeal.organisation) == (investor, problem_fact, investor.organisation)
    assert appeal.organisation_inn == investor.organisation.inn
    assert appeal.organisation_name == investor.organisation.full_name
    file = appeal.files.get()
    assert (file.original_name, file.content_type) == ("Схема съезда.pdf", "application/pdf")
    assert "Схема съезда.pdf" in response.text
    assert "ответ до 13.03.2025" in response.text


def test_a_pdf_whose_content_is_png_is_refused_and_the_text_kept(logged_in, problem_fact):
    data = create_data(problem_fact, files=[SimpleUploadedFile("Схема.pdf", PNG)])

    response = logged_in.post(reverse("portal:appeal_create"), data)

    assert response.status_code == 200
    assert "Файл «Схема.pdf» не похож на PDF" in response.text
    assert "Получен отказ в согласовании проекта съезда" in response.text
    assert "уже получен" not in response.text  # a refused file is not kept (tests/core/test_held_uploads.py)
    assert not Appeal.objects.exists()


def test_an_empty_file_is_named_beside_every_other_files_problem(logged_in, problem_fact):
    """An empty file used to stop the check with Django's «Отправленный файл пуст.», naming no file and hiding the
    others' problems until it was removed."""
    data = create_data(problem_fact, files=[SimpleUploadedFile("Пустой.pdf", b""),
                                            SimpleUploadedFile("Схема.pdf", PNG),
                                            SimpleUploadedFile("virus.exe", b"MZ\x90\x00")])

    response = logged_in.post(reverse("portal:appeal_create"), data)

    assert response.status_code == 200
    for message in ("Файл «Пустой.pdf» пустой.", "Файл «Схема.pdf» не похож на PDF", "Файл «virus.exe»"):
        assert message in response.text, message
    assert "Отправленный файл пуст" not in response.text
    assert not Appeal.objects.exists()


def test_empty_form_errors_are_russian_and_nothing_is_saved(logged_in, classifier):
    response = logged_in.post(reverse("portal:appeal_create"), {"organisation_inn": "123"})

    assert "Обязательное поле" in response.text
    assert "Неверный ИНН" in response.text
    assert_russian(response.text)
    assert not Appeal.objects.exists()


def test_a_fact_outside_the_chosen_subcategory_is_refused(logged_in, problem_fact):
    other = Fact.objects.get(code="01.01.001")

    response = logged_in.post(reverse("portal:appeal_create"), create_data(problem_fact, fact=other.pk))

    assert "Выберите корректный вариант" in response.text
    assert not Appeal.objects.exists()


def test_a_cyrillic_file_name_survives_the_round_trip(logged_in, problem_fact):
    data = create_data(problem_fact, files=[SimpleUploadedFile(SEED_FILE_NAME, PNG)])
    logged_in.post(reverse("portal:appeal_create"), data)
    file = Appeal.objects.get().files.get()

    page = logged_in.get(reverse("portal:appeal_detail", args=[file.appeal_id])).text
    response = logged_in.get(reverse("portal:appeal_file", args=[file.pk]))

    assert SEED_FILE_NAME in page and reverse("portal:appeal_file", args=[file.pk]) in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(SEED_FILE_NAME)}"
    # stored under a random name, nothing of the original in it ("226" once matched the random hex itself)
    assert re.fullmatch(r"appeals/\d{4}/\d{2}/[0-9a-f]{32}\.png", file.file.name), file.file.name


# --- «Написать директору» ----------------------------------------------------------------------------------------
def test_the_director_card_links_to_the_letter_form(logged_in):
    text = logged_in.get(reverse("portal:cabinet")).text

    assert f'<a href="{reverse("portal:appeal_director")}">Написать директору</a>' in text


def test_writing_to_the_director_files_an_appeal_routed_to_the_director(logged_in, director, problem_fact):
    form = logged_in.get(reverse("portal:appeal_director")).text
    assert "<h1>Написать директору</h1>" in form
    assert "приёмную директора" in form

    response = logged_in.post(reverse("portal:appeal_director"), create_data(problem_fact), follow=True)

    appeal = Appeal.objects.get()
    assert appeal.to_director and appeal.head == director
    assert appeal.executor_organisation == director.organisation
    assert f"Обращение №{appeal.number} зарегистрировано" in response.text
    listing = logged_in.get(reverse("portal:appeal_list")).text
    assert '<span class="tag">Директору</span>' in listing


def test_another_companys_inn_is_refused_and_nothing_is_filed(logged_in, investor, other_company, problem_fact):
    """Trial: an investor typed another company's name and ИНН; the list then showed the other company."""
    data = create_data(problem_fact, organisation_name=other_company.full_name, organisation_inn=other_company.inn)

    response = logged_in.post(reverse("portal:appeal_create"), data)

    assert response.status_code == 200
    assert "ИНН не совпадает с ИНН вашей компании" in response.text
    assert not Appeal.objects.exists()


def test_the_applicants_company_is_written_whatever_name_is_typed(logged_in, investor, problem_fact):
    logged_in.post(reverse("portal:appeal_create"), create_data(problem_fact, organisation_name="ООО «Чужое имя»"))

    appeal = Appeal.objects.get()
    assert (appeal.organisation_name, appeal.organisation_inn) == (
        investor.organisation.full_name, investor.organisation.inn)
    listing = logged_in.get(reverse("portal:appeal_list")).text
    assert "Чужое имя" not in listing


def test_the_company_name_is_shown_not_typed(logged_in, investor, problem_fact):
    """The name is the company's own: the form shows it in a box that cannot be edited, and says whom to tell."""
    page = logged_in.get(reverse("portal:appeal_create")).text
    field = re.search(r'<input[^>]*name="organisation_name"[^>]*>', page).group(0)
    assert "disabled" in field and f'value="{escape(investor.organisation.full_name)}"' in field
    assert "сообщите персональному менеджеру" in page
    # a form shown again with an error still shows the company's name
    again = logged_in.post(reverse("portal:appeal_create"), create_data(problem_fact, subject="")).text
    field = re.search(r'<input[^>]*name="organisation_name"[^>]*>', again).group(0)
    assert f'value="{escape(investor.organisation.full_name)}"' in field
