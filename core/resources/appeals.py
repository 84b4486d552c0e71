"""Legacy appeals («Мои обращения (Старые)») from xlsx/csv, one appeal per row, created by core.services.legacy.

Unlike every other resource this one imports a status and a deadline (STYLE.md rule 8): old appeals arrive
already answered or closed. A number already in the system is a row error, never an update.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from core.choices import AppealChannel, AppealStatus, OrganisationKind
from core.models import Appeal, Fact, Organisation, User
from core.resources.base import AllOrNothingResource
from core.resources.widgets import (
    ChoiceWidget,
    DayWidget,
    MoscowDateTimeWidget,
    NaturalKeyWidget,
    TextWidget,
    WholeNumberWidget,
)
from core.services.legacy import legacy_appeal_build, legacy_appeal_save, legacy_numbers_reserve


class LegacyAppealResource(AllOrNothingResource):
    number = Field("number", "Номер", WholeNumberWidget(minimum=1))
    created_at = Field("created_at", "Дата подачи", MoscowDateTimeWidget())
    organisation = Field(
        "organisation", "ИНН инвестора",
        NaturalKeyWidget(
            Organisation, "inn", queryset=Organisation.objects.filter(kind=OrganisationKind.INVESTOR),
            not_found=_("Компании-инвестора с ИНН «%(value)s» нет в системе: сначала добавьте организацию."),
        ),
    )
    applicant = Field(
        "applicant", "Почта заявителя",
        NaturalKeyWidget(
            User, "email", lookups=("email__iexact",), not_found=_("Пользователя с почтой «%(value)s» нет в системе.")
        ),
    )
    fact = Field(
        "fact", "Код факта",
        NaturalKeyWidget(Fact, "code", not_found=_("Факта обращения с кодом «%(value)s» нет в классификаторе.")),
    )
    subject = Field("subject", "Тема", TextWidget())
    description = Field("description", "Описание", TextWidget())
    status = Field(
        "status", "Статус",
        ChoiceWidget(AppealStatus.choices, unknown=_("Статуса «%(value)s» нет: напишите его как в списке обращений.")),
    )
    deadline = Field("deadline", "Срок ответа", DayWidget())
    answer_text = Field("answer_text", "Ответ", TextWidget())
    answered_at = Field("answered_at", "Дата ответа", MoscowDateTimeWidget())
    rating = Field("rating", "Оценка", WholeNumberWidget(minimum=1, maximum=5))
    channel = Field(
        "channel", "Канал",
        ChoiceWidget(AppealChannel.choices, unknown=_("Канала «%(value)s» нет: портал, телефон, электронная почта, "
                                                      "письмо, личный приём, ПОС (Госуслуги) или мероприятие.")),
    )
    required_columns = ("Номер", "Дата подачи", "ИНН инвестора", "Код факта", "Тема", "Статус")
    column_aliases = {  # other names people give these columns
        "created": "Дата подачи", "Дата создания": "Дата подачи", "inn": "ИНН инвестора", "ИНН": "ИНН инвестора",
        "email": "Почта заявителя", "fact code": "Код факта", "Факт": "Код факта", "answer": "Ответ",
        "channel": "Канал", "Канал поступления": "Канал", "Способ подачи": "Канал",
    }

    class Meta:
        model = Appeal
        name = _("Обращения из прежней системы")
        fields = (
            "number", "created_at", "organisation", "applicant", "fact", "subject", "description", "status",
            "deadline", "answer_text", "answered_at", "rating", "channel",
        )
        import_id_fields = ("number",)
        force_init_instance = True  # an old number is never looked up to be updated
        skip_unchanged = False
        clean_model_instances = False  # legacy_appeal_build validates the row

    def before_import(self, dataset, **kwargs) -> None:
        self.actor = kwargs.get("user")
        self.numbers: list[int] = []
        super().before_import(dataset, **kwargs)

    def init_instance(self, row=None) -> Appeal:
        """Read the whole row and build the appeal at once: its protected status can only be given to the
        constructor. Unreadable cells are reported first, then what the service finds wrong with the row."""
        values, errors = {}, {}
        for name, field in self.fields.items():
            if field.column_name not in row:
                continue
            try:
                values[name] = field.clean(row)
            except ValueError as error:
                errors[field.column_name] = [str(error)]
        if errors:
            raise ValidationError(errors)
        try:
            return legacy_appeal_build(**values)
        except ValidationError as error:
            raise self.by_column(error) from None

    def import_instance(self, instance, row, **kwargs) -> None:
        """Nothing left to read: init_instance built the appeal from the row."""

    def do_instance_save(self, instance: Appeal, is_create: bool) -> None:
        legacy_appeal_save(appeal=instance, actor=self.actor)
        self.numbers.append(instance.number)

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if not (result.has_errors() or result.has_validation_errors()):
            legacy_numbers_reserve(numbers=self.numbers)
