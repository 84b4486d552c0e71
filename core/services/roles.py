"""Groups and permissions of the roles (core.roles), and giving a person a role."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core.models import User
from core.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role
from core.selectors.visibility import user_roles

_DEFAULT_ACTIONS = {"view", "add", "change", "delete"}


def _permissions_for(role: Role) -> list[Permission]:
    wanted: list[Permission] = []
    for model_label, actions in ROLE_PERMISSIONS[role].items():
        app_label, model = model_label.split(".")
        try:
            ct = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            continue  # the app is not installed (yet); its permissions are granted once it is
        # view/add/change/delete are the model's default permissions; anything else is a custom codename
        codenames = [f"{action}_{model}" if action in _DEFAULT_ACTIONS else action for action in actions]
        wanted.extend(Permission.objects.filter(content_type=ct, codename__in=codenames))
    return wanted


@transaction.atomic
def roles_sync() -> dict[Role, Group]:
    """Create the role groups and set their permissions exactly to ROLE_PERMISSIONS. Idempotent."""
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set(_permissions_for(role))
        groups[role] = group
    return groups


@transaction.atomic
def user_set_roles(*, user: User, roles: set[Role]) -> User:
    """Give the user exactly these roles; staff roles open the manager cabinet, investors never get it."""
    groups = Group.objects.filter(name__in=[role.group_name for role in roles])
    user.groups.set(groups)
    is_staff = bool(set(roles) & STAFF_ROLES)
    if user.is_staff != is_staff:  # unchanged: no write (and no audit log lookup of the row)
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    user._role_cache = set(roles)
    return user


def user_refresh_staff_flag(*, user: User) -> User:
    """Derive `is_staff` from the user's roles after their groups were edited (e.g. in the cabinet)."""
    user._role_cache = None  # the groups have just changed
    is_staff = bool(user_roles(user) & STAFF_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return user
