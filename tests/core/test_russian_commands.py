"""The third-party commands an agency's administrator runs speak Russian (core/management/russian.py): the install
step `createsuperuser` asked «Password:» and ended «Superuser created successfully.», and the commands that unlock a
locked-out person (docs/operations.md) said «3 attempts removed.», and every command's refusal began «CommandError:».
"""

import getpass
import importlib
import re
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.management.russian import RussianErrors
from core.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ENGLISH_WORD = re.compile(r"\b(?!DJANGO_|SUPERUSER)[A-Za-z]{3,}\b")  # an option name or a variable is not a word


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def english(text: str) -> list[str]:
    text = re.sub(r"--\w+|DJANGO_SUPERUSER_\w+|\S+@\S+|\[y/N\]|manage\.py|createsuperuser", "", text)
    return ENGLISH_WORD.findall(text)


def test_the_questions_the_errors_and_the_last_line_are_russian(monkeypatch):
    UserFactory(email="taken@zk.example")
    asked: list[str] = []
    answers = iter(["taken@zk.example", "admin@zk.example", "Смирнова", "Елена"])
    passwords = iter(["первый-пароль-1", "второй-пароль-2", "1234567890", "1234567890", "Надёжный-пароль-2026",
                      "Надёжный-пароль-2026"])
    bypass = iter(["n"])

    def answer(prompt=""):
        asked.append(prompt)
        return next(bypass) if "[y/N]" in prompt else next(answers)

    def password(prompt="Password: ", stream=None):
        asked.append(prompt)
        return next(passwords)

    monkeypatch.setattr("builtins.input", answer)
    monkeypatch.setattr(getpass, "getpass", password)
    out, err = StringIO(), StringIO()

    call_command("createsuperuser", stdin=Terminal(), stdout=out, stderr=err)

    assert asked == ["Электронная почта: ", "Электронная почта: ", "Фамилия: ", "Имя: ",
                     "Пароль: ", "Пароль ещё раз: ", "Пароль: ", "Пароль ещё раз: ",
                     "Пароль не прошёл проверку. Всё равно создать пользователя? [y/N]: ",
                     "Пароль: ", "Пароль ещё раз: "]
    errors = err.getvalue()
    assert "Ошибка: пользователь с таким значением поля «электронная почта» уже есть." in errors
    assert "Ошибка: пароли не совпадают." in errors
    assert "Введённый пароль состоит только из цифр." in errors  # Django's own Russian
    assert out.getvalue() == "Суперпользователь создан.\n"
    assert english(errors + out.getvalue() + "".join(asked)) == []
    admin = User.objects.get(email="admin@zk.example")
    assert admin.is_superuser and admin.is_staff and (admin.last_name, admin.first_name) == ("Смирнова", "Елена")
    assert admin.check_password("Надёжный-пароль-2026")


def test_without_questions_it_takes_the_environment_and_says_what_is_missing(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Надёжный-пароль-2026")
    out = StringIO()
    call_command("createsuperuser", interactive=False, email="it@zk.example", last_name="Орлов", first_name="Пётр",
                 stdout=out)
    assert out.getvalue() == "Суперпользователь создан.\n"
    assert User.objects.get(email="it@zk.example").is_superuser

    with pytest.raises(CommandError) as missing:
        call_command("createsuperuser", interactive=False, stdout=StringIO())
    assert str(missing.value) == ("С --noinput укажите --email или переменную окружения DJANGO_SUPERUSER_EMAIL.")


def test_outside_a_terminal_it_says_how_to_run_it():
    out = StringIO()
    call_command("createsuperuser", stdin=StringIO(), stdout=out)
    assert out.getvalue().startswith("Суперпользователь не создан: команда запущена не из терминала.")
    assert english(out.getvalue()) == []
    assert not User.objects.filter(is_superuser=True).exists()


def attempt(ip: str, username: str, failures: int = 5) -> AccessAttempt:
    return AccessAttempt.objects.create(ip_address=ip, username=username, failures_since_start=failures,
                                        user_agent="Firefox", get_data="", post_data="", http_accept="*/*",
                                        path_info="/login/")


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_unlocking_a_person_or_an_address_is_said_in_russian():
    attempt("203.0.113.7", "investor@zk.example")
    attempt("203.0.113.8", "manager@zk.example", failures=3)
    assert run("axes_list_attempts") == ("IP-адрес\tУчётная запись\tНеудачных попыток\n"
                                         "203.0.113.7\tinvestor@zk.example\t5\n203.0.113.8\tmanager@zk.example\t3\n")

    assert run("axes_reset_ip", "203.0.113.7") == (
        "Блокировка снята: удалено записей о неудачных попытках входа — 1.\n")
    assert run("axes_reset_ip", "203.0.113.7") == "Записей о неудачных попытках входа не найдено: снимать нечего.\n"
    assert run("axes_reset_username", "manager@zk.example") == (
        "Блокировка снята: удалено записей о неудачных попытках входа — 1.\n")
    assert not AccessAttempt.objects.exists()
    assert run("axes_list_attempts") == "Неудачных попыток входа нет.\n"

    attempt("203.0.113.9", "clerk@zk.example")
    assert run("axes_reset_ip_username", "203.0.113.9", "clerk@zk.example").startswith("Блокировка снята")
    attempt("203.0.113.9", "clerk@zk.example")
    assert run("axes_reset").startswith("Блокировка снята")


def test_the_sign_in_journal_is_pruned_in_russian():
    old = AccessLog.objects.create(ip_address="203.0.113.7", username="investor@zk.example", user_agent="Firefox",
                                   http_accept="*/*", path_info="/login/")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=40))
    assert run("axes_reset_logs", "--age", "30") == "Удалено записей журнала входов — 1.\n"
    assert run("axes_reset_logs", "--age", "30") == "Записей журнала входов старше этого срока нет.\n"
    assert run("axes_reset_failure_logs") == "Записей журнала входов старше этого срока нет.\n"


def test_a_refusal_reads_oshibka_not_commanderror():
    """Django prints a command's refusal as «CommandError: <message>»; the administrator reads «Ошибка: …»."""


    result = subprocess.run([sys.executable, "manage.py", "install_region", "nosuch"], cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("Ошибка: Пакет региона не найден"), result.stderr
    assert "CommandError" not in result.stderr


def test_every_command_of_the_project_says_its_refusals_in_russian():



    folder = Path(settings.BASE_DIR) / "core" / "management" / "commands"
    names = sorted(path.stem for path in folder.glob("*.py") if path.stem != "__init__")
    assert len(names) >= 19
    plain = [name for name in names
             if not issubclass(importlib.import_module(f"core.management.commands.{name}").Command, RussianErrors)]
    assert plain == []


DJANGO_ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "Verbosity level", "Raise on",
                  "Display a full stack", "Don't colorize", "Force colorization", "Skip system checks",
                  "Show program's version", "A directory to add", "The Python path to a settings module")


def _command(name: str):
    return importlib.import_module(f"core.management.commands.{name}").Command()


def test_every_commands_help_is_russian():
    """`manage.py <command> --help`: argparse's headings and Django's own options were English beside ours."""
    folder = Path(settings.BASE_DIR) / "core" / "management" / "commands"
    for name in sorted(path.stem for path in folder.glob("*.py") if path.stem != "__init__"):
        text = _command(name).create_parser("manage.py", name).format_help()
        assert text.startswith(f"Использование: manage.py {name}"), name
        assert "параметры:" in text and "показать эту справку и выйти" in text, name
        assert [phrase for phrase in DJANGO_ENGLISH if phrase in text] == [], name
    assert "аргументы:" in _command("restore").create_parser("manage.py", "restore").format_help()


def test_a_mistyped_command_line_is_answered_in_russian(capsys):
    command = _command("restore")
    command._called_from_command_line = True  # as manage.py runs it
    parser = command.create_parser("manage.py", "restore")
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args([])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Использование: manage.py restore")
    assert err.endswith("manage.py restore: ошибка: не указаны обязательные аргументы: path\n")

    command = _command("generate_dataset")
    command._called_from_command_line = True
    with pytest.raises(SystemExit):
        command.create_parser("manage.py", "generate_dataset").parse_args(["--appeals", "много"])
    assert "manage.py generate_dataset: ошибка: аргумент --appeals: недопустимое значение 'много'" in \
        capsys.readouterr().err
