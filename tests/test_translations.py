"""Third-party apps (unfold, auditlog, axes, django-q2, import-export) speak Russian through locale/ru.

The project catalogue holds their strings (scripts/thirdparty_messages.py, locale/README.md); these tests check
that the committed django.mo is what the .po compiles to, that Django picks it up, and that the .po is complete.
"""

import re
import subprocess
import sys
from gettext import GNUTranslations
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from tests.tools import require_tool

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{[A-Za-z_]?\w*(?::[^{}]*)?\}")


# --------------------------------------------------------------------------------------------------------------
# A minimal .po reader (polib is not a dependency).

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"bad po string {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path=PO_PATH):
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (a list), flags, comments."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line for line in block.splitlines() if line.strip()]
        if not any(line.startswith("msgid ") for line in lines):
            continue  # a comment-only block, or an obsolete ("#~") entry, which msgfmt does not compile
        fields, flags, comments, current = {}, [], [], None
        for line in lines:
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                comments.append(line)
            elif line.startswith('"'):
                fields[current] += _unquote(line)
            else:
                current, _sep, rest = line.partition(" ")
                fields[current] = _unquote(rest)
        plural = "msgid_plural" in fields
        msgstr = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr["))] if plural else None
        entries.append(
            {
                "msgctxt": fields.get("msgctxt"),
                "msgid": fields["msgid"],
                "msgid_plural": fields.get("msgid_plural"),
                "msgstr": msgstr if plural else [fields.get("msgstr", "")],
                "flags": flags,
                "comments": comments,
            }
        )
    return entries


def po_messages():
    return [e for e in read_po() if e["msgid"]]


def header():
    found = [e for e in read_po() if e["msgid"] == "" and e["msgctxt"] is None]
    assert found, "the .po has no header entry"
    return found[0]


def third_party(entry):
    """Entries whose msgid is not Russian: makemessages may add the project's own (Russian) msgids untranslated."""
    return not CYRILLIC.search(entry["msgid"])


# --------------------------------------------------------------------------------------------------------------
# Russian at runtime.


def sample(msgid, expected, translate=None):
    return pytest.param(translate or (lambda: gettext(msgid)), expected, id=msgid[:50])


SAMPLES = [
    # django-unfold
    sample("Search apps and models...", "Поиск разделов и моделей…"),
    sample("Filters", "Фильтры"),
    sample("Apply Filters", "Применить фильтры"),
    sample("Reset filters", "Сбросить фильтры"),
    sample("Log out", "Выйти"),  # Django's admin catalogue; unfold reuses the msgid
    sample("Welcome back to", "Добро пожаловать в систему"),
    sample("Toggle sidebar", "Показать или скрыть боковую панель"),
    sample("No results found", "Ничего не найдено"),
    sample("Select action to run", "Выберите действие"),
    sample("Dark", "Тёмная"),
    # django-auditlog
    sample("Changes", "Изменения"),
    sample("History", "История"),
    sample("Audit log", "Журнал аудита"),
    sample("Created", "Создано"),
    sample("Created {repr:s}", "Создано: Проект 1", lambda: gettext("Created {repr:s}").format(repr="Проект 1")),
    sample("Updated {repr:s}", "Изменено: Проект 1", lambda: gettext("Updated {repr:s}").format(repr="Проект 1")),
    sample("Deleted {repr:s}", "Удалено: Проект 1", lambda: gettext("Deleted {repr:s}").format(repr="Проект 1")),
    sample("No log entries found.", "Записи журнала не найдены."),
    # django-axes
    sample(
        "Account locked: too many login attempts. Please try again later.",
        "Учётная запись временно заблокирована из-за слишком большого числа неудачных попыток входа. Повторите позже.",
    ),
    sample("access attempts", "попытки входа"),
    sample("IP Address", "IP-адрес"),
    sample("Clean up expired attempts", "Удалить истёкшие попытки входа"),
    # django-q2 and django-import-export (their own catalogues lack these)
    sample(
        "Q Cluster %(name)s failed to start. Sentinel exited with exit code %(exitcode)s.",
        "Не удалось запустить Q Cluster zk: процесс Sentinel завершился с кодом 1.",
        lambda: (
            gettext("Q Cluster %(name)s failed to start. Sentinel exited with exit code %(exitcode)s.")
            % {"name": "zk", "exitcode": 1}
        ),
    ),
    sample("Select all", "Выбрать все"),
]


@pytest.mark.parametrize(("translate", "expected"), SAMPLES)
def test_third_party_strings_are_russian(translate, expected):
    with translation.override("ru"):
        assert translate() == expected


def test_app_models_and_settings_are_russian():
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessLog
    from django.conf import settings

    with translation.override("ru"):
        assert str(settings.AXES_COOLOFF_MESSAGE).startswith("Учётная запись временно заблокирована")
        assert str(settings.AXES_PERMALOCK_MESSAGE).endswith("Для разблокировки обратитесь к администратору.")
        assert str(AccessAttempt._meta.verbose_name_plural) == "попытки входа"
        assert str(AccessLog._meta.verbose_name_plural) == "журнал входов"
        assert str(LogEntry._meta.get_field("actor").verbose_name) == "пользователь"
        assert [str(label) for _value, label in LogEntry.Action.choices] == [
            "создание",
            "изменение",
            "удаление",
            "просмотр",
        ]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "Найден 1 результат"), (3, "Найдено 3 результата"), (5, "Найдено 5 результатов"), (21, "Найден 21 результат")],
    ids=["one", "few", "many", "twenty-one"],
)
def test_unfold_template_plurals_are_russian(count, expected):
    context = {
        "results": [{"title": "Проект", "link": "/", "description": ""}],
        "page_obj": SimpleNamespace(count=count),
        "execution_time": 0.25,
    }
    with translation.override("ru"):
        html = render_to_string("unfold/helpers/command_results.html", context)
    text = re.sub(r"<[^>]+>", "", re.sub(r"\s+", " ", html))
    assert f"{expected} за 0,25 с" in text


def test_every_catalogue_entry_is_what_django_serves():
    """The committed .mo matches the .po, and LOCALE_PATHS wins over the apps' own catalogues."""
    checked = 0
    with translation.override("ru"):
        for entry in po_messages():
            if not all(entry["msgstr"]):
                continue
            ctx, msgid, plural = entry["msgctxt"], entry["msgid"], entry["msgid_plural"]
            if plural is None:
                got = [pgettext(ctx, msgid) if ctx is not None else gettext(msgid)]
            else:
                got = [
                    npgettext(ctx, msgid, plural, n) if ctx is not None else ngettext(msgid, plural, n)
                    for n in (1, 2, 5)
                ]
            assert got == entry["msgstr"], f"django serves {got!r} for {msgid!r}: recompile django.mo"
            checked += 1
    assert checked >= 100, "the third-party translations are gone (see locale/README.md)"


# --------------------------------------------------------------------------------------------------------------
# The catalogue itself.


def test_po_header_is_russian_with_three_plural_forms():
    entry = header()
    fields = dict(line.split(": ", 1) for line in entry["msgstr"][0].splitlines() if ": " in line)
    assert fields["Language"] == "ru"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == RU_PLURAL_FORMS
    assert any("THIRD-PARTY" in line for line in entry["comments"]), "the header comment explaining the file is missing"


def test_po_has_no_untranslated_or_fuzzy_entries():
    entries = po_messages()
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if third_party(e) and not all(e["msgstr"])]
    wrong_plurals = [e["msgid"] for e in entries if e["msgid_plural"] is not None and len(e["msgstr"]) != 3]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    assert not wrong_plurals, f"plural entries need 3 Russian forms: {wrong_plurals}"
    assert len([e for e in entries if third_party(e)]) >= 100


def test_po_translations_are_russian_and_keep_placeholders():
    for entry in po_messages():
        if not third_party(entry):
            continue
        sources = [entry["msgid"]] + ([entry["msgid_plural"]] if entry["msgid_plural"] else [])
        expected = sorted(set(PLACEHOLDER.findall(sources[-1])) | set(PLACEHOLDER.findall(sources[0])))
        for msgstr in entry["msgstr"]:
            assert CYRILLIC.search(msgstr), f"{entry['msgid']!r} is not translated into Russian: {msgstr!r}"
            assert sorted(set(PLACEHOLDER.findall(msgstr))) == expected, f"placeholders changed in {msgstr!r}"


def test_mo_compiles_from_po_and_is_committed_up_to_date(tmp_path):
    require_tool("msgfmt", "GNU gettext")
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(PO_PATH)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr

    def catalogue(path):
        with path.open("rb") as handle:
            data = dict(GNUTranslations(handle)._catalog)
        data.pop("", None)
        return data

    assert MO_PATH.exists(), "commit locale/ru/LC_MESSAGES/django.mo"
    assert catalogue(MO_PATH) == catalogue(fresh), "django.mo is stale: run scripts/thirdparty_messages.py"


def test_catalogue_covers_every_string_of_the_installed_packages():
    """Fails after a package upgrade brings new strings: run the script, translate, commit (locale/README.md)."""
    for tool in ("xgettext", "msgcat", "msgfmt"):
        require_tool(tool, "GNU gettext")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "thirdparty_messages.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
