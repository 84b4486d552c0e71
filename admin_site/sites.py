from functools import partial

from django.http import HttpRequest
from django.urls import path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite

from admin_site.navigation import account_links, sidebar_list
from admin_site.views.calendar import my_calendar, my_calendar_reset
from admin_site.views.exports import export_job_download, export_job_view
from admin_site.views.notifications import notification_list, notification_preferences
from admin_site.views.otp import (
    otp_required,
    recovery_codes_download,
    recovery_codes_view,
    settings_view,
    setup_view,
    verify_view,
)
from admin_site.views.personal_data import subject_access_download
from admin_site.views.reports import report_index, report_page
from admin_site.views.search import search_page
from core.selectors.visibility import is_staff_member


class CorridorAdminSite(UnfoldAdminSite):
    site_header = _("Зелёный коридор")
    site_title = _("Зелёный коридор — кабинет менеджера")
    index_title = _("Кабинет менеджера")
    empty_value_display = "—"  # an empty cell or field, as the cabinet's own pages and documents write it (not «-»)

    def has_permission(self, request: HttpRequest) -> bool:
        """The cabinet opens to staff with a staff role (core decides who that is), never to investors."""
        return is_staff_member(request.user)

    def admin_view(self, view, cacheable=False, *, otp=True):
        """Every cabinet view, the site's and each model admin's, also asks for the second factor (OTP_REQUIRED);
        `otp=False` only for the pages that let a person pass it, and for logging out."""
        if otp and view not in (self.logout, self.i18n_javascript):
            view = otp_required(view)
        return super().admin_view(view, cacheable)

    def get_app_list(self, request: HttpRequest, app_label=None):
        """Django's list of every registered model the person may open, built when a page first reads it. Every
        page's context carries it (`available_apps`), but the cabinet's sidebar is its own (admin_site.navigation),
        so most pages never read it — and building it asks four permissions and reverses two links per model."""
        return SimpleLazyObject(partial(super().get_app_list, request, app_label))

    def get_sidebar_list(self, request: HttpRequest) -> list[dict]:
        """unfold's list of UNFOLD["SIDEBAR"]["navigation"] (admin_site.navigation), made without its deep copy and
        its reverse() per item; tests/admin_site/test_navigation.py compares the two."""
        return sidebar_list(request)

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        context["account_links"] = [*context["account_links"], *account_links(request)]
        return context

    def get_urls(self):
        return [
            path("otp/", self.admin_view(partial(settings_view, site=self)), name="otp"),
            path("otp/setup/", self.admin_view(partial(setup_view, site=self), otp=False), name="otp_setup"),
            path("otp/verify/", self.admin_view(partial(verify_view, site=self), otp=False), name="otp_verify"),
            path("otp/recovery-codes/", self.admin_view(partial(recovery_codes_view, site=self)),
                 name="otp_recovery_codes"),
            path("otp/recovery-codes/download/", self.admin_view(partial(recovery_codes_download, site=self)),
                 name="otp_recovery_codes_download"),
            path("my-calendar/", self.admin_view(partial(my_calendar, site=self)), name="my_calendar"),
            path("my-calendar/reset/", self.admin_view(partial(my_calendar_reset, site=self)),
                 name="my_calendar_reset"),
            path("notifications/", self.admin_view(partial(notification_list, site=self)), name="notifications"),
            path("notifications/preferences/", self.admin_view(partial(notification_preferences, site=self)),
                 name="notification_preferences"),
            path("exports/<uuid:uid>/", self.admin_view(partial(export_job_view, site=self)), name="export_job"),
            path("exports/<uuid:uid>/download/", self.admin_view(partial(export_job_download, site=self)),
                 name="export_job_download"),
            path("personal-data/<int:user_id>/export/", self.admin_view(subject_access_download),
                 name="subject_access_export"),
            path("search/", self.admin_view(partial(search_page, site=self)), name="search"),
            path("reports/", self.admin_view(partial(report_index, site=self)), name="reports"),
            path("reports/<slug:slug>/", self.admin_view(partial(report_page, site=self)), name="report"),
            *super().get_urls(),
        ]
