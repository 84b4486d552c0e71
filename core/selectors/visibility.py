"""Who may see what: the one place that scopes querysets by user, for the cabinet, the portal and exports.

Each later aggregate adds its `<entity>_visible_to(user)` here, next to the ones it builds on.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Q, QuerySet, Value

from core.choices import OrganisationKind
from core.models import Appeal, Meeting, Organisation, ParticipantRequest, Project, Task, User
from core.roles import STAFF_ROLES, Role


def user_roles(user: User) -> set[Role]:
    """The user's roles, cached on the instance for the request (read with their permissions: `_access_read`)."""
    if not user.is_authenticated:
        return set()
    if getattr(user, "_role_cache", None) is None:
        _access_read(user)
    return user._role_cache


def user_permissions(user: User) -> set[str]:
    """The user's model permissions («app_label.codename»: their roles' and their own), read in the same query as
    their roles and cached on the instance with them; core.auth.UserBackend answers `has_perm` from these."""
    cached = getattr(user, "_permission_cache", None)
    if cached is None or cached[0] is not getattr(user, "_role_cache", None):  # the roles were set or dropped since
        _access_read(user)
        cached = user._permission_cache
    return cached[1]


def _access_read(user: User) -> None:
    """Roles and permissions in one query (Django's backend takes two for the permissions, this module one for the
    roles): each group of the user with each of its permissions, and the user's own permissions."""
    groups = Group.objects.filter(user=user).order_by().values_list(
        "name", "permissions__content_type__app_label", "permissions__codename")
    own = Permission.objects.filter(user=user).order_by().values_list(
        Value("", output_field=CharField()), "content_type__app_label", "codename")
    names, permissions = set(), set()
    for name, app_label, codename in groups.union(own, all=True):
        names.add(name)
        if codename:  # a group without permissions comes with NULLs
            permissions.add(f"{app_label}.{codename}")
    user._role_cache = {role for role in Role if role.group_name in names}
    user._permission_cache = (user._role_cache, permissions)


def is_staff_member(user: User) -> bool:
    """Works in the manager cabinet: a superuser, or an active staff user with a staff role."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and bool(user_roles(user) & STAFF_ROLES))


def is_investor(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and Role.INVESTOR in user_roles(user))


def is_agency_staff(user: User) -> bool:
    return bool(
        is_staff_member(user) and user.organisation and user.organisation.kind == OrganisationKind.AGENCY
    )


def sees_everything(user: User) -> bool:
    """The director, administrators, data clerks and the agency's own staff see every organisation."""
    roles = user_roles(user)
    return (
        user.is_superuser
        or bool(roles & {Role.DIRECTOR, Role.ADMINISTRATOR, Role.DATA_CLERK})
        or is_agency_staff(user)
    )


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Participants are public to staff; investor companies are seen by the agency, by the district's
    people and by the company's own users."""
    qs = Organisation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if sees_everything(user):
        return qs
    own = Q(pk=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    if not is_staff_member(user):
        return qs.filter(own) if user.membership_confirmed else qs.none()
    participants = Q(kind__in=OrganisationKind.participants())
    scope = participants | own
    roles = user_roles(user)
    if Role.COMMISSIONER in roles and user.organisation and user.organisation.district_id:
        scope |= Q(kind=OrganisationKind.INVESTOR, district_id=user.organisation.district_id)
    if Role.HEAD in roles:
        scope |= Q(kind=OrganisationKind.INVESTOR, personal_manager__organisation_id=user.organisation_id)
    return qs.filter(scope)


def users_visible_to(user: User) -> QuerySet[User]:
    """Staff see staff of all participants and the investors of the companies they see; an investor
    sees only themself and their colleagues."""
    qs = User.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser or user_roles(user) & {Role.ADMINISTRATOR, Role.DIRECTOR}:
        return qs
    if not is_staff_member(user):
        if not user.membership_confirmed:
            return qs.filter(pk=user.pk)
        return qs.filter(Q(pk=user.pk) | Q(organisation_id=user.organisation_id, organisation__isnull=False))
    return qs.filter(
        Q(pk=user.pk)
        | Q(is_staff=True)
        | Q(organisation__in=organisations_visible_to(user))
    )


def sees_all_appeals(user: User) -> bool:
    """The director, administrators, data clerks and the agency's coordinators and heads route every appeal."""
    roles = user_roles(user)
    return (
        user.is_superuser
        or bool(roles & {Role.DIRECTOR, Role.ADMINISTRATOR, Role.DATA_CLERK})
        or (is_agency_staff(user) and bool(roles & {Role.COORDINATOR, Role.HEAD}))
    )


def appeals_visible_to(user: User) -> QuerySet[Appeal]:
    """Investors: their company's appeals. Staff: appeals where they hold a role, their organisation's as
    executor (executors and heads), their district's (commissioners); the coordinator keeps seeing an appeal
    after it is redirected elsewhere because the role stays on the appeal."""
    qs = Appeal.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not is_staff_member(user):
        if is_investor(user) and user.organisation_id and user.membership_confirmed:
            return qs.filter(organisation_id=user.organisation_id)
        return qs.none()
    if sees_all_appeals(user):
        return qs
    roles = user_roles(user)
    scope = Q(manager=user) | Q(coordinator=user) | Q(head=user)
    if user.organisation_id and roles & {Role.EXECUTOR, Role.HEAD, Role.MANAGER}:
        scope |= Q(executor_organisation_id=user.organisation_id)
    if Role.COMMISSIONER in roles and user.organisation and user.organisation.district_id:
        scope |= Q(organisation__district_id=user.organisation.district_id)
    return qs.filter(scope)


def mark_visible(appeal: Appeal, user: User) -> Appeal:
    """Note on an appeal read through appeals_visible_to(user) that this user may see it, so appeal_visible needs no
    second query for the same answer (the card's buttons ask it)."""
    appeal._visible_to_user = user.pk
    return appeal


def appeal_visible(appeal: Appeal, user: User) -> bool:
    """Whether the user may see the appeal: from its note when it was read for them, else from the database."""
    if getattr(appeal, "_visible_to_user", None) == user.pk:
        return True
    return appeals_visible_to(user).filter(pk=appeal.pk).exists()


def sees_all_projects(user: User) -> bool:
    """The director, administrators, data clerks and the agency's coordinators and heads see the whole pool."""
    return sees_all_appeals(user)


def projects_visible_to(user: User) -> QuerySet[Project]:
    """Investors: their company's projects. Staff: every project for agency leads; otherwise projects where
    they are the personal manager or commissioner, their district's (commissioners), their people's (heads),
    and projects with a request or meeting for their organisation (participants)."""
    qs = Project.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not is_staff_member(user):
        if is_investor(user) and user.organisation_id and user.membership_confirmed:
            return qs.filter(investor_id=user.organisation_id)
        return qs.none()
    if sees_all_projects(user):
        return qs
    scope = _steered_projects_q(user)
    if user.organisation_id:
        scope |= Q(pk__in=ParticipantRequest.objects.filter(organisation_id=user.organisation_id).values("project"))
        scope |= Q(pk__in=Meeting.objects.filter(organisations=user.organisation_id).values("project"))
    return qs.filter(scope)


def _steered_projects_q(user: User) -> Q:
    """The projects a staff member (who does not see the whole pool) runs or oversees: as personal manager,
    district commissioner or director, their district's (commissioners), their people's (heads). A project seen only
    because a request or a meeting names the person's organisation is not among them."""
    roles = user_roles(user)
    scope = Q(personal_manager=user) | Q(district_commissioner=user) | Q(director=user)
    if Role.COMMISSIONER in roles and user.organisation and user.organisation.district_id:
        scope |= Q(district_id=user.organisation.district_id)
    if user.organisation_id and Role.HEAD in roles:
        scope |= Q(personal_manager__organisation_id=user.organisation_id)
    return scope


def tasks_visible_to(user: User) -> QuerySet[Task]:
    """A person's own tasks (set or assigned), the tasks of the projects they run or oversee (`_steered_projects_q`),
    and — for heads — their people's. A body that sees a project only because it was asked something there or invited
    to one of its meetings does not read the project's own work (SPEC §2: a participant executor sees «only appeals and
    requests assigned to their organisation»)."""
    qs = Task.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_staff_member(user) and sees_all_projects(user):
        return qs
    if not is_staff_member(user):  # an investor follows the tasks their company set, not staff's own work
        if not (user.organisation_id and user.membership_confirmed):
            return qs.filter(author=user)
        return qs.filter(author__organisation_id=user.organisation_id, project__investor_id=user.organisation_id)
    scope = Q(author=user) | Q(assignee=user) | Q(project__in=Project.objects.filter(_steered_projects_q(user)))
    if Role.HEAD in user_roles(user) and user.organisation_id:
        scope |= Q(assignee__organisation_id=user.organisation_id)
    return qs.filter(scope)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings of the appeals a person sees (a meeting about an appeal may have no project), those they take part
    in, and: for an investor, their company's projects'; for staff, the meetings of the projects they run or oversee
    (`_steered_projects_q`) and those their organisation is invited to. A body invited to one meeting of a project, or
    asked something there, does not read the project's other meetings."""
    qs = Meeting.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    scope = Q(appeal__in=appeals_visible_to(user)) | Q(participants=user)
    if not is_staff_member(user):
        scope |= Q(project__in=projects_visible_to(user))
    elif sees_all_projects(user):
        scope |= Q(project__isnull=False)
    else:
        scope |= Q(project__in=Project.objects.filter(_steered_projects_q(user)))
        if user.organisation_id:
            scope |= Q(organisations=user.organisation_id)
    return qs.filter(scope).distinct()


def sees_all_requests(user: User) -> bool:
    """Staff who see every project see every request to the participants."""
    return is_staff_member(user) and sees_all_projects(user)


def requests_visible_to(user: User) -> QuerySet[ParticipantRequest]:
    """Staff only (SPEC §2): the requests addressed to their organisation, and every request of the projects they run
    or oversee (`_steered_projects_q`). A body that sees a project only because it was asked something there does not
    read what other bodies were asked or answered."""
    qs = ParticipantRequest.objects.all()
    if not is_staff_member(user):
        return qs.none()
    if sees_all_projects(user):
        return qs
    scope = Q(project__in=Project.objects.filter(_steered_projects_q(user)))
    if user.organisation_id:
        scope |= Q(organisation_id=user.organisation_id)
    return qs.filter(scope)
