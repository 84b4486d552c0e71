from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = _("Зелёный коридор")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core import audit, q2_signals  # noqa: F401  (q2_signals: its receivers connect on import)
        from core.services.db_statistics import sqlite_statistics_after_migrate

        audit.register_models()
        post_migrate.connect(sqlite_statistics_after_migrate, sender=self)
