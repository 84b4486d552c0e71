"""Reference tables of projects: industries, the stage checklist of support actions, the support measures
catalogue and the days each kind of participant has to answer a request. Administrators edit them; a row that
projects use cannot be deleted (PROTECT) — switch a measure off instead."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter
from unfold.decorators import display

from admin_site.admin.base import CorridorModelAdmin
from admin_site.admin.classifier import CodeOnceMixin
from core.models import ChecklistItem, Industry, RequestPeriod, SupportMeasure


@admin.register(Industry)
class IndustryAdmin(CodeOnceMixin, CorridorModelAdmin):
    list_display = ("name", "code", "order")
    list_display_links = ("name", "code")
    search_fields = ("code", "name")
    fields = ("code", "name", "order")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(CodeOnceMixin, CorridorModelAdmin):
    list_display = ("name", "stage", "order", "code")
    list_display_links = ("name",)
    list_filter = (("stage", ChoicesDropdownFilter),)
    search_fields = ("code", "name")
    fields = ("stage", "code", "name", "order")


@admin.register(SupportMeasure)
class SupportMeasureAdmin(CodeOnceMixin, CorridorModelAdmin):
    list_display = ("name", "code", "is_active")
    list_display_links = ("name",)
    list_filter = ("is_active",)
    search_fields = ("code", "name", "description")
    fields = ("code", "name", "description", "is_active")


@admin.register(RequestPeriod)
class RequestPeriodAdmin(CorridorModelAdmin):
    list_display = ("kind", "period")
    fields = ("kind", "days")

    @display(description=_("срок ответа"), ordering="days")
    def period(self, obj: RequestPeriod) -> str:
        return _("%(days)s дн.") % {"days": obj.days}
