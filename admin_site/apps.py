from django.contrib.admin.apps import AdminConfig


class CorridorAdminConfig(AdminConfig):
    """Installs the unfold-based manager cabinet as Django's default admin site.

    This config stands in for django.contrib.admin (its label stays "admin", so the admin's templates and
    static files are found), which is why Django's autodiscovery does not see admin_site.admin by itself.
    """

    default_site = "admin_site.sites.CorridorAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscover: auth, django-q2, auditlog and axes register their admins
        import admin_site.admin  # noqa: F401  (the cabinet's admins, replacing some of those)
