"""The shared fixtures that take shortcuts for speed (tests/conftest.py) give what the slow way gives."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
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
    from auditlog.models import LogEntry

    for entry in LogEntry.objects.filter(content_type__model="fact"):  # each entry names its new row and links
        fact = Fact.objects.get(pk=entry.object_id)
        assert (entry.object_pk, entry.changes["id"][1], entry.changes["subcategory"][1]) == (
            str(fact.pk), str(fact.pk), str(fact.subcategory_id))
    fact = Fact.objects.get(code="06.01.002")  # the foreign keys point at the new rows
    assert fact.subcategory.category.subcategories.filter(pk=fact.subcategory_id).exists()


def _collected(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`pytest --collect-only -q` in a subprocess on the SQLite settings, with env added."""
    clean = {key: value for key, value in os.environ.items()
             if key not in ("DATABASE_URL", "SKIP_E2E", "SKIP_DB_INDEPENDENT", "REQUIRE_POSTGRES")
             and not key.startswith("PYTEST_XDIST")}
    return subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
                          cwd=settings.BASE_DIR, env={**clean, **env}, capture_output=True, text=True, timeout=300,
                          check=False)


def test_ci_runs_every_browser_journey_in_the_postgresql_pass_and_nothing_else_is_left_out():
    """CI's SQLite pass sets SKIP_E2E=1 (.ci/run): it must leave out exactly the tests that open the browser — every
    one of tests/e2e/, marked or not in its file — and SKIP_E2E=1 on PostgreSQL, where they must run, is refused."""
    every = _collected("-m", "e2e", "tests/e2e/")  # a test of tests/e2e/ without the mark would be deselected
    assert every.returncode == 0 and "deselected" not in every.stdout, every.stdout
    journeys = [line for line in every.stdout.splitlines() if line.startswith("tests/e2e/")]
    assert len({line.split("::")[0] for line in journeys}) == len(list(Path(settings.BASE_DIR, "tests/e2e")
                                                                       .glob("test_*.py")))
    sqlite_pass = _collected("tests/e2e/", "tests/test_fixtures.py", SKIP_E2E="1")
    kept = [line for line in sqlite_pass.stdout.splitlines() if line.startswith("tests/")]
    assert kept and not any(line.startswith("tests/e2e/") for line in kept), sqlite_pass.stdout
    assert f"в этом прогоне не было — {len(journeys)};" in sqlite_pass.stdout
    refused = _collected("tests/test_fixtures.py", SKIP_E2E="1",
                         DATABASE_URL="postgres://postgres@127.0.0.1:5432/zk_unused")
    assert refused.returncode != 0 and "SKIP_E2E=1" in refused.stdout + refused.stderr


def test_ci_runs_the_tests_without_a_database_in_the_postgresql_pass_only():
    """CI's SQLite pass sets SKIP_DB_INDEPENDENT=1 (.ci/run): it leaves out exactly the tests marked db_independent
    (and says where they run); SKIP_DB_INDEPENDENT=1 on PostgreSQL, which runs them, is refused."""
    marked = _collected("-m", "db_independent", "tests/core/test_validators.py", "tests/test_fixtures.py")
    independent = {line for line in marked.stdout.splitlines() if line.startswith("tests/")}
    deselected = re.search(r"^(\d+)/(\d+) tests collected \((\d+) deselected\)", marked.stdout, re.MULTILINE)
    assert independent and deselected and int(deselected[3]) > 0, marked.stdout  # some of them use the database
    sqlite_pass = _collected("tests/core/test_validators.py", "tests/test_fixtures.py", SKIP_DB_INDEPENDENT="1")
    kept = {line for line in sqlite_pass.stdout.splitlines() if line.startswith("tests/")}
    assert kept and not kept & independent, sqlite_pass.stdout
    assert f"в этом прогоне не было — {len(independent)}; они проходят в прогоне на PostgreSQL." in sqlite_pass.stdout
    refused = _collected("tests/core/test_validators.py", SKIP_DB_INDEPENDENT="1",
                         DATABASE_URL="postgres://postgres@127.0.0.1:5432/zk_unused")
    assert refused.returncode != 0 and "SKIP_DB_INDEPENDENT=1" in refused.stdout + refused.stderr
