def test_roles_fixture_gives_each_user_one_role(users_by_role):
    for role, user in users_by_role.items():
        assert user.has_role(role)
