"""Investment projects as xlsx/csv: the register for export, and loading projects from other systems.

Natural keys throughout: the project's registry number, the investor's ИНН, the district's OKTMO code, the
industry's code, people by email. The stage is never a model column here (STYLE.md rule 8): «Этап при
загрузке» is read for a project the file creates and given to it after the save by
core.workflows.projects.project_import_stage, in the importer's name, into the history and the auditlog. An
existing project keeps its stage whatever the column says. The export fills the column with the current stage,
so a register exported here loads into another installation as it was.
"""

import re

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from core.choices import GovernorForum, OrganisationKind, ProjectStage
from core.models import Industry, Organisation, Project
from core.resources.base import AllOrNothingResource, FileError, NaturalKeyRequiredMixin
from core.resources.organisations import INN_LENGTHS, DigitsKeyWidget, district_by_code, staff_by_email
from core.resources.widgets import (
    AmountWidget,
    ChoiceWidget,
    DayWidget,
    MoscowDateTimeWidget,
    NaturalKeyWidget,
    TextWidget,
    WholeNumberWidget,
)
from core.services.numbers import number_reserve_up_to
from core.workflows.projects import NUMBER_COUNTER, project_import_stage

STAGE_COLUMN = "Этап при загрузке"
OUR_NUMBER = re.compile(r"^ИП-\d{4}-(\d+)$")  # core.workflows.projects numbers: ИП-2025-00042
EXPORT_RELATED = ("investor", "district", "industry", "personal_manager", "district_commissioner", "director")
NO_SUCH_PERSON = _("Сотрудника с почтой «%(value)s» нет в системе.")


class ProjectResource(NaturalKeyRequiredMixin, AllOrNothingResource):
    registry_number = Field("registry_number", "Реестровый номер", TextWidget())
    name = Field("name", "Название проекта", TextWidget())
    investor = Field(
        "investor", "ИНН инвестора",
        DigitsKeyWidget(
            Organisation, "inn", queryset=Organisation.objects.filter(kind=OrganisationKind.INVESTOR),
            lengths=INN_LENGTHS,
            not_found=_("Компании-инвестора с ИНН «%(value)s» нет в системе: сначала загрузите организации."),
        ),
    )
    district = Field("district", "Код ОКТМО района", district_by_code())
    industry = Field(
        "industry", "Код отрасли",
        NaturalKeyWidget(Industry, "code", lookups=("code", "name__iexact"),
                         not_found=_("Отрасли «%(value)s» нет в справочнике: укажите код или название отрасли.")),
    )
    description = Field("description", "Описание", TextWidget())
    investment_volume = Field("investment_volume", "Объём инвестиций, ₽", AmountWidget())
    jobs = Field("jobs", "Рабочих мест", WholeNumberWidget())
    gas_m3_per_hour = Field("gas_m3_per_hour", "Газ, м³/ч", AmountWidget())
    electricity_kw = Field("electricity_kw", "Электроэнергия, кВт", AmountWidget())
    water_m3_per_day = Field("water_m3_per_day", "Вода, м³/сут", AmountWidget())
    heat_gcal_per_hour = Field("heat_gcal_per_hour", "Тепло, Гкал/ч", AmountWidget())
    # an empty cell keeps the date a project has (a new one: now)
    submitted_at = Field("submitted_at", "Заявка подана", MoscowDateTimeWidget(), saves_null_values=False)
    accepted_at = Field("accepted_at", "Принят на сопровождение", DayWidget())
    planned_start = Field("planned_start", "Плановое начало строительства", DayWidget())
    planned_launch = Field("planned_launch", "Плановый ввод в эксплуатацию", DayWidget())
    governor_agreement_date = Field("governor_agreement_date", "Соглашение с Губернатором", DayWidget())
    governor_agreement_forum = Field(
        "governor_agreement_forum", "Форум подписания",
        ChoiceWidget(GovernorForum.choices, unknown=_("Форума «%(value)s» нет: ПМЭФ, БРИФ или «Другое».")),
        default="",
    )
    personal_manager = Field("personal_manager", "Почта персонального менеджера", staff_by_email(NO_SUCH_PERSON))
    district_commissioner = Field(
        "district_commissioner", "Почта уполномоченного района", staff_by_email(NO_SUCH_PERSON)
    )
    director = Field("director", "Почта директора", staff_by_email(NO_SUCH_PERSON))
    # Not a model field: a plain attribute of the row's project, read after the save (see the module docstring).
    import_stage = Field(
        "import_stage", STAGE_COLUMN,
        ChoiceWidget(ProjectStage.choices, unknown=_("Этапа «%(value)s» нет: напишите его как в реестре проектов.")),
    )
    required_columns = ("Реестровый номер", "Название проекта", "ИНН инвестора")
    natural_key_required = {"Реестровый номер": _("Укажите реестровый номер проекта.")}
    column_aliases = {
        "Номер": "Реестровый номер", "Проект": "Название проекта", "Название": "Название проекта",
        "ИНН": "ИНН инвестора", "Район": "Код ОКТМО района", "Отрасль": "Код отрасли", "Этап": STAGE_COLUMN,
        "Менеджер": "Почта персонального менеджера",
    }

    class Meta:
        model = Project
        name = _("Инвестиционные проекты")
        fields = (
            "registry_number", "name", "investor", "district", "industry", "description", "investment_volume",
            "jobs", "gas_m3_per_hour", "electricity_kw", "water_m3_per_day", "heat_gcal_per_hour", "submitted_at",
            "accepted_at", "planned_start", "planned_launch", "governor_agreement_date", "governor_agreement_forum",
            "personal_manager", "district_commissioner", "director", "import_stage",
        )
        import_id_fields = ("registry_number",)

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self.actor = kwargs.get("user")
        self.numbers: list[int] = []
        if self.actor is None:
            raise FileError(gettext("Проекты загружаются от имени пользователя: войдите в кабинет."))

    def import_instance(self, instance: Project, row, **kwargs) -> None:
        errors: dict = {}
        submitted = instance.submitted_at
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is not None:
            instance.import_stage = None  # an existing project keeps its stage
            if self._same_minute(submitted, instance.submitted_at):  # the file holds it to the minute
                instance.submitted_at = submitted
        if instance.investor_id is None and "investor" not in errors:
            errors["investor"] = [_("Укажите ИНН компании-инвестора.")]
        if errors:
            raise ValidationError(errors)

    def _same_minute(self, before, after) -> bool:
        widget = self.fields["submitted_at"].widget
        return widget.render(before) == widget.render(after)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        """As the base, but the stage is left alone: a protected FSM field cannot be set again, even by
        full_clean."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, "stage"], validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise self.by_column(ValidationError(errors))

    def do_instance_save(self, instance: Project, is_create: bool) -> None:
        with set_actor(self.actor):
            instance.save(force_insert=is_create)
        if is_create and (match := OUR_NUMBER.match(instance.registry_number)):
            self.numbers.append(int(match.group(1)))

    def after_save_instance(self, instance: Project, row, **kwargs) -> None:
        stage = getattr(instance, "import_stage", None)
        if stage and stage != instance.stage:
            project_import_stage(project=instance, stage=stage, actor=self.actor)

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if self.numbers and not (result.has_errors() or result.has_validation_errors()):
            number_reserve_up_to(name=NUMBER_COUNTER, value=max(self.numbers))  # new numbers go above them

    def dehydrate_import_stage(self, project: Project) -> str:
        return self.fields["import_stage"].widget.render(project.stage)

    def iter_queryset(self, queryset):
        if isinstance(queryset, QuerySet):
            queryset = queryset.select_related(*EXPORT_RELATED)
        return super().iter_queryset(queryset)
