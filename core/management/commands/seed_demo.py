from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.management.russian import RussianErrors
from core.services.demo import DemoMissingError
from core.services.demo_history import demo_seed


class Command(RussianErrors, BaseCommand):
    help = "Загружает демонстрационные данные (только при DEBUG). Можно запускать повторно."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-history", action="store_true",
            help="Без обращений за полтора года: только люди, показательные обращения и проекты (быстрее, для тестов).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Демонстрационные данные загружаются только при DEBUG=true: в рабочей системе "
                "демо-пользователи с известным паролем недопустимы."
            )
        try:
            counts = demo_seed(history=not options["no_history"])
        except DemoMissingError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-данные загружены: организаций {counts['organisations']}, пользователей {counts['users']}, "
                f"новых обращений {counts['appeals'] + counts['history']}, новых проектов {counts['projects']}."
            )
        )
