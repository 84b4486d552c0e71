from django.core.management.base import BaseCommand
from django.db import connection

from core.management.russian import RussianErrors
from core.search import search_index_rebuild


class Command(RussianErrors, BaseCommand):
    help = ("Заново строит поисковый индекс (обращения, проекты, организации, опубликованные частые вопросы). "
            "Нужен после загрузки данных в обход приложения (SQL, loaddata); можно запускать повторно.")

    def handle(self, *args, **options) -> None:
        counts = search_index_rebuild()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:  # every row was rewritten: drop the old versions, fresh statistics
                cursor.execute("VACUUM ANALYZE core_searchentry")
        self.stdout.write(self.style.SUCCESS(
            f"Поисковый индекс перестроен: обращений {counts['appeal']}, проектов {counts['project']}, "
            f"организаций {counts['organisation']}, частых вопросов {counts['faq']}."
        ))
