"""The table «Visibility of typed text» in docs/workflows/appeals.md is what ACTIONS says, action by action."""

import re
from pathlib import Path

from django.conf import settings

from core.workflows.appeals import ACTIONS, PUBLIC

PAGE = Path(settings.BASE_DIR) / "docs" / "workflows" / "appeals.md"
ROW = re.compile(r"^\| `(\w+)` \| ([^|]+) \| (public|internal|investor) \| (yes|no) \| (yes|no) \|$", re.MULTILINE)


def test_the_documented_defaults_are_those_of_the_actions():
    section = PAGE.read_text(encoding="utf-8").split("## Visibility of typed text", 1)[1].split("\n## ", 1)[0]
    documented = {name: rest for name, *rest in ROW.findall(section)}

    assert list(documented) == list(ACTIONS), "every action once, in the order of ACTIONS"
    for name, action in ACTIONS.items():
        default = "investor" if action.investor_facing else ("public" if action.text_default == PUBLIC else "internal")
        expected = [str(action.label), default, "yes" if action.text_choice else "no",
                    "yes" if action.row_public else "no"]
        assert documented[name] == expected, name
