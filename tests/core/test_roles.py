import pytest
from django.contrib.auth.models import Group

from core.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role
from core.services.roles import roles_sync, user_set_roles

# What each role may do with the foundation's models: (model, action) -> roles that may.
MATRIX = {
    ("organisation", "view"): set(Role) - {Role.INVESTOR},
    ("organisation", "add"): {Role.MANAGER, Role.DATA_CLERK, Role.ADMINISTRATOR},
    ("organisation", "delete"): {Role.DATA_CLERK, Role.ADMINISTRATOR},
    ("district", "change"): {Role.DATA_CLERK, Role.ADMINISTRATOR},
    ("user", "view"): set(Role) - {Role.INVESTOR, Role.EXECUTOR},
    ("user", "change"): {Role.ADMINISTRATOR},
    ("group", "change"): {Role.ADMINISTRATOR},
    ("personaldataconsent", "view"): {Role.ADMINISTRATOR},
    # every staff member reads the answer templates the appeal dialogs offer; coordinators, heads and administrators
    # write them and the public FAQ
    ("answertemplate", "view"): set(Role) - {Role.INVESTOR, Role.DATA_CLERK},
    ("answertemplate", "change"): {Role.COORDINATOR, Role.HEAD, Role.ADMINISTRATOR},
    ("faqentry", "add"): {Role.COORDINATOR, Role.HEAD, Role.ADMINISTRATOR},
    ("faqentry", "view"): {Role.COORDINATOR, Role.HEAD, Role.ADMINISTRATOR},
    # the .docx templates of the project brief and letters: the same three upload and switch them; nobody deletes
    ("documenttemplate", "add"): {Role.COORDINATOR, Role.HEAD, Role.ADMINISTRATOR},
    ("documenttemplate", "change"): {Role.COORDINATOR, Role.HEAD, Role.ADMINISTRATOR},
    ("documenttemplate", "delete"): set(),
}
APP = {"answertemplate": "core", "faqentry": "core", "documenttemplate": "core",
       "organisation": "core", "district": "core", "user": "core", "personaldataconsent": "core", "group": "auth"}


@pytest.mark.parametrize(("model", "action"), list(MATRIX))
def test_role_permission_matrix(users_by_role, model, action):
    permission = f"{APP[model]}.{action}_{model}"
    allowed = {role for role, user in users_by_role.items() if user.has_perm(permission)}
    assert allowed == MATRIX[(model, action)]


def test_every_role_is_a_group_and_sync_is_idempotent(db):
    roles_sync()
    counts = {g.name: g.permissions.count() for g in Group.objects.all()}
    roles_sync()
    assert {g.name: g.permissions.count() for g in Group.objects.all()} == counts
    assert set(counts) == {str(role.label) for role in Role}


def test_sync_removes_permissions_granted_by_hand(roles):
    from django.contrib.auth.models import Permission

    investors = roles[Role.INVESTOR]
    investors.permissions.add(Permission.objects.get(codename="delete_user"))
    roles_sync()
    assert not investors.permissions.exists()


def test_staff_flag_follows_the_roles(make_user):
    user = make_user(Role.INVESTOR)
    assert not user.is_staff
    user_set_roles(user=user, roles={Role.MANAGER})
    user.refresh_from_db()
    assert user.is_staff and user.has_role(Role.MANAGER) and not user.has_role(Role.INVESTOR)


def test_only_investors_stay_out_of_the_cabinet():
    assert set(Role) - {Role.INVESTOR} == STAFF_ROLES
    assert ROLE_PERMISSIONS[Role.INVESTOR] == {}


def test_who_confirms_that_an_investor_represents_a_company(users_by_role):
    allowed = {role for role, user in users_by_role.items() if user.has_perm("core.confirm_membership")}
    assert allowed == {Role.MANAGER, Role.HEAD, Role.DIRECTOR, Role.ADMINISTRATOR}
