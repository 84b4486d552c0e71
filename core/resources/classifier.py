"""The МОС classifier as xlsx/csv: categories, subcategories and facts, each found by its code (natural key).

Re-importing the same file changes nothing (unchanged rows are skipped); a file with one bad row writes nothing.
"""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from core.choices import OrganisationKind
from core.models import AppealType, Category, Fact, Organisation, Subcategory
from core.resources.base import AllOrNothingResource
from core.resources.widgets import NaturalKeyWidget, TextWidget, WholeNumberWidget, YesNoWidget


class _NodeResource(AllOrNothingResource):
    code = Field("code", "Код", TextWidget())
    name = Field("name", "Название", TextWidget())
    order = Field("order", "Порядок", WholeNumberWidget(), default=0)
    is_active = Field("is_active", "Действует", YesNoWidget(), default=True)
    is_demo = Field("is_demo", "Демонстрационный", YesNoWidget(), default=False)
    required_columns = ("Код", "Название")

    class Meta:
        import_id_fields = ("code",)


class CategoryResource(_NodeResource):
    short_name = Field("short_name", "Краткое название", TextWidget(), default="")

    class Meta:
        model = Category
        fields = ("code", "name", "short_name", "order", "is_active", "is_demo")
        name = _("Категории обращений")


class SubcategoryResource(_NodeResource):
    category = Field(
        "category", "Код категории",
        NaturalKeyWidget(Category, "code", not_found=_("Категории с кодом «%(value)s» нет в классификаторе.")),
    )
    required_columns = ("Код", "Название", "Код категории")

    class Meta:
        model = Subcategory
        fields = ("code", "name", "category", "order", "is_active", "is_demo")
        name = _("Подкатегории обращений")


class FactResource(_NodeResource):
    subcategory = Field(
        "subcategory", "Код подкатегории",
        NaturalKeyWidget(Subcategory, "code", not_found=_("Подкатегории с кодом «%(value)s» нет в классификаторе.")),
    )
    appeal_type = Field(
        "appeal_type", "Тип обращения",
        NaturalKeyWidget(
            AppealType, "code", lookups=("code", "name__iexact"),
            not_found=_("Типа обращения «%(value)s» нет: укажите код или название типа."),
        ),
    )
    default_executor = Field(
        "default_executor", "ИНН исполнителя",
        NaturalKeyWidget(
            Organisation, "inn", queryset=Organisation.objects.filter(kind__in=OrganisationKind.participants()),
            not_found=_("Участника системы с ИНН «%(value)s» нет: исполнителем может быть ОИВ, ОМСУ, РСО или "
                        "агентство."),
        ),
    )
    required_columns = ("Код", "Название", "Код подкатегории", "Тип обращения")

    class Meta:
        model = Fact
        fields = ("code", "name", "subcategory", "appeal_type", "default_executor", "order", "is_active", "is_demo")
        name = _("Факты обращений")
