"""Ready users for every role (STYLE.md: tests use these instead of building their own)."""

from contextlib import contextmanager

import pytest
from auditlog.context import disable_auditlog
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction

from core.choices import OrganisationKind
from core.roles import Role
from core.services.roles import roles_sync, user_set_roles
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory


def _flush_by_delete() -> None:
    """A transactional test (the browser journeys, the concurrency tests) ends with Django's flush, which on
    PostgreSQL is one TRUNCATE of every table: ~0.5 s here, since PostgreSQL gives each table and index a new file.
    The test database holds a few hundred or thousand rows by then, so DELETE empties it in ~10 ms. Django makes
    every foreign key DEFERRABLE INITIALLY DEFERRED and runs the flush in one transaction, so the order of the
    tables does not matter. Sequences are not reset either way (pytest-django flushes with reset_sequences=False);
    a flush that asks for it keeps the TRUNCATE. Production code never flushes."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


_flush_by_delete()

# What roles_sync() gave each role the first time in this process: (app_label, model, codename) of its permissions.
_ROLE_GRANTS: dict[Role, list[tuple[str, str, str]]] = {}


@pytest.fixture
def roles(db):
    return role_groups()


def role_groups() -> dict[Role, Group]:
    """What roles_sync() gives. It costs some 150 queries and nearly every test needs it, so it runs once per
    process: later, groups that already have exactly its grants are left as they are, and a database without the
    groups gets them written back in three queries (roles_replay)."""
    if _ROLE_GRANTS:
        groups = {group.name: group for group in Group.objects.filter(name__in=[role.group_name for role in Role])}
        if not groups and (replayed := roles_replay()) is not None:
            return replayed
        granted = set(Group.permissions.through.objects.filter(group__in=groups.values()).values_list(
            "group__name", "permission__content_type__app_label", "permission__content_type__model",
            "permission__codename"))
        if len(groups) == len(Role) and granted == {
                (role.group_name, *grant) for role, grants in _ROLE_GRANTS.items() for grant in grants}:
            return {role: groups[role.group_name] for role in Role}
    groups = roles_sync()
    _ROLE_GRANTS.update({role: list(group.permissions.values_list(
        "content_type__app_label", "content_type__model", "codename")) for role, group in groups.items()})
    return groups


def roles_replay() -> dict[Role, Group] | None:
    """The groups and grants roles_sync() gave in this process, written anew; None if a permission is missing."""
    permission_ids = {(app, model, codename): pk for pk, app, model, codename in Permission.objects.values_list(
        "pk", "content_type__app_label", "content_type__model", "codename")}
    if not all(grant in permission_ids for grants in _ROLE_GRANTS.values() for grant in grants):
        return None
    groups = dict(zip(Role, Group.objects.bulk_create([Group(name=role.group_name) for role in Role]), strict=True))
    through = Group.permissions.through._meta
    with connection.cursor() as cursor:  # some 270 rows: one statement, no model instance per row
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(through.db_table)} (group_id, permission_id) VALUES (%s, %s)",
            [(groups[role].pk, permission_ids[grant]) for role, grants in _ROLE_GRANTS.items() for grant in grants])
    return groups


@contextmanager
def module_transaction(django_db_blocker):
    """For a module-scoped fixture that builds costly rows once: what it writes inside is seen by every test of the
    module, each test running in a savepoint within (the `db` fixture) so each starts from the same rows, and it is
    all rolled back after the module's last test. Write with `django_db_blocker.unblock()`."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def district(db):
    return DistrictFactory(code="41648000", name="Тосненский муниципальный район")


@pytest.fixture
def agency(db):
    return OrganisationFactory(kind=OrganisationKind.AGENCY, short_name="Агентство (тест)")


@pytest.fixture
def omsu(district):
    return OrganisationFactory(kind=OrganisationKind.OMSU, district=district, short_name="Администрация (тест)")


@pytest.fixture
def company(district):
    return OrganisationFactory(kind=OrganisationKind.INVESTOR, district=district, short_name="ООО «Инвестор»")


@pytest.fixture
def other_company(db):
    return OrganisationFactory(kind=OrganisationKind.INVESTOR, short_name="ООО «Чужая компания»")


@pytest.fixture
def make_user(roles):
    """make_user(Role.MANAGER, organisation=...) -> a confirmed, active user with exactly that role; an investor has
    accepted the consent text in force, as at registration (consent=False: one who has not, e.g. made by staff)."""

    def make(role: Role, *, consent: bool = True, **fields):
        # The people a test starts with are its scenery, not its story: their creation and roles are not written to
        # the audit log (three fifths of make_user's time went there). What they do in the test is logged.
        with disable_auditlog():
            user = user_set_roles(user=UserFactory(**fields), roles={role})
        if role == Role.INVESTOR and consent:
            from core.services.personal_data import consent_give

            consent_give(user=user, ip_address="10.0.0.5")
        return user

    return make


@pytest.fixture
def investor(make_user, company):
    return make_user(Role.INVESTOR, organisation=company, email="investor@test.zk.example")


@pytest.fixture
def other_investor(make_user, other_company):
    return make_user(Role.INVESTOR, organisation=other_company, email="other-investor@test.zk.example")


@pytest.fixture
def manager(make_user, agency):
    return make_user(Role.MANAGER, organisation=agency, email="manager@test.zk.example")


@pytest.fixture
def coordinator(make_user, agency):
    return make_user(Role.COORDINATOR, organisation=agency, email="coordinator@test.zk.example")


@pytest.fixture
def head(make_user, agency):
    return make_user(Role.HEAD, organisation=agency, email="head@test.zk.example")


@pytest.fixture
def commissioner(make_user, omsu):
    return make_user(Role.COMMISSIONER, organisation=omsu, email="commissioner@test.zk.example")


@pytest.fixture
def director(make_user, agency):
    return make_user(Role.DIRECTOR, organisation=agency, email="director@test.zk.example")


@pytest.fixture
def executor(make_user, omsu):
    return make_user(Role.EXECUTOR, organisation=omsu, email="executor@test.zk.example")


@pytest.fixture
def data_clerk(make_user, agency):
    return make_user(Role.DATA_CLERK, organisation=agency, email="clerk@test.zk.example")


@pytest.fixture
def administrator(make_user, agency):
    return make_user(Role.ADMINISTRATOR, organisation=agency, email="admin@test.zk.example")


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True, email="root@test.zk.example", organisation=None)


@pytest.fixture
def users_by_role(investor, manager, coordinator, head, commissioner, director, executor, data_clerk,
                  administrator):
    return {
        Role.INVESTOR: investor,
        Role.MANAGER: manager,
        Role.COORDINATOR: coordinator,
        Role.HEAD: head,
        Role.COMMISSIONER: commissioner,
        Role.DIRECTOR: director,
        Role.EXECUTOR: executor,
        Role.DATA_CLERK: data_clerk,
        Role.ADMINISTRATOR: administrator,
    }




# The rows appeal_types_load() and classifier_load() made in an empty database the first time in this process, in
# the order they were made (the order of their audit log entries).
_CLASSIFIER_ROWS: list = []  # the rows of the first load, in the order of their creation entries
_CLASSIFIER_ENTRIES: list[dict] = []  # those creation entries' fields, in the same order
_CLASSIFIER_MODELS = ("core.AppealType", "core.Category", "core.Subcategory", "core.Fact")


def _middle_of_the_next(period: int):
    """The clock moved to the middle of the next `period`-second window of the rate limits, and ticking from there.

    A limit slides over two fixed windows (core/services/throttle.py): a burst spread over a window's edge rightly
    gets one more try through. A test of «the fourth request is refused» therefore counts its burst away from an edge,
    or it fails on the run that happens to straddle one (CI at 02:59:59)."""
    import time

    import time_machine

    moment = (time.time() // period + 1) * period + period / 2
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture
def mid_hour():
    """The clock at the middle of the next hour window (see _middle_of_the_next); yields that timestamp."""
    yield from _middle_of_the_next(3600)


@pytest.fixture
def mid_minute():
    """The clock at the middle of the next minute window (see _middle_of_the_next); yields that timestamp."""
    yield from _middle_of_the_next(60)


@pytest.fixture
def classifier(db):
    """The reference appeal types and classifier (fixtures/reference). After the first load in a process, the same
    rows are written again (a bulk insert per model) with a copy of the audit log entry each of the loaders' saves
    wrote, pointing at the new rows — what the loaders make, without their lookup, row lock and save per row."""
    from auditlog.models import LogEntry
    from django.apps import apps

    from core.services.reference import appeal_types_load, classifier_load

    empty = not any(apps.get_model(label).objects.exists() for label in _CLASSIFIER_MODELS)
    if empty and _CLASSIFIER_ROWS:
        classifier_replay()
        return
    last_entry = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    appeal_types_load()
    classifier_load()
    if empty:
        _CLASSIFIER_ROWS[:], _CLASSIFIER_ENTRIES[:] = _rows_in_creation_order(after_entry=last_entry)


def _rows_in_creation_order(*, after_entry: int) -> tuple[list, list[dict]]:
    """The classifier's rows in the order of their creation entries, and those entries' fields; ([], []) (no
    replay) unless each row has exactly one entry, its creation."""
    from auditlog.models import LogEntry
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    models = [apps.get_model(label) for label in _CLASSIFIER_MODELS]
    rows = {(type(row), row.pk): row for model in models for row in model.objects.all()}
    entries = list(LogEntry.objects.filter(
        pk__gt=after_entry, content_type__in=ContentType.objects.get_for_models(*models).values()).order_by("pk"))
    order = [(ContentType.objects.get_for_id(entry.content_type_id).model_class(), int(entry.object_pk))
             for entry in entries if entry.action == LogEntry.Action.CREATE]
    if len(order) != len(entries) or sorted(order, key=str) != sorted(rows, key=str):
        return [], []
    fields = [{field.attname: getattr(entry, field.attname) for field in LogEntry._meta.concrete_fields
               if field.attname not in ("id", "timestamp")} for entry in entries]
    return [rows[key] for key in order], fields


def classifier_replay() -> None:
    """Insert the recorded classifier rows anew (their foreign keys pointing at the new rows) and a copy of each
    row's creation entry, in the recorded order, with the new ids in it (and the content type's: a transactional
    test's flush writes the content types anew)."""
    import copy

    from auditlog.models import LogEntry
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    new_pks: dict[tuple[type, int], int] = {}
    for label in _CLASSIFIER_MODELS:  # a model's foreign keys point at models earlier in the list
        model = apps.get_model(label)
        recorded = [row for row in _CLASSIFIER_ROWS if type(row) is model]
        fresh = []
        for old in recorded:
            row = copy.copy(old)
            row.pk, row._state = None, type(old._state)()
            for fk in (f for f in row._meta.concrete_fields if f.is_relation and getattr(row, f.attname) is not None):
                setattr(row, fk.attname, new_pks[(fk.related_model, getattr(old, fk.attname))])
            fresh.append(row)
        for old, row in zip(recorded, model.objects.bulk_create(fresh), strict=True):
            new_pks[(model, old.pk)] = row.pk
    entries = []
    for row, fields in zip(_CLASSIFIER_ROWS, _CLASSIFIER_ENTRIES, strict=True):
        model, new = type(row), new_pks[(type(row), row.pk)]
        changes = dict(fields["changes"] or {})
        for field in model._meta.concrete_fields:
            change = changes.get(field.name)
            if change and field.primary_key:
                changes[field.name] = [change[0], str(new)]
            elif change and field.is_relation and str(change[1]).isdigit():
                changes[field.name] = [change[0], str(new_pks[(field.related_model, int(change[1]))])]
        entries.append(LogEntry(**{**fields, "content_type_id": ContentType.objects.get_for_model(model).pk,
                                   "object_pk": str(new), "object_id": new, "changes": changes}))
    LogEntry.objects.bulk_create(entries)


@pytest.fixture
def problem_fact(classifier):
    """The seed's «Поток» fact (type «Проблема», 20 calendar days)."""
    from core.models import Fact

    return Fact.objects.get(code="06.01.002")


@pytest.fixture
def file_appeal(investor, problem_fact):
    """file_appeal(**fields) -> an appeal filed by the ready investor through the workflow."""
    from core.workflows.appeals import appeal_submit

    def make(applicant=None, fact=None, **fields):
        fields.setdefault("subject", "Согласование съезда на промышленную улицу")
        fields.setdefault("description", "Получен отказ в согласовании проекта съезда. Просим помочь.")
        return appeal_submit(applicant=applicant or investor, fact=fact or problem_fact, **fields)

    return make



@pytest.fixture
def apply_project(investor, manager, company):
    """apply_project(**passport) -> a project application filed by the ready investor; the company's
    personal manager is the ready manager."""
    from core.workflows.projects import project_apply

    company.personal_manager = manager
    company.save()
    investor.refresh_from_db()

    def make(applicant=None, **passport):
        passport.setdefault("name", "Логистический комплекс «Южный»")
        passport.setdefault("investment_volume", 1_500_000_000)
        passport.setdefault("jobs", 120)
        return project_apply(applicant=applicant or investor, **passport)

    return make


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (row locks, concurrency) skip on SQLite; with REQUIRE_POSTGRES=1 (CI's second
    run) a database other than PostgreSQL is an error, so those tests can never be skipped silently there."""
    import os

    from django.conf import settings

    _xdist_groups_in_node_ids(config, items)
    _db_independent_checked(items)
    _longest_first(items)
    postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if os.environ.get(SKIP_E2E) == "1":
        if postgres:
            raise pytest.UsageError(f"{SKIP_E2E}=1 оставляет браузерные сценарии прогону на PostgreSQL; "
                                    "в нём самом их пропускать нельзя (.ci/run).")
        _leave_out(config, items, "e2e", "e2e_left_out", _E2E_LEFT_OUT)
    if os.environ.get(SKIP_DB_INDEPENDENT) == "1":
        if postgres:
            raise pytest.UsageError(f"{SKIP_DB_INDEPENDENT}=1 оставляет тесты без базы данных прогону на PostgreSQL; "
                                    "в нём самом их пропускать нельзя (.ci/run).")
        _leave_out(config, items, "db_independent", "db_independent_left_out", _DB_INDEPENDENT_LEFT_OUT)
    if postgres:
        return
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("REQUIRE_POSTGRES=1, но DATABASE_URL указывает не на PostgreSQL.")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="нужна PostgreSQL: задайте DATABASE_URL=postgres://…"))


def _leave_out(config, items, mark: str, output_key: str, counts: set[int]) -> None:
    """Deselect the tests carrying `mark` (the summary counts them among the «deselected» and says where they run)."""
    kept = [item for item in items if not item.get_closest_marker(mark)]  # not keywords: tests/e2e/ is one too
    config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker(mark)])
    counts.add(len(items) - len(kept))
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: the summary is written by the controller
        config.workeroutput[output_key] = len(items) - len(kept)
    items[:] = kept


def _xdist_groups_in_node_ids(config, items) -> None:
    """Under `--dist loadgroup`, give each test of an @pytest.mark.xdist_group the «@group» suffix the scheduler
    groups by. pytest-xdist 3.8 writes it to `item._nodeid`, which pytest 9 no longer reads (a node id is
    `item._id` now), so without this every group was split over the workers and each built the group's costly
    module fixture again (the eighteen-month demo twice). A group that still does not reach the node id stops
    the run instead of slowing it down unnoticed."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                         for mark in item.iter_markers("xdist_group")})
        if not groups:
            continue
        suffix = "@" + "_".join(groups)
        if not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)
        if not item.nodeid.endswith(suffix):
            raise pytest.UsageError(f"xdist_group {suffix[1:]!r} did not reach the node id of {item.nodeid}")


# --- @pytest.mark.db_independent: tests that run once in CI ---------------------------------------------------------
# CI runs the suite twice, on SQLite and on PostgreSQL (.ci/run). A test that reads and writes no database at all
# (not the test database, not through a subprocess: docs, translation catalogues, pure functions, files rendered and
# opened in LibreOffice, production settings in a subprocess over its own SQLite file) cannot behave differently
# in the other pass, so it carries this mark and the SQLite pass, with SKIP_DB_INDEPENDENT=1, deselects it (the
# summary counts it among the «deselected»): the PostgreSQL pass runs it, on two workers beside the SQLite pass's
# one, so both passes end at about the same time. SKIP_DB_INDEPENDENT=1 on PostgreSQL is refused. Checked both ways:
# a marked test that asks for a database fixture stops the run at collection, and one that runs SQL anyway (e.g.
# through request.getfixturevalue) fails.
SKIP_DB_INDEPENDENT = "SKIP_DB_INDEPENDENT"
_DB_INDEPENDENT_LEFT_OUT: set[int] = set()
_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server",
                "django_db_setup"}


# Where the mark is given here rather than in the test file: whole modules (each of their tests that asks for no
# database fixture; one that does runs in both passes) and single tests (which must ask for none).
DB_INDEPENDENT_MODULES = (
    "tests/docs/",  # the docs against the tree
    "tests/test_translations.py",  # the catalogues, msgfmt, `make messages`
    "tests/core/test_report_render.py",  # files rendered from rows in memory, opened in LibreOffice
    "tests/core/test_formatting.py", "tests/core/test_validators.py", "tests/core/test_choices.py",
    "tests/core/test_gantt.py", "tests/core/test_calendar.py",  # pure functions
)
DB_INDEPENDENT_TESTS = (  # production settings (or a collection) in a subprocess over a SQLite file of its own
    "tests/core/test_settings.py::test_production_settings_pass_check_deploy_without_warnings",
    "tests/core/test_settings.py::test_missing_secret_key_refuses_to_start_in_production",
    "tests/core/test_settings.py::test_demo_data_is_refused_in_production",
    "tests/core/test_settings.py::test_caches_come_from_cache_url",
    "tests/core/test_request_logging.py::test_production_logs_json_and_debug_logs_text",
    "tests/test_fixtures.py::test_ci_runs_every_browser_journey_in_the_postgresql_pass_and_nothing_else_is_left_out",
    "tests/test_fixtures.py::test_ci_runs_the_tests_without_a_database_in_the_postgresql_pass_only",
)


# --- @pytest.mark.e2e: the browser journeys run once in CI, on PostgreSQL -------------------------------------------
# A journey drives Chromium through pages that the client-level tests also request, with their doors and queries, on
# both databases; what it adds — scripts, layout at 1440 and 390 px, accessibility, the guide's screenshots — does not
# depend on the database, and it is half of each pass's time. CI's SQLite pass sets SKIP_E2E=1 and leaves them to the
# PostgreSQL pass, the database production runs on; `make test` alone runs them. Every test that opens the browser
# carries the mark (given here to any that asks for the browser fixtures), so none can slip out of both passes.
SKIP_E2E = "SKIP_E2E"
_E2E_LEFT_OUT: set[int] = set()
_BROWSER_FIXTURES = {"browser", "sync_playwright_api", "live_server"}


def _asks_for_a_database(item) -> set[str]:
    asks = _DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    return asks | ({"django_db"} if item.get_closest_marker("django_db") else set())


def pytest_itemcollected(item):
    """Before -m selects: `-m db_independent` runs exactly what the SQLite pass leaves out."""
    if item.nodeid.split("[")[0] in DB_INDEPENDENT_TESTS or (
            item.nodeid.startswith(DB_INDEPENDENT_MODULES) and not _asks_for_a_database(item)):
        item.add_marker(pytest.mark.db_independent)
    if _BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("e2e"):
        item.add_marker(pytest.mark.e2e)


def _db_independent_checked(items) -> None:
    for item in items:
        if "db_independent" not in item.keywords:
            continue
        if asks := _asks_for_a_database(item):
            raise pytest.UsageError(f"{item.nodeid} is marked db_independent but asks for a database "
                                    f"({', '.join(sorted(asks))}): remove the mark")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if "db_independent" not in item.keywords:
        return (yield)
    from contextlib import ExitStack

    from django.db import connections

    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(str(sql)[:200])
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(record))
        item.stash[_DB_STATEMENTS] = statements
        return (yield)


_DB_STATEMENTS = pytest.StashKey[list]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    result = yield
    if statements := item.stash.get(_DB_STATEMENTS, None):
        pytest.fail(f"{item.nodeid} is marked db_independent but ran SQL: {statements[0]}", pytrace=False)
    return result


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    if (left_out := getattr(node, "workeroutput", {}).get("db_independent_left_out")) is not None:
        _DB_INDEPENDENT_LEFT_OUT.add(left_out)
    if (left_out := getattr(node, "workeroutput", {}).get("e2e_left_out")) is not None:
        _E2E_LEFT_OUT.add(left_out)


def pytest_terminal_summary(terminalreporter):
    if max(_DB_INDEPENDENT_LEFT_OUT, default=0):
        terminalreporter.write_line(
            f"{SKIP_DB_INDEPENDENT}=1: тестов без базы данных (@pytest.mark.db_independent) в этом прогоне не было — "
            f"{max(_DB_INDEPENDENT_LEFT_OUT)}; они проходят в прогоне на PostgreSQL.", yellow=True)
    if max(_E2E_LEFT_OUT, default=0):
        terminalreporter.write_line(
            f"{SKIP_E2E}=1: браузерных сценариев (@pytest.mark.e2e) в этом прогоне не было — "
            f"{max(_E2E_LEFT_OUT)}; они проходят в прогоне на PostgreSQL.", yellow=True)


# The longest tests (a minute or more of a busy 2-core machine each), by node id prefix. pytest-xdist hands out the
# xdist groups first, then single tests in collection order, each to the worker that runs out first; a long test
# handed out last keeps one worker busy while the other idles, so these go to the front of their kind.
LONGEST = (
    "tests/test_bad_input.py",  # the walker's shards (and the module's other tests on its world, kept together)
    "tests/core/test_backup.py::test_the_demo_with_its_files_is_backed_up_wiped_and_restored_row_for_row",
    "tests/core/test_print_layout.py",
    "tests/e2e/test_cabinet_reports_journey.py",  # a data set of 600 appeals, then every report page twice
    "tests/e2e/test_guide_screens.py",
    "tests/e2e/test_accessibility.py",
    "tests/e2e/test_csp.py",
)


def _longest_first(items) -> None:
    """Within each of pytest-django's blocks (database tests, then transactional ones, then the rest: a
    transactional test's flush must not precede a test that expects the migrated rows), LONGEST go first."""
    from django.test import TestCase, TransactionTestCase
    from pytest_django.plugin import validate_django_db

    def kind(item) -> int:  # pytest-django's get_order_number()
        cls = getattr(item, "cls", None)
        if cls and issubclass(cls, TransactionTestCase):
            return 0 if issubclass(cls, TestCase) else 1
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and any(validate_django_db(marker)[:2]))
        fixtures = getattr(item, "fixturenames", ())
        if transactional or "transactional_db" in fixtures or "live_server" in fixtures:
            return 1
        return 0 if marker or "db" in fixtures else 2

    kinds = [kind(item) for item in items]
    if kinds != sorted(kinds):  # not pytest-django's order: leave it alone
        return
    order = sorted(range(len(items)), key=lambda i: (kinds[i], not items[i].nodeid.startswith(LONGEST)))
    items[:] = [items[i] for i in order]
