"""Every stage action of core.workflows.projects through the cabinet's buttons, with the version the page showed."""

import pytest

from core.choices import ProjectEventKind, ProjectStage
from core.models import Project
from tests.admin_site.helpers import page_text
from tests.admin_site.projects.helpers import bring, move, post_stage, stage_url

S = ProjectStage


def stage_of(project) -> str:
    return Project.objects.get(pk=project.pk).stage


def test_the_whole_way_from_application_to_completion(login, manager, project):
    client = login(manager)
    steps = [("start_review", S.REVIEW), ("accept", S.ACCEPTED), ("start_pre_investment", S.PRE_INVESTMENT),
             ("start_investment", S.INVESTMENT), ("start_operation", S.OPERATIONAL), ("complete", S.COMPLETED)]
    for name, stage in steps:
        assert client.get(stage_url(project, name)).status_code == 200  # the dialog's form
        response = post_stage(client, project, name, reason="")
        assert "готово." in page_text(response), name
        assert stage_of(project) == stage
    events = project.events.filter(kind=ProjectEventKind.STAGE).values_list("to_stage", flat=True)
    assert list(events) == [S.APPLICATION, *(stage for _name, stage in steps)]


def test_decline_needs_a_reason_the_investor_will_read(login, manager, project):
    project = move(project, "start_review", manager)
    client = login(manager)
    text = page_text(post_stage(client, project, "decline", reason="  "))
    assert "Укажите причину: её увидит инвестор." in text
    assert stage_of(project) == S.REVIEW
    post_stage(client, project, "decline", reason="Проект не соответствует требованиям")
    assert stage_of(project) == S.DECLINED
    assert project.events.get(to_stage=S.DECLINED).text == "Проект не соответствует требованиям"


def test_suspend_and_resume_back_where_it_was(login, manager, project):
    project = bring(project, S.INVESTMENT, manager)
    client = login(manager)
    post_stage(client, project, "suspend", reason="Инвестор ищет финансирование")
    assert stage_of(project) == S.SUSPENDED
    text = page_text(client.get(stage_url(project, "resume"), follow=True))
    assert "Возобновить" in text
    post_stage(client, project, "resume")
    assert stage_of(project) == S.INVESTMENT


def test_withdraw_from_any_active_stage(login, director, project, manager):
    project = move(project, "start_review", manager)
    post_stage(login(director), project, "withdraw", reason="Инвестор отказался от проекта")
    assert stage_of(project) == S.WITHDRAWN


def test_a_stale_page_is_refused_and_changes_nothing(login, manager, director, project):
    seen = Project.objects.get(pk=project.pk).updated_at.isoformat()
    move(project, "start_review", director)  # someone else was quicker
    text = page_text(post_stage(login(manager), project, "start_review", version=seen, reason="Документы полные"))
    assert "Пока вы заполняли форму, проект изменил другой пользователь" in text
    assert "Документы полные" in text  # what was typed is on the form shown again
    assert stage_of(project) == S.REVIEW
    assert project.events.filter(to_stage=S.REVIEW).count() == 1


def test_a_page_without_a_version_is_refused(login, manager, project):
    response = login(manager).post(stage_url(project, "start_review"), {"version": "вчера"}, follow=True)
    assert "Обновите страницу" in page_text(response)
    assert stage_of(project) == S.APPLICATION


@pytest.mark.parametrize("who", ["commissioner", "head"])
def test_an_action_not_allowed_is_not_offered_nor_taken(request, login, project, who):
    user = request.getfixturevalue(who)
    client = login(user)
    response = client.get(stage_url(project, "accept"), follow=True)
    assert "вам сейчас недоступно" in page_text(response)
    if who == "commissioner":  # sees the district's projects but does not steer them
        text = page_text(post_stage(client, project, "start_review"))
        assert "нет права" in text
        assert stage_of(project) == S.APPLICATION
