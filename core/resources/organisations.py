"""Districts (by OKTMO code) and organisations (by ИНН) as xlsx/csv.

Re-importing the same file changes nothing; a file with one bad row writes nothing (AllOrNothingResource).
Import districts first, then organisations, then projects: each finds the previous by its natural key.
"""

import re

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from core.choices import DistrictKind, OrganisationKind
from core.models import District, Organisation, User
from core.resources.base import AllOrNothingResource, NaturalKeyRequiredMixin
from core.resources.widgets import (
    ChoiceWidget,
    NaturalKeyWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
    cell_text,
)

INN_LENGTHS, OKTMO_LENGTHS = (10, 12), (8, 11)


def digits_restored(value, lengths: tuple[int, ...]) -> str:
    """A code of digits (ИНН, ОКТМО) a spreadsheet stored as a number has lost its leading zeros (Buryatia's ИНН
    start with 03, Primorye's OKTMO with 05): put them back when the length shows they are missing."""
    text = cell_text(value)
    digits = re.sub(r"\s", "", text)
    if not digits.isdigit():
        return text  # not a code: a district's name, or a typo reported as it was written
    if not isinstance(value, str):
        digits = next((digits.zfill(n) for n in sorted(lengths) if len(digits) <= n), digits)
    return digits


class DigitsWidget(TextWidget):
    """A code of digits of one of the given lengths."""

    def __init__(self, *, lengths: tuple[int, ...], message: str) -> None:
        super().__init__()
        self.lengths, self.message = lengths, message

    def clean(self, value, row=None, **kwargs) -> str:
        text = digits_restored(value, self.lengths)
        if text and not (text.isascii() and text.isdigit() and len(text) in self.lengths):
            raise ValueError(str(self.message) % {"value": cell_text(value)})
        return text


class DigitsKeyWidget(NaturalKeyWidget):
    """A related row by a code of digits (an investor by ИНН, a district by OKTMO code)."""

    def __init__(self, *args, lengths: tuple[int, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lengths = lengths

    def clean(self, value, row=None, **kwargs):
        return super().clean(digits_restored(value, self.lengths), row, **kwargs)


# What people write in the «Вид» column besides the full labels; exported as the full label.
KIND_ABBREVIATIONS = [
    (OrganisationKind.OIV, "ОИВ"), (OrganisationKind.OMSU, "ОМСУ"), (OrganisationKind.RSO, "РСО"),
]


def staff_by_email(not_found: str) -> NaturalKeyWidget:
    """An agency or participant employee by email (managers, commissioners, directors)."""
    return NaturalKeyWidget(
        User, "email", lookups=("email__iexact",), queryset=User.objects.filter(is_staff=True), not_found=not_found
    )


def district_by_code() -> NaturalKeyWidget:
    return DigitsKeyWidget(
        District, "code", lookups=("code", "name__iexact"), lengths=OKTMO_LENGTHS,
        not_found=_("Района с кодом ОКТМО «%(value)s» нет в справочнике: сначала загрузите районы."),
    )


class DistrictResource(NaturalKeyRequiredMixin, AllOrNothingResource):
    code = Field(
        "code", "Код ОКТМО",
        DigitsWidget(lengths=OKTMO_LENGTHS, message=_("Код ОКТМО — 8 или 11 цифр, а не «%(value)s».")),
    )
    name = Field("name", "Название", TextWidget())
    kind = Field(
        "kind", "Вид",
        ChoiceWidget(DistrictKind.choices, unknown=_("Вида «%(value)s» нет: муниципальный район, муниципальный "
                                                     "округ или городской округ.")),
        default=DistrictKind.MUNICIPAL_DISTRICT,
    )
    centre = Field("centre", "Административный центр", TextWidget())
    order = Field("order", "Порядок", WholeNumberWidget(), default=0)
    is_active = Field("is_active", "Действует", YesNoWidget(), default=True)
    required_columns = ("Код ОКТМО", "Название")
    natural_key_required = {"Код ОКТМО": _("Укажите код ОКТМО района.")}
    column_aliases = {"ОКТМО": "Код ОКТМО", "Код": "Код ОКТМО", "Район": "Название", "Центр": "Административный центр"}

    class Meta:
        model = District
        name = _("Районы")
        fields = ("code", "name", "kind", "centre", "order", "is_active")
        import_id_fields = ("code",)


class OrganisationResource(NaturalKeyRequiredMixin, AllOrNothingResource):
    inn = Field(
        "inn", "ИНН",
        DigitsWidget(lengths=INN_LENGTHS, message=_("ИНН — 10 цифр (организация) или 12 (ИП), а не «%(value)s».")),
    )
    kind = Field(
        "kind", "Вид",
        ChoiceWidget([*KIND_ABBREVIATIONS, *OrganisationKind.choices],
                     unknown=_("Вида организации «%(value)s» нет: напишите его как в справочнике организаций.")),
    )
    short_name = Field("short_name", "Краткое наименование", TextWidget())
    full_name = Field("full_name", "Полное наименование", TextWidget())
    kpp = Field("kpp", "КПП", TextWidget())
    ogrn = Field("ogrn", "ОГРН", TextWidget())
    district = Field("district", "Код ОКТМО района", district_by_code())
    email = Field("email", "Электронная почта", TextWidget())
    phone = Field("phone", "Телефон", TextWidget())
    website = Field("website", "Сайт", TextWidget())
    address = Field("address", "Адрес", TextWidget())
    personal_manager = Field(
        "personal_manager", "Почта персонального менеджера",
        staff_by_email(_("Сотрудника с почтой «%(value)s» нет в системе.")),
    )
    district_commissioner = Field(
        "district_commissioner", "Почта уполномоченного района",
        staff_by_email(_("Сотрудника с почтой «%(value)s» нет в системе.")),
    )
    is_active = Field("is_active", "Действует", YesNoWidget(), default=True)
    required_columns = ("ИНН", "Вид", "Краткое наименование", "Полное наименование")
    natural_key_required = {"ИНН": _("Укажите ИНН: по нему организация находится при повторной загрузке.")}
    column_aliases = {
        "inn": "ИНН", "Наименование": "Краткое наименование", "Район": "Код ОКТМО района",
        "ОКТМО": "Код ОКТМО района", "email": "Электронная почта", "Почта": "Электронная почта",
    }

    class Meta:
        model = Organisation
        name = _("Организации")
        fields = (
            "inn", "kind", "short_name", "full_name", "kpp", "ogrn", "district", "email", "phone", "website",
            "address", "personal_manager", "district_commissioner", "is_active",
        )
        import_id_fields = ("inn",)

    def iter_queryset(self, queryset):
        if isinstance(queryset, QuerySet):
            queryset = queryset.select_related("district", "personal_manager", "district_commissioner")
        return super().iter_queryset(queryset)
