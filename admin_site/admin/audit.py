"""django-auditlog's journal in the cabinet's look; its own strings are translated in the project's locale/ru."""

from auditlog import admin as auditlog_admin
from auditlog.models import LogEntry
from auditlog.render import get_field_verbose_name
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from admin_site.admin.base import CorridorModelAdmin, reregister


class LogEntryAdmin(auditlog_admin.LogEntryAdmin, CorridorModelAdmin):
    list_display = ("created", "resource_url", "action", "msg_short", "user_url")

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
