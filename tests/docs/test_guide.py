"""The user guide (docs/guide/) shows only screenshots the browser journey takes, and all of them.

The pictures are produced by tests/e2e/test_guide_screens.py (`make guide`); this test needs no browser.
"""

import re
from pathlib import Path

from tests.e2e.test_guide_screens import SHOTS

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"
ROLE_PAGES = ("investor", "manager", "coordinator", "head", "executor", "director", "data-clerk", "administrator")
IMAGE = re.compile(r"!\[[^\]]*\]\(img/([\w-]+)\.png\)")


def _pictures() -> dict[str, set[str]]:
    return {page.name: set(IMAGE.findall(page.read_text(encoding="utf-8"))) for page in GUIDE.glob("*.md")}


def test_a_page_for_every_role_linked_from_the_index():
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    for role in ROLE_PAGES:
        assert (GUIDE / f"{role}.md").exists(), role
        assert f"({role}.md)" in index, role


def test_every_picture_a_page_shows_is_taken_by_the_journey_and_committed():
    for page, names in _pictures().items():
        unknown = names - set(SHOTS)
        assert not unknown, f"{page} shows pictures no journey takes: {sorted(unknown)}"
        missing = {name for name in names if not (GUIDE / "img" / f"{name}.png").exists()}
        assert not missing, f"{page}: run `make guide` — missing {sorted(missing)}"


def test_every_picture_the_journey_takes_is_used_and_nothing_else_lies_in_img():
    used = set().union(*_pictures().values())
    assert set(SHOTS) == used
    assert {path.stem for path in (GUIDE / "img").glob("*")} == set(SHOTS)
