"""Whom an appeal may be given to: the rule the door checks (core.workflows.appeals) and the dialogs offer.

One rule for both, so a dialog never offers a person the door would refuse, and a crafted request for someone
else is still refused by the door with a clear message.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.choices import OrganisationKind
from core.models import Organisation, User
from core.roles import Role
from core.selectors.visibility import users_visible_to

# Who answers for an appeal (SPEC §2 «Manager»): the agency's managers and the bodies' executors who prepare
# answers, the heads who may take one themselves, and a district's commissioner. Never the director, a
# coordinator (who follows the appeal in a role of their own), a data clerk or an administrator.
MANAGER_ROLES = (Role.MANAGER, Role.EXECUTOR, Role.HEAD, Role.COMMISSIONER)
# Who approves the answers: a head, or the director for letters to the director.
HEAD_ROLES = (Role.HEAD, Role.DIRECTOR)


def _active_staff_with(roles: tuple[Role, ...]) -> QuerySet[User]:
    has_role = Exists(User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=[role.group_name for role in roles]))
    return User.objects.filter(has_role, is_active=True, is_staff=True)


def appeal_manager_candidates(*, organisation: Organisation | None) -> QuerySet[User]:
    """The executor organisation's active staff who may answer for an appeal it executes."""
    if organisation is None:
        return User.objects.none()
    return _active_staff_with(MANAGER_ROLES).filter(organisation=organisation)


def appeal_head_candidates() -> QuerySet[User]:
    """Active heads of any participant organisation and the director: who may approve an appeal's answers."""
    return _active_staff_with(HEAD_ROLES)


SEARCHED = ("last_name", "first_name", "middle_name", "email", "position")


def _contains(word: str) -> Q:
    """Any searched field contains the word in any case. SQLite (the developers' database) folds only Latin
    letters, so the usual spellings of a Cyrillic word are asked for too; PostgreSQL needs only the first."""
    spellings = {word, word.lower(), word.capitalize(), word.upper()}
    found = Q()
    for field in SEARCHED:
        for spelling in spellings:
            found |= Q(**{f"{field}__icontains": spelling})
    return found


def person_search(people: QuerySet[User], term: str) -> QuerySet[User]:
    """People whose name, e-mail or position contains each typed word, in the order of the lists."""
    for word in term.split()[:5]:
        people = people.filter(_contains(word))
    return people.select_related("organisation").order_by("last_name", "first_name", "middle_name", "pk")


def appeal_manager_choices_for(*, user: User, organisation: Organisation | None, term: str = "") -> QuerySet[User]:
    """What a dialog offers `user` as the manager for `organisation`: the candidates this person may see."""
    candidates = appeal_manager_candidates(organisation=organisation).filter(
        pk__in=users_visible_to(user).values("pk"))
    return person_search(candidates, term)


def appeal_head_choices_for(*, user: User, term: str = "") -> QuerySet[User]:
    return person_search(appeal_head_candidates().filter(pk__in=users_visible_to(user).values("pk")), term)


def appeal_meeting_invitees(appeal) -> QuerySet[User]:
    """Whom a meeting about the appeal may invite (the ВКС dialog and the API): active staff of the agency and of any
    participant body — the executor, and a body not yet asked, as the seed's «направил администрации … приглашение
    на ВКС» before the appeal was passed to it — and the investor company's confirmed users."""
    staff = Q(is_staff=True, organisation__kind__in=[OrganisationKind.AGENCY, *OrganisationKind.participants()])
    investors = Q(is_staff=False, organisation_id=appeal.organisation_id, membership_confirmed_at__isnull=False)
    return User.objects.filter(staff | investors, is_active=True).select_related("organisation").order_by(
        "organisation__short_name", "last_name", "first_name", "pk"
    )
