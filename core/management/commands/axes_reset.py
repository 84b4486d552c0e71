"""`manage.py axes_reset`: django-axes' command in Russian (core/management/russian.py)."""

from axes.management.commands.axes_reset import Command as AxesCommand

from core.management.russian import AxesLines


class Command(AxesLines, AxesCommand):
    help = "Снимает все блокировки входа: удаляет все записи о неудачных попытках."
