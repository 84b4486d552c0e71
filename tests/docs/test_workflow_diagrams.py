"""The committed state diagrams are what the code generates (STYLE.md: a docs test checks they are current)."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.management.commands import workflow_diagram
from core.workflows.appeals import ACTIONS
from core.workflows.diagram import DIAGRAMS, appeal_state_diagram, mermaid_block_replace

REGENERATE = "regenerate with: .venv/bin/python manage.py workflow_diagram {name} --write"


def _generated(name: str) -> str:
    out = StringIO()
    call_command("workflow_diagram", name, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_committed_diagram_is_what_the_code_generates(name):
    generated = _generated(name)
    committed = (workflow_diagram.DOCS_DIR / f"{name}.mmd").read_text(encoding="utf-8")
    assert committed == generated, f"docs/workflows/{name}.mmd is stale; " + REGENERATE.format(name=name)
    page = (workflow_diagram.DOCS_DIR / f"{name}.md").read_text(encoding="utf-8")
    assert mermaid_block_replace(page, generated) == page, (
        f"the mermaid block of docs/workflows/{name}.md is stale; " + REGENERATE.format(name=name)
    )


def test_appeal_diagram_shows_every_transition_with_its_russian_label():
    diagram = appeal_state_diagram()
    assert 'state "Обращение поступило на модерацию" as moderation' in diagram
    assert "[*] --> moderation : Обращение подано" in diagram
    assert "moderation --> assigned : Назначить менеджера" in diagram
    assert "clarification --> redirected : Перенаправить" in diagram
    assert "answered --> not_resolved : Закрыть с итогом «Не решено»" in diagram
    assert "rejected --> [*]" in diagram and "answered --> [*]" not in diagram
    for action in ACTIONS.values():  # status changes are edges; the actions that keep the status sit in the note
        assert (f"{action.label} — " if action.statuses else f" : {action.label}") in diagram
    assert "Добавить комментарий — в любом статусе" in diagram
    assert "Перенести срок — пока идёт срок ответа" in diagram


def test_write_updates_the_source_and_the_page(tmp_path, monkeypatch):
    monkeypatch.setattr(workflow_diagram, "DOCS_DIR", tmp_path)
    (tmp_path / "appeals.md").write_text("# Обращения\n\n```mermaid\nstale\n```\n\nТекст.\n", encoding="utf-8")
    call_command("workflow_diagram", "appeals", "--write", stdout=StringIO())
    diagram = appeal_state_diagram()
    assert (tmp_path / "appeals.mmd").read_text(encoding="utf-8") == diagram
    page = (tmp_path / "appeals.md").read_text(encoding="utf-8")
    assert page == f"# Обращения\n\n```mermaid\n{diagram}```\n\nТекст.\n"


def test_a_page_without_a_mermaid_block_is_an_error():
    with pytest.raises(ValueError):
        mermaid_block_replace("# Без диаграммы\n", "stateDiagram-v2\n")
