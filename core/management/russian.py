"""Third-party management commands in Russian: commands that write their lines as plain English strings, outside
gettext, so that no catalogue reaches them (Django's createsuperuser, django-axes' axes_* commands).

core/management/commands/ holds a command of the same name for each, which keeps the original's logic and passes
what it writes through `RussianLines.said`; core comes before those applications in INSTALLED_APPS, so Django runs
ours. A line not recognised passes as it is (a validator's message is Russian already, through Django's catalogue).
Every command of the project (`RussianErrors`) prints a refusal «Ошибка: …» rather than Django's «CommandError: …»,
and its `--help` and argument errors in Russian: Django's common options («--verbosity», «--settings», …), argparse's
headings («Использование:», «параметры») and its usual complaints («не указаны обязательные аргументы: path»).
"""

import re
import sys
from collections.abc import Callable

from django.core.management.base import DjangoHelpFormatter, OutputWrapper
from django.utils.translation import gettext as _

Lines = list[tuple[re.Pattern, Callable[[re.Match], str]]]


def say(text: str, lines: Lines) -> str:
    """`text` in Russian: the first pattern that matches all of it gives its Russian."""
    for pattern, russian in lines:
        match = pattern.fullmatch(text)
        if match:
            return russian(match)
    return text


# Django prints a command's refusal as «CommandError: <message>» (BaseCommand.run_from_argv); the message is ours and
# Russian, the class name is not.
_REFUSAL = re.compile(r"CommandError: (?P<message>.*)", re.DOTALL)


class RussianOutput(OutputWrapper):
    """A command's terminal stream, each line said in Russian by `said`; a refusal reads «Ошибка: …»."""

    def __init__(self, wrapped: OutputWrapper, said: Callable[[str], str] = str) -> None:
        super().__init__(wrapped._out, ending=wrapped.ending)
        self.style_func = wrapped.style_func
        self.said = said

    def write(self, msg="", style_func=None, ending=None):
        msg = self.said(msg)
        refusal = _REFUSAL.fullmatch(msg)
        if refusal:
            msg = _("Ошибка: %(message)s") % {"message": refusal["message"]}
        super().write(msg, style_func, ending)


# The options Django gives every command (BaseCommand.create_parser) and argparse's -h, by their dest.
_DJANGO_OPTIONS = {
    "help": "показать эту справку и выйти",
    "version": "показать версию Django и выйти",
    "verbosity": "подробность вывода: 0 — самое нужное, 1 — обычная, 2 — подробная, 3 — очень подробная",
    "settings": "модуль настроек Python, например core.settings (иначе — из переменной DJANGO_SETTINGS_MODULE)",
    "pythonpath": "папка, которую добавить в путь поиска модулей Python",
    "traceback": "при ошибке показать трассировку стека",
    "no_color": "не раскрашивать вывод",
    "force_color": "раскрашивать вывод, даже если это не терминал",
    "skip_checks": "не выполнять системные проверки",
}


def _argparse_lines() -> Lines:
    return [
        (re.compile(r"the following arguments are required: (?P<names>.+)"),
         lambda m: _("не указаны обязательные аргументы: %(names)s") % {"names": m["names"]}),
        (re.compile(r"unrecognized arguments: (?P<names>.+)"),
         lambda m: _("неизвестные аргументы: %(names)s") % {"names": m["names"]}),
        (re.compile(r"argument (?P<name>\S+): invalid (?P<type>\w+) value: (?P<value>.+)"),
         lambda m: _("аргумент %(name)s: недопустимое значение %(value)s") % {"name": m["name"], "value": m["value"]}),
        (re.compile(r"argument (?P<name>\S+): expected one argument"),
         lambda m: _("аргумент %(name)s: нужно значение") % {"name": m["name"]}),
        (re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
         lambda m: _("аргумент %(name)s: недопустимое значение %(value)s (можно: %(choices)s)")
         % {"name": m["name"], "value": m["value"], "choices": m["choices"]}),
    ]


class RussianHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("Использование: ") if prefix is None else prefix)


class RussianErrors:
    """Mixin for every command of the project: a refusal (CommandError) is printed «Ошибка: …», not «CommandError: …»,
    and `--help` and a mistyped command line are answered in Russian. tests/core/test_russian_commands.py checks that
    each command in core/management/commands/ has it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stderr = RussianOutput(self.stderr)

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RussianHelpFormatter
        parser._positionals.title = _("аргументы")
        parser._optionals.title = _("параметры")
        for action in parser._actions:
            if action.dest in _DJANGO_OPTIONS and (action.help or "").isascii():  # a command's own Russian help stays
                action.help = _DJANGO_OPTIONS[action.dest]
        django_error = parser.error

        def error(message: str):
            if not parser.called_from_command_line:  # call_command: Django raises CommandError, as before
                return django_error(message)
            parser.print_usage(sys.stderr)
            parser.exit(2, _("%(prog)s: ошибка: %(message)s\n") % {"prog": parser.prog,
                                                                    "message": say(message, _argparse_lines())})

        parser.error = error
        return parser


class RussianLines(RussianErrors):
    """Mixin for a third-party command: what it writes to stdout and stderr goes through `said`."""

    def said(self, text: str) -> str:
        return text

    def handle(self, *args, **options):
        self.stdout, self.stderr = RussianOutput(self.stdout, self.said), RussianOutput(self.stderr, self.said)
        return super().handle(*args, **options)


def _axes_lines() -> Lines:
    return [
        (re.compile(r"(?P<n>\d+) attempts removed\."),
         lambda m: _("Блокировка снята: удалено записей о неудачных попытках входа — %(n)s.") % {"n": m["n"]}),
        (re.compile(r"No attempts found\."),
         lambda m: _("Записей о неудачных попытках входа не найдено: снимать нечего.")),
        (re.compile(r"(?P<n>\d+) logs removed\."),
         lambda m: _("Удалено записей журнала входов — %(n)s.") % {"n": m["n"]}),
        (re.compile(r"No logs found\."), lambda m: _("Записей журнала входов старше этого срока нет.")),
    ]


class AxesLines(RussianLines):
    """django-axes' commands: «3 attempts removed.», «No attempts found.» and the like, in Russian."""

    def said(self, text: str) -> str:
        return say(text, _axes_lines())


AGE_HELP = "сколько дней хранить записи (по умолчанию 30)"
