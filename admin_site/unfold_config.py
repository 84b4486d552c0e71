"""The UNFOLD setting: the cabinet's branding, login page and sidebar.

Settings import this module, so it names the cabinet's callables by dotted path instead of importing them
(they need the app registry, which is not ready while settings load).
"""

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.region import current_region


def environment_badge(request: HttpRequest) -> list[str] | None:
    """A badge in the header, so nobody mistakes a developer's copy for the production cabinet."""
    return [_("Разработка"), "warning"] if settings.DEBUG else None


def region_subheader(request: HttpRequest) -> str:
    """Under «Зелёный коридор» in the sidebar's header: the region this installation serves (its pack's name)."""
    return current_region().name


UNFOLD = {
    "SITE_TITLE": _("Зелёный коридор"),
    "SITE_HEADER": _("Зелёный коридор"),
    "SITE_SUBHEADER": region_subheader,
    "SITE_SYMBOL": "forest",
    "SITE_URL": reverse_lazy("portal:landing"),
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_LANGUAGES": False,
    "ENVIRONMENT": "admin_site.unfold_config.environment_badge",
    "DASHBOARD_CALLBACK": "admin_site.dashboard.dashboard_callback",
    # the notices bell in the header (templates/unfold/helpers/userlinks.html): its count, lazily, once a page
    "GLOBAL_CALLBACK": "admin_site.views.notifications.header_context",
    "LOGIN": {"image": lambda request: static("admin_site/login.svg")},
    "SITE_FAVICONS": [{"rel": "icon", "type": "image/svg+xml", "href": lambda request: static("portal/favicon.svg")}],
    "STYLES": [lambda request: static("admin_site/cabinet.css")],
    # typed text is not lost by closing a dialog or leaving the page (static/forms/keep-typed.js)
    "SCRIPTS": [lambda request: static("forms/keep-typed.js")],
    "COLORS": {
        # Tailwind's green, the colour of the «green corridor», with 600–900 darkened along the same hue: unfold
        # writes text and white-on-green buttons in 600, and Tailwind's #00a63e reads at 3.2:1 on white (2.9:1
        # on the active sidebar item). 600 = #007d2f: 5.3:1 on white, 4.8:1 on base-100 (docs/accessibility.md).
        "primary": {
            "50": "oklch(98.2% .018 155.826)",
            "100": "oklch(96.2% .044 156.743)",
            "200": "oklch(92.5% .084 155.995)",
            "300": "oklch(87.1% .15 154.449)",
            "400": "oklch(79.2% .209 151.711)",
            "500": "oklch(72.3% .219 149.579)",
            "600": "oklch(51% .155 149.5)",
            "700": "oklch(45.5% .135 150.5)",
            "800": "oklch(40.5% .115 151.5)",
            "900": "oklch(36% .092 152.5)",
            "950": "oklch(26.6% .065 152.934)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "admin_site.navigation.sidebar_navigation",
    },
}
