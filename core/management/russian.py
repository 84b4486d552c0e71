"""Third-party management commands in Russian: commands that write their lines as plain English strings, outside
gettext, so that no catalogue reaches them (Django's createsuperuser, django-axes' axes_* commands).

core/management/commands/ holds a command of the same name for each, which keeps the original's logic and passes
what it writes through `RussianLines.said`; core comes before those applications in INSTALLED_APPS, so Django runs
ours. A line not recognised passes as it is (a validator's message is Russian already, through Django's catalogue).
Every command of the project (`RussianErrors`) prints a refusal «Ошибка: …» rather than Django's «CommandError: …».
Django's own option help in `--help` («show this help message and exit») stays as argparse writes it.
"""

import re
from collections.abc import Callable

from django.core.management.base import OutputWrapper
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


class RussianErrors:
    """Mixin for every command of the project: a refusal (CommandError) is printed «Ошибка: …», not «CommandError: …».
    tests/core/test_russian_commands.py checks that each command in core/management/commands/ has it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stderr = RussianOutput(self.stderr)


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
