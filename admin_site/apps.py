from django.contrib.admin.apps import AdminConfig


class CorridorAdminConfig(AdminConfig):
    """Installs the unfold-based manager cabinet as Django's default admin site."""

    default_site = "admin_site.sites.CorridorAdminSite"
