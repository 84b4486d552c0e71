from django.core.management.base import BaseCommand

from core.services.reference import districts_load
from core.services.roles import roles_sync


class Command(BaseCommand):
    help = "Загружает справочники (районы, роли с правами). Можно запускать повторно."

    def handle(self, *args, **options) -> None:
        groups = roles_sync()
        districts = districts_load()
        self.stdout.write(self.style.SUCCESS(f"Справочники загружены: ролей {len(groups)}, районов {districts}."))
