from django.conf import settings
from django.core.management.base import BaseCommand

from core.management.russian import RussianErrors
from core.roles import Role
from core.services.demo import DEMO_PASSWORD, demo_users


class Command(RussianErrors, BaseCommand):
    help = "Печатает адреса кабинетов и демо-логины."

    def handle(self, *args, **options) -> None:
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("«Зелёный коридор» запущен. Ctrl-C останавливает сервер и обработчик задач.")
        )
        self.stdout.write(f"  Портал инвестора:  {site}/")
        self.stdout.write(f"  Кабинет менеджера: {site}/admin/")
        if settings.DEBUG:
            self.stdout.write(f"  Демо-логины (пароль у всех: {DEMO_PASSWORD}):")
            for row in demo_users():
                self.stdout.write(f"    {Role(row['role']).label:<40} {row['email']}")
        self.stdout.write("")
