"""The committed state diagrams are what the code generates (STYLE.md: a docs test checks they are current)."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.choices import ProjectStage
from core.management.commands import workflow_diagram
from core.models import Appeal, Project
from core.workflows import projects as project_workflow
from core.workflows import tasks as task_workflow
from core.workflows.appeals import ACTIONS
from core.workflows.diagram import (
    DIAGRAMS,
    Machine,
    appeal_state_diagram,
    labels_in_order,
    mermaid_block_replace,
    project_stage_diagram,
    state_diagram,
    task_diagram,
)

REGENERATE = "regenerate with: .venv/bin/python manage.py workflow_diagram {name} --write"


def _generated(name: str) -> str:
    out = StringIO()
    call_command("workflow_diagram", name, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_committed_diagram_is_what_the_code_generates(name):
    generated, spec = _generated(name), DIAGRAMS[name]
    committed = (workflow_diagram.DOCS_DIR / f"{name}.mmd").read_text(encoding="utf-8")
    assert committed == generated, f"docs/workflows/{name}.mmd is stale; " + REGENERATE.format(name=name)
    page = (workflow_diagram.DOCS_DIR / spec.page).read_text(encoding="utf-8")
    assert mermaid_block_replace(page, generated, spec.block) == page, (
        f"mermaid block {spec.block + 1} of docs/workflows/{spec.page} is stale; " + REGENERATE.format(name=name)
    )


def test_appeal_diagram_shows_every_transition_with_its_russian_label():
    diagram = appeal_state_diagram()
    assert 'state "Обращение поступило на модерацию" as moderation' in diagram
    assert "[*] --> moderation : Обращение подано" in diagram
    assert "moderation --> assigned : Назначить менеджера" in diagram
    assert "clarification --> redirected : Перенаправить" in diagram
    assert "answered --> not_resolved : Закрыть с итогом «Не решено»" in diagram
    assert "rejected --> [*]" in diagram and "answered --> [*]" not in diagram
    transitions = {t.name for t in Appeal._meta.get_field("status").get_all_transitions(Appeal)} | {"close"}
    for action in ACTIONS.values():  # status changes are edges; the actions that keep the status sit in the note
        assert (f" : {action.label}" if action.name in transitions else f"{action.label} — ") in diagram
    assert "Добавить комментарий — в любом статусе" in diagram
    assert "Перенести срок — пока идёт срок ответа" in diagram
    assert "Вынести на МРГ — при итоге «Не решено» или после срока ответа" in diagram
    # the two-stage approval (Organisation.approves_own_answers) keeps the status: a loop on «На согласовании»
    assert "approval --> approval : Согласовать ответ — сначала руководитель исполнителя" in diagram


def test_project_diagram_draws_pausing_once_from_the_active_stages_and_resuming_through_the_remembered_stage():
    diagram = project_stage_diagram()
    lines = diagram.splitlines()
    assert 'state "Заявка" as application' in diagram
    assert "[*] --> application : Подать заявку" in diagram
    inside = lines[lines.index('    state "Активные этапы" as active {') + 1 : lines.index("    }")]
    assert "        review --> accepted : Принять на сопровождение" in inside
    assert "        investment --> operational : Перейти к эксплуатационному этапу" in inside
    assert len(inside) == 5  # the forward path through the active stages, nothing else
    assert "    review --> declined : Отказать в сопровождении" in lines
    assert "    active --> suspended : Приостановить" in lines
    assert "    active --> withdrawn : Отозвать проект" in lines
    assert "    suspended --> withdrawn : Отозвать проект" in lines  # the only source outside the group
    assert 'state "Этап до приостановки" as paused_from' in diagram
    assert "    suspended --> paused_from : Возобновить" in lines
    assert "    withdrawn --> paused_from : Возобновить" in lines
    assert "    paused_from --> active" in lines
    assert not any(line.startswith(f"    {stage} --> suspended") for line in lines for stage in ProjectStage.active())
    assert [line for line in lines if line.endswith("--> [*]")] == ["    declined --> [*]", "    completed --> [*]"]
    for action in project_workflow.ACTIONS.values():
        assert f" : {action.label}" in diagram


def test_without_a_group_every_stage_gets_its_own_edges_and_resuming_returns_to_each_allowed_stage():
    diagram = state_diagram(
        Machine(
            model=Project,
            field="stage",
            command="projects",
            start_label="Подать заявку",
            returns_to="paused_from",
            edge_label=labels_in_order({n: a.label for n, a in project_workflow.ACTIONS.items()}, Project),
        )
    )
    for stage in ProjectStage.active():
        assert f"    {stage} --> suspended : Приостановить" in diagram
        assert f"    paused_from --> {stage}\n" in diagram
    assert "active" not in diagram.replace("paused_from", "")


def test_task_diagram_shows_every_action():
    diagram = task_diagram()
    assert "[*] --> new : Поставить задачу" in diagram
    assert "new --> in_work : Взять в работу" in diagram
    assert "in_work --> done : Отметить выполненной" in diagram
    assert "new --> cancelled : Отменить задачу" in diagram
    assert "in_work --> new" not in diagram
    assert "done --> [*]" in diagram and "cancelled --> [*]" in diagram
    for label in task_workflow.LABELS.values():
        assert f" : {label}" in diagram


def test_write_updates_the_source_and_the_page(tmp_path, monkeypatch):
    monkeypatch.setattr(workflow_diagram, "DOCS_DIR", tmp_path)
    (tmp_path / "appeals.md").write_text("# Обращения\n\n```mermaid\nstale\n```\n\nТекст.\n", encoding="utf-8")
    call_command("workflow_diagram", "appeals", "--write", stdout=StringIO())
    diagram = appeal_state_diagram()
    assert (tmp_path / "appeals.mmd").read_text(encoding="utf-8") == diagram
    page = (tmp_path / "appeals.md").read_text(encoding="utf-8")
    assert page == f"# Обращения\n\n```mermaid\n{diagram}```\n\nТекст.\n"


def test_the_project_page_holds_the_stage_diagram_first_and_the_task_diagram_second(tmp_path, monkeypatch):
    monkeypatch.setattr(workflow_diagram, "DOCS_DIR", tmp_path)
    page = "# Проекты\n\n```mermaid\nэтапы\n```\n\n```\nкоманда\n```\n\n## Задачи\n\n```mermaid\nзадачи\n```\n"
    (tmp_path / "projects.md").write_text(page, encoding="utf-8")
    call_command("workflow_diagram", "tasks", "--write", stdout=StringIO())
    call_command("workflow_diagram", "projects", "--write", stdout=StringIO())
    stages, tasks = project_stage_diagram(), task_diagram()
    assert (tmp_path / "projects.mmd").read_text(encoding="utf-8") == stages
    assert (tmp_path / "tasks.mmd").read_text(encoding="utf-8") == tasks
    assert (tmp_path / "projects.md").read_text(encoding="utf-8") == (
        f"# Проекты\n\n```mermaid\n{stages}```\n\n```\nкоманда\n```\n\n## Задачи\n\n```mermaid\n{tasks}```\n"
    )


def test_a_page_without_the_mermaid_block_is_an_error():
    with pytest.raises(ValueError):
        mermaid_block_replace("# Без диаграммы\n", "stateDiagram-v2\n")
    with pytest.raises(ValueError):
        mermaid_block_replace("```mermaid\nодна\n```\n", "stateDiagram-v2\n", block=1)
