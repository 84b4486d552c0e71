"""«Связать с проектом» on the appeal card: the form offers the investor's projects the person sees, posts through
the door with the version of the appeal, and the card renders with its buttons in every status."""

import pytest
from django.urls import reverse

from core.choices import AppealEventKind, AppealStatus
from core.models import Appeal, Project
from tests.admin_site.appeals.helpers import act, action_url, card_url, post_action
from tests.admin_site.appeals.test_card import buttons
from tests.admin_site.helpers import page_text

LABEL = "Связать с проектом"


@pytest.fixture
def project(apply_project):
    """A project of the appeal's company; the ready manager is its personal manager."""
    return apply_project()


@pytest.fixture
def foreign_project(apply_project, other_investor):
    return apply_project(applicant=other_investor, name="Чужой проект «Север»")


def project_of(appeal: Appeal) -> Project | None:
    return Appeal.objects.get(pk=appeal.pk).project


def test_the_form_offers_the_companys_projects_the_person_sees(login, coordinator, appeal, project,
                                                               foreign_project):
    response = login(coordinator).get(action_url(appeal, "link_project"))
    assert response.status_code == 200
    choices = [label for _value, label in response.context["form"].fields["project"].choices]
    assert choices == ["— без проекта —", f"{project.registry_number} Логистический комплекс «Южный» (Заявка)"]
    assert "Чужой проект" not in page_text(response)


def test_a_manager_is_offered_only_the_projects_they_see(login, manager, assigned, project, apply_project):
    hidden = apply_project(name="Проект без менеджера")
    Project.objects.filter(pk=hidden.pk).update(personal_manager=None)
    form = login(manager).get(action_url(assigned, "link_project")).context["form"]
    assert list(form.fields["project"].queryset) == [project]


def test_link_and_unlink_through_the_door(login, coordinator, appeal, project):
    client = login(coordinator)
    assert LABEL in buttons(client.get(card_url(appeal)))

    response = post_action(client, appeal, "link_project", project=project.pk)
    assert "«Связать с проектом»: готово." in page_text(response)
    assert project_of(appeal) == project
    event = Appeal.objects.get(pk=appeal.pk).events.get(name="link_project")
    assert event.kind == AppealEventKind.ASSIGNMENT and event.data == {"project": project.pk}
    html = client.get(card_url(appeal)).content.decode()
    assert f'href="{reverse("admin:core_project_change", args=[project.pk])}"' in html  # the card links the project
    tab = page_text(client.get(reverse("admin:core_project_change", args=[project.pk]) + "?tab=appeals"))
    assert appeal.subject in tab

    response = post_action(client, appeal, "link_project", project="")
    assert "«Связать с проектом»: готово." in page_text(response)
    assert project_of(appeal) is None
    assert "Связь с проектом снята" in page_text(response)


def test_the_doors_errors_land_on_the_form_and_nothing_changes(login, coordinator, appeal, project, foreign_project):
    client = login(coordinator)
    response = post_action(client, appeal, "link_project", project=foreign_project.pk)
    assert "Выберите корректный вариант" in page_text(response)  # not among the investor's projects
    assert project_of(appeal) is None

    response = post_action(client, appeal, "link_project", project="")
    assert "Обращение и так не связано с проектом" in page_text(response)

    act(appeal, "link_project", coordinator, project=project)
    response = post_action(client, appeal, "link_project", project=project.pk)
    assert "Обращение уже связано с этим проектом." in page_text(response)
    assert Appeal.objects.get(pk=appeal.pk).events.filter(name="link_project").count() == 1


def test_a_stale_page_is_refused(login, coordinator, director, appeal, project):
    client = login(coordinator)
    seen = Appeal.objects.get(pk=appeal.pk).updated_at.isoformat()  # the coordinator opened the form…
    act(appeal, "comment", director, text="Проверить, к какому проекту относится", is_public=False)
    response = post_action(client, appeal, "link_project", version=seen, project=project.pk)
    assert "Пока вы заполняли форму, обращение изменил другой пользователь" in page_text(response)
    assert project_of(appeal) is None


def test_who_may_not_link_gets_no_button_and_no_change(login, commissioner, executor, appeal, project):
    client = login(commissioner)  # sees the district's appeals, but neither controls nor works on this one
    assert LABEL not in buttons(client.get(card_url(appeal)))
    assert "вам сейчас недоступно" in page_text(client.get(action_url(appeal, "link_project"), follow=True))
    response = post_action(client, appeal, "link_project", project=project.pk)
    assert "У вас нет права на действие «Связать с проектом»" in page_text(response)
    assert project_of(appeal) is None
    client = login(executor)  # does not see the appeal at all
    assert client.get(action_url(appeal, "link_project")).status_code == 404
    assert post_action(client, appeal, "link_project", project=project.pk).status_code == 404
    assert project_of(appeal) is None


@pytest.mark.parametrize("status", list(AppealStatus))
def test_the_card_and_the_form_render_in_every_status(login, director, appeal, project, status):
    Appeal.objects.filter(pk=appeal.pk).update(status=status)
    client = login(director)
    response = client.get(card_url(appeal))
    assert response.status_code == 200
    assert LABEL in buttons(response)
    assert client.get(action_url(appeal, "link_project")).status_code == 200
