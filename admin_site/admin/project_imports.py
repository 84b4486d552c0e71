"""Import and export of projects, organisations and districts in the cabinet (SPEC.md §7): unfold's forms, xlsx
and csv, a preview first, and a file written whole or not at all by the resources in core.resources.

Plug the project import into the project admin before its base class::

    class ProjectAdmin(ProjectImportExportMixin, CorridorModelAdmin): ...

The export honours the list's filters and ProjectAdmin.get_queryset (projects_visible_to), like the screen.
"""

from django.http import HttpRequest

from admin_site.admin.imports import FileImportExportMixin
from core.resources.organisations import DistrictResource, OrganisationResource
from core.resources.projects import ProjectResource


class ProjectImportExportMixin(FileImportExportMixin):
    """Projects are filed in the portal and their stage moves only through the door, so the cabinet may have no
    add page: the import asks for the add and change permissions itself rather than through the admin's
    has_add_permission. The stage a data clerk picks («Этап при загрузке») reaches only new projects, through
    core.workflows.projects.project_import_stage."""

    resource_classes = [ProjectResource]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.add_project") and request.user.has_perm("core.change_project")


class OrganisationImportExportMixin(FileImportExportMixin):
    resource_classes = [OrganisationResource]


class DistrictImportExportMixin(FileImportExportMixin):
    resource_classes = [DistrictResource]
