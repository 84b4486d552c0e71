from core.choices import OrganisationKind
from core.selectors.contacts import investor_contacts_for
from core.selectors.visibility import is_investor, is_staff_member, organisations_visible_to, users_visible_to
from tests.factories import OrganisationFactory, UserFactory


def test_investor_sees_only_own_company_and_colleagues(investor, other_investor, agency, company, other_company):
    colleague = UserFactory(organisation=company)
    assert set(organisations_visible_to(investor)) == {company}
    assert set(users_visible_to(investor)) == {investor, colleague}
    assert other_company not in organisations_visible_to(investor)
    assert other_investor not in users_visible_to(investor)


def test_agency_staff_and_director_see_every_organisation(manager, director, company, other_company, omsu):
    everything = {company, other_company, omsu, manager.organisation}
    assert everything <= set(organisations_visible_to(manager))
    assert everything <= set(organisations_visible_to(director))


def test_commissioner_sees_participants_and_investors_of_own_district(commissioner, company, other_company, omsu):
    visible = set(organisations_visible_to(commissioner))
    assert company in visible  # the company is in the commissioner's district
    assert other_company not in visible
    assert omsu in visible


def test_executor_sees_participants_not_investors(executor, company, omsu, agency):
    visible = set(organisations_visible_to(executor))
    assert {omsu, agency} <= visible
    assert company not in visible


def test_inactive_or_anonymous_see_nothing(investor, company):
    from django.contrib.auth.models import AnonymousUser

    assert not organisations_visible_to(AnonymousUser()).exists()
    investor.is_active = False
    assert not organisations_visible_to(investor).exists()


def test_cabinet_membership(investor, manager, superuser):
    assert is_investor(investor) and not is_staff_member(investor)
    assert is_staff_member(manager) and not is_investor(manager)
    assert is_staff_member(superuser)


def test_contact_cards(investor, manager, commissioner, director, company):
    empty = investor_contacts_for(investor)
    assert empty.manager is None and empty.commissioner is None
    assert empty.director == director
    company.personal_manager = manager
    company.district_commissioner = commissioner
    company.save()
    investor.refresh_from_db()
    cards = investor_contacts_for(investor)
    assert (cards.manager, cards.commissioner, cards.director) == (manager, commissioner, director)
    manager.is_active = False
    manager.save()
    investor.refresh_from_db()
    assert investor_contacts_for(investor).manager is None


def test_director_of_another_kind_of_organisation_is_not_the_agency_director(make_user, investor):
    from core.roles import Role

    make_user(Role.DIRECTOR, organisation=OrganisationFactory(kind=OrganisationKind.OIV))
    assert investor_contacts_for(investor).director is None
