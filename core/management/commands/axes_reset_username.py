"""`manage.py axes_reset_username <почта> …`: django-axes' command in Russian (core/management/russian.py)."""

from axes.management.commands.axes_reset_username import Command as AxesCommand

from core.management.russian import AxesLines


class Command(AxesLines, AxesCommand):
    help = "Снимает блокировку входа с учётных записей: удаляет их записи о неудачных попытках."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="+", type=str,
                            help="адрес электронной почты, которым входят (можно несколько через пробел)")
