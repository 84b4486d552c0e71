"""Who may open the reports, and whom a report built without a person (cron) is built as.

What each person sees inside a report is the build function's business (core.reports, through
core.selectors.visibility); this module only decides whether the reports open at all.
"""

from core.models import User
from core.roles import Role
from core.selectors.visibility import is_staff_member, user_roles

# Roles that work with appeals and projects; data clerks and administrators keep the data, not the figures.
REPORT_ROLES = frozenset({
    Role.DIRECTOR, Role.HEAD, Role.COORDINATOR, Role.MANAGER, Role.COMMISSIONER, Role.EXECUTOR,
})


def reports_available_to(user: User) -> bool:
    if not is_staff_member(user):
        return False
    return user.is_superuser or bool(user_roles(user) & REPORT_ROLES)


def report_default_user() -> User | None:
    """Whom `manage.py report` builds as when no one is named: the first active director, else a superuser."""
    active = User.objects.filter(is_active=True).order_by("pk")
    director = active.filter(is_staff=True, groups__name=Role.DIRECTOR.group_name).first()
    return director or active.filter(is_superuser=True).first()
