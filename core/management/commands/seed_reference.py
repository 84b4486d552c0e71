from django.core.management.base import BaseCommand

from core.services.reference import appeal_types_load, classifier_load, districts_load
from core.services.roles import roles_sync


class Command(BaseCommand):
    help = "Загружает справочники (роли с правами, районы, типы обращений, классификатор). Можно запускать повторно."

    def handle(self, *args, **options) -> None:
        groups = roles_sync()
        districts = districts_load()
        types = appeal_types_load()
        facts = classifier_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Справочники загружены: ролей {len(groups)}, районов {districts}, "
                f"типов обращений {types}, фактов классификатора {facts}."
            )
        )
