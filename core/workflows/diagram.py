"""State diagrams generated from the code, so the documentation cannot drift from the status machine.

The states and edges come from django-fsm's registry of `@transition` methods on the model; the words come
from the status choices and from the actions' labels in the workflow. docs/workflows/<machine>.mmd and the
Mermaid block of docs/workflows/<machine>.md hold this output, and tests/docs/test_workflow_diagrams.py fails
when they are stale: regenerate with `python manage.py workflow_diagram appeals --write`.
"""

import re
from collections.abc import Callable, Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from core.choices import AppealEventKind, AppealStatus
from core.models import Appeal
from core.workflows.appeals import ACTIONS, CLOSE_OUTCOMES

S = AppealStatus
INDENT = "    "
MERMAID_BLOCK = re.compile(r"```mermaid\n.*?```", re.DOTALL)


def _appeal_edge_label(method: str) -> tuple[int, str]:
    """(position of the action in ACTIONS, its label) for a @transition method of Appeal."""
    order = list(ACTIONS)
    if method in ACTIONS:
        return order.index(method), str(ACTIONS[method].label)
    outcome = {close: status for status, close in CLOSE_OUTCOMES.items()}.get(method)
    if outcome is None:
        raise LookupError(f"Appeal.{method} is a transition without an action in core.workflows.appeals.ACTIONS")
    return order.index("close"), f"{ACTIONS['close'].label} «{S(outcome).label}»"


def _statuses_phrase(statuses: Iterable[str]) -> str:
    chosen = set(statuses)
    named = [
        (set(S.values), _("в любом статусе")),
        (set(S.open()), _("пока идёт срок ответа")),
        ({S.ANSWERED, *S.outcomes()}, _("после ответа")),
    ]
    for statuses_of_name, phrase in named:
        if chosen == statuses_of_name:
            return phrase
    return ", ".join(str(S(status).label) for status in S.values if status in chosen)


def appeal_state_diagram() -> str:
    """The appeal's status machine as a Mermaid stateDiagram-v2 (ends with a newline)."""
    with translation.override("ru"):
        return _appeal_state_diagram()


def _appeal_state_diagram() -> str:
    field = Appeal._meta.get_field("status")
    status_order = list(S.values)
    edges = []
    for transition in field.get_all_transitions(Appeal):
        position, label = _appeal_edge_label(transition.name)
        source, target = transition.source, transition.target
        edges.append((status_order.index(source), position, status_order.index(target), source, target, label))
    edges.sort()
    sources = {edge[3] for edge in edges}
    used = sources | {edge[4] for edge in edges}
    initial = field.get_default()

    lines = [
        "stateDiagram-v2",
        f"{INDENT}%% Generated from core.models.Appeal: python manage.py workflow_diagram appeals --write",
    ]
    lines += [f'{INDENT}state "{S(status).label}" as {status}' for status in status_order if status in used]
    lines.append(f"{INDENT}[*] --> {initial} : {AppealEventKind.SUBMITTED.label}")
    lines += [f"{INDENT}{source} --> {target} : {label}" for *_order, source, target, label in edges]
    lines += [f"{INDENT}{status} --> [*]" for status in status_order if status in used - sources]
    lines += [f"{INDENT}note right of {initial}", f"{INDENT * 2}{_('Статус не меняют:')}"]
    lines += [
        f"{INDENT * 2}{action.label} — {_statuses_phrase(action.statuses)}"
        for action in ACTIONS.values()
        if action.statuses is not None
    ]
    lines.append(f"{INDENT}end note")
    return "\n".join(lines) + "\n"


DIAGRAMS: dict[str, Callable[[], str]] = {"appeals": appeal_state_diagram}


def mermaid_block_replace(page: str, diagram: str) -> str:
    """The Markdown page with its (first) ```mermaid block replaced by the diagram."""
    if not MERMAID_BLOCK.search(page):
        raise ValueError("the page has no ```mermaid block to hold the diagram")
    return MERMAID_BLOCK.sub(lambda _match: f"```mermaid\n{diagram}```", page, count=1)
