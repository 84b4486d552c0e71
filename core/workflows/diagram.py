"""State diagrams generated from the code, so the documentation cannot drift from the status machines.

The states and edges come from django-fsm's registry of `@transition` methods on a model's FSM field; the words
come from the field's choices and from the actions' labels in the workflow. docs/workflows/<name>.mmd and a
Mermaid block of a docs/workflows page hold this output (see DIAGRAMS), and tests/docs/test_workflow_diagrams.py
fails when they are stale: regenerate with `python manage.py workflow_diagram <name> --write`.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_fsm import RETURN_VALUE, FSMField

from core.choices import AppealEventKind, AppealStatus, ProjectStage
from core.models import Appeal, Project, Task
from core.workflows import projects as project_workflow
from core.workflows import tasks as task_workflow
from core.workflows.appeals import ACTIONS, CLOSE_OUTCOMES

S = AppealStatus
INDENT = "    "
MERMAID_BLOCK = re.compile(r"```mermaid\n.*?```", re.DOTALL)


@dataclass(frozen=True)
class StateGroup:
    """States drawn as one composite state: a transition open from each of them is one edge from the group."""

    name: str
    label: str
    states: Sequence[str]


@dataclass(frozen=True)
class Machine:
    model: type[models.Model]
    field: str
    command: str  # the workflow_diagram name, quoted in the generated header
    edge_label: Callable[[str], tuple[int, str]]  # @transition method -> (sort position, label)
    start_label: str
    group: StateGroup | None = None
    # A transition with target=RETURN_VALUE(...) goes to one pseudo-state named after the field that remembers
    # the stage to return to, instead of an edge to every state it may return to.
    returns_to: str = ""
    note: tuple[str, list[str]] | None = None  # (state, lines)
    # (state, action, label): an action that keeps the state yet is a step of the flow, drawn as a loop
    loops: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, order=True)
class _Edge:
    source_rank: int
    position: int
    target_rank: int
    source: str
    target: str
    label: str

    def line(self, indent: str) -> str:
        return f"{indent}{self.source} --> {self.target}" + (f" : {self.label}" if self.label else "")


def labels_in_order(labels: Mapping[str, object], model: type[models.Model]) -> Callable[[str], tuple[int, str]]:
    order = list(labels)

    def edge_label(method: str) -> tuple[int, str]:
        if method not in labels:
            raise LookupError(f"{model.__name__}.{method} is a transition without an action label in its workflow")
        return order.index(method), str(labels[method])

    return edge_label


def _edges(machine: Machine, field: FSMField, rank: Callable[[str], int]) -> list[_Edge]:
    group = machine.group
    sources_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    returns: set[str] = set()
    for transition in field.get_all_transitions(machine.model):
        target = transition.target
        if isinstance(target, RETURN_VALUE):
            if not machine.returns_to:
                raise LookupError(f"{machine.model.__name__}.{transition.name} returns its target: set returns_to")
            returns.update(target.allowed_states)
            target = machine.returns_to
        sources_of[transition.name, target].add(transition.source)
    edges = []
    for (method, target), sources in sources_of.items():
        position, label = machine.edge_label(method)
        if group and set(group.states) <= sources:
            sources = (sources - set(group.states)) | {group.name}
        edges += [_Edge(rank(source), position, rank(target), source, target, label) for source in sources]
    if returns:
        back = [group.name] if group and returns == set(group.states) else sorted(returns, key=rank)
        edges += [_Edge(rank(machine.returns_to), 0, rank(state), machine.returns_to, state, "") for state in back]
    edges += [_Edge(rank(state), machine.edge_label(action)[0], rank(state), state, state, label)
              for state, action, label in machine.loops]
    return sorted(edges)


def state_diagram(machine: Machine) -> str:
    """The machine as a Mermaid stateDiagram-v2 (ends with a newline), worded in the active language."""
    field = machine.model._meta.get_field(machine.field)
    labels = {value: str(label) for value, label in field.flatchoices}
    group = machine.group
    order = [*labels, *([machine.returns_to] if machine.returns_to else [])]
    if group:  # the group's edges follow those of its last state
        order.insert(max(order.index(state) for state in group.states) + 1, group.name)
    edges = _edges(machine, field, order.index)
    edge_sources = {edge.source for edge in edges}
    ends = edge_sources | {edge.target for edge in edges}
    members = set(group.states) if group and group.name in ends else set()
    sources = edge_sources | (members if group and group.name in edge_sources else set())
    used = [state for state in labels if state in ends | members]

    lines = [
        "stateDiagram-v2",
        f"{INDENT}%% Generated from core.models.{machine.model.__name__}: "
        f"python manage.py workflow_diagram {machine.command} --write",
    ]
    lines += [f'{INDENT}state "{labels[state]}" as {state}' for state in used]
    if machine.returns_to in ends:
        remembered = capfirst(machine.model._meta.get_field(machine.returns_to).verbose_name)
        lines.append(f'{INDENT}state "{remembered}" as {machine.returns_to}')
    lines.append(f"{INDENT}[*] --> {field.get_default()} : {machine.start_label}")
    inner = [edge for edge in edges if {edge.source, edge.target} <= members]
    if members:
        lines.append(f'{INDENT}state "{group.label}" as {group.name} {{')
        lines += [edge.line(INDENT * 2) for edge in inner]
        lines.append(f"{INDENT}}}")
    lines += [edge.line(INDENT) for edge in edges if edge not in inner]
    lines += [f"{INDENT}{state} --> [*]" for state in used if state not in sources]
    if machine.note:
        state, note = machine.note
        lines += [f"{INDENT}note right of {state}", *(f"{INDENT * 2}{line}" for line in note), f"{INDENT}end note"]
    return "\n".join(lines) + "\n"


# --- appeals -----------------------------------------------------------------------------------------------
def _appeal_edge_label(method: str) -> tuple[int, str]:
    """(position of the action in ACTIONS, its label) for a @transition method of Appeal."""
    order = list(ACTIONS)
    if method in ACTIONS:
        return order.index(method), str(ACTIONS[method].label)
    outcome = {close: status for status, close in CLOSE_OUTCOMES.items()}.get(method)
    if outcome is None:
        raise LookupError(f"Appeal.{method} is a transition without an action in core.workflows.appeals.ACTIONS")
    return order.index("close"), f"{ACTIONS['close'].label} «{S(outcome).label}»"


def _keeping_phrase(name: str, statuses: Iterable[str] | None) -> str:
    """When an action that keeps the status is allowed: its status list, or the condition the door checks."""
    if name == "escalate":  # core.workflows.appeals._status_allows
        return _("при итоге «Не решено» или после срока ответа")
    if name == "rate":  # the door asks for a round the investor has not rated yet
        return _("когда есть неоценённый ответ")
    return _statuses_phrase(statuses)


def _statuses_phrase(statuses: Iterable[str]) -> str:
    chosen = set(statuses)
    named = [
        (set(S.values), _("в любом статусе")),
        (set(S.open()), _("пока идёт срок ответа")),
        (set(S.open()) - {S.MODERATION}, _("на исполнении, до ответа")),
        ({*S.open(), S.ANSWERED, S.NOT_RESOLVED}, _("пока идёт срок ответа, после ответа и при итоге «Не решено»")),
        ({S.ANSWERED, *S.outcomes()}, _("после ответа")),
    ]
    for statuses_of_name, phrase in named:
        if chosen == statuses_of_name:
            return phrase
    return ", ".join(str(S(status).label) for status in S.values if status in chosen)


def appeal_state_diagram() -> str:
    """The appeal's status machine as a Mermaid stateDiagram-v2 (ends with a newline)."""
    with translation.override("ru"):
        transitions = {t.name for t in Appeal._meta.get_field("status").get_all_transitions(Appeal)}
        keeping = [
            f"{action.label} — {_keeping_phrase(action.name, action.statuses)}"
            for action in ACTIONS.values()
            if action.statuses is not None or (action.name not in transitions and action.name != "close")
        ]
        return state_diagram(
            Machine(
                model=Appeal,
                field="status",
                command="appeals",
                edge_label=_appeal_edge_label,
                start_label=str(AppealEventKind.SUBMITTED.label),
                note=(Appeal._meta.get_field("status").get_default(), [_("Статус не меняют:"), *keeping]),
                # Organisation.approves_own_answers: the executor body's head approves first, the status stays
                loops=((S.APPROVAL, "approve", _("Согласовать ответ — сначала руководитель исполнителя, если "
                                                 "организация согласует ответы сама")),),
            )
        )


# --- projects and tasks ------------------------------------------------------------------------------------
def project_stage_diagram() -> str:
    """The project's stage machine; suspending and withdrawing are one edge from the active stages, resuming one
    edge back through «этап до приостановки»."""
    with translation.override("ru"):
        labels = {name: action.label for name, action in project_workflow.ACTIONS.items()}
        return state_diagram(
            Machine(
                model=Project,
                field="stage",
                command="projects",
                edge_label=labels_in_order(labels, Project),
                start_label=_("Подать заявку"),
                group=StateGroup("active", _("Активные этапы"), ProjectStage.active()),
                returns_to="paused_from",
                note=(
                    "paused_from",
                    [_("«Возобновить» возвращает на этап, с которого проект приостановили или отозвали")],
                ),
            )
        )


def task_diagram() -> str:
    """The task's status machine."""
    with translation.override("ru"):
        return state_diagram(
            Machine(
                model=Task,
                field="status",
                command="tasks",
                edge_label=labels_in_order(task_workflow.LABELS, Task),
                start_label=_("Поставить задачу"),
            )
        )


@dataclass(frozen=True)
class Diagram:
    generate: Callable[[], str]
    page: str  # the docs/workflows page that shows it; the source is committed as <name>.mmd next to it
    block: int = 0  # which ```mermaid block of the page, counting from 0


DIAGRAMS: dict[str, Diagram] = {
    "appeals": Diagram(appeal_state_diagram, "appeals.md"),
    "projects": Diagram(project_stage_diagram, "projects.md"),
    "tasks": Diagram(task_diagram, "projects.md", block=1),
}


def mermaid_block_replace(page: str, diagram: str, block: int = 0) -> str:
    """The Markdown page with its ```mermaid block number `block` (from 0) replaced by the diagram."""
    blocks = list(MERMAID_BLOCK.finditer(page))
    if block >= len(blocks):
        raise ValueError(f"the page has no ```mermaid block number {block + 1} to hold the diagram")
    found = blocks[block]
    return f"{page[: found.start()]}```mermaid\n{diagram}```{page[found.end() :]}"
