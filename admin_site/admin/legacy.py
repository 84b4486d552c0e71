"""«Импорт» on the appeals list, from xlsx/csv, previewed, then written whole or not at all:

* legacy appeals («Мои обращения (Старые)», core.resources.appeals.LegacyAppealResource) for those who may add
  appeal rows (data clerks);
* messages of the federal platform ПОС (core.resources.pos.PosAppealResource) for those who register appeals
  (coordinators, managers, heads): the staff intake, duplicates skipped and listed.

Plug it into the appeal admin before its base class::

    class AppealAdmin(AppealImportMixin, CorridorModelAdmin): ...
"""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from admin_site.admin.imports import FileImportMixin
from core.resources.appeals import LegacyAppealResource
from core.resources.pos import FACT_COLUMN, PosAppealResource
from core.workflows.appeals import _registers

SKIPPED_SHOWN = 20  # skipped rows named in a message; the rest are counted


def _report_skipped(request: HttpRequest, result, *, done: bool) -> None:
    skipped = getattr(result, "skipped_messages", [])
    if not skipped:
        return
    text = (_("Пропущены уже загруженные сообщения ПОС (%(count)s):") if done
            else _("Будут пропущены уже загруженные сообщения ПОС (%(count)s):")) % {"count": len(skipped)}
    shown = "; ".join(skipped[:SKIPPED_SHOWN])
    rest = len(skipped) - SKIPPED_SHOWN
    messages.warning(request, f"{text} {shown}" + (_("; и ещё %(count)s.") % {"count": rest} if rest > 0 else "."))


class AppealImportMixin(FileImportMixin):
    """Appeals are otherwise only filed in the portal or registered one by one, so each importer asks for its own
    permission rather than the admin's has_add_permission. Export is left out on purpose: these resources are
    formats of other systems, not reports (the registers are)."""

    def get_import_resource_classes(self, request: HttpRequest) -> list[type]:
        resources = []
        if request.user.has_perm("core.add_appeal"):
            resources.append(LegacyAppealResource)
        if _registers(request.user):
            resources.append(PosAppealResource)
        return resources

    def has_import_permission(self, request: HttpRequest) -> bool:
        return bool(self.get_import_resource_classes(request))

    def import_action(self, request: HttpRequest, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "fields_list" in context:  # the columns a file may have: a field only shown in the preview is not one
            context["fields_list"] = [
                (name, [column for column in columns if column != FACT_COLUMN])
                for name, columns in context["fields_list"]
            ]
        if context.get("confirm_form") is not None:
            _report_skipped(request, context["result"], done=False)
        return response

    def process_result(self, result, request: HttpRequest):
        response = super().process_result(result, request)
        if not (result.has_errors() or result.has_validation_errors()):
            _report_skipped(request, result, done=True)
        return response
