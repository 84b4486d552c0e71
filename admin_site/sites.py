from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite


class CorridorAdminSite(UnfoldAdminSite):
    site_header = _("Зелёный коридор")
    site_title = _("Зелёный коридор — кабинет менеджера")
    index_title = _("Кабинет менеджера")
