"""The people an investor's cabinet shows on its contact cards (seed: «Ваш персональный менеджер»,
«Ваш уполномоченный района», «Написать директору»)."""

from dataclasses import dataclass

from core.choices import OrganisationKind
from core.models import User
from core.roles import Role


@dataclass(frozen=True)
class InvestorContacts:
    manager: User | None
    commissioner: User | None
    director: User | None


def director_of_agency() -> User | None:
    return (
        User.objects.filter(
            is_active=True, groups__name=Role.DIRECTOR.group_name, organisation__kind=OrganisationKind.AGENCY
        )
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


def investor_contacts_for(user: User) -> InvestorContacts:
    company = user.organisation if user.membership_confirmed else None  # nothing of a company not yet confirmed
    manager = company.personal_manager if company and company.personal_manager_id else None
    commissioner = company.district_commissioner if company and company.district_commissioner_id else None
    return InvestorContacts(
        manager=manager if manager and manager.is_active else None,
        commissioner=commissioner if commissioner and commissioner.is_active else None,
        director=director_of_agency(),
    )
