from django.apps import apps
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from admin_site.admin.base import CorridorModelAdmin, reregister

# Django stores the four default permissions' names in English when it creates them («Can add appeal»).
DEFAULT_ACTIONS = {"add": _("добавление"), "change": _("изменение"), "delete": _("удаление"), "view": _("просмотр")}


# Third-party apps and models whose names have no Russian of their own (django-otp has none; axes' app is «Axes»).
APP_NAMES = {"axes": _("Защита входа"), "otp_static": _("Второй фактор: коды восстановления"),
             "otp_totp": _("Второй фактор: приложение")}
MODEL_NAMES = {("otp_static", "staticdevice"): _("набор кодов восстановления"),
               ("otp_static", "statictoken"): _("код восстановления"),
               ("otp_totp", "totpdevice"): _("приложение-аутентификатор")}


def permission_label(permission: Permission) -> str:
    """«Обращения МОС | обращение | просмотр»: the app, the model and the action in Russian; a permission of its own
    (`Meta.permissions`) keeps the name the project gave it."""
    content_type = permission.content_type
    model = content_type.model_class()
    key = (content_type.app_label, content_type.model)
    model_name = MODEL_NAMES.get(key) or (str(model._meta.verbose_name) if model else content_type.model)
    action, _separator, model_code = permission.codename.partition("_")
    default = action in DEFAULT_ACTIONS and model_code == content_type.model
    what = DEFAULT_ACTIONS[action] if default else permission.name
    app = APP_NAMES.get(content_type.app_label)
    if app is None:
        try:
            app = apps.get_app_config(content_type.app_label).verbose_name
        except LookupError:
            app = content_type.app_label
    return gettext("%(app)s | %(model)s | %(what)s") % {"app": app, "model": model_name, "what": what}


class GroupAdmin(DjangoGroupAdmin, CorridorModelAdmin):
    """Roles are groups (core.roles); `seed_reference` resets the permissions of the built-in ones."""

    list_display = ("name", "user_count")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(user_count=Count("user"))

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions" and field is not None:
            field.label_from_instance = permission_label
        return field

    @display(description=_("пользователей"), ordering="user_count")
    def user_count(self, obj: Group) -> int:
        return obj.user_count


reregister(Group, GroupAdmin)
