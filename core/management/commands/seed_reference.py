from django.core.management.base import BaseCommand

from core.services.reference import (
    appeal_types_load,
    checklist_load,
    classifier_load,
    districts_load,
    industries_load,
    request_periods_load,
    support_measures_load,
)
from core.services.roles import roles_sync


class Command(BaseCommand):
    help = (
        "Загружает справочники (роли с правами, районы, типы обращений, классификатор, отрасли, чек-лист этапов, "
        "меры поддержки, сроки ответов на запросы). Можно запускать повторно."
    )

    def handle(self, *args, **options) -> None:
        groups = roles_sync()
        districts = districts_load()
        types = appeal_types_load()
        facts = classifier_load()
        industries = industries_load()
        actions = checklist_load()
        measures = support_measures_load()
        periods = request_periods_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Справочники загружены: ролей {len(groups)}, районов {districts}, "
                f"типов обращений {types}, фактов классификатора {facts}, отраслей {industries}, "
                f"действий чек-листа {actions}, мер поддержки {measures}, сроков ответов на запросы {periods}."
            )
        )
