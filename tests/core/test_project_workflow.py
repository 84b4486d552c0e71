"""Projects: filing, the stage machine through its door, tasks, roadmap and the history."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.choices import ProjectStage, TaskStatus
from core.models import Project
from core.selectors.projects import project_history_for
from core.selectors.visibility import projects_visible_to
from core.services.projects import land_plot_add, project_update_passport, roadmap_item_save
from core.workflows.projects import ProjectConflict, project_actions_for, project_import_stage, project_transition
from core.workflows.tasks import task_create, task_transition


def move(project, name, actor, **data):
    return project_transition(project=Project.objects.get(pk=project.pk), name=name, actor=actor, **data)


def test_application_to_operation_and_back_from_suspension(apply_project, investor, manager, director):
    project = apply_project()
    assert project.registry_number.startswith(f"ИП-{timezone.localdate():%Y}-")
    assert project.stage == ProjectStage.APPLICATION and project.personal_manager == manager
    assert project.director == director
    for name in ("start_review", "accept", "start_pre_investment", "start_investment"):
        project = move(project, name, manager)
    assert project.stage == ProjectStage.INVESTMENT and project.accepted_at == timezone.localdate()
    with pytest.raises(ValidationError):
        move(project, "suspend", manager, reason=" ")
    project = move(project, "suspend", manager, reason="Инвестор ищет финансирование")
    assert project.stage == ProjectStage.SUSPENDED
    project = move(project, "resume", manager)
    assert project.stage == ProjectStage.INVESTMENT  # back where it was
    stages = [(r.from_label, r.to_label) for r in project_history_for(project=project, user=investor)]
    assert ("Приостановлен", "Инвестиционный этап") in stages


def test_who_moves_the_stage(apply_project, investor, other_investor, executor, manager):
    project = apply_project()
    for person in (investor, other_investor, executor):
        with pytest.raises(PermissionDenied):
            move(project, "start_review", person)
    assert {a.name for a in project_actions_for(project=project, user=investor)} == {"withdraw"}
    project = move(project, "withdraw", investor, reason="Передумали")
    assert project.stage == ProjectStage.WITHDRAWN


def test_a_stale_page_is_refused(apply_project, manager):
    project = apply_project()
    seen = Project.objects.get(pk=project.pk)
    project_transition(project=seen, name="start_review", actor=manager)
    with pytest.raises(ProjectConflict):
        project_transition(project=seen, name="start_review", actor=manager)


def test_investor_edits_the_passport_only_while_it_is_an_application(apply_project, investor, manager):
    project = apply_project()
    project = project_update_passport(project=project, actor=investor, jobs=150)
    land_plot_add(project=project, actor=investor, cadastral_number="47:20:0112015:226", area_m2=8222)
    with pytest.raises(ValidationError):
        land_plot_add(project=project, actor=investor, cadastral_number="47-20-0112015")
    with pytest.raises(PermissionDenied):
        project_update_passport(project=project, actor=investor, personal_manager=None)
    project = move(project, "start_review", manager)
    with pytest.raises(PermissionDenied):
        project_update_passport(project=project, actor=investor, jobs=10)
    assert Project.objects.get(pk=project.pk).jobs == 150


def test_the_passport_refuses_a_launch_before_the_start_the_wrong_people_and_a_plot_of_no_area(
        apply_project, investor, manager, director, executor, commissioner):
    """Found in the trial: the cabinet's passport took a launch a year before the construction start, any staff
    member of any body as the project's director, manager or district commissioner (who then see the project),
    and a land plot of −100 m²."""
    project = apply_project()
    with pytest.raises(ValidationError) as refused:
        project_update_passport(project=project, actor=investor, planned_start=date(2028, 1, 1),
                                planned_launch=date(2027, 1, 1))
    assert "раньше начала строительства" in str(refused.value.message_dict["planned_launch"])
    with pytest.raises(ValidationError) as refused:
        land_plot_add(project=project, actor=investor, cadastral_number="47:20:0112015:226", area_m2=-100)
    assert refused.value.message_dict["area_m2"] == ["Площадь должна быть больше нуля."]
    project = Project.objects.get(pk=project.pk)
    with pytest.raises(ValidationError) as refused:
        project_update_passport(project=project, actor=manager, director=executor, district_commissioner=manager)
    assert refused.value.message_dict["director"] == ["Выберите сотрудника с ролью «Директор»."]
    assert "Инвестиционный уполномоченный района" in refused.value.message_dict["district_commissioner"][0]
    project = project_update_passport(project=Project.objects.get(pk=project.pk), actor=manager, director=director,
                                      district_commissioner=commissioner)
    assert (project.director, project.district_commissioner) == (director, commissioner)
    assert not project.land_plots.exists() and project.planned_launch is None


def test_imported_stage_goes_through_the_door_and_is_audited(apply_project, data_clerk, company):
    with pytest.raises(PermissionDenied):  # a project filed through the portal has a history of its own
        project_import_stage(project=apply_project(), stage=ProjectStage.OPERATIONAL, actor=data_clerk)
    project = Project.objects.create(registry_number="ИП-2024-00007", name="Загружен из файла", investor=company)
    project = project_import_stage(project=project, stage=ProjectStage.OPERATIONAL, actor=data_clerk)
    assert project.stage == ProjectStage.OPERATIONAL
    entry = LogEntry.objects.get_for_object(project).filter(actor=data_clerk).latest("timestamp")
    assert entry.changes_dict["stage"] == ["application", "operational"]


def test_a_task_from_a_roadmap_item_follows_its_date(apply_project, manager, investor, head):
    project = apply_project()
    start = timezone.localdate()
    item = roadmap_item_save(project=project, actor=manager, title="Получение ТУ на электроснабжение",
                             planned_start=start, planned_end=start + timedelta(days=30))
    task = task_create(author=manager, assignee=manager, title="Направить заявку в РСО", due_date=None,
                       roadmap_item=item)
    assert task.due_date == item.planned_end and task.project == project
    item = roadmap_item_save(project=project, actor=manager, item=item, planned_end=start + timedelta(days=45))
    task.refresh_from_db()
    assert task.due_date == start + timedelta(days=45)
    assert (item.baseline_end, item.planned_end) == (start + timedelta(days=30), start + timedelta(days=45))
    task = task_transition(task=task, name="start", actor=manager)
    task = task_transition(task=task, name="finish", actor=manager, result="Заявка направлена")
    assert task.status == TaskStatus.DONE and task.completed_at


def test_an_investor_sets_a_task_for_their_manager_only(apply_project, investor, manager, executor):
    project = apply_project()
    task = task_create(author=investor, assignee=manager, title="Подготовить справку", due_date=date(2030, 1, 1),
                       project=project)
    assert task.assignee == manager
    with pytest.raises(ValidationError):
        task_create(author=investor, assignee=executor, title="Чужому", due_date=date(2030, 1, 1), project=project)


def test_projects_are_scoped(apply_project, investor, other_investor, manager, director, executor):
    project = apply_project()
    assert projects_visible_to(investor).filter(pk=project.pk).exists()
    assert projects_visible_to(manager).filter(pk=project.pk).exists()
    assert projects_visible_to(director).filter(pk=project.pk).exists()
    assert not projects_visible_to(other_investor).exists()
    assert not projects_visible_to(executor).exists()


def test_a_participant_with_a_request_answers_but_does_not_run_the_project(apply_project, manager, executor):
    from core.services.projects import project_passport_editable_by, request_answer, request_send

    project = apply_project()
    request = request_send(project=project, actor=manager, organisation=executor.organisation,
                           subject="Возможность подключения", text="Просим сообщить о возможности подключения")
    assert projects_visible_to(executor).filter(pk=project.pk).exists()
    assert project_passport_editable_by(project=project, user=executor) == ()
    with pytest.raises(PermissionDenied):
        roadmap_item_save(project=project, actor=executor, title="Чужой пункт", planned_start=date(2030, 1, 1),
                          planned_end=date(2030, 2, 1))
    request = request_answer(request=request, actor=executor, answer_text="Подключение возможно")
    assert request.status == "answered"
