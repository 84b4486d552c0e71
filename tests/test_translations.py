"""Russian through the two catalogues (locale/README.md): the project's plural forms in locale/ru and the
third-party apps' strings (unfold, auditlog, axes, django-q2, import-export) in locale/thirdparty.

These tests check that each committed django.mo is what its .po compiles to, that Django serves them (the project's
entries first), that both catalogues are complete, and that `make messages` is safe to run again.
"""

import re
import shutil
import subprocess
import sys
from gettext import GNUTranslations
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from tests.tools import require_tool

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
THIRDPARTY_PO = ROOT / "locale" / "thirdparty" / "ru" / "LC_MESSAGES" / "django.po"
CATALOGUES = [pytest.param(PROJECT_PO, id="project"), pytest.param(THIRDPARTY_PO, id="thirdparty")]
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{[A-Za-z_]?\w*(?::[^{}]*)?\}")


def po_messages(path=PROJECT_PO):
    """The live entries (obsolete "#~" ones are not compiled)."""
    return [e for e in polib.pofile(str(path)) if e.msgid and not e.obsolete]


def forms(entry):
    return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] if entry.msgid_plural else [entry.msgstr]


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


@pytest.mark.parametrize("path", CATALOGUES)
def test_every_catalogue_entry_is_what_django_serves(path):
    """The committed .mo files match the .po files, and LOCALE_PATHS wins over the apps' own catalogues
    (the project's entries over the third-party ones where both have a msgid)."""
    project_keys = {(e.msgctxt, e.msgid) for e in po_messages(PROJECT_PO)}
    checked = 0
    with translation.override("ru"):
        for entry in po_messages(path):
            if path == THIRDPARTY_PO and (entry.msgctxt, entry.msgid) in project_keys:
                continue
            ctx, msgid, plural = entry.msgctxt, entry.msgid, entry.msgid_plural
            if not plural:
                got = [pgettext(ctx, msgid) if ctx is not None else gettext(msgid)]
            else:
                got = [
                    npgettext(ctx, msgid, plural, n) if ctx is not None else ngettext(msgid, plural, n)
                    for n in (1, 2, 5)
                ]
            assert got == forms(entry), f"django serves {got!r} for {msgid!r}: run `make messages`"
            checked += 1
    assert checked >= (100 if path == THIRDPARTY_PO else 30), "translations are gone (see locale/README.md)"


# --------------------------------------------------------------------------------------------------------------
# The catalogue itself.


@pytest.mark.parametrize("path", CATALOGUES)
def test_po_header_is_russian_with_three_plural_forms(path):
    po = polib.pofile(str(path))
    assert po.metadata["Language"] == "ru"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == RU_PLURAL_FORMS
    assert ("THIRD-PARTY" in po.header) == (path == THIRDPARTY_PO), "the header comment explaining the file"


def test_the_project_catalogue_holds_only_the_projects_plurals():
    entries = po_messages(PROJECT_PO)
    assert entries and all(e.msgid_plural and CYRILLIC.search(e.msgid) for e in entries)


@pytest.mark.parametrize("path", CATALOGUES)
def test_po_has_no_untranslated_or_fuzzy_entries(path):
    entries = po_messages(path)
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in entries if not all(forms(e))]
    wrong_plurals = [e.msgid for e in entries if e.msgid_plural and len(forms(e)) != 3]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    assert not wrong_plurals, f"plural entries need 3 Russian forms: {wrong_plurals}"


@pytest.mark.parametrize("path", CATALOGUES)
def test_po_translations_are_russian_and_keep_placeholders(path):
    for entry in po_messages(path):
        sources = [entry.msgid, *([entry.msgid_plural] if entry.msgid_plural else [])]
        expected = sorted(set(PLACEHOLDER.findall(sources[-1])) | set(PLACEHOLDER.findall(sources[0])))
        for msgstr in forms(entry):
            assert CYRILLIC.search(msgstr), f"{entry.msgid!r} is not translated into Russian: {msgstr!r}"
            assert sorted(set(PLACEHOLDER.findall(msgstr))) == expected, f"placeholders changed in {msgstr!r}"


@pytest.mark.parametrize("path", CATALOGUES)
def test_mo_compiles_from_po_and_is_committed_up_to_date(tmp_path, path):
    require_tool("msgfmt", "GNU gettext")
    fresh = tmp_path / "django.mo"
    result = subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(path)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr

    def catalogue(mo):
        with mo.open("rb") as handle:
            data = dict(GNUTranslations(handle)._catalog)
        data.pop("", None)
        return data

    mo = path.with_suffix(".mo")
    assert mo.exists(), f"commit {mo.relative_to(ROOT)}"
    assert catalogue(mo) == catalogue(fresh), f"{mo.relative_to(ROOT)} is stale: run `make messages`"


@pytest.mark.parametrize("script", ["project_messages.py", "thirdparty_messages.py"])
def test_catalogues_cover_every_string_they_must(script):
    """Fails when the code gains an ngettext without its three forms, or a package upgrade brings new strings:
    run `make messages`, translate, commit (locale/README.md)."""
    for tool in ("xgettext", "msgfmt"):
        require_tool(tool, "GNU gettext")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--check"], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def make_messages_commands() -> list[str]:
    """The recipe of the Makefile's `messages` target, with this Python."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^messages:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    return [line.strip().replace("$(PY)", sys.executable) for line in recipe.splitlines()]


def test_make_messages_twice_changes_nothing(tmp_path):
    """`make messages` on a copy of locale/: the second run leaves every file as the first one wrote it, and the
    first one keeps every translation."""
    for tool in ("xgettext", "msgfmt"):
        require_tool(tool, "GNU gettext")
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale)
    commands = make_messages_commands()
    assert [c.split()[1] for c in commands] == ["scripts/project_messages.py", "scripts/thirdparty_messages.py"]

    def run_make_messages() -> dict[str, bytes]:
        for command in commands:
            result = subprocess.run(f"{command} --locale-dir {locale}", shell=True, capture_output=True, text=True,
                                    cwd=ROOT, check=False)
            assert result.returncode == 0, result.stdout + result.stderr
        return {str(p.relative_to(locale)): p.read_bytes() for p in sorted(locale.rglob("*")) if p.is_file()}

    first = run_make_messages()
    assert run_make_messages() == first
    for name in ("ru/LC_MESSAGES/django.po", "thirdparty/ru/LC_MESSAGES/django.po"):
        before = {(e.msgctxt, e.msgid): forms(e) for e in po_messages(ROOT / "locale" / name)}
        after = {(e.msgctxt, e.msgid): forms(e) for e in po_messages(locale / name)}
        assert after == before, f"make messages changed the translations in {name}"
