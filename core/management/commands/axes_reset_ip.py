"""`manage.py axes_reset_ip <адрес> …`: django-axes' command in Russian (core/management/russian.py)."""

from axes.management.commands.axes_reset_ip import Command as AxesCommand

from core.management.russian import AxesLines


class Command(AxesLines, AxesCommand):
    help = "Снимает блокировку входа с IP-адресов: удаляет их записи о неудачных попытках."

    def add_arguments(self, parser):
        parser.add_argument("ip", nargs="+", type=str, help="IP-адрес (можно несколько через пробел)")
