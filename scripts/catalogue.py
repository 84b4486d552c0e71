"""What scripts/project_messages.py and scripts/thirdparty_messages.py share: reading and writing the Russian .po
catalogues with polib, extracting msgids with GNU xgettext the way `makemessages` does, compiling the .mo.

The two catalogues (locale/README.md):
  locale/ru/LC_MESSAGES/django.po             the project's own entries (its plural forms), first in LOCALE_PATHS;
  locale/thirdparty/ru/LC_MESSAGES/django.po  Russian for unfold, auditlog, axes, django-q2 and import-export.
Both are written deterministically (no creation date, sorted references), so running the scripts again on an
unchanged tree changes nothing.
"""

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from gettext import GNUTranslations
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
THIRDPARTY_PO = ROOT / "locale" / "thirdparty" / "ru" / "LC_MESSAGES" / "django.po"

NPLURALS = 3
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
METADATA = {
    "Project-Id-Version": "zelenyi-koridor",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "Zelenyi Koridor team",
    "Language-Team": "Russian",
    "Language": "ru",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": RU_PLURAL_FORMS,
}
WRAP_WIDTH = 79  # what msgmerge and msgcat write, so a gettext tool run by hand changes little
TEMPLATE_EXTENSIONS = {".html", ".txt"}
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
PLURAL_KEYWORDS = [k for k in XGETTEXT_KEYWORDS if k.startswith(("ngettext", "npgettext"))]


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return len(entry.msgstr_plural) == NPLURALS and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def load(path: Path) -> polib.POFile:
    return polib.pofile(str(path), wrapwidth=WRAP_WIDTH) if path.exists() else polib.POFile(wrapwidth=WRAP_WIDTH)


def new_catalogue(header: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = header
    po.metadata = dict(METADATA)
    return po


def save(po: polib.POFile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        raise SystemExit(f"{args[0]} not found: install GNU gettext (apt-get install gettext)") from None
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{error.stderr}") from None


def extract(
    files: Iterable[Path], base: Path, *, plurals_only: bool = False, with_lines: bool = True
) -> list[polib.POEntry]:
    """The msgids of these .py files and Django templates (`templatize`, as makemessages does), via xgettext:
    with makemessages' keywords, or only the plural ones. References are relative to `base`, without line
    numbers when `with_lines` is false."""
    from django.utils.translation.template import templatize

    with tempfile.TemporaryDirectory() as tmp:
        relpaths = []
        for path in files:
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
        if plurals_only:  # a bare --keyword drops xgettext's default keywords (_, gettext, …)
            args += ["--keyword", *[f"--keyword={k}" for k in PLURAL_KEYWORDS]]
        else:
            args += [f"--keyword={k}" for k in XGETTEXT_KEYWORDS]
        args.append("--files-from=files.txt")
        if not with_lines:
            args.append("--add-location=file")
        output = run(args, cwd=tmp).stdout
    entries = [e for e in polib.pofile(output, wrapwidth=WRAP_WIDTH) if e.msgid]
    for entry in entries:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    return entries


def compile_mo(po_path: Path) -> None:
    run(["msgfmt", "--check", "-o", str(po_path.with_suffix(".mo")), str(po_path)])


def read_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        catalogue = dict(GNUTranslations(handle)._catalog)
    catalogue.pop("", None)  # the header
    return catalogue


def mo_matches_po(po_path: Path) -> bool:
    """Whether the committed .mo holds exactly what msgfmt compiles from the .po (file dates are useless here)."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return False
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        run(["msgfmt", "--check", "-o", str(fresh), str(po_path)])
        return read_mo(fresh) == read_mo(mo_path)


def arguments(doc: str) -> argparse.Namespace:
    """The command line both scripts take."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report problems, change nothing")
    parser.add_argument("--locale-dir", type=Path, default=ROOT / "locale", help="write here (tests use a copy)")
    return parser.parse_args()


def update(
    *,
    po_path: Path,
    entries: list[polib.POEntry],
    check: bool,
    merge: Callable[[polib.POFile, list[polib.POEntry]], polib.POFile],
    problems: Callable[[polib.POFile, list[polib.POEntry], Path], list[str]],
    what: str,
) -> int:
    """The shared end of both scripts: with --check report what is wrong; otherwise merge the entries into the
    catalogue, write and compile it, and list what is left to translate. Exit code 1 when anything is left."""
    current = load(po_path)
    if check:
        found = problems(current, entries, po_path)
        for problem in found:
            print(problem, file=sys.stderr)
        print(f"{len(entries)} {what}, {len(found)} problem(s)")
        return 1 if found else 0
    merged = merge(current, entries)
    save(merged, po_path)
    compile_mo(po_path)
    todo = [e.msgid for e in merged if not e.obsolete and (not is_translated(e) or "fuzzy" in e.flags)]
    for msgid in todo:
        print(f"to translate: {msgid!r}", file=sys.stderr)
    print(f"{po_path}: {len(entries)} {what}, {len(todo)} to translate")
    return 1 if todo else 0
