from django.core.management.base import BaseCommand
from django.utils import timezone

from core.management.russian import RussianErrors
from core.services.schedules import schedules_setup


class Command(RussianErrors, BaseCommand):
    help = (
        "Регистрирует периодические задачи django-q2 (отправка писем, контроль сроков, сводка). "
        "Повторный запуск ничего не дублирует."
    )

    def handle(self, *args, **options) -> None:
        for schedule, created in schedules_setup():
            verb = "создано" if created else "проверено"
            when = timezone.localtime(schedule.next_run)  # Moscow time, as the cabinet shows it
            self.stdout.write(f"{verb}: {schedule.name} — следующий запуск {when:%d.%m.%Y %H:%M} (МСК)")
