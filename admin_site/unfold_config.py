"""The UNFOLD setting: branding and the sidebar (navigation as data lives in admin_site.navigation)."""

from django.utils.translation import gettext_lazy as _

UNFOLD = {
    "SITE_TITLE": _("Зелёный коридор"),
    "SITE_HEADER": _("Зелёный коридор"),
    "SITE_SUBHEADER": _("Кабинет менеджера"),
    "SITE_SYMBOL": "forest",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_LANGUAGES": False,
}
