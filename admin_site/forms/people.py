"""Searchable person pickers of the appeal dialogs: the select2 that Django's admin ships, in unfold's look.

A picker with a `url` asks the cabinet (admin_site.views.appeal_people) for the people who fit as one types, sending
the organisation chosen in the same form, so the page holds only the chosen person; a picker without one searches
its own options. static/admin_site/people-select.js starts them, also inside unfold's modal, where the card's
buttons load the dialogs. The lists only help: the door refuses a person who does not fit, whatever is posted.
"""

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.http_guard import BIGINT, bound_formfield, parse_int
from core.models import User


def person_label(person: User, *, organisation: bool = True) -> str:
    """«Кузнецова Ольга Игоревна, менеджер по сопровождению (Агентство)»: whom one picks, told apart by their job."""
    label = person.full_name or person.email
    if person.position:
        label = f"{label}, {person.position[:1].lower()}{person.position[1:]}"
    if organisation and person.organisation_id:
        label = f"{label} ({person.organisation})"
    return label


class PersonSelect(forms.Select):
    """A searchable select of people; with `url`, only the chosen person is on the page and the rest come from it."""

    def __init__(self, *, url=None, organisation_field: str = "", attrs: dict | None = None):
        attrs = {
            "class": "zk-person-select",
            "data-theme": "admin-autocomplete",
            "data-placeholder": _("Начните вводить фамилию"),
            "data-nobody": _("Никто не подходит"),
            **(attrs or {}),
        }
        if url is not None:  # a lazy address: reversed when the page is drawn, not when this module loads
            attrs["data-url"] = url
        if organisation_field:
            attrs["data-organisation-field"] = organisation_field
            attrs["data-need-organisation"] = _("Сначала выберите организацию")
        super().__init__(attrs=attrs)

    def optgroups(self, name, value, attrs=None):
        if "data-url" not in self.attrs:
            return super().optgroups(name, value, attrs)
        chosen = [number for number in (parse_int(str(v), minimum=1, maximum=BIGINT) for v in value) if number]
        people = self.choices.queryset.filter(pk__in=chosen) if chosen else []
        options = [self.create_option(name, person.pk, self.choices.field.label_from_instance(person), True, index)
                   for index, person in enumerate(people)]
        return [(None, [self.create_option(name, "", "", not options, 0), *options], 0)]

    @property
    def media(self) -> forms.Media:
        extra = "" if settings.DEBUG else ".min"
        return forms.Media(
            js=(f"admin/js/vendor/jquery/jquery{extra}.js", f"admin/js/vendor/select2/select2.full{extra}.js",
                "admin/js/vendor/select2/i18n/ru.js", "admin/js/jquery.init.js", "admin_site/people-select.js"),
            css={"screen": ("admin/css/vendor/select2/select2.css", "admin/css/autocomplete.css")},
        )


def manager_picker(*, organisation: int | None = None) -> PersonSelect:
    """Who may answer for an appeal of one organisation: the one chosen in the form's «executor_organisation»,
    or the given one (the executor organisation of the appeal, when its head appoints the responsible person)."""
    if organisation is None:
        return PersonSelect(url=reverse_lazy("admin:core_appeal_people"), organisation_field="executor_organisation")
    return PersonSelect(url=reverse_lazy("admin:core_appeal_people"), attrs={"data-organisation": organisation})


def head_picker() -> PersonSelect:
    """Who may approve the answers: heads of the participant organisations and the director."""
    return PersonSelect(url=reverse_lazy("admin:core_appeal_people"), attrs={"data-role": "head"})


class PersonChoiceField(forms.ModelChoiceField):
    """One person; the label says their job, and their organisation unless the picker is for one organisation."""

    def __init__(self, *, with_organisation: bool = True, **kwargs):
        self.with_organisation = with_organisation
        super().__init__(**kwargs)
        bound_formfield(self)  # an id its column cannot hold is a form error (core/http_guard.py)

    def label_from_instance(self, obj: User) -> str:
        return person_label(obj, organisation=self.with_organisation)


def manager_field() -> PersonChoiceField:
    """The appeal's manager, among the people of the organisation chosen in the same form who may answer."""
    return PersonChoiceField(
        label=_("Менеджер"), queryset=User.objects.none(), required=False, widget=manager_picker(),
        with_organisation=False,
        help_text=_("Сотрудник организации-исполнителя, который готовит ответ: менеджер, исполнитель или "
                    "руководитель."),
    )


def head_field() -> PersonChoiceField:
    """The appeal's head, who approves its answers."""
    return PersonChoiceField(
        label=_("Руководитель"), queryset=User.objects.none(), required=False, widget=head_picker(),
        help_text=_("Согласует ответ. Если не выбран — руководитель организации-исполнителя."),
    )
