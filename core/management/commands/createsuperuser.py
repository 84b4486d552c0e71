"""`manage.py createsuperuser` in Russian (docs/operations.md «Install (production)»): Django's command, its lines said
in Russian.

Django writes this command's prompts, errors and its closing line as plain English strings, outside gettext, so no
catalogue reaches them. This command keeps Django's logic (options, environment variables, validation) and says each
of its lines in Russian (core/management/russian.py): what it writes to the terminal, what it asks (`input`,
`getpass`) and the errors it stops with. Django takes a command from the first application in INSTALLED_APPS that
has one of that name: core comes before django.contrib.auth (core/settings.py).
"""

import getpass
import re
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth.management.commands import createsuperuser as django_command
from django.core.management.base import CommandError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.management.russian import Lines, RussianLines, say


def _lines() -> Lines:
    """Django's English line (a pattern) → its Russian; read per call, so the catalogue's language applies."""
    return [
        (re.compile(r"Superuser created successfully\."), lambda m: _("Суперпользователь создан.")),
        (re.compile(r"\nOperation cancelled\."), lambda m: "\n" + _("Отменено: суперпользователь не создан.")),
        (re.compile(r"Password: "), lambda m: _("Пароль: ")),
        (re.compile(r"Password \(again\): "), lambda m: _("Пароль ещё раз: ")),
        (re.compile(r"Error: Your passwords didn't match\."), lambda m: _("Ошибка: пароли не совпадают.")),
        (re.compile(r"Error: Blank passwords aren't allowed\."), lambda m: _("Ошибка: пароль не может быть пустым.")),
        (re.compile(r"Bypass password validation and create user anyway\? \[y/N\]: "),
         lambda m: _("Пароль не прошёл проверку. Всё равно создать пользователя? [y/N]: ")),
        (re.compile(r"Error: This field cannot be blank\."), lambda m: _("Ошибка: поле не может быть пустым.")),
        (re.compile(r"Error: That (?P<field>.+) is already taken\."),
         lambda m: _("Ошибка: пользователь с таким значением поля «%(field)s» уже есть.") % {"field": m["field"]}),
        (re.compile(r"(?P<field>.+) cannot be blank\."),
         lambda m: _("Поле «%(field)s» не может быть пустым.") % {"field": m["field"]}),
        (re.compile(r"You must use --(?P<option>\S+) with --noinput\."),
         lambda m: _("С --noinput укажите --%(option)s или переменную окружения DJANGO_SUPERUSER_%(variable)s.")
         % {"option": m["option"], "variable": m["option"].upper()}),
        (re.compile(r"Superuser creation skipped due to not running in a TTY\..*", re.DOTALL),
         lambda m: _("Суперпользователь не создан: команда запущена не из терминала. Запустите её в терминале или с "
                     "--noinput, задав DJANGO_SUPERUSER_PASSWORD, DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_LAST_NAME "
                     "и DJANGO_SUPERUSER_FIRST_NAME.")),
        (re.compile(r"Error: (?P<rest>.*)", re.DOTALL), lambda m: _("Ошибка: %(rest)s") % {"rest": m["rest"]}),
    ]


def said_in_russian(text: str) -> str:
    return say(text, _lines())


def _russian_input(prompt: str = "") -> str:
    return input(said_in_russian(prompt))  # the builtin, looked up at each call


def _russian_getpass(prompt: str = "Password: ", stream=None) -> str:
    return getpass.getpass(said_in_russian(prompt), stream)


@contextmanager
def _russian_prompts():
    """Django's command asks through the builtin `input` and `getpass.getpass`: for this run, names in its module that
    ask in Russian."""
    django_command.input = _russian_input
    django_command.getpass = SimpleNamespace(getpass=_russian_getpass)
    try:
        yield
    finally:
        del django_command.input
        django_command.getpass = getpass


class Command(RussianLines, django_command.Command):
    help = _("Создаёт суперпользователя: полный доступ к кабинету, в том числе к пользователям и ролям.")

    def said(self, text: str) -> str:
        return said_in_russian(text)

    def handle(self, *args, **options):
        try:
            with _russian_prompts():
                return super().handle(*args, **options)
        except CommandError as error:
            raise CommandError(said_in_russian(str(error))) from None

    def _get_input_message(self, field, default=None):
        """«Электронная почта: » — the field's Russian name (a default, which this user model never has, in
        brackets)."""
        suffix = _(" (пусто — «%(default)s»)") % {"default": default} if default else ""
        return f"{capfirst(field.verbose_name)}{suffix}: "
