"""A list page costs the same number of SQL queries for 3 rows as for 30: no query per row."""

import pytest
from auditlog.context import set_actor
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import OrganisationKind
from core.consent import consent_text, consent_version
from core.models import PersonalDataConsent
from core.roles import Role
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory


def add_users(count, make_user):
    for _ in range(count):
        make_user(Role.MANAGER, organisation=OrganisationFactory(kind=OrganisationKind.AGENCY))


def add_organisations(count, make_user):
    for _ in range(count):
        OrganisationFactory(district=DistrictFactory(), personal_manager=UserFactory())


def add_districts(count, make_user):
    for _ in range(count):
        DistrictFactory()


def add_consents(count, make_user):
    for _ in range(count):
        PersonalDataConsent.objects.create(user=UserFactory(), version=consent_version(), text=consent_text())


def add_log_entries(count, make_user):
    with set_actor(UserFactory()):  # each entry has an actor and an object type, both shown in the list
        for _ in range(count):
            OrganisationFactory()


LISTS = {
    "core_user_changelist": add_users,
    "core_organisation_changelist": add_organisations,
    "core_district_changelist": add_districts,
    "core_personaldataconsent_changelist": add_consents,
    "auditlog_logentry_changelist": add_log_entries,
}


@pytest.mark.parametrize("url_name", LISTS)
def test_list_page_queries_do_not_grow_with_rows(login, superuser, make_user, url_name):
    url = reverse(f"admin:{url_name}")
    client = login(superuser)
    add_rows = LISTS[url_name]

    def queries_on_page(rows_expected: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["cl"].result_count >= rows_expected
        return len(captured)

    add_rows(3, make_user)
    client.get(url)  # warm the caches that live for the whole process (content types)
    few = queries_on_page(3)
    add_rows(27, make_user)
    assert queries_on_page(30) == few
