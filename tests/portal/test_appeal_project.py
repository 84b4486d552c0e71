"""«Создать обращение» with an optional «Проект»: the company's projects only; the appeal page links the project
and the project's history shows the appeal."""

import pytest
from django.urls import reverse

from core.choices import AppealStatus
from core.models import Appeal
from tests.portal.test_appeals import create_data
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


@pytest.fixture
def project(apply_project):
    return apply_project()


@pytest.fixture
def foreign_project(apply_project, other_investor):
    return apply_project(applicant=other_investor, name="Чужой проект «Север»")


def test_the_form_offers_the_companys_projects_only(logged_in, problem_fact, project, foreign_project):
    response = logged_in.get(reverse("portal:appeal_create"))

    choices = [str(label) for _value, label in response.context["form"].fields["project"].choices]
    assert choices == ["— без проекта —", f"{project.registry_number} Логистический комплекс «Южный»"]
    assert 'name="project"' in response.text
    assert "Чужой проект" not in response.text
    assert_russian(response.text)


def test_without_projects_there_is_no_select(logged_in, problem_fact):
    response = logged_in.get(reverse("portal:appeal_create"))

    assert "project" not in response.context["form"].fields
    assert 'name="project"' not in response.text


def test_an_appeal_filed_about_a_project_links_to_it(logged_in, problem_fact, project):
    response = logged_in.post(reverse("portal:appeal_create"), create_data(problem_fact, project=project.pk),
                              follow=True)

    appeal = Appeal.objects.get()
    assert appeal.project == project
    passport = reverse("portal:project_passport", args=[project.pk])
    assert f'<a href="{passport}">{project.registry_number} Логистический комплекс «Южный»</a>' in response.text
    assert_russian(response.text)
    history = logged_in.get(reverse("portal:project_history", args=[project.pk])).text
    assert f"№{appeal.number}" in history


def test_an_appeal_without_a_project_stays_unlinked(logged_in, problem_fact, project):
    response = logged_in.post(reverse("portal:appeal_create"), create_data(problem_fact, project=""), follow=True)

    appeal = Appeal.objects.get()
    assert appeal.project is None
    assert reverse("portal:project_passport", args=[project.pk]) not in response.text.split("<main")[1]


def test_a_foreign_project_is_refused_and_nothing_is_saved(logged_in, problem_fact, project, foreign_project):
    response = logged_in.post(reverse("portal:appeal_create"), create_data(problem_fact, project=foreign_project.pk))

    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.text
    assert "Получен отказ в согласовании проекта съезда" in response.text  # the typed text is kept
    assert not Appeal.objects.exists()


def test_a_foreign_project_is_refused_even_when_the_company_has_none(logged_in, problem_fact, foreign_project):
    response = logged_in.post(reverse("portal:appeal_create"), create_data(problem_fact, project=foreign_project.pk),
                              follow=True)

    appeal = Appeal.objects.get()  # no select: the posted id is ignored, the appeal is filed without a project
    assert appeal.project is None
    assert "Чужой проект" not in response.text


def test_a_letter_to_the_director_may_name_a_project_too(logged_in, problem_fact, project, director):
    logged_in.post(reverse("portal:appeal_director"), create_data(problem_fact, project=project.pk))

    appeal = Appeal.objects.get()
    assert appeal.to_director and appeal.project == project


@pytest.mark.parametrize("status", list(AppealStatus))
def test_the_appeal_page_renders_in_every_status(logged_in, file_appeal, project, status):
    appeal = file_appeal(project=project)
    Appeal.objects.filter(pk=appeal.pk).update(status=status)

    response = logged_in.get(reverse("portal:appeal_detail", args=[appeal.pk]))

    assert response.status_code == 200
    assert reverse("portal:project_passport", args=[project.pk]) in response.text
    assert "Связать с проектом" not in response.text  # a staff action, never offered to the investor
