"""Fixtures of the project tests in the cabinet."""

import pytest

from core.choices import OrganisationKind, ProjectStage
from core.models import ChecklistItem, Industry, SupportMeasure
from core.roles import Role
from tests.admin_site.projects.helpers import bring
from tests.factories import OrganisationFactory


@pytest.fixture
def project(apply_project):
    """A fresh application filed by the ready investor; the ready manager is its personal manager."""
    return apply_project()


@pytest.fixture
def supported(project, manager):
    """The project on its pre-investment stage (seed: «1. Прединвестиционный этап»)."""
    return bring(project, ProjectStage.PRE_INVESTMENT, manager)


@pytest.fixture
def rso(db):
    return OrganisationFactory(kind=OrganisationKind.RSO, short_name="Электросеть (тест)")


@pytest.fixture
def rso_executor(make_user, rso):
    return make_user(Role.EXECUTOR, organisation=rso, email="rso@test.zk.example")


@pytest.fixture
def references(db):
    """A little of the reference data: an industry, the pre-investment checklist, two support measures."""
    return {
        "industry": Industry.objects.create(code="logistics", name="Транспорт и логистика"),
        "land": ChecklistItem.objects.create(stage=ProjectStage.PRE_INVESTMENT, code="land_analysis", order=1,
                                             name="Анализ земельного участка, перевод земельного участка"),
        "rso_request": ChecklistItem.objects.create(stage=ProjectStage.PRE_INVESTMENT, code="rso_request", order=3,
                                                    name="Запрос в РСО о возможности подключения"),
        "export": ChecklistItem.objects.create(stage=ProjectStage.OPERATIONAL, code="export", order=1,
                                               name="Поддержка экспорта"),
        "rip": SupportMeasure.objects.create(code="rip", name="Региональный инвестиционный проект (РИП)"),
        "loan": SupportMeasure.objects.create(code="loan", name="Льготный заём"),
    }
