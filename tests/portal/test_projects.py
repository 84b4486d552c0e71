"""«Мои проекты» in the investor portal: the list and the cabinet's project tabs, applying for a project, the
passport (view, edit and land plots while it is an application), the stage line and «Отозвать заявку»."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import ProjectEventKind, ProjectStage
from core.models import Project
from core.portal.navigation import CABINET_TABS, PROJECT_TABS
from core.portal.projects import stage_progress
from core.workflows.projects import project_transition
from tests.factories import DistrictFactory
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db

PROJECT_TAB_SECTIONS = [tab for tab in CABINET_TABS if tab.project_tab and tab.slug != "projects"]


def move(project, name, actor, **data) -> Project:
    return project_transition(project=Project.objects.get(pk=project.pk), name=name, actor=actor, **data)


def version_in(html: str, action: str) -> str:
    chunk = html.split(f'action="{action}"')[1]
    return unescape(re.search(r'name="version" value="([^"]+)"', chunk).group(1))


def tab_url(project, slug: str) -> str:
    return reverse(f"portal:project_{slug}", args=[project.pk])


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


@pytest.fixture
def project(apply_project):
    return apply_project()


def foreign_application(apply_project, other_investor, manager) -> Project:
    """Another company's application, accompanied by the same manager."""
    other_investor.organisation.personal_manager = manager
    other_investor.organisation.save()
    return apply_project(applicant=other_investor, name="Чужой завод «Секрет»")


@pytest.fixture
def foreign_project(apply_project, other_investor, manager):
    return foreign_application(apply_project, other_investor, manager)


def passport_data(**changes) -> dict:
    data = {
        "name": "Тепличный комплекс «Северное сияние»",
        "district": "",
        "industry": "",
        "description": "Круглогодичное выращивание овощей, 12 га теплиц.",
        "investment_volume": "2500000000",
        "jobs": "310",
        "gas_m3_per_hour": "1200",
        "electricity_kw": "8000",
        "water_m3_per_day": "",
        "heat_gcal_per_hour": "",
        "planned_start": "2026-05-01",
        "planned_launch": "2027-10-01",
    }
    return {**data, **changes}


# --- «Мои проекты» ----------------------------------------------------------------------------------------------
def test_list_shows_the_company_projects_only(logged_in, project, foreign_project, manager, district):
    response = logged_in.get(reverse("portal:project_list"))

    text = response.text
    assert response.status_code == 200
    assert 'aria-current="page">Мои проекты' in text
    assert project.registry_number in text and project.name in text
    assert "badge-info" in text and "Заявка" in text
    assert district.name in text
    assert manager.full_name in text
    assert foreign_project.name not in text and foreign_project.registry_number not in text
    assert reverse("portal:project_passport", args=[project.pk]) in text
    assert_russian(text)


def test_empty_list_invites_to_apply(logged_in):
    response = logged_in.get(reverse("portal:project_list"))

    assert "У вашей компании пока нет проектов" in response.text
    assert reverse("portal:project_apply") in response.text


def test_an_unconfirmed_member_sees_no_projects_and_cannot_apply(client, investor, project):
    investor.membership_confirmed_at = None
    investor.save()
    client.force_login(investor)

    listing = client.get(reverse("portal:project_list")).text
    assert project.name not in listing
    assert "когда агентство подтвердит ваше участие" in listing
    assert reverse("portal:project_apply") not in listing
    form = client.get(reverse("portal:project_apply")).text
    assert "Подать заявку можно после того" in form
    client.post(reverse("portal:project_apply"), passport_data())
    assert Project.objects.count() == 1


def test_list_queries_do_not_grow_with_the_number_of_projects(logged_in, apply_project):
    apply_project()
    with CaptureQueriesContext(connection) as one:
        logged_in.get(reverse("portal:project_list"))
    for number in range(5):
        apply_project(name=f"Проект {number}", district=DistrictFactory())
    with CaptureQueriesContext(connection) as six:
        response = logged_in.get(reverse("portal:project_list"))

    assert response.text.count("badge-info") == 6
    assert len(six) == len(one)


@pytest.mark.parametrize("tab", PROJECT_TAB_SECTIONS, ids=lambda tab: tab.slug)
def test_a_cabinet_tab_opens_the_only_project_at_that_tab(logged_in, project, tab):
    response = logged_in.get(reverse("portal:cabinet_section", args=[tab.slug]))

    assert response.status_code == 302
    assert response.url == tab_url(project, tab.project_tab)


@pytest.mark.parametrize("tab", PROJECT_TAB_SECTIONS, ids=lambda tab: tab.slug)
def test_a_cabinet_tab_lets_choose_among_several_projects(logged_in, apply_project, tab):
    first, second = apply_project(), apply_project(name="Второй проект")

    response = logged_in.get(reverse("portal:cabinet_section", args=[tab.slug]))

    assert response.status_code == 200
    assert f"в каком открыть раздел «{tab.label}»" in response.text
    assert tab_url(first, tab.project_tab) in response.text
    assert tab_url(second, tab.project_tab) in response.text


@pytest.mark.parametrize("tab", PROJECT_TAB_SECTIONS, ids=lambda tab: tab.slug)
def test_a_cabinet_tab_without_projects_invites_to_apply(logged_in, tab):
    response = logged_in.get(reverse("portal:cabinet_section", args=[tab.slug]))

    assert response.status_code == 200
    assert f'aria-current="page">{tab.label}' in response.text
    assert reverse("portal:project_apply") in response.text


def test_the_list_does_not_redirect_even_for_one_project(logged_in, project):
    assert logged_in.get(reverse("portal:cabinet_section", args=["projects"])).status_code == 200


# --- applying -------------------------------------------------------------------------------------------------
def test_apply_form_is_russian_and_offers_the_passport_fields(logged_in, company, district):
    response = logged_in.get(reverse("portal:project_apply"))

    text = response.text
    for label in ("Название проекта", "Район", "Отрасль", "Описание", "Объём инвестиций, ₽", "Рабочих мест",
                  "Газ, м³/ч", "Электроэнергия, кВт", "Вода, м³/сут", "Тепло, Гкал/ч",
                  "Плановое начало строительства", "Плановый ввод в эксплуатацию"):
        assert label in text, label
    assert f'<option value="{district.pk}" selected>' in text  # the company's district is offered first
    assert_russian(text)


def test_investor_applies_for_a_project(logged_in, investor, company, manager, district):
    company.personal_manager = manager
    company.save()

    response = logged_in.post(reverse("portal:project_apply"), passport_data(), follow=True)

    project = Project.objects.get()
    assert response.redirect_chain[-1][0] == tab_url(project, "passport")
    assert project.stage == ProjectStage.APPLICATION
    assert project.investor == company and project.district == district and project.personal_manager == manager
    assert project.investment_volume == 2_500_000_000 and project.jobs == 310
    assert project.planned_launch == date(2027, 10, 1)
    assert f"проекту присвоен номер {project.registry_number}" in response.text
    assert "Тепличный комплекс «Северное сияние»" in response.text
    assert "2\xa0500\xa0000\xa0000\xa0₽" in response.text


def test_apply_errors_are_shown_and_nothing_is_saved(logged_in):
    response = logged_in.post(
        reverse("portal:project_apply"),
        passport_data(name="", jobs="-3", planned_start="2027-01-01", planned_launch="2026-01-01"),
    )

    assert response.status_code == 200
    assert "Обязательное поле" in response.text
    assert "Ввод в эксплуатацию не может быть раньше начала строительства" in response.text
    assert 'value="2500000000"' in response.text  # what was typed stays
    assert not Project.objects.exists()
    assert_russian(response.text)


# --- the passport ------------------------------------------------------------------------------------------------
def test_passport_shows_the_project_and_its_progress(logged_in, project, manager):
    response = logged_in.get(tab_url(project, "passport"))

    text = response.text
    assert response.status_code == 200
    assert project.registry_number in text and project.name in text
    assert "1\xa0500\xa0000\xa0000\xa0₽" in text and "120" in text
    assert manager.full_name in text and f"mailto:{manager.email}" in text
    assert 'class="stage-step stage-current" aria-current="step"' in text
    assert "Заявка ждёт рассмотрения" in text
    assert reverse("portal:project_passport_edit", args=[project.pk]) in text
    assert "Добавить земельный участок" in text
    assert "Отозвать заявку" in text
    for tab in PROJECT_TABS:
        assert str(tab.label) in text
    assert_russian(text)


def test_stage_progress_follows_the_review(project, manager):
    assert [step["state"] for step in stage_progress(project)] == ["current"] + ["todo"] * 6
    project = move(move(project, "start_review", manager), "accept", manager)
    assert [step["state"] for step in stage_progress(project)][:4] == ["done", "done", "current", "todo"]


def test_stage_progress_of_a_declined_a_suspended_and_a_completed_project(project, manager):
    declined = move(move(project, "start_review", manager), "decline", manager, reason="Нет земли")
    assert [(str(step["label"]), step["state"]) for step in stage_progress(declined)] == [
        ("Заявка", "done"), ("На рассмотрении", "done"), ("Отказано в сопровождении", "stopped"),
    ]
    project.refresh_from_db()
    Project.objects.filter(pk=project.pk).update(stage=ProjectStage.INVESTMENT)
    suspended = move(project, "suspend", manager, reason="Ищут финансирование")
    steps = stage_progress(suspended)
    assert [step["state"] for step in steps] == ["done"] * 4 + ["stopped", "todo", "todo"]
    assert steps[4]["note"] == "Приостановлен"
    Project.objects.filter(pk=project.pk).update(stage=ProjectStage.COMPLETED)
    assert {step["state"] for step in stage_progress(Project.objects.get(pk=project.pk))} == {"done"}


def test_investor_edits_the_passport_while_it_is_an_application(logged_in, project):
    url = reverse("portal:project_passport_edit", args=[project.pk])
    form = logged_in.get(url).text
    assert 'value="Логистический комплекс «Южный»"' in unescape(form)
    assert "Обязательное поле" in logged_in.post(url, passport_data(version=version_in(form, url))).text

    response = logged_in.post(
        url, passport_data(version=version_in(form, url), district=project.district_id, jobs="150", planned_start="",
                           planned_launch=""),
        follow=True,
    )

    project.refresh_from_db()
    assert project.jobs == 150 and project.name == "Тепличный комплекс «Северное сияние»"
    assert "Паспорт проекта сохранён" in response.text
    event = project.events.get(kind=ProjectEventKind.CHANGE)
    assert "рабочих мест" in event.text


def test_a_stale_passport_form_is_refused_and_keeps_the_typed_values(logged_in, project, investor):
    url = reverse("portal:project_passport_edit", args=[project.pk])
    version = version_in(logged_in.get(url).text, url)
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now() + timedelta(seconds=1))

    response = logged_in.post(url, passport_data(version=version, district=project.district_id, jobs="999"))

    assert response.status_code == 409
    assert "Проект уже изменён другим пользователем" in response.text
    assert 'value="999"' in response.text
    project.refresh_from_db()
    assert project.jobs == 120
    again = passport_data(version=version_in(response.text, url), district=project.district_id, jobs="999")
    assert logged_in.post(url, again).status_code == 302


def test_the_passport_is_read_only_once_under_review(logged_in, project, manager):
    project = move(project, "start_review", manager)
    page = logged_in.get(tab_url(project, "passport")).text
    assert "Заявку рассматривает агентство" in page
    assert reverse("portal:project_passport_edit", args=[project.pk]) not in page
    assert "Добавить земельный участок" not in page

    edit = reverse("portal:project_passport_edit", args=[project.pk])
    assert logged_in.get(edit).url == tab_url(project, "passport")
    response = logged_in.post(edit, passport_data(version=project.updated_at.isoformat()))
    assert response.status_code == 302
    plot = logged_in.post(reverse("portal:project_land_plot_add", args=[project.pk]),
                          {"cadastral_number": "47:20:0112015:226"})
    assert plot.status_code == 302
    project.refresh_from_db()
    assert project.name == "Логистический комплекс «Южный»" and not project.land_plots.exists()


def test_investor_adds_a_land_plot_with_a_valid_cadastral_number(logged_in, project):
    url = reverse("portal:project_land_plot_add", args=[project.pk])

    wrong = logged_in.post(url, {"cadastral_number": "47-20-0112015", "area_m2": "12000"})
    assert wrong.status_code == 200
    assert "Неверный кадастровый номер" in wrong.text
    assert "<details class=\"inline-form\" open>" in wrong.text
    response = logged_in.post(
        url, {"cadastral_number": "47:20:0112015:226", "area_m2": "12000.5", "address": "Тосно, промзона",
              "rights": "аренда"}, follow=True,
    )

    plot = project.land_plots.get()
    assert plot.cadastral_number == "47:20:0112015:226"
    assert "Земельный участок 47:20:0112015:226 добавлен" in response.text
    assert "12\xa0000,5" in response.text
    twice = logged_in.post(url, {"cadastral_number": "47:20:0112015:226"})
    assert twice.status_code == 200 and project.land_plots.count() == 1


def test_investor_removes_a_land_plot_entered_by_mistake_while_it_is_an_application(logged_in, project, manager):
    add = reverse("portal:project_land_plot_add", args=[project.pk])
    logged_in.post(add, {"cadastral_number": "47:20:0112015:226"})
    plot = project.land_plots.get()
    remove = reverse("portal:project_land_plot_remove", args=[project.pk, plot.pk])
    assert f'action="{remove}"' in logged_in.get(tab_url(project, "passport")).text

    response = logged_in.post(remove, follow=True)
    assert "Земельный участок 47:20:0112015:226 удалён из паспорта." in response.text
    assert not project.land_plots.exists()
    assert project.events.filter(text="Удалён земельный участок 47:20:0112015:226").exists()

    # once the agency reviews it, the passport is the agency's: no button, and a post changes nothing
    logged_in.post(add, {"cadastral_number": "47:20:0112015:227"})
    plot = project.land_plots.get()
    project = move(project, "start_review", manager)
    remove = reverse("portal:project_land_plot_remove", args=[project.pk, plot.pk])
    assert f'action="{remove}"' not in logged_in.get(tab_url(project, "passport")).text
    logged_in.post(remove)
    assert project.land_plots.filter(pk=plot.pk).exists()


def test_investor_corrects_a_land_plot_while_it_is_an_application(logged_in, project, manager):
    logged_in.post(reverse("portal:project_land_plot_add", args=[project.pk]),
                   {"cadastral_number": "47:20:0112015:226", "area_m2": "12000", "rights": "аренда"})
    plot = project.land_plots.get()
    change = reverse("portal:project_land_plot_change", args=[project.pk, plot.pk])
    assert f'href="{change}"' in logged_in.get(tab_url(project, "passport")).text

    form = logged_in.get(change).text
    assert 'value="47:20:0112015:226"' in form and 'value="12000"' in form  # as typed, not «12000.00»
    wrong = logged_in.post(change, {"cadastral_number": "47-20", "area_m2": "12000", "rights": "аренда"})
    assert wrong.status_code == 200 and "Неверный кадастровый номер" in wrong.text
    assert 'value="47-20"' in wrong.text  # what was typed stays
    plot.refresh_from_db()
    assert plot.cadastral_number == "47:20:0112015:226"
    response = logged_in.post(change, {"cadastral_number": "47:20:0112015:227", "area_m2": "12500",
                                       "address": "Тосно, промзона", "rights": "аренда"}, follow=True)
    assert "Сведения о земельном участке 47:20:0112015:227 сохранены." in response.text
    plot.refresh_from_db()
    assert (plot.cadastral_number, plot.area_m2, plot.address) == ("47:20:0112015:227", 12500, "Тосно, промзона")
    assert project.events.filter(text="Изменены сведения о земельном участке 47:20:0112015:227").exists()

    # once the agency reviews it, the passport is the agency's: no link, and a post changes nothing
    project = move(project, "start_review", manager)
    assert f'href="{change}"' not in logged_in.get(tab_url(project, "passport")).text
    assert logged_in.get(change).url == tab_url(project, "passport")
    logged_in.post(change, {"cadastral_number": "47:20:0112015:228", "area_m2": "1", "rights": ""})
    plot.refresh_from_db()
    assert plot.cadastral_number == "47:20:0112015:227"


# --- «Отозвать заявку» -----------------------------------------------------------------------------------------
def test_investor_withdraws_the_application_with_a_reason(logged_in, project):
    url = reverse("portal:project_withdraw", args=[project.pk])
    page = logged_in.get(tab_url(project, "passport")).text

    empty = logged_in.post(url, {"version": version_in(page, url), "reason": " "})
    assert "Обязательное поле" in empty.text
    response = logged_in.post(url, {"version": version_in(page, url), "reason": "Нашли площадку в другом регионе"},
                              follow=True)

    project.refresh_from_db()
    assert project.stage == ProjectStage.WITHDRAWN
    assert "Заявка отозвана" in response.text
    assert 'class="stage-step stage-stopped" aria-current="step"' in response.text
    assert "Отозвать заявку" not in response.text
    assert project.events.filter(name="withdraw", text="Нашли площадку в другом регионе").exists()


def test_a_stale_withdrawal_is_refused_and_keeps_the_reason(logged_in, project, manager):
    url = reverse("portal:project_withdraw", args=[project.pk])
    version = version_in(logged_in.get(tab_url(project, "passport")).text, url)
    move(project, "start_review", manager)

    response = logged_in.post(url, {"version": version, "reason": "Передумали"})

    assert response.status_code == 409
    assert "Проект уже изменён другим пользователем" in response.text
    assert "Передумали" in response.text
    project.refresh_from_db()
    assert project.stage == ProjectStage.REVIEW


def test_withdrawing_is_not_offered_once_accepted(logged_in, project, manager):
    project = move(move(project, "start_review", manager), "accept", manager)

    page = logged_in.get(tab_url(project, "passport")).text
    assert "Отозвать заявку" not in page
    response = logged_in.post(reverse("portal:project_withdraw", args=[project.pk]),
                              {"version": project.updated_at.isoformat(), "reason": "Передумали"}, follow=True)
    assert "недоступно" in response.text or "нет права" in response.text
    project.refresh_from_db()
    assert project.stage == ProjectStage.ACCEPTED
