"""«Зарегистрировать обращение»: an appeal that came by phone, e-mail, letter, visit, ПОС or at an event.

The form parses input only. Whether the company exists, the date is not in the future, a contact is reachable or
the project is the company's is decided by core (core.services.organisations, core.workflows.appeals), whose
Russian errors land on the fields of the same names."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminEmailInputWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
)

from admin_site.forms.common import (
    DoorErrorsMixin,
    MultipleFileField,
    datetime_input,
    participant_organisations,
    staff_users,
    text_field,
)
from admin_site.forms.people import head_field, manager_field
from core.choices import AppealChannel
from core.models import Fact, Organisation, Project, User
from core.selectors.classifier import facts_active
from core.selectors.visibility import projects_visible_to
from core.services.content_limits import DESCRIPTION_MAX
from core.services.organisations import NAME_NEEDED, investor_find_by_inn
from core.services.pos import POS_NUMBER_MAX, pos_number_clean
from core.validators import normalize_phone, validate_inn, validate_ogrn, validate_phone

RECEIVED_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y"]


def _text(label, *, help_text="", required=False, max_length=None, **attrs) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=max_length,
                           widget=UnfoldAdminTextInputWidget(attrs=attrs))


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.registry_number} {obj.name} — {obj.investor}"


class AppealRegisterForm(DoorErrorsMixin, forms.Form):
    required_css_class = "required"

    channel = forms.ChoiceField(
        label=_("Канал поступления"), widget=UnfoldAdminSelectWidget,
        choices=[("", "—"), *((value, AppealChannel(value).label) for value in AppealChannel.staff_registered())],
    )
    received_at = forms.DateTimeField(
        label=_("Поступило"), input_formats=RECEIVED_FORMATS, widget=datetime_input(),
        help_text=_("Дата и время по Москве, когда агентство получило обращение: срок ответа считается от этого дня."),
    )
    pos_number = _text(_("Номер сообщения в ПОС"), max_length=POS_NUMBER_MAX, autocomplete="off",
                       help_text=_("Только для сообщений платформы обратной связи: по номеру обращение найдут и "
                                   "не зарегистрируют второй раз."))

    organisation_inn = _text(_("ИНН компании"), required=True, max_length=12, inputmode="numeric",
                             help_text=_("Если компания уже есть в системе, она будет найдена по ИНН."))
    organisation_ogrn = _text(_("ОГРН"), max_length=15, inputmode="numeric",
                              help_text=_("Для новой компании, если известен."))
    organisation_name = _text(_("Название компании"), max_length=500,
                              help_text=_("Для новой компании. Доступа к порталу её сотрудникам это не даёт."))
    contact_name = _text(_("Контактное лицо"), max_length=300, autocomplete="off",
                         help_text=_("Фамилия, имя, отчество того, кто обратился."))
    contact_email = forms.EmailField(label=_("E-mail"), required=False, widget=UnfoldAdminEmailInputWidget)
    contact_phone = _text(_("Телефон"), max_length=32, inputmode="tel",
                          help_text=_("Нужен e-mail или телефон. Если у компании нет пользователей портала, письма "
                                      "об обращении придут на этот e-mail."))

    fact = forms.TypedChoiceField(label=_("Факт обращения"), coerce=int, widget=UnfoldAdminSelectWidget,
                                  help_text=_("Категория → подкатегория → факт; от типа обращения зависит срок."))
    project = ProjectChoiceField(
        label=_("Проект"), queryset=Project.objects.none(), required=False, empty_label=_("— без проекта —"),
        widget=UnfoldAdminSelectWidget, help_text=_("Проект этой компании, если обращение его касается."),
    )
    subject = _text(_("Тема обращения"), required=True, max_length=300)
    description = text_field(_("Описание"), rows=8, required=True, max_length=DESCRIPTION_MAX)
    files = MultipleFileField(label=_("Файлы"))

    accept_now = forms.BooleanField(
        label=_("Сразу принять в работу"), required=False, widget=UnfoldBooleanSwitchWidget,
        help_text=_("Без модерации: обращение сразу назначается исполнителю и менеджеру ниже."),
    )
    executor_organisation = forms.ModelChoiceField(
        label=_("Организация-исполнитель"), queryset=Organisation.objects.none(), required=False,
        widget=UnfoldAdminSelectWidget, help_text=_("Если пусто — исполнитель по умолчанию для выбранного факта."),
    )
    manager = manager_field()
    head = head_field()

    SECTIONS = (
        (_("Как поступило"), ("channel", "received_at", "pos_number")),
        (_("Инвестор и контактное лицо"), ("organisation_inn", "organisation_ogrn", "organisation_name",
                                           "contact_name", "contact_email", "contact_phone")),
        (_("Обращение"), ("fact", "project", "subject", "description", "files")),
        (_("Дальнейшая работа"), ("accept_now", "executor_organisation", "manager", "head")),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.facts: dict[int, Fact] = {fact.pk: fact for fact in facts_active()}  # one query, in tree order
        self.fields["received_at"].widget.attrs["max"] = f"{timezone.localtime():%Y-%m-%dT%H:%M}"
        self.fields["fact"].choices = [("", _("— выберите факт обращения —")), *self._grouped_facts()]
        self.fields["project"].queryset = (
            projects_visible_to(user).select_related("investor").order_by("investor__short_name", "registry_number")
        )
        self.fields["executor_organisation"].queryset = participant_organisations(user)
        self.fields["manager"].queryset = self.fields["head"].queryset = staff_users(user)

    def _grouped_facts(self) -> list:
        """Active facts grouped «Категория → Подкатегория»: chosen in one select, without JavaScript."""
        groups: dict[int, tuple[str, list]] = {}
        for fact in self.facts.values():
            subcategory = fact.subcategory
            title = f"{subcategory.category.name} → {subcategory.name}"
            groups.setdefault(subcategory.pk, (title, []))[1].append((fact.pk, f"{fact.name} ({fact.appeal_type})"))
        return list(groups.values())

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean_organisation_inn(self) -> str:
        value = self.cleaned_data["organisation_inn"].strip()
        validate_inn(value)
        return value

    def clean_organisation_ogrn(self) -> str:
        value = self.cleaned_data["organisation_ogrn"].strip()
        if value:
            validate_ogrn(value)
        return value

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"].strip()
        if value:
            validate_phone(value)
            return normalize_phone(value)
        return value

    def clean(self):
        """A new company's missing name is told together with the other errors, not after them."""
        data = super().clean()
        inn = data.get("organisation_inn")
        if inn and not data.get("organisation_name", "").strip() and investor_find_by_inn(inn) is None:
            self.add_error("organisation_name", NAME_NEEDED)
        return data

    def clean_pos_number(self) -> str:
        value = self.cleaned_data["pos_number"]
        if not value.strip():
            return ""
        try:
            return pos_number_clean(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_fact(self):
        return self.facts[self.cleaned_data["fact"]]

    def submit_data(self) -> dict:
        """appeal_submit's keyword arguments that come from the form (the company is found or created first)."""
        data = self.cleaned_data
        return {
            "channel": data["channel"], "received_at": data["received_at"], "fact": data["fact"],
            "subject": data["subject"], "description": data["description"], "files": data["files"],
            "project": data["project"], "contact_name": data["contact_name"].strip(),
            "contact_email": data["contact_email"], "contact_phone": data["contact_phone"],
            "pos_number": data["pos_number"],
        }

    def assign_data(self) -> dict | None:
        """appeal_transition("assign")'s data when «Сразу принять в работу» is on; the door checks it."""
        data = self.cleaned_data
        if not data["accept_now"]:
            return None
        organisation = data["executor_organisation"] or data["fact"].default_executor
        return {"executor_organisation": organisation, "manager": data["manager"], "head": data["head"]}
