"""The shared fixtures that take shortcuts for speed (tests/conftest.py) give what the slow way gives."""

from django.contrib.auth.models import Group

from core.roles import Role
from core.services.roles import roles_sync
from tests.conftest import roles_replay


def _grants(groups: dict[Role, Group]) -> dict[Role, list[tuple[str, str]]]:
    return {role: sorted(group.permissions.values_list("content_type__app_label", "codename"))
            for role, group in groups.items()}


def test_the_replayed_role_groups_are_exactly_what_roles_sync_makes(roles):
    Group.objects.all().delete()
    replayed = roles_replay()  # `roles` has recorded roles_sync()'s grants in this process
    assert replayed is not None and Group.objects.count() == len(Role)
    granted = _grants(replayed)
    assert sum(map(len, granted.values())) > 50
    synced = roles_sync()  # finds the groups already there and sets each one's permissions to ROLE_PERMISSIONS
    assert {role: group.pk for role, group in synced.items()} == {role: group.pk for role, group in replayed.items()}
    assert _grants(synced) == granted
