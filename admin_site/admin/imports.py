"""Import and export in the cabinet (SPEC.md §7): unfold's forms, xlsx and csv, a preview before anything is
written, and a file written whole or not at all (the resources in core.resources roll back on any bad row)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from unfold.contrib.import_export.forms import ImportForm, SelectableFieldsExportForm

from core.resources.files import csv_normalised, spreadsheet_check

FILE_FORMATS = [XLSX, CSV]


class ColumnsExportForm(SelectableFieldsExportForm):
    """Offers the fields by the file's Russian column names, not by their Python names."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


class CheckedImportForm(ImportForm):
    """The file is checked (size, real format, no formulas) before the importer reads it, and a csv is handed on as
    UTF-8 with commas whichever way Excel saved it (core.resources.files)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        if "resource" in self.fields:  # import-export's «Resource» is the change log's column too
            self.fields["resource"].label = _("Что загружать")

    def clean(self):
        data = super().clean()
        upload, chosen = data.get("import_file"), data.get("format")
        if upload is None or chosen in (None, ""):
            return data
        try:
            extension = self.formats[int(chosen)]().get_extension()
        except (IndexError, ValueError):
            self.add_error("format", forms.ValidationError(_("Выберите формат файла: xlsx или csv.")))
            return data
        try:
            spreadsheet_check(upload, extension=extension)
            if extension == "csv":
                data["import_file"] = SimpleUploadedFile(upload.name, csv_normalised(upload.read()), "text/csv")
        except ValidationError as error:
            self.add_error("import_file", error)
        finally:
            upload.seek(0)
        return data


class FileImportMixin(ImportMixin):
    """Put it before the ModelAdmin base class. Importing writes rows, so it takes the add and change
    permissions of the model (import-export alone would let anyone who sees the list import). Every file goes
    through CheckedImportForm first."""

    import_form_class = CheckedImportForm
    formats = FILE_FORMATS

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def process_result(self, result, request: HttpRequest):
        """The confirmed import reads the file again; if the data changed since the preview and a row is now
        wrong, the resource rolled everything back: say so instead of «import finished»."""
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request, _("Файл не загружен: в нём появились ошибки. Загрузите его ещё раз, чтобы их увидеть.")
            )
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:{app_label}_{model_name}_import"))
        return super().process_result(result, request)


class FileImportExportMixin(FileImportMixin, ExportMixin):
    """Reference data: those who may see the list may also download it."""

    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    export_form_class = ColumnsExportForm

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_or_change_permission(request)
