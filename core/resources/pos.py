"""Messages of the federal feedback platform ПОС as the agency downloads them (xlsx/csv), one appeal per row,
registered by core.services.pos through the staff intake. The columns are the layout docs/integrations/pos.md
describes; a message already in the system, or twice in the file, is skipped and named in the report.

Every row is checked and registered inside the import's transaction, the preview too (import-export then rolls
the preview back): what the preview shows is what the confirmed import writes, and one bad row writes nothing.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.results import Result

from core.models import Appeal
from core.resources.base import AllOrNothingResource, FileError
from core.resources.widgets import MoscowDateTimeWidget, TextWidget, cell_text
from core.selectors.classifier import facts_active
from core.services.pos import FederalClassifier, pos_appeal_register, pos_number_clean
from core.validators import normalize_phone, validate_inn, validate_phone
from core.workflows.appeals import _registers

POS_IMPORT_MAX_ROWS = 2000  # a month of messages many times over; a bigger file is split
FACT_COLUMN = "Факт обращения (подобран)"  # shown in the preview, never read from the file


class PosNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        return pos_number_clean(cell_text(value))


class EmailWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        text = cell_text(value)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                message = gettext("«%(value)s» не похож на адрес электронной почты.") % {"value": text}
                raise ValueError(message) from None
        return text


class PhoneWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        text = cell_text(value)
        if not text:
            return ""
        try:
            validate_phone(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        return normalize_phone(text)


class InnWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        text = cell_text(value)
        if not text:
            raise ValueError(gettext("Укажите ИНН компании, от которой пришло сообщение."))
        if text.isdigit() and len(text) in (9, 11):  # a spreadsheet number lost its leading zero
            text = "0" + text
        try:
            validate_inn(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        return text


class FactWidget(TextWidget):
    """Only shown: the fact the category led to, by its code and name."""

    def render(self, value, obj=None, **kwargs) -> str:
        return f"{value.code} {value.name}" if value else ""


class PosImportResult(Result):
    """The import's result with the messages it skipped, for the report above the rows."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.skipped_messages: list[str] = []


class PosAppealResource(AllOrNothingResource):
    pos_number = Field("pos_number", "Номер сообщения", PosNumberWidget())
    received_at = Field("received_at", "Дата поступления", MoscowDateTimeWidget())
    # read as typed; the preview shows the codes of what they matched
    category = Field("fact__subcategory__category__code", "Категория", TextWidget())
    subcategory = Field("fact__subcategory__code", "Подкатегория", TextWidget())
    fact = Field("fact", FACT_COLUMN, FactWidget(), readonly=True)
    subject = Field("subject", "Тема", TextWidget())
    description = Field("description", "Текст сообщения", TextWidget())
    contact_name = Field("contact_name", "Заявитель", TextWidget())
    organisation_name = Field("organisation_name", "Организация", TextWidget())
    organisation_inn = Field("organisation_inn", "ИНН", InnWidget())
    contact_email = Field("contact_email", "Email", EmailWidget())
    contact_phone = Field("contact_phone", "Телефон", PhoneWidget())

    required_columns = ("Номер сообщения", "Дата поступления", "Категория", "Текст сообщения", "ИНН")
    column_aliases = {
        "Номер": "Номер сообщения", "Номер обращения": "Номер сообщения", "№ сообщения": "Номер сообщения",
        "Дата регистрации": "Дата поступления", "Дата создания": "Дата поступления",
        "Код категории": "Категория", "Категория сообщения": "Категория",
        "Текст": "Текст сообщения", "Текст обращения": "Текст сообщения", "Содержание": "Текст сообщения",
        "ФИО заявителя": "Заявитель", "Наименование организации": "Организация", "ИНН организации": "ИНН",
        "E-mail": "Email", "Электронная почта": "Email", "Адрес электронной почты": "Email",
        "Контактный телефон": "Телефон",
    }

    class Meta:
        model = Appeal
        name = _("Сообщения ПОС (Госуслуги)")
        fields = (
            "pos_number", "received_at", "category", "subcategory", "fact", "subject", "description",
            "contact_name", "organisation_name", "organisation_inn", "contact_email", "contact_phone",
        )
        import_id_fields = ("pos_number",)
        force_init_instance = True  # a ПОС number is never looked up to be updated: it is new or skipped
        skip_unchanged = False
        clean_model_instances = False  # the intake validates the row

    def get_result_class(self):
        return PosImportResult

    def before_import(self, dataset, **kwargs) -> None:
        self.actor = kwargs.get("user")
        if self.actor is None or not _registers(self.actor):
            raise FileError(gettext("Сообщения ПОС загружают координаторы, менеджеры и руководители агентства."))
        if len(dataset) > POS_IMPORT_MAX_ROWS:
            raise FileError(gettext("В файле %(rows)s строк, а за один раз можно загрузить не больше %(limit)s: "
                                    "разделите выгрузку по периодам.") % {"rows": len(dataset),
                                                                           "limit": POS_IMPORT_MAX_ROWS})
        super().before_import(dataset, **kwargs)
        self.classifier = FederalClassifier(facts_active())
        self.seen: dict[str, int] = {}  # ПОС number -> the file's row that brought it
        numbers = []
        if "Номер сообщения" in dataset.headers:
            for value in dataset["Номер сообщения"]:
                try:
                    numbers.append(pos_number_clean(cell_text(value)))
                except ValueError:
                    continue  # the row reports it
        self.known = dict(Appeal.objects.filter(pos_number__in=numbers).values_list("pos_number", "number"))

    def before_import_row(self, row, **kwargs) -> None:
        self.row_number = kwargs.get("row_number", 0)  # numbered as the preview numbers its rows
        super().before_import_row(row, **kwargs)

    def init_instance(self, row=None) -> Appeal:
        """The row read into an unsaved appeal (the preview's diff shows it); a duplicate comes back marked to be
        skipped. Unreadable cells and an unmatched category are the row's errors."""
        values, errors = {}, {}
        for name, field in self.fields.items():
            if field.readonly or field.column_name not in row:
                continue
            try:
                values[name] = field.clean(row)
            except ValueError as error:
                errors[field.column_name] = [str(error)]
        category, subcategory = values.pop("category", ""), values.pop("subcategory", None) or ""
        read = Appeal(**{name: value for name, value in values.items() if value is not None})
        try:
            read.fact = self.classifier.fact_for(category=category, subcategory=subcategory)
        except ValidationError as error:
            errors.update({self.fields[name].column_name: texts for name, texts in error.message_dict.items()})
        number = values.get("pos_number")
        if number and self._duplicate(number):
            read.pos_skipped = True  # shown as read, whatever else is wrong with it: it is not imported
            return read
        if errors:
            raise ValidationError(errors)
        self.seen[number] = self.row_number
        return read

    def _duplicate(self, number: str) -> bool:
        """Whether the ПОС number is already in the system or earlier in the file; if so, it is reported."""
        if number in self.known:
            text = gettext("строка %(row)s: сообщение ПОС №%(pos)s уже есть в системе — обращение №%(number)s") % {
                "row": self.row_number, "pos": number, "number": self.known[number]}
        elif number in self.seen:
            text = gettext("строка %(row)s: сообщение ПОС №%(pos)s повторяет строку %(first)s") % {
                "row": self.row_number, "pos": number, "first": self.seen[number]}
        else:
            return False
        self._skipped.append(text)
        return True

    def import_instance(self, instance, row, **kwargs) -> None:
        """Nothing left to read: init_instance read the row."""

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        return hasattr(instance, "pos_skipped")

    def do_instance_save(self, instance: Appeal, is_create: bool) -> None:
        try:
            saved = pos_appeal_register(
                actor=self.actor, pos_number=instance.pos_number, received_at=instance.received_at,
                fact=instance.fact, subject=instance.subject, text=instance.description,
                inn=instance.organisation_inn, organisation_name=instance.organisation_name,
                contact_name=instance.contact_name, contact_email=instance.contact_email,
                contact_phone=instance.contact_phone,
            )
        except ValidationError as error:
            raise self.by_column(error) from None
        instance.pk, instance.number = saved.pk, saved.number

    def import_data(self, dataset, *args, **kwargs):
        self._skipped: list[str] = []
        result = super().import_data(dataset, *args, **kwargs)
        result.skipped_messages = self._skipped
        return result
