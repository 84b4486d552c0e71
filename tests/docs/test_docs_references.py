"""The docs name files and commands that exist.

Every project path written in backticks in README.md, locale/README.md and docs/ (one that starts with a
top-level entry of the checkout: `core/…`, `docs/…`, `Makefile`…, relative to the root or to the page's folder)
must exist, every template or static name (`portal/base.html`, `admin_site/reports.js`) must be one Django
finds, and every `manage.py <command>` they mention must be a
command Django knows. A renamed module or a dropped command then fails here instead of leaving a stale sentence.
"""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import get_commands
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", ROOT / "locale" / "README.md", *ROOT.glob("docs/**/*.md")])
CODE_SPAN = re.compile(r"`([^`\n]+)`")
# A path-like token: segments of letters, digits, dots, dashes and underscores joined by slashes.
PATH = re.compile(r"^\.?[\w.-]+(?:/[\w.-]+)*/?$")
# What the checkout holds at its top level: a token starting with one of these is a path in the project.
TOP = {entry.name for entry in ROOT.iterdir()} - {".venv", "var", "staticfiles", "node_modules", ".env", ".git"}
TEMPLATE_SUFFIXES = (".html", ".txt", ".js", ".css")
COMMAND = re.compile(r"manage\.py ([a-z_]+)\b(?!\.)")


def _path_tokens(text: str):
    for span in CODE_SPAN.findall(text):
        for token in span.split():
            token = token.rstrip(",.;:)")
            if PATH.match(token) and token.split("/")[0] in TOP:
                yield token


def _template_tokens(text: str):
    """Template and static names as Django finds them («portal/base.html», «admin_site/reports.js»)."""
    for span in CODE_SPAN.findall(text):
        token = span.strip()
        if PATH.match(token) and "/" in token and token.split("/")[0] not in TOP and token.endswith(TEMPLATE_SUFFIXES):
            yield token


def _exists(token: str, page: Path) -> bool:
    return (ROOT / token).exists() or (page.parent / token).exists() or _template_exists(token)


def _template_exists(token: str) -> bool:
    if token.endswith((".js", ".css", ".svg", ".png")):
        return finders.find(token) is not None
    if not token.endswith((".html", ".txt")):
        return False
    try:
        get_template(token)
    except TemplateDoesNotExist:
        return False
    return True


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_path_the_page_names_exists(page):
    text = page.read_text(encoding="utf-8")
    missing = sorted({token for token in _path_tokens(text) if not _exists(token, page)})
    missing += sorted({token for token in _template_tokens(text) if not _template_exists(token)})
    assert not missing, f"{page.relative_to(ROOT)} names files that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_manage_py_command_the_page_names_exists(page):
    known = set(get_commands())
    named = set(COMMAND.findall(page.read_text(encoding="utf-8")))
    assert not named - known, f"{page.relative_to(ROOT)} names unknown manage.py commands: {sorted(named - known)}"


def test_the_checks_catch_a_stale_name(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "See `core/no_such_module.py`, `portal/no_such.html` and run `manage.py no_such_command`.", encoding="utf-8"
    )
    assert "core/no_such_module.py" in _path_tokens(page.read_text())
    assert not _exists("core/no_such_module.py", page)
    assert list(_template_tokens(page.read_text())) == ["portal/no_such.html"]
    assert not _template_exists("portal/no_such.html")
    assert _template_exists("portal/base.html")
    assert COMMAND.findall(page.read_text()) == ["no_such_command"]
    assert "no_such_command" not in get_commands()
