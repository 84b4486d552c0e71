"""django-auditlog's journal in the cabinet's look; its own strings are translated in the project's locale/ru."""

from auditlog import admin as auditlog_admin
from auditlog.filters import CIDFilter
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.render import get_field_verbose_name
from django.contrib.admin import SimpleListFilter
from django.contrib.contenttypes.models import ContentType
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from admin_site.admin.base import CorridorModelAdmin, reregister
from core.http_guard import parse_int


class ResourceTypeFilter(SimpleListFilter):
    """auditlog's «Тип ресурса» listed each kind by its model's code (`appeal`, `personaldataconsent`), read by a
    DISTINCT over the whole journal; here by its Russian name, from the models the journal follows."""

    title = _("Тип объекта")
    parameter_name = "resource_type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*auditlog.get_models())
        return sorted(((kind.pk, capfirst(str(model._meta.verbose_name))) for model, kind in types.items()),
                      key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        kind = parse_int(value, minimum=1, maximum=2**31 - 1)  # «²», «١» or a number past the column: nothing
        return queryset.filter(content_type_id=kind) if kind else queryset.none()


class LogEntryAdmin(auditlog_admin.LogEntryAdmin, CorridorModelAdmin):
    list_display = ("created", "resource_url", "action", "msg_short", "user_url")
    list_filter = ["action", ResourceTypeFilter, CIDFilter]

    # auditlog writes these two columns in plain English; its other labels go through gettext.
    @display(description=_("Пользователь"))
    def user_url(self, obj: LogEntry) -> str:
        return super().user_url(obj) if obj.actor_id else _("система")

    @display(description=_("Изменённые поля"))
    def msg_short(self, obj: LogEntry) -> str:
        if obj.action != LogEntry.Action.UPDATE:
            return ""  # a creation lists every field, reverse relations included: noise in a list
        names = ", ".join(str(get_field_verbose_name(obj, field)) for field in obj.changes_dict)
        return Truncator(names).chars(80)


reregister(LogEntry, LogEntryAdmin)
