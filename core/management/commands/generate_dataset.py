from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core.management.russian import RussianErrors
from core.services.dataset import DatasetRefused, dataset_generate
from core.services.db_statistics import statistics_refresh


class Command(RussianErrors, BaseCommand):
    help = (
        "Создаёт объёмные правдоподобные данные для нагрузочных тестов и демонстраций: организации, сотрудников, "
        "проекты и обращения. Пишет в обход журналов и аудита; только при DEBUG=true (или с --force), никогда "
        "в рабочей базе. Один и тот же --seed даёт одни и те же данные (при той же дате --today)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--projects", type=int, required=True, help="Сколько проектов создать.")
        parser.add_argument("--appeals", type=int, required=True, help="Сколько обращений создать.")
        parser.add_argument("--seed", type=int, default=1, help="Зерно генератора (по умолчанию 1).")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None,
            help="Дата ГГГГ-ММ-ДД, до которой идёт история (по умолчанию сегодня, по Москве).",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="Строк в одной пачке вставки.")
        parser.add_argument("--force", action="store_true", help="Разрешить запуск при DEBUG=false.")

    def handle(self, *args, **options) -> None:
        try:
            result = dataset_generate(
                projects=options["projects"], appeals=options["appeals"], seed=options["seed"],
                today=options["today"], force=options["force"], batch_size=options["batch_size"],
                progress=self.stdout.write,
            )
        except DatasetRefused as error:
            raise CommandError(str(error)) from error
        statistics_refresh()  # the planner's view of the new volume, as autovacuum would give it later
        counts = ", ".join(f"{name} {value}" for name, value in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Готово за {result.seconds:.1f} с: {counts}."))
