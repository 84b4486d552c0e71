from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from admin_site.admin.base import ReadOnlyModelAdmin
from core.models import PersonalDataConsent


class WithdrawnFilter(admin.SimpleListFilter):
    title = _("отзыв согласия")
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return (("no", _("Действует")), ("yes", _("Отозвано")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(withdrawn_at__isnull=self.value() == "no")
        return queryset


@admin.register(PersonalDataConsent)
class PersonalDataConsentAdmin(ReadOnlyModelAdmin):
    """Evidence under 152-ФЗ: the exact text a person accepted, when and from where; never edited."""

    list_display = ("user", "version", "given_at", "withdrawn_at", "ip_address")
    list_select_related = ("user",)
    list_filter = ("version", WithdrawnFilter)
    search_fields = ("user__email", "user__last_name", "user__first_name", "ip_address")
    date_hierarchy = "given_at"
    fields = ("user", "version", "given_at", "withdrawn_at", "ip_address", "user_agent", "text")
