"""`manage.py axes_reset_ip_username <адрес> <почта>`: django-axes' command in Russian (core/management/russian.py)."""

from axes.management.commands.axes_reset_ip_username import Command as AxesCommand

from core.management.russian import AxesLines


class Command(AxesLines, AxesCommand):
    help = "Снимает блокировку входа с пары «IP-адрес и учётная запись»."

    def add_arguments(self, parser):
        parser.add_argument("ip", type=str, help="IP-адрес")
        parser.add_argument("username", type=str, help="адрес электронной почты, которым входят")
