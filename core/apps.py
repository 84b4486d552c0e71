from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = _("Зелёный коридор")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit, checks, q2_signals  # noqa: F401  (checks, q2_signals: they register on import)
        from core.search import signals  # the search index follows every save after commit

        signals.connect_migrate(self)

        audit.register_models()
        _groups_are_roles()
        _russian_app_names()


def _russian_app_names() -> None:
    """The breadcrumbs and titles name each third-party app in Russian: django-axes calls itself «Axes» (its own
    catalogue has no word for it), auditlog «Auditlog»."""
    from django.apps import apps

    names = {"axes": _("Журналы входа"), "auditlog": _("Журнал изменений")}
    for label, name in names.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name


def _groups_are_roles() -> None:
    """The product's roles are Django's groups (core.roles): every page names them «роль» and their app «Пользователи
    и роли», as the sidebar does, instead of Django's «группа» and «Пользователи и группы» — the cabinet's titles,
    breadcrumbs, buttons and messages, the change log's object types, the role page's permission names.
    `_meta.verbose_name` is set, not the model's Meta: the migrations read `original_attrs`, so auth gets no
    migration of ours (`makemigrations --check` in the lint)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    Group._meta.verbose_name = _("роль")
    Group._meta.verbose_name_plural = _("роли")
    apps.get_app_config("auth").verbose_name = _("Пользователи и роли")
