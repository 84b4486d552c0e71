"""«Импорт» on the appeals list, from xlsx/csv, previewed, then written whole or not at all:

* legacy appeals («Мои обращения (Старые)», core.resources.appeals.LegacyAppealResource) for those who may add
  appeal rows (data clerks);
* messages of the federal platform ПОС (core.resources.pos.PosAppealResource) for those who register appeals
  (coordinators, managers, heads): the staff intake, duplicates skipped and listed.

Plug it into the appeal admin before its base class::

    class AppealAdmin(AppealImportMixin, CorridorModelAdmin): ...
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from unfold.contrib.import_export.forms import ImportForm

from admin_site.admin.imports import FileImportMixin
from core.resources.appeals import LegacyAppealResource
from core.resources.files import spreadsheet_check
from core.resources.pos import FACT_COLUMN, PosAppealResource
from core.workflows.appeals import _registers

SKIPPED_SHOWN = 20  # skipped rows named in a message; the rest are counted


class CheckedImportForm(ImportForm):
    """The file is checked (size, real format, no formulas) before the importer reads it."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean(self):
        data = super().clean()
        upload, chosen = data.get("import_file"), data.get("format")
        if upload is not None and chosen not in (None, ""):
            try:
                spreadsheet_check(upload, extension=self.formats[int(chosen)]().get_extension())
            except ValidationError as error:
                self.add_error("import_file", error)
            except (IndexError, ValueError):
                self.add_error("format", forms.ValidationError(_("Выберите формат файла: xlsx или csv.")))
        return data


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

    import_form_class = CheckedImportForm

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
