from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = _("Зелёный коридор")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit, q2_signals  # noqa: F401  (q2_signals: its receivers connect on import)
        from core.search import signals  # the search index follows every save after commit

        signals.connect_migrate(self)

        audit.register_models()
