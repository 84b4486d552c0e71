"""«Импорт» on the appeals list: legacy appeals («Мои обращения (Старые)») from xlsx/csv, previewed, then written
whole or not at all by core.resources.appeals.LegacyAppealResource.

Plug it into the appeal admin before its base class::

    class AppealAdmin(LegacyAppealImportMixin, CorridorModelAdmin): ...
"""

from django.http import HttpRequest

from admin_site.admin.imports import FileImportMixin
from core.resources.appeals import LegacyAppealResource


class LegacyAppealImportMixin(FileImportMixin):
    """Appeals are otherwise only filed in the portal (the admin has no add page), so the import asks for the
    add permission itself rather than through has_add_permission. Export is left out on purpose: this resource
    is a format for old data, not a report."""

    def get_import_resource_classes(self, request: HttpRequest) -> list[type[LegacyAppealResource]]:
        return [LegacyAppealResource]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.add_appeal")
