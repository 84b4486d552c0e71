"""Keep the Russian translations of third-party apps in the project catalogue.

django-unfold and django-auditlog ship no Russian catalogue, django-axes ships a partial and awkward one, and
django-q2 / django-import-export may lag behind their own code. The project catalogue
(locale/ru/LC_MESSAGES/django.po, listed first in LOCALE_PATHS, so it wins over every app catalogue) therefore
holds the Russian text for every user-visible string of those packages that Django's and the packages' own
Russian catalogues do not already translate (for axes: every string, ours replace its catalogue).

Usage, from the project root (needs GNU gettext: xgettext, msgcat, msgfmt):

    .venv/bin/python scripts/thirdparty_messages.py            # extract, merge into the .po, compile the .mo
    .venv/bin/python scripts/thirdparty_messages.py --check    # exit 1 if the .po is stale or incomplete

The update keeps every existing translation (also obsolete "#~" ones), adds new msgids with an empty msgstr
(translate them, then run the script again to compile), drops msgids the packages no longer use and rewrites
the generated block at the end of this file. That block calls gettext for every managed msgid so that
`manage.py makemessages` (which scans scripts/) keeps the entries alive, even with --no-obsolete.
"""

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from gettext import GNUTranslations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
SCRIPT_REF = "scripts/thirdparty_messages.py"
PO_PATH = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Order matters: a msgid used by several packages is listed under the first one.
PACKAGES = ("unfold", "auditlog", "axes", "django_q", "import_export")
# Packages whose own Russian catalogue we replace entirely (it is incomplete or poorly worded).
REPLACE_OWN_CATALOGUE = {"axes"}
TEMPLATE_EXTENSIONS = {".html", ".txt"}
SKIP_DIRS = {"migrations", "tests", "__pycache__", "locale", "static"}

XGETTEXT_KEYWORDS = [
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext:1,2",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "pgettext_lazy:1c,2",
    "npgettext:1c,2,3",
    "npgettext_lazy:1c,2,3",
]

PO_HEADER_COMMENT = """\
# Russian translations of THIRD-PARTY apps for «Зелёный коридор».
#
# The project's own msgids are already Russian (the source language), so this catalogue holds only the
# strings of django-unfold, django-auditlog, django-axes, django-q2 and django-import-export that Django's and
# the packages' own Russian catalogues leave in English. LOCALE_PATHS comes first, so these entries win.
#
# Generated and merged by scripts/thirdparty_messages.py (see locale/README.md); edit msgstr freely, then run
# `.venv/bin/python scripts/thirdparty_messages.py` to recompile django.mo. `manage.py makemessages` keeps the
# entries because the script contains a gettext call for each of them. Commit both django.po and django.mo.
"""

PO_HEADER_FIELDS = [
    ("Project-Id-Version", "zelenyi-koridor"),
    ("Report-Msgid-Bugs-To", ""),
    ("PO-Revision-Date", ""),  # kept from the existing .po, else the time of the first run
    ("Last-Translator", "Zelenyi Koridor team"),
    ("Language-Team", "Russian"),
    ("Language", "ru"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
    (
        "Plural-Forms",
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    ),
]
NPLURALS = 3

BEGIN_MARK = "# --- BEGIN " + "GENERATED ANCHORS"
END_MARK = "# --- END " + "GENERATED ANCHORS"


# --------------------------------------------------------------------------------------------------------------
# A small .po reader and writer (polib is not a dependency).


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    flags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # translator comments ("# ...")
    extracted: list[str] = field(default_factory=list)  # "#. ..."
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return all(self.msgstr) and len(self.msgstr) == (NPLURALS if self.msgid_plural else 1)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted po string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(text: str) -> tuple[list[str], list[Entry]]:
    """Return (header comment lines, entries); the header entry (msgid "") is the first entry."""
    entries: list[Entry] = []
    header_comments: list[str] = []
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        entry = Entry(msgid="")
        fields: dict[str, str] = {}
        current = None
        seen_msgid = False
        for line in lines:
            obsolete = line.startswith("#~")
            if obsolete:
                entry.obsolete = True
                line = line[2:].lstrip()
                if line.startswith("|") or not line:
                    continue
            if line.startswith("#,"):
                entry.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            elif line.startswith("#:"):
                entry.references += line[2:].split()
            elif line.startswith("#."):
                entry.extracted.append(line[2:].strip())
            elif line.startswith("#|"):
                continue
            elif line.startswith("#"):
                entry.comments.append(line[1:].removeprefix(" "))
            elif line.startswith('"'):
                if current is None:
                    raise ValueError(f"continuation line without keyword: {line!r}")
                fields[current] += _unquote(line)
            else:
                keyword, _sep, rest = line.partition(" ")
                current = keyword
                fields[current] = _unquote(rest)
                seen_msgid = seen_msgid or keyword == "msgid"
        if not seen_msgid:
            if not entries and not fields:
                header_comments = entry.comments
            continue
        entry.msgid = fields["msgid"]
        entry.msgctxt = fields.get("msgctxt")
        entry.msgid_plural = fields.get("msgid_plural")
        if entry.msgid_plural is not None:
            count = max([int(k[7:-1]) + 1 for k in fields if k.startswith("msgstr[")] + [NPLURALS])
            entry.msgstr = [fields.get(f"msgstr[{i}]", "") for i in range(count)]
        else:
            entry.msgstr = [fields.get("msgstr", "")]
        if not entries and entry.msgid == "" and entry.msgctxt is None:
            header_comments, entry.comments = entry.comments, []
        entries.append(entry)
    return header_comments, entries


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'


def _po_field(keyword: str, value: str) -> list[str]:
    parts = value.split("\n")
    if len(parts) == 1:
        return [f"{keyword} {_quote(value)}"]
    pieces = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return [f'{keyword} ""'] + [_quote(p) for p in pieces]


def format_entry(entry: Entry) -> str:
    lines = [f"# {c}".rstrip() for c in entry.comments]
    lines += [f"#. {c}" for c in entry.extracted]
    if entry.references:
        lines.append("#: " + " ".join(entry.references))
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    if entry.msgctxt is not None:
        lines += _po_field("msgctxt", entry.msgctxt)
    lines += _po_field("msgid", entry.msgid)
    if entry.msgid_plural is not None:
        lines += _po_field("msgid_plural", entry.msgid_plural)
        for i, value in enumerate(entry.msgstr):
            lines += _po_field(f"msgstr[{i}]", value)
    else:
        lines += _po_field("msgstr", entry.msgstr[0])
    return "\n".join(lines)


def header_entry(revision_date: str) -> Entry:
    values = dict(PO_HEADER_FIELDS, **{"PO-Revision-Date": revision_date})
    return Entry(msgid="", msgstr=["".join(f"{name}: {value}\n" for name, value in values.items())])


def revision_date() -> str:
    if PO_PATH.exists():
        _comments, entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
        if entries and entries[0].msgid == "":
            found = re.search(r"^PO-Revision-Date: (.+)$", entries[0].msgstr[0], re.MULTILINE)
            if found and not found.group(1).startswith("YEAR"):
                return found.group(1)
    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")


# --------------------------------------------------------------------------------------------------------------
# Extraction from the installed packages.


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings_test")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def installed_app_names() -> set[str]:
    from django.apps import apps

    return {config.name for config in apps.get_app_configs()}


def package_files(name: str, installed: set[str]) -> list[Path]:
    """Python modules and templates of a package, without tests, migrations and contrib apps not installed."""
    base = package_dir(name)
    result = []
    for dirpath, dirnames, filenames in os.walk(base):
        current = Path(dirpath)
        keep = []
        for dirname in sorted(dirnames):
            sub = current / dirname
            if dirname in SKIP_DIRS:
                continue
            if (sub / "apps.py").exists() and sub.parent.name == "contrib":
                dotted = ".".join(sub.relative_to(base.parent).parts)
                if dotted not in installed:
                    continue
            keep.append(dirname)
        dirnames[:] = keep
        for filename in sorted(filenames):
            path = current / filename
            if path.suffix == ".py" or path.suffix in TEMPLATE_EXTENSIONS:
                result.append(path)
    return sorted(result)


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        raise SystemExit(f"{args[0]} not found: install GNU gettext (apt-get install gettext)") from None
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{error.stderr}") from None


def extract_package(name: str, installed: set[str]) -> list[Entry]:
    from django.utils.translation.template import templatize

    base = package_dir(name).parent
    with tempfile.TemporaryDirectory() as tmp:
        relpaths = []
        for path in package_files(name, installed):
            rel = path.relative_to(base)
            target = Path(tmp) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            source = path.read_text(encoding="utf-8")
            if path.suffix in TEMPLATE_EXTENSIONS:
                source = templatize(source, origin=str(rel))
            target.write_text(source, encoding="utf-8")
            relpaths.append(rel.as_posix())
        (Path(tmp) / "files.txt").write_text("\n".join(relpaths), encoding="utf-8")
        args = ["xgettext", "--language=Python", "--from-code=UTF-8", "--add-comments=Translators", "--output=-"]
        args += [f"--keyword={k}" for k in XGETTEXT_KEYWORDS] + ["--files-from=files.txt"]
        output = run(args, cwd=tmp).stdout
    _comments, entries = parse_po(output)
    return [e for e in entries if e.msgid]


def existing_catalogues() -> list[dict]:
    """Russian catalogues that already translate strings at runtime: Django's and the apps' own (not ours)."""
    from django.apps import apps

    dirs = [package_dir("django") / "conf" / "locale"]
    for config in apps.get_app_configs():
        app_path = Path(config.path).resolve()
        if app_path.is_relative_to(ROOT.resolve()) and not app_path.is_relative_to((ROOT / ".venv").resolve()):
            continue  # the project's own apps
        if config.name.split(".")[0] in REPLACE_OWN_CATALOGUE:
            continue
        dirs.append(app_path / "locale")
    catalogues = []
    for directory in dirs:
        mo = directory / "ru" / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            with mo.open("rb") as handle:
                catalogues.append(GNUTranslations(handle)._catalog)
    return catalogues


def is_covered(entry: Entry, catalogues: list[dict]) -> bool:
    msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    return any(msgid in catalogue or (msgid, 0) in catalogue for catalogue in catalogues)


def managed_entries() -> tuple[list[Entry], dict[str, tuple[int, int]]]:
    """Entries the project catalogue must translate, in package order, and per-package (extracted, kept) counts."""
    setup_django()
    installed = installed_app_names()
    catalogues = existing_catalogues()
    result: dict[tuple[str | None, str], Entry] = {}
    stats = {}
    for name in PACKAGES:
        extracted = extract_package(name, installed)
        kept = 0
        for entry in extracted:
            if is_covered(entry, catalogues):
                continue
            if entry.key in result:
                result[entry.key].references += entry.references
                continue
            result[entry.key] = entry
            kept += 1
        stats[name] = (len(extracted), kept)
    return list(result.values()), stats


def is_project_entry(entry: Entry) -> bool:
    """An entry makemessages added for the project's own code (not a managed third-party entry)."""
    for ref in entry.references:
        path = ref.rsplit(":", 1)[0]
        if path != SCRIPT_REF and path.split("/")[0] not in PACKAGES:
            return True
    return False


# --------------------------------------------------------------------------------------------------------------
# Writing: the .po, the anchors block in this file, the .mo.


def _py_string(text: str) -> str:
    """A Python literal as ruff format writes it (double quotes unless the text holds only double quotes)."""
    quote = "'" if '"' in text and "'" not in text else '"'
    escaped = text.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n").replace("\t", "\\t")
    return f"{quote}{escaped}{quote}"


def _py_arg(text: str, indent: str, width: int = 100) -> list[str]:
    if len(_py_string(text)) + len(indent) <= width:
        return [indent + _py_string(text)]
    chunks, current = [], ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if current and len(_py_string(current + word)) + len(indent) > width:
            chunks.append(current)
            current = ""
        current += word
    chunks.append(current)
    return [indent + _py_string(c) for c in chunks]


def anchor_lines(entries: list[Entry]) -> list[str]:
    lines = []
    for entry in entries:
        if entry.msgctxt is None and entry.msgid_plural is None:
            function, args = "_", [entry.msgid]
        elif entry.msgctxt is None:
            function, args = "ngettext", [entry.msgid, entry.msgid_plural]
        elif entry.msgid_plural is None:
            function, args = "pgettext", [entry.msgctxt, entry.msgid]
        else:
            function, args = "npgettext", [entry.msgctxt, entry.msgid, entry.msgid_plural]
        single = f"    {function}({', '.join(_py_string(a) for a in args)}{', 1' if entry.msgid_plural else ''})"
        if len(single) <= 120:
            lines.append(single)
            continue
        lines.append(f"    {function}(")
        for arg in args:
            # No parentheses around a split literal: xgettext would not see it as the argument.
            parts = _py_arg(arg, " " * 8)
            lines += [*parts[:-1], parts[-1] + ","]
        if entry.msgid_plural:
            lines.append("        1,")
        lines.append("    )")
    return lines


def render_anchors(entries: list[Entry]) -> str:
    body = anchor_lines(entries)
    used = sorted({line.strip().split("(")[0] for line in body if re.match(r"    [a-z_]+\(", line)})
    imports = []
    if "_" in used:
        imports.append("    from django.utils.translation import gettext as _")
    if [name for name in used if name != "_"]:
        imports.append(f"    from django.utils.translation import {', '.join(n for n in used if n != '_')}")
    return "\n".join(
        [
            f"{BEGIN_MARK} (do not edit: scripts/thirdparty_messages.py rewrites this block) ---",
            "def _makemessages_anchors():  # pragma: no cover - never called; makemessages extracts these calls",
            *imports,
            *([""] if imports else []),
            *(body or ["    pass"]),
            "",
            "",
            f"{END_MARK} ---",
        ]
    )


def current_anchor_block() -> str:
    text = SCRIPT.read_text(encoding="utf-8")
    start = text.rindex("\n" + BEGIN_MARK) + 1
    end = text.index("\n", text.rindex("\n" + END_MARK) + 1)
    return text[start:end]


def write_anchors(entries: list[Entry]) -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    start = text.rindex("\n" + BEGIN_MARK) + 1
    end = text.index("\n", text.rindex("\n" + END_MARK) + 1)
    SCRIPT.write_text(text[:start] + render_anchors(entries) + text[end:], encoding="utf-8")


def merge(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """Fill the extracted entries with the translations in the current .po; return (managed, project entries)."""
    existing: dict[tuple[str | None, str], Entry] = {}
    project: list[Entry] = []
    if PO_PATH.exists():
        _comments, old_entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
        for old in old_entries:
            if not old.msgid:
                continue
            if not old.obsolete and is_project_entry(old):
                project.append(old)
            if old.key not in existing or (old.translated and not existing[old.key].translated):
                existing[old.key] = old
    managed_keys = {e.key for e in entries}
    project = [e for e in project if e.key not in managed_keys]
    for entry in entries:
        old = existing.get(entry.key)
        if old is not None and any(old.msgstr) and bool(old.msgid_plural) == bool(entry.msgid_plural):
            entry.msgstr = old.msgstr
            entry.comments = old.comments
            if old.fuzzy:
                entry.flags = ["fuzzy", *[f for f in entry.flags if f != "fuzzy"]]
        elif entry.msgid_plural is not None:
            entry.msgstr = [""] * NPLURALS
        entry.extracted = [c for c in entry.extracted if c]
    return entries, project


def write_po(entries: list[Entry], project: list[Entry]) -> None:
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    blocks = [PO_HEADER_COMMENT + format_entry(header_entry(revision_date()))]
    blocks += [format_entry(e) for e in entries + project]
    PO_PATH.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    # Let gettext wrap the lines the way msgmerge (makemessages) does, so both tools produce the same file.
    run(["msgcat", "--use-first", "-o", str(PO_PATH), str(PO_PATH)])


def compile_mo() -> None:
    run(["msgfmt", "--check", "-o", str(MO_PATH), str(PO_PATH)])


def check(entries: list[Entry]) -> list[str]:
    problems = []
    if not PO_PATH.exists():
        return [f"{PO_PATH} is missing"]
    _comments, current = parse_po(PO_PATH.read_text(encoding="utf-8"))
    by_key = {e.key: e for e in current if e.msgid and not e.obsolete}
    wanted = {e.key for e in entries}
    for entry in entries:
        found = by_key.get(entry.key)
        if found is None:
            problems.append(f"missing: {entry.msgctxt or ''}|{entry.msgid!r} ({' '.join(entry.references[:2])})")
        elif not found.translated:
            problems.append(f"untranslated: {entry.msgid!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {entry.msgid!r}")
    for key, entry in by_key.items():
        if key not in wanted and not is_project_entry(entry):
            problems.append(f"stale (no longer used by the packages): {entry.msgid!r}")
    if current_anchor_block() != render_anchors(entries):
        problems.append(f"the anchors block in {SCRIPT_REF} is out of date")
    if not mo_matches_po():
        problems.append(f"{MO_PATH.name} is missing or was not compiled from the current {PO_PATH.name}")
    return problems


def read_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        catalogue = dict(GNUTranslations(handle)._catalog)
    catalogue.pop("", None)  # the header (dates change with every makemessages run)
    return catalogue


def mo_matches_po() -> bool:
    """Whether the committed .mo holds exactly what msgfmt compiles from the .po (file dates are useless here)."""
    if not MO_PATH.exists():
        return False
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        run(["msgfmt", "--check", "-o", str(fresh), str(PO_PATH)])
        return read_mo(fresh) == read_mo(MO_PATH)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report problems, change nothing")
    options = parser.parse_args()
    for tool in ("xgettext", "msgcat", "msgfmt"):
        if shutil.which(tool) is None:
            print(f"{tool} not found: install GNU gettext", file=sys.stderr)
            return 2
    entries, stats = managed_entries()
    for name, (extracted, kept) in stats.items():
        print(f"{name}: {extracted} msgids extracted, {kept} need the project catalogue")
    if options.check:
        problems = check(entries)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(entries)} managed entries, {len(problems)} problem(s)")
        return 1 if problems else 0
    entries, project = merge(entries)
    write_po(entries, project)
    write_anchors(entries)
    untranslated = [e for e in entries if not e.translated or e.fuzzy]
    compile_mo()
    print(f"{PO_PATH.relative_to(ROOT)}: {len(entries)} third-party entries, {len(untranslated)} to translate")
    return 1 if untranslated else 0


if __name__ == "__main__":
    sys.exit(main())


# --- BEGIN GENERATED ANCHORS (do not edit: scripts/thirdparty_messages.py rewrites this block) ---
def _makemessages_anchors():  # pragma: no cover - never called; makemessages extracts these calls
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    _("Select record")
    _("Select action")
    _("Value")
    _("From")
    _("To")
    _("Date from")
    _("Date to")
    _("Not enough data.")
    _("Add new item")
    _("Paragraph")
    _("Underlined")
    _("Bold")
    _("Italic")
    _("Strike")
    _("Link")
    _("Heading")
    _("Quote")
    _("Code")
    _("Unordered list")
    _("Ordered list")
    _("Indent increase")
    _("Indent decrease")
    _("Undo")
    _("Redo")
    _("Enter an URL")
    _("Unlink")
    _("Select format")
    ngettext(
        "\n                    Export %(len)s selected item.\n                ",
        "\n                    Export %(len)s selected items.\n                ",
        1,
    )
    _("This exporter will export the following fields")
    _("View traceback")
    _("Select action to run")
    _(
        "Raw passwords are not stored, so there is no way to see this user’s password, but you can "
        'change the password using <a href="{}" class="text-primary-600 '
        'dark:text-primary-500">this form</a>.',
    )
    _("Dataset not found. No action performed.")
    _("Select value")
    _(
        'Field <strong class="font-semibold">{field_name}</strong> is not an autocomplete field. '
        "Please add it to the `autocomplete_fields` list.",
    )
    _("You can not create nested object without parent")
    _("Run")
    _("After you've created a user, you’ll be able to edit more user options.")
    _("Welcome back to")
    _("Forgotten your password or username?")
    _("Type to search")
    _("You have been successfully logged out from the administration")
    _("No data")
    _("All applications")
    _("True")
    _("False")
    _("Apply Filters")
    _("Filters")
    _("Navigate")
    _("Select")
    _("Recent searches")
    _("Nothing matched your search")
    ngettext(
        '\n            Found <span class="font-medium text-important">%(counter)s</span> result in '
        "%(time)s seconds\n        ",
        '\n            Found <span class="font-medium text-important">%(counter)s</span> results '
        "in %(time)s seconds\n        ",
        1,
    )
    _("Cancel")
    _("Record picture")
    _("This item will be deleted.")
    _("Click to cancel")
    _("No results found")
    _("This page yielded into no results.")
    _("Reset filters")
    _("Image preview")
    _("Click to download")
    _("Go back")
    _("Previous")
    _("Next")
    _("Search apps and models...")
    _("Available shortcuts")
    _("Global shortcuts")
    _("Open command tool")
    _("Open shortcuts list")
    _("Toggle sidebar")
    _("Toggle dark/light mode")
    _("Changelist shortcuts")
    _("Toggle filter")
    _("Create new record")
    _("Command tool shortcuts")
    _("Open selection")
    _("Open selection in new tab")
    _("General")
    _("Light")
    _("Dark")
    _("System")
    _("Return to site")
    _("Choose file to upload")
    _("Toggle password visibility")
    _("Add row")
    _("Date")
    _("Select currency")
    _("Changes")
    _("Audit log")
    _("Resource Type")
    _("Correlation ID")
    _("Click to filter by records with this correlation id")
    _("Created")
    _("Audit log: %s")
    _("create")
    _("update")
    _("delete")
    _("access")
    _("object pk")
    _("object representation")
    _("action")
    _("actor")
    _("remote address")
    _("remote port")
    _("timestamp")
    _("additional data")
    _("actor email")
    _("Created {repr:s}")
    _("Updated {repr:s}")
    _("Deleted {repr:s}")
    _("Logged {repr:s}")
    _("Field")
    _("Relationship")
    _("system")
    _("No field changes")
    _("No log entries found.")
    _("Locked Out")
    _("Form Data")
    _("Meta Data")
    _("Clean up expired attempts")
    _("Cleaned up {count} expired access attempts.")
    _("Not set")
    _("Attempt Remaining")
    _("Account locked: too many login attempts. Please try again later.")
    _("Account locked: too many login attempts. Contact an admin to unlock your account.")
    _("User Agent")
    _("IP Address")
    _("Username")
    _("HTTP Accept")
    _("Path")
    _("Attempt Time")
    _("Access lock out")
    _("access failure")
    _("access failures")
    _("GET Data")
    _("POST Data")
    _("Failed Logins")
    _("access attempt")
    _("access attempts")
    _("Access Attempt")
    _("Expires At")
    _("The time when access attempt expires and is no longer valid.")
    _("access attempt expiration")
    _("access attempt expirations")
    _("Logout Time")
    _("Session key hash (sha256)")
    _("access log")
    _("access logs")
    _("Q Cluster %(name)s failed to start. Sentinel exited with exit code %(exitcode)s.")
    _("export failed due to IllegalCharacterError")
    _("Select all")
    _("use_natural_foreign_keys and key_is_id cannot both be True")


# --- END GENERATED ANCHORS ---
