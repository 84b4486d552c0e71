from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.management.russian import RussianErrors
from core.region import RegionPackError, pack_path, region_load
from core.services.region import RegionInstallError, region_install


def installed_line(region_name: str, counts: dict[str, int]) -> str:
    return (
        f"Регион «{region_name}» установлен: ролей {counts['roles']}, районов {counts['districts']}, "
        f"типов обращений {counts['appeal_types']}, фактов классификатора {counts['facts']}, "
        f"отраслей {counts['industries']}, действий чек-листа {counts['checklist']}, "
        f"мер поддержки {counts['support_measures']}, сроков ответов на запросы {counts['request_periods']}."
    )


class Command(RussianErrors, BaseCommand):
    help = (
        "Устанавливает пакет региона (папка с region.toml и fixtures/): роли, районы с кодами ОКТМО, типы "
        "обращений и сроки, классификатор, отрасли, чек-лист этапов, меры поддержки, сроки ответов на запросы. "
        "Пакет должен совпадать с настройкой REGION_PACK. Повторный запуск ничего не меняет; в базу другого "
        "региона пакет не ставится."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("pack", nargs="?", help="Имя пакета в regions/ (например, leningrad) или путь к папке; "
                                                    "по умолчанию — из настройки REGION_PACK.")

    def handle(self, *args, pack: str | None = None, **options) -> None:
        try:
            region = region_load(pack_path(pack or settings.REGION_PACK, Path(settings.BASE_DIR)))
            counts = region_install(pack=region)
        except (RegionPackError, RegionInstallError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(installed_line(region.name, counts)))
