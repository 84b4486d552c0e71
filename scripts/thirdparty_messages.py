"""Keep the Russian translations of third-party apps in their own catalogue, locale/thirdparty/.

django-unfold and django-auditlog ship no Russian catalogue, django-axes ships a partial and awkward one, and
django-q2 / django-import-export may lag behind their own code. locale/thirdparty/ru/LC_MESSAGES/django.po
(in LOCALE_PATHS after the project's locale/, and like every LOCALE_PATHS entry ahead of the apps' own
catalogues) therefore holds the Russian text for every user-visible string of those packages that Django's and
the packages' own Russian catalogues do not already translate (for axes: every string, ours replace its
catalogue). The project's own plural entries live apart, in locale/ru/ (scripts/project_messages.py).

Usage, from the project root (needs GNU gettext: xgettext, msgfmt); `make messages` runs it:

    .venv/bin/python scripts/thirdparty_messages.py            # extract, merge into the .po, compile the .mo
    .venv/bin/python scripts/thirdparty_messages.py --check    # exit 1 if the .po is stale or incomplete

The update keeps every existing translation and translator comment, adds new msgids with an empty msgstr
(translate them, then run the script again), and turns msgids the packages no longer use into obsolete "#~"
entries (not compiled; revived with their translation if a later version uses them again).
"""

import importlib.util
import os
import sys
from pathlib import Path

import polib
from catalogue import (
    NPLURALS,
    ROOT,
    TEMPLATE_EXTENSIONS,
    THIRDPARTY_PO,
    arguments,
    extract,
    is_translated,
    key,
    mo_matches_po,
    new_catalogue,
    update,
)

# Order matters: a msgid used by several packages is listed under the first one.
PACKAGES = ("unfold", "auditlog", "axes", "django_q", "import_export")
# Packages whose own Russian catalogue we replace entirely (it is incomplete or poorly worded).
REPLACE_OWN_CATALOGUE = {"axes", "import_export"}
SKIP_DIRS = {"migrations", "tests", "__pycache__", "locale", "static"}

HEADER = """\
Russian translations of THIRD-PARTY apps for «Зелёный коридор».

The project's own msgids are Russian (the source language); its plural forms are in locale/ru/. This catalogue
holds only the strings of django-unfold, django-auditlog, django-axes, django-q2 and django-import-export that
Django's and the packages' own Russian catalogues leave in English. LOCALE_PATHS lists locale/ first (the
project wins where both translate a msgid), then locale/thirdparty/; both come before every app catalogue.

Merged by scripts/thirdparty_messages.py (`make messages`, see locale/README.md); edit msgstr freely, then run
it again to recompile django.mo. Commit both django.po and django.mo."""


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


def extract_package(name: str, installed: set[str]) -> list[polib.POEntry]:
    return extract(package_files(name, installed), package_dir(name).parent)


def existing_catalogues() -> list[dict]:
    """Russian catalogues that already translate strings at runtime: Django's and the apps' own (not ours)."""
    from gettext import GNUTranslations

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


def is_covered(entry: polib.POEntry, catalogues: list[dict]) -> bool:
    msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    return any(msgid in catalogue or (msgid, 0) in catalogue for catalogue in catalogues)


def managed_entries() -> tuple[list[polib.POEntry], dict[str, tuple[int, int]]]:
    """Entries the catalogue must translate, in package order, and per-package (extracted, kept) counts."""
    setup_django()
    installed = installed_app_names()
    catalogues = existing_catalogues()
    result: dict[tuple[str | None, str], polib.POEntry] = {}
    stats = {}
    for name in PACKAGES:
        extracted = extract_package(name, installed)
        kept = 0
        for entry in extracted:
            if is_covered(entry, catalogues):
                continue
            if key(entry) in result:
                result[key(entry)].occurrences += entry.occurrences
                continue
            result[key(entry)] = entry
            kept += 1
        stats[name] = (len(extracted), kept)
    return list(result.values()), stats


def merge(current: polib.POFile, entries: list[polib.POEntry]) -> polib.POFile:
    """The extracted entries with the current translations and comments; unused translations kept obsolete."""
    existing: dict[tuple[str | None, str], polib.POEntry] = {}
    for old in current:
        if old.msgid and (key(old) not in existing or (is_translated(old) and not is_translated(existing[key(old)]))):
            existing[key(old)] = old
    result = new_catalogue(HEADER)
    for entry in entries:
        old = existing.pop(key(entry), None)
        if old is not None and bool(old.msgid_plural) == bool(entry.msgid_plural):
            entry.msgstr, entry.msgstr_plural, entry.tcomment = old.msgstr, old.msgstr_plural, old.tcomment
            if "fuzzy" in old.flags:
                entry.flags = ["fuzzy", *entry.flags]
        elif entry.msgid_plural:
            entry.msgstr_plural = dict.fromkeys(range(NPLURALS), "")
        result.append(entry)
    for old in existing.values():
        if is_translated(old):
            old.obsolete, old.occurrences = True, []
            result.append(old)
    return result


def problems(current: polib.POFile, entries: list[polib.POEntry], po_path: Path) -> list[str]:
    live = {key(e): e for e in current if e.msgid and not e.obsolete}
    found = []
    for entry in entries:
        have = live.pop(key(entry), None)
        refs = " ".join(path for path, _line in entry.occurrences[:2])
        if have is None:
            found.append(f"missing: {entry.msgctxt or ''}|{entry.msgid!r} ({refs})")
        elif not is_translated(have) or "fuzzy" in have.flags:
            found.append(f"untranslated or fuzzy: {entry.msgid!r}")
    found += [f"stale (no longer used by the packages): {e.msgid!r}" for e in live.values()]
    if not mo_matches_po(po_path):
        found.append(f"{po_path.with_suffix('.mo')} is missing or was not compiled from the current .po")
    return found


def main() -> int:
    options = arguments(__doc__)
    entries, stats = managed_entries()
    for name, (extracted, kept) in stats.items():
        print(f"{name}: {extracted} msgids extracted, {kept} need the third-party catalogue")
    return update(po_path=options.locale_dir / THIRDPARTY_PO.relative_to(ROOT / "locale"), entries=entries,
                  check=options.check, merge=merge, problems=problems, what="third-party entries")


if __name__ == "__main__":
    sys.exit(main())
