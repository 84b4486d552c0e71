from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.services.demo import demo_appeals_load, demo_load, demo_projects_load


class Command(BaseCommand):
    help = "Загружает демонстрационные данные (только при DEBUG). Можно запускать повторно."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Демонстрационные данные загружаются только при DEBUG=true: в рабочей системе "
                "демо-пользователи с известным паролем недопустимы."
            )
        counts = demo_load()
        appeals = demo_appeals_load()
        projects = demo_projects_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-данные загружены: организаций {counts['organisations']}, пользователей {counts['users']}, "
                f"новых обращений {appeals}, новых проектов {projects}."
            )
        )
