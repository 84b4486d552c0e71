import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.choices import OrganisationKind
from tests.factories import OrganisationFactory


def test_organisation_with_bad_inn_is_rejected_by_full_clean(db):
    org = OrganisationFactory.build(inn="9704098568", ogrn="1217700535678")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "inn" in error.value.message_dict


def test_inn_is_unique_but_participants_may_have_none(db):
    OrganisationFactory(inn="9704098567", ogrn="1217700535678")
    OrganisationFactory(kind=OrganisationKind.OIV, inn="", ogrn="")
    OrganisationFactory(kind=OrganisationKind.OIV, inn="", ogrn="")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(inn="9704098567")


def test_omsu_needs_a_district(db):
    org = OrganisationFactory.build(kind=OrganisationKind.OMSU, district=None)
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert error.value.message_dict["district"] == ["Для ОМСУ нужно указать район."]
    with pytest.raises(IntegrityError), transaction.atomic():
        org.save()


def test_investor_company_needs_inn(db):
    org = OrganisationFactory.build(kind=OrganisationKind.INVESTOR, inn="")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "inn" in error.value.message_dict
