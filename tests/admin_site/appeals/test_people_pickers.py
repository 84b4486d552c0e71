"""«Назначить менеджера», «Перенаправить», «Назначить ответственного»: the person pickers offer only the people who
fit (core.selectors.appeal_people), searchable, and the door still refuses a person who does not fit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import AppealStatus
from core.models import Appeal
from core.roles import Role
from tests.admin_site.appeals.helpers import act, action_url, people_offered, post_action
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory

S = AppealStatus


@pytest.fixture
def omsu_people(make_user, omsu):
    """The ОМСУ's staff: who may answer for its appeals, and who may not."""
    return {
        "executor": make_user(Role.EXECUTOR, organisation=omsu, last_name="Исполнителева"),
        "head": make_user(Role.HEAD, organisation=omsu, last_name="Главова"),
        "commissioner": make_user(Role.COMMISSIONER, organisation=omsu, last_name="Уполномоченный"),
        "clerk": make_user(Role.DATA_CLERK, organisation=omsu, last_name="Операторова"),
        "gone": make_user(Role.EXECUTOR, organisation=omsu, last_name="Уволенный", is_active=False),
    }


def test_the_manager_picker_offers_only_the_chosen_organisations_people_who_answer(
    login, coordinator, manager, head, omsu, omsu_people, make_user
):
    other_body = OrganisationFactory(kind=omsu.kind, short_name="Другой район")
    make_user(Role.EXECUTOR, organisation=other_body, last_name="Чужой")
    offered = " ".join(people_offered(login(coordinator), organisation=omsu.pk))

    for fits in ("Исполнителева", "Главова", "Уполномоченный"):
        assert fits in offered, fits
    for does_not in ("Операторова", "Уволенный", "Чужой", manager.last_name, head.last_name):
        assert does_not not in offered, does_not  # no clerk, no former staff, nobody of another organisation
    agency = " ".join(people_offered(login(coordinator), organisation=manager.organisation_id))
    assert manager.full_name in agency and head.full_name in agency and "Исполнителева" not in agency
    assert coordinator.full_name not in agency  # the coordinator follows the appeal in a role of their own


def test_the_picker_searches_by_name_and_position(login, coordinator, omsu, omsu_people):
    client = login(coordinator)
    assert people_offered(client, organisation=omsu.pk, term="главова") == [
        f"{omsu_people['head'].full_name}"]
    omsu_people["executor"].position = "Главный специалист"
    omsu_people["executor"].save()
    assert len(people_offered(client, organisation=omsu.pk, term="ГЛАВ")) == 2
    assert people_offered(client, organisation=omsu.pk, term="Никого такого") == []


@pytest.mark.parametrize("organisation", ["", "abc", "9" * 30, "-1", "company"])
def test_no_organisation_or_one_that_is_not_a_participant_offers_nobody(
    login, coordinator, omsu_people, company, investor, organisation
):
    value = str(company.pk) if organisation == "company" else organisation
    response = login(coordinator).get(reverse("admin:core_appeal_people"), {"organisation": value, "page": "x"})
    assert response.status_code == 200
    assert response.json() == {"results": [], "pagination": {"more": False}}


def test_the_head_picker_offers_heads_and_the_director(login, coordinator, head, director, manager, omsu_people):
    offered = " ".join(people_offered(login(coordinator), role="head"))
    assert head.full_name in offered and director.full_name in offered and "Главова" in offered
    assert manager.full_name not in offered and "Исполнителева" not in offered
    assert str(head.organisation) in offered  # heads of several organisations are told apart


def test_only_cabinet_staff_may_ask(client, login, investor, omsu, omsu_people):
    url = reverse("admin:core_appeal_people")
    assert client.get(url, {"organisation": omsu.pk}).status_code == 302  # to the login page
    response = login(investor).get(url, {"organisation": omsu.pk})
    assert response.status_code in {302, 403} and "Исполнителева" not in response.content.decode()


def test_the_picker_pages_by_twenty_in_a_constant_number_of_queries(login, coordinator, omsu, make_user):
    client = login(coordinator)
    url = reverse("admin:core_appeal_people")
    make_user(Role.EXECUTOR, organisation=omsu)
    client.get(url, {"organisation": omsu.pk})  # the session and the roles are loaded once
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"organisation": omsu.pk})
    for _ in range(24):
        make_user(Role.EXECUTOR, organisation=omsu)
    with CaptureQueriesContext(connection) as many:
        first = client.get(url, {"organisation": omsu.pk}).json()
    assert len(first["results"]) == 20 and first["pagination"]["more"] is True
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(people_offered(client, organisation=omsu.pk)) == 25


def test_the_dialogs_list_nobody_but_ask_the_picker(login, coordinator, appeal, omsu, omsu_people):
    html = login(coordinator).get(action_url(appeal, "assign")).content.decode()
    assert 'data-url="/admin/core/appeal/people/"' in html and 'data-organisation-field="executor_organisation"' in html
    assert 'data-role="head"' in html and "people-select.js" in html
    assert "Исполнителева" not in html and "Главова" not in html  # nobody is listed before the organisation


def test_the_card_loads_the_pickers_script_for_its_dialogs(login, coordinator, appeal):
    html = login(coordinator).get(reverse("admin:core_appeal_change", args=[appeal.pk])).content.decode()
    assert "admin_site/people-select.js" in html and "select2" in html


# --- the door refuses whoever does not fit, with a Russian message on the field -------------------------------------
def test_the_door_refuses_a_manager_whose_role_does_not_answer(login, coordinator, appeal, omsu, omsu_people):
    response = post_action(login(coordinator), appeal, "assign", executor_organisation=omsu.pk,
                           manager=omsu_people["clerk"].pk)
    assert "Этот сотрудник не готовит ответы на обращения" in page_text(response)
    assert Appeal.objects.get(pk=appeal.pk).status == S.MODERATION


def test_the_door_refuses_a_redirect_to_someone_of_another_organisation(
    login, manager, assigned, omsu, omsu_people, head
):
    response = post_action(login(manager), assigned, "redirect", executor_organisation=omsu.pk, manager=head.pk,
                           comment="Просим подготовить ответ")
    assert "Сотрудник должен работать в организации-исполнителе." in page_text(response)
    post_action(login(manager), assigned, "redirect", executor_organisation=omsu.pk,
                manager=omsu_people["executor"].pk, comment="Просим подготовить ответ")
    appeal = Appeal.objects.get(pk=assigned.pk)
    assert (appeal.status, appeal.manager) == (S.REDIRECTED, omsu_people["executor"])


def test_the_door_refuses_a_head_who_does_not_approve(login, coordinator, appeal, manager):
    response = post_action(login(coordinator), appeal, "assign", executor_organisation=manager.organisation_id,
                           manager=manager.pk, head=manager.pk)
    assert "Согласует ответы руководитель или директор" in page_text(response)
    with pytest.raises(Exception, match="Согласует ответы"):
        act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager, head=manager)
