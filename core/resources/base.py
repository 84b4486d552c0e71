"""The import rules every file follows (SPEC.md §7): all or nothing, Russian errors under the file's own column
names, headers matched whatever their case, blank lines ignored."""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.translation import gettext
from import_export import resources


class FileError(ValueError):
    """The file as a whole cannot be imported (a missing column); shown above the rows."""


class AllOrNothingResource(resources.ModelResource):
    """Column names are the file's format, a contract with the people who fill the files, so they are plain
    Russian strings rather than translations. A header may also be the field's Python name or one of
    `column_aliases`; `required_columns` must be present in the header row."""

    required_columns: tuple[str, ...] = ()
    column_aliases: dict[str, str] = {}

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        """Whatever the caller asks, one invalid row rolls the whole file back."""
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True, **kwargs,
        )

    def before_import(self, dataset, **kwargs) -> None:
        names = {alias.casefold(): column for alias, column in self.column_aliases.items()}
        for name, field in self.fields.items():
            names[name.casefold()] = names[field.column_name.casefold()] = field.column_name
        dataset.headers = [names.get(str(h or "").strip().casefold(), str(h or "").strip()) for h in dataset.headers]
        missing = [column for column in self.required_columns if column not in dataset.headers]
        blank = [i for i, row in enumerate(dataset) if all(value is None or str(value).strip() == "" for value in row)]
        for index in reversed(range(len(dataset)) if missing else blank):  # a file without its columns: no rows
            del dataset[index]
        if missing:
            raise FileError(
                gettext("В файле нет столбцов: %(columns)s. Первая строка файла должна содержать названия столбцов.")
                % {"columns": ", ".join(f"«{column}»" for column in missing)}
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise self.by_column(error) from None

    def by_column(self, error: ValidationError) -> ValidationError:
        """Errors keyed by model fields, re-keyed by the column a person sees in the file."""
        if not hasattr(error, "error_dict"):
            return error
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        keyed: dict[str, list[str]] = {}
        for key, messages in error.message_dict.items():
            keyed.setdefault(columns.get(key) or self._verbose(key), []).extend(messages)
        return ValidationError(keyed)

    def _verbose(self, name: str) -> str:
        if name == NON_FIELD_ERRORS:
            return name
        try:
            return str(self._meta.model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            return name


class NaturalKeyRequiredMixin:
    """The natural key is read before the row is looked up: an empty key would match no row or several, and an
    unreadable one would surface as a traceback instead of a row error in Russian."""

    natural_key_required: dict[str, str] = {}  # column -> message when the cell is empty

    def before_import_row(self, row, **kwargs) -> None:
        errors: dict[str, list[str]] = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                value = field.clean(row) if field.column_name in row else None
            except ValueError as error:
                errors[field.column_name] = [str(error)]
                continue
            if value in (None, "") and field.column_name in self.natural_key_required:
                errors[field.column_name] = [str(self.natural_key_required[field.column_name])]
        if errors:
            raise ValidationError(errors)
        super().before_import_row(row, **kwargs)
