from django.core.management.base import BaseCommand, CommandError

from core.management.commands.install_region import installed_line
from core.management.russian import RussianErrors
from core.region import RegionPackError, current_region
from core.services.region import RegionInstallError, region_install


class Command(RussianErrors, BaseCommand):
    help = (
        "Загружает справочники региона из пакета, указанного в настройке REGION_PACK (по умолчанию — пакет "
        "leningrad): то же, что install_region без аргумента. Можно запускать повторно."
    )

    def handle(self, *args, **options) -> None:
        try:
            region = current_region()
            counts = region_install(pack=region)
        except (RegionPackError, RegionInstallError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(installed_line(region.name, counts)))
