"""Keep the project's plural entries in locale/ru/LC_MESSAGES/django.po (the first half of `make messages`).

The project writes its strings in Russian, so `_("Обращения")` needs no catalogue entry. A plural does:
`ngettext("%(count)s проект", "%(count)s проектов", n)` has two source forms and Russian needs three. This script
extracts every plural msgid (ngettext, npgettext and their lazy forms, `{% blocktranslate count %}`) of core/,
admin_site/ and templates/ with xgettext, merges them into the catalogue with polib and compiles django.mo:

- an entry in the catalogue keeps its forms and comments; its references are refreshed (file names only, so code
  moving inside a file changes nothing);
- a new msgid is added with three empty forms: translate them, run again (the run exits 1 until then);
- an entry the code no longer uses turns obsolete ("#~": kept, not compiled, revived if the msgid comes back).

Nothing else is added: a singular Russian msgid is its own translation. Run from the project root (needs GNU
gettext: xgettext, msgfmt):

    .venv/bin/python scripts/project_messages.py            # merge into the .po, compile the .mo
    .venv/bin/python scripts/project_messages.py --check    # exit 1 if an entry is missing, untranslated or stale
"""

import sys
from pathlib import Path

import polib
from catalogue import (
    NPLURALS,
    PROJECT_PO,
    ROOT,
    arguments,
    extract,
    is_translated,
    key,
    mo_matches_po,
    new_catalogue,
    update,
)

SOURCES = ("core", "admin_site", "templates")
SKIP_DIRS = {"migrations", "__pycache__", "tests", "static"}
SUFFIXES = {".py", ".html", ".txt"}

HEADER = """\
Russian plural forms of «Зелёный коридор»'s own strings.

The project's msgids are Russian (the source language), so only plurals need an entry: three forms (one, few,
many) for every ngettext / npgettext / {% blocktranslate count %} in core/, admin_site/ and templates/.
`make messages` (scripts/project_messages.py) adds new msgids with empty forms, retires unused ones as "#~"
and compiles django.mo; translate the empty forms and run it again. Third-party apps speak Russian through
locale/thirdparty/ (scripts/thirdparty_messages.py). Commit django.po and django.mo together."""


def source_files() -> list[Path]:
    files = []
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and not SKIP_DIRS & set(path.relative_to(ROOT).parts):
                files.append(path)
    return files


def extracted_entries() -> list[polib.POEntry]:
    return extract(source_files(), ROOT, plurals_only=True, with_lines=False)


def merge(current: polib.POFile, extracted: list[polib.POEntry]) -> polib.POFile:
    """The catalogue as it should be: current forms, extracted msgids and references, unused entries obsolete."""
    wanted = {key(e): e for e in extracted}
    result = new_catalogue(HEADER)
    seen = set()
    for entry in current:
        if not entry.msgid or key(entry) in seen:
            continue
        seen.add(key(entry))
        found = wanted.get(key(entry))
        entry.obsolete = found is None
        if found is not None:
            entry.msgid_plural = found.msgid_plural
            entry.occurrences = sorted(set(found.occurrences))
            entry.flags = sorted({*found.flags, *(["fuzzy"] if "fuzzy" in entry.flags else [])})
        else:
            entry.occurrences = []
        result.append(entry)
    for entry in extracted:
        if key(entry) not in seen:
            entry.occurrences = sorted(set(entry.occurrences))
            entry.msgstr_plural = dict.fromkeys(range(NPLURALS), "")
            result.append(entry)
    return result


def problems(current: polib.POFile, extracted: list[polib.POEntry], po_path: Path) -> list[str]:
    live = {key(e): e for e in current if e.msgid and not e.obsolete}
    found = []
    for entry in extracted:
        have = live.get(key(entry))
        refs = " ".join(path for path, _line in entry.occurrences[:2])
        if have is None:
            found.append(f"missing: {entry.msgid!r} ({refs})")
        elif not is_translated(have) or "fuzzy" in have.flags:
            found.append(f"untranslated or fuzzy: {entry.msgid!r} ({refs})")
    wanted = {key(e) for e in extracted}
    found += [f"stale (no longer in the code): {e.msgid!r}" for k, e in live.items() if k not in wanted]
    if not mo_matches_po(po_path):
        found.append(f"{po_path.with_suffix('.mo')} is missing or was not compiled from the current .po")
    return found


def main() -> int:
    options = arguments(__doc__)
    return update(po_path=options.locale_dir / PROJECT_PO.relative_to(ROOT / "locale"), entries=extracted_entries(),
                  check=options.check, merge=merge, problems=problems, what="plural entries")


if __name__ == "__main__":
    sys.exit(main())
