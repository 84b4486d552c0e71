"""django-axes' sign-in records (who tried, from where, who is locked out) in the cabinet's look."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from admin_site.admin.base import CorridorModelAdmin, reregister


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin, CorridorModelAdmin):
    pass


class AccessLogAdmin(axes_admin.AccessLogAdmin, CorridorModelAdmin):
    pass


class AccessFailureLogAdmin(axes_admin.AccessFailureLogAdmin, CorridorModelAdmin):
    pass


reregister(AccessAttempt, AccessAttemptAdmin)
reregister(AccessLog, AccessLogAdmin)
reregister(AccessFailureLog, AccessFailureLogAdmin)
