"""A world built once per module (module_transaction): two investor companies, agency and district staff, the
reference classifier, a personal token per person and scope, and an appeal of each company."""

from types import SimpleNamespace

import pytest
from django.test import Client

from core.choices import OrganisationKind
from core.roles import Role
from core.services.api_tokens import api_token_create
from core.services.personal_data import consent_give
from core.services.reference import appeal_types_load, classifier_load
from core.services.roles import user_set_roles
from core.workflows.appeals import appeal_submit
from tests.conftest import module_transaction, role_groups
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory

PEOPLE = {  # name: (role, organisation)
    "investor": (Role.INVESTOR, "company"),
    "other_investor": (Role.INVESTOR, "other_company"),
    "coordinator": (Role.COORDINATOR, "agency"),
    "manager": (Role.MANAGER, "agency"),
    "head": (Role.HEAD, "agency"),
    "executor": (Role.EXECUTOR, "omsu"),
    "other_executor": (Role.EXECUTOR, "other_omsu"),
    "director": (Role.DIRECTOR, "agency"),
}


def build_world() -> SimpleNamespace:
    from core.models import Fact

    role_groups()
    appeal_types_load()
    classifier_load()
    district = DistrictFactory(code="41648000", name="Тосненский муниципальный район")
    w = SimpleNamespace(
        agency=OrganisationFactory(kind=OrganisationKind.AGENCY, short_name="Агентство (тест)"),
        omsu=OrganisationFactory(kind=OrganisationKind.OMSU, district=district, short_name="Администрация (тест)"),
        other_omsu=OrganisationFactory(kind=OrganisationKind.OMSU, short_name="Другая администрация"),
        company=OrganisationFactory(kind=OrganisationKind.INVESTOR, district=district, short_name="ООО «Инвестор»"),
        other_company=OrganisationFactory(kind=OrganisationKind.INVESTOR, short_name="ООО «Чужая компания»"),
        tokens={}, read_tokens={},
    )
    for name, (role, organisation) in PEOPLE.items():
        user = user_set_roles(user=UserFactory(organisation=getattr(w, organisation), email=f"{name}@api.test"),
                              roles={role})
        if role == Role.INVESTOR:
            consent_give(user=user)  # as at registration: the portal's pages open
        setattr(w, name, user)
        w.tokens[name] = api_token_create(user=user, name="Интеграция", scope="write").plain
        w.read_tokens[name] = api_token_create(user=user, name="Чтение", scope="read").plain
    w.fact = Fact.objects.get(code="06.01.002")
    text = {"subject": "Согласование съезда", "description": "Получен отказ в согласовании съезда."}
    w.appeal = appeal_submit(applicant=w.investor, fact=w.fact, **text)
    w.other_appeal = appeal_submit(applicant=w.other_investor, fact=w.fact, **text)
    return w


@pytest.fixture(scope="module")
def world_built(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
        yield built


@pytest.fixture
def world(world_built, db):
    return world_built


class Api:
    """Calls as one person through their token."""

    def __init__(self, token: str):
        self.client, self.token = Client(), token

    def __call__(self, method: str, path: str, body=None, *, headers=None, **kwargs):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        for name, value in (headers or {}).items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        url = path if path.startswith("/") else f"/api/v1/{path}"
        call = getattr(self.client, method.lower())
        if body is not None and "content_type" not in kwargs:
            kwargs["content_type"] = "application/json"
        return call(url, body, **extra, **kwargs) if body is not None else call(url, **extra, **kwargs)


@pytest.fixture
def api(world):
    """api("investor")("get", "appeals") — a caller with that person's write token."""
    return lambda name, *, read=False: Api((world.read_tokens if read else world.tokens)[name])
