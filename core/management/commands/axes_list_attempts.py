"""`manage.py axes_list_attempts`: django-axes' list with a Russian heading (core/management/russian.py)."""

from axes.management.commands.axes_list_attempts import Command as AxesCommand
from axes.models import AccessAttempt
from django.utils.translation import gettext as _

from core.management.russian import RussianErrors


class Command(RussianErrors, AxesCommand):
    help = "Показывает записи о неудачных попытках входа: IP-адрес, учётная запись, число неудач."

    def handle(self, *args, **options):
        if not AccessAttempt.objects.exists():
            self.stdout.write(_("Неудачных попыток входа нет."))
            return
        self.stdout.write(_("IP-адрес\tУчётная запись\tНеудачных попыток"))
        super().handle(*args, **options)
