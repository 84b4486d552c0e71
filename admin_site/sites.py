from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite

from core.selectors.visibility import is_staff_member


class CorridorAdminSite(UnfoldAdminSite):
    site_header = _("Зелёный коридор")
    site_title = _("Зелёный коридор — кабинет менеджера")
    index_title = _("Кабинет менеджера")

    def has_permission(self, request: HttpRequest) -> bool:
        """The cabinet opens to staff with a staff role (core decides who that is), never to investors."""
        return is_staff_member(request.user)
