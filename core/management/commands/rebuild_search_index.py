from django.core.management.base import BaseCommand

from core.search import search_index_rebuild


class Command(BaseCommand):
    help = ("Заново строит поисковый индекс (обращения, проекты, организации, опубликованные частые вопросы). "
            "Нужен после обновления и после generate_dataset; можно запускать повторно.")

    def handle(self, *args, **options) -> None:
        counts = search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(
            f"Поисковый индекс перестроен: обращений {counts['appeal']}, проектов {counts['project']}, "
            f"организаций {counts['organisation']}, частых вопросов {counts['faq']}."
        ))
