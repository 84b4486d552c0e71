"""The shared fixtures that take shortcuts for speed (tests/conftest.py) give what the slow way gives."""

from django.contrib.auth.models import Group

from core.roles import Role
from core.services.roles import roles_sync
from tests.conftest import role_groups, roles_replay


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


def test_role_groups_puts_back_a_grant_taken_from_a_role_as_roles_sync_does(roles):
    manager = roles[Role.MANAGER]
    taken = manager.permissions.order_by("pk").first()
    manager.permissions.remove(taken)
    assert role_groups()[Role.MANAGER] == manager
    assert manager.permissions.filter(pk=taken.pk).exists()


def _classifier_snapshot() -> tuple[list, list]:
    """Every classifier row by its codes, and every audit log entry in order, without the ids that differ."""
    from auditlog.models import LogEntry

    from core.models import AppealType, Fact

    rows = sorted(Fact.objects.values_list(
        "code", "name", "order", "is_active", "is_demo", "subcategory__code", "subcategory__name",
        "subcategory__order", "subcategory__category__code", "subcategory__category__name",
        "subcategory__category__short_name", "appeal_type__code", "default_executor"))
    rows += sorted(AppealType.objects.values_list("code", "name", "period_days", "day_kind", "order", "is_active"))
    entries = [(entry.content_type.model, entry.action, entry.object_repr,
                {key: change for key, change in entry.changes.items() if key not in {"id", "subcategory", "appeal_type",
                                                                                     "category"}})
               for entry in LogEntry.objects.order_by("pk")]
    return rows, entries


def _classifier_wipe() -> None:
    from auditlog.models import LogEntry

    from core.models import AppealType, Category, Fact, Subcategory

    for model in (Fact, Subcategory, Category, AppealType):
        model.objects.all().delete()
    LogEntry.objects.all().delete()


def test_the_replayed_classifier_is_exactly_what_the_loaders_make(classifier):
    from core.models import Fact
    from core.services.reference import appeal_types_load, classifier_load
    from tests.conftest import _CLASSIFIER_ROWS, classifier_replay

    assert _CLASSIFIER_ROWS  # `classifier` has recorded the first load in this process
    _classifier_wipe()
    appeal_types_load()
    classifier_load()
    loaded = _classifier_snapshot()
    assert len(loaded[0]) > 10 and len(loaded[1]) == len(_CLASSIFIER_ROWS)
    _classifier_wipe()
    classifier_replay()
    assert _classifier_snapshot() == loaded
    fact = Fact.objects.get(code="06.01.002")  # the foreign keys point at the new rows
    assert fact.subcategory.category.subcategories.filter(pk=fact.subcategory_id).exists()
