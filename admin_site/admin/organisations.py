from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from admin_site.admin.base import CorridorModelAdmin
from admin_site.admin.project_imports import DistrictImportExportMixin, OrganisationImportExportMixin
from core.choices import OrganisationKind
from core.filters.organisations import SEARCH_FIELDS, organisation_search_q
from core.models import District, Organisation
from core.selectors.visibility import organisations_visible_to


@admin.register(Organisation)
class OrganisationAdmin(OrganisationImportExportMixin, CorridorModelAdmin):
    visible_to = staticmethod(organisations_visible_to)
    list_display = ("short_name", "kind_badge", "inn", "ogrn", "district", "is_active")
    list_select_related = ("district",)
    list_filter = ("kind", "district", "is_active", "approves_own_answers")
    search_fields = SEARCH_FIELDS
    autocomplete_fields = ("district", "personal_manager", "district_commissioner")
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("kind", "short_name", "full_name", "is_active")}),
        (_("Реквизиты"), {"fields": ("inn", "kpp", "ogrn")}),
        (_("Адрес и контакты"), {"fields": ("district", "address", "email", "phone", "website")}),
        (_("Сопровождение"), {"fields": ("personal_manager", "district_commissioner")}),
        (_("Обращения"), {
            "fields": ("approves_own_answers",),
            "description": _("Для ОИВ, ОМСУ и других участников: кто согласует ответы, которые готовят их "
                             "сотрудники."),
        }),
        (_("Даты"), {"fields": ("created_at",)}),
    )

    def get_search_results(self, request, queryset, search_term):
        """The words in the names and requisites, or the full-text search's hits (core.filters.organisations): the
        same organisations the header's search counts. The pickers that search organisations ask this too."""
        if not search_term.strip():
            return queryset, False
        return queryset.filter(organisation_search_q(search_term, user=request.user)), False

    def get_fieldsets(self, request, obj=None):
        """Only participants (ОИВ, ОМСУ, …) prepare answers of their own: the agency and investors lack the switch."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and (obj.kind not in OrganisationKind.participants() or obj.kind == OrganisationKind.AGENCY):
            return [fieldset for fieldset in fieldsets if "approves_own_answers" not in fieldset[1]["fields"]]
        return fieldsets

    @display(description=_("вид"), ordering="kind", label=OrganisationKind.colours())
    def kind_badge(self, obj: Organisation) -> tuple[str, str]:
        return obj.kind, obj.get_kind_display()


@admin.register(District)
class DistrictAdmin(DistrictImportExportMixin, CorridorModelAdmin):
    list_display = ("name", "kind", "code", "centre", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "centre")
    fields = ("name", "kind", "code", "centre", "order", "is_active")
