"""`manage.py axes_reset_logs [--age N]`: django-axes' command in Russian (core/management/russian.py)."""

from axes.management.commands.axes_reset_logs import Command as AxesCommand

from core.management.russian import AGE_HELP, AxesLines


class Command(AxesLines, AxesCommand):
    help = "Удаляет из журнала входов записи старше указанного числа дней."

    def add_arguments(self, parser):
        parser.add_argument("--age", type=int, default=30, help=AGE_HELP)
