from django.contrib import admin

from admin_site.admin.base import ReadOnlyModelAdmin
from core.models import PersonalDataConsent


@admin.register(PersonalDataConsent)
class PersonalDataConsentAdmin(ReadOnlyModelAdmin):
    """Evidence under 152-ФЗ: the exact text a person accepted, when and from where; never edited."""

    list_display = ("user", "version", "given_at", "ip_address")
    list_select_related = ("user",)
    list_filter = ("version",)
    search_fields = ("user__email", "user__last_name", "user__first_name", "ip_address")
    date_hierarchy = "given_at"
    fields = ("user", "version", "given_at", "ip_address", "user_agent", "text")
