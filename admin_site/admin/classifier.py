"""The МОС classifier (category → subcategory → fact), the appeal types with their response periods and the
production calendar's exceptions. Data clerks import and export the classifier as xlsx/csv.

A category, subcategory or fact that appeals use cannot be deleted (PROTECT): Django's delete page then lists
what holds it, in Russian, instead of deleting anything; switch «действует» off instead.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from admin_site.admin.base import CorridorModelAdmin
from admin_site.admin.imports import FileImportExportMixin
from core.choices import DayKind
from core.models import AppealType, CalendarOverride, Category, Fact, Subcategory
from core.resources.classifier import CategoryResource, FactResource, SubcategoryResource

NODE_FILTERS = ("is_active", "is_demo")


class CodeOnceMixin:
    """The code is the natural key other files refer to: typed when the row is added, then kept."""

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "code") if obj is not None else fields


@admin.register(AppealType)
class AppealTypeAdmin(CodeOnceMixin, CorridorModelAdmin):
    list_display = ("name", "code", "period", "day_kind", "move_to_working_day", "is_active")
    list_filter = ("day_kind", "is_active")
    search_fields = ("code", "name")
    fields = ("code", "name", "period_days", "day_kind", "move_to_working_day", "order", "is_active")

    @display(description=_("срок ответа"), ordering="period_days")
    def period(self, obj: AppealType) -> str:
        unit = _("раб. дн.") if obj.day_kind == DayKind.WORKING else _("дн.")
        return f"{obj.period_days} {unit}"


@admin.register(Category)
class CategoryAdmin(CodeOnceMixin, FileImportExportMixin, CorridorModelAdmin):
    resource_classes = [CategoryResource]
    list_display = ("code", "name", "short_name", "order", "is_active", "is_demo")
    list_display_links = ("code", "name")
    list_filter = NODE_FILTERS
    search_fields = ("code", "name", "short_name")
    fields = ("code", "name", "short_name", "order", "is_active", "is_demo")


@admin.register(Subcategory)
class SubcategoryAdmin(CodeOnceMixin, FileImportExportMixin, CorridorModelAdmin):
    resource_classes = [SubcategoryResource]
    list_display = ("code", "name", "category", "order", "is_active", "is_demo")
    list_display_links = ("code", "name")
    list_select_related = ("category",)
    list_filter = ("category", *NODE_FILTERS)
    search_fields = ("code", "name")
    autocomplete_fields = ("category",)
    fields = ("code", "name", "category", "order", "is_active", "is_demo")


@admin.register(Fact)
class FactAdmin(CodeOnceMixin, FileImportExportMixin, CorridorModelAdmin):
    resource_classes = [FactResource]
    list_display = ("code", "name", "path", "appeal_type", "default_executor", "is_active", "is_demo")
    list_display_links = ("code", "name")
    list_select_related = ("subcategory__category", "appeal_type", "default_executor")
    list_filter = ("appeal_type", "subcategory__category", *NODE_FILTERS)
    search_fields = ("code", "name")
    autocomplete_fields = ("subcategory", "appeal_type", "default_executor")
    fields = ("code", "name", "subcategory", "appeal_type", "default_executor", "order", "is_active", "is_demo")

    @display(description=_("категория → подкатегория"), ordering="subcategory__category__order")
    def path(self, obj: Fact) -> str:
        return f"{obj.subcategory.category} → {obj.subcategory}"


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CorridorModelAdmin):
    list_display = ("date", "kind", "comment")
    list_filter = ("kind",)
    search_fields = ("comment",)
    date_hierarchy = "date"
    fields = ("date", "kind", "comment")
