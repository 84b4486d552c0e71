"""What each role may open and do in the cabinet (core.roles grants, core.selectors.visibility scopes)."""

import re

import pytest
from django.urls import reverse

from core.choices import OrganisationKind
from core.models import Organisation, User
from core.roles import Role
from tests.admin_site.helpers import page_text
from tests.factories import valid_inn, valid_ogrn

ALLOWED, DENIED = 200, 403

# (role, page, status): "<url name>" or "<url name>:<object>" where the object is a fixture name.
MATRIX = [
    (Role.EXECUTOR, "core_organisation_changelist", ALLOWED),
    (Role.EXECUTOR, "core_user_changelist", DENIED),
    (Role.EXECUTOR, "core_organisation_add", DENIED),
    (Role.MANAGER, "core_organisation_add", ALLOWED),
    (Role.MANAGER, "core_user_add", DENIED),
    (Role.MANAGER, "auth_group_changelist", DENIED),
    (Role.COORDINATOR, "core_user_changelist", ALLOWED),
    (Role.COORDINATOR, "core_district_add", DENIED),
    (Role.DATA_CLERK, "core_organisation_add", ALLOWED),
    (Role.DATA_CLERK, "core_district_add", ALLOWED),
    (Role.DATA_CLERK, "core_user_add", DENIED),
    (Role.DIRECTOR, "core_organisation_change:company", ALLOWED),
    (Role.DIRECTOR, "core_organisation_delete:company", DENIED),
    (Role.DIRECTOR, "auditlog_logentry_changelist", DENIED),
    (Role.ADMINISTRATOR, "core_user_add", ALLOWED),
    (Role.ADMINISTRATOR, "core_user_change:investor", ALLOWED),
    (Role.ADMINISTRATOR, "auth_group_changelist", ALLOWED),
    (Role.ADMINISTRATOR, "core_personaldataconsent_changelist", ALLOWED),
    (Role.ADMINISTRATOR, "auditlog_logentry_changelist", ALLOWED),
    (Role.ADMINISTRATOR, "axes_accessattempt_changelist", ALLOWED),
    (Role.ADMINISTRATOR, "django_q_schedule_changelist", ALLOWED),
]


@pytest.mark.parametrize(("role", "page", "status"), MATRIX, ids=lambda value: str(value))
def test_role_matrix(request, login, users_by_role, role, page, status):
    url_name, _, object_fixture = page.partition(":")
    args = [request.getfixturevalue(object_fixture).pk] if object_fixture else []
    response = login(users_by_role[role]).get(reverse(f"admin:{url_name}", args=args))
    assert response.status_code == status


def test_investor_gets_no_cabinet_even_with_the_staff_flag(login, investor):
    investor.is_staff = True  # set by mistake: the investor role still keeps the cabinet shut
    investor.save()
    response = login(investor).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_data_clerk_adds_an_organisation(login, data_clerk, district):
    inn, ogrn = valid_inn(), valid_ogrn()
    response = login(data_clerk).post(
        reverse("admin:core_organisation_add"),
        {
            "kind": OrganisationKind.INVESTOR,
            "short_name": "ООО «Новое»",
            "full_name": "Общество «Новое»",
            "inn": inn,
            "ogrn": ogrn,
            "district": district.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(inn=inn).short_name == "ООО «Новое»"


def test_organisation_form_rejects_a_wrong_inn(login, data_clerk):
    response = login(data_clerk).post(
        reverse("admin:core_organisation_add"),
        {"kind": OrganisationKind.INVESTOR, "short_name": "ООО «Ошибка»", "full_name": "Ошибка", "inn": "4700000000"},
    )
    assert response.status_code == 200
    assert "Неверный ИНН" in page_text(response)
    assert not Organisation.objects.filter(short_name="ООО «Ошибка»").exists()


def test_director_views_an_organisation_read_only(login, director, company):
    text = page_text(login(director).get(reverse("admin:core_organisation_change", args=[company.pk])))
    assert company.inn in text
    assert "Сохранить" not in text
    assert "Удалить" not in text


def test_commissioner_sees_investors_of_own_district_only(login, commissioner, company, other_company):
    text = page_text(login(commissioner).get(reverse("admin:core_organisation_changelist")))
    assert company.short_name in text
    assert other_company.short_name not in text
    hidden = login(commissioner).get(reverse("admin:core_organisation_change", args=[other_company.pk]))
    assert hidden.status_code == DENIED  # it exists, out of the commissioner's district: «Нет доступа»
    assert "нет к ней доступа" in page_text(hidden)


def test_executor_cannot_open_a_person(login, executor, investor):
    client = login(executor)
    assert client.get(reverse("admin:core_user_change", args=[investor.pk])).status_code == DENIED


def test_administrator_changes_a_user_and_gives_a_role(login, administrator, manager, roles):
    response = login(administrator).post(
        reverse("admin:core_user_change", args=[manager.pk]),
        {
            "email": manager.email,
            "last_name": manager.last_name,
            "first_name": manager.first_name,
            "organisation": manager.organisation_id,
            "position": "Главный специалист",
            "groups": [roles[Role.MANAGER].pk, roles[Role.DATA_CLERK].pk],
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.position == "Главный специалист"
    assert manager.has_role(Role.DATA_CLERK)
    assert not manager.is_superuser  # only a superuser makes a superuser


def test_roles_given_in_the_cabinet_open_and_close_the_cabinet(login, administrator, investor, roles):
    def give(groups):
        return login(administrator).post(
            reverse("admin:core_user_change", args=[investor.pk]),
            {"email": investor.email, "last_name": investor.last_name, "first_name": investor.first_name,
             "organisation": investor.organisation_id, "groups": groups, "is_active": "on"},
        )

    assert give([roles[Role.EXECUTOR].pk]).status_code == 302
    investor.refresh_from_db()
    assert investor.is_staff
    assert give([roles[Role.INVESTOR].pk]).status_code == 302
    investor.refresh_from_db()
    assert not investor.is_staff


def test_administrator_cannot_touch_a_superuser(login, administrator, superuser):
    response = login(administrator).get(reverse("admin:core_user_change", args=[superuser.pk]))
    assert "Сохранить" not in page_text(response)
    assert login(administrator).get(reverse("admin:core_user_delete", args=[superuser.pk])).status_code == DENIED
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert login(administrator).get(password_url).status_code == DENIED


def test_administrator_adds_a_user_by_email(login, administrator):
    response = login(administrator).post(
        reverse("admin:core_user_add"),
        {
            "email": "New.Person@Test.ZK.example",
            "last_name": "Петров",
            "first_name": "Пётр",
            "middle_name": "Петрович",
            "password1": "зелёный-коридор-2025",
            "password2": "зелёный-коридор-2025",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@test.zk.example")
    assert user.full_name == "Петров Пётр Петрович"
    assert user.check_password("зелёный-коридор-2025")


def test_user_add_form_rejects_an_email_differing_only_in_case(login, administrator, manager):
    response = login(administrator).post(
        reverse("admin:core_user_add"),
        {
            "email": manager.email.upper(),
            "last_name": "Двойник",
            "first_name": "Иван",
            "password1": "зелёный-коридор-2025",
            "password2": "зелёный-коридор-2025",
        },
    )
    assert response.status_code == 200
    assert "уже существует" in page_text(response)


def test_a_roles_page_names_its_permissions_in_russian(login, administrator, roles):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=Role.MANAGER.label)
    response = login(administrator).get(reverse("admin:auth_group_change", args=[group.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Can add" not in html and "Can view" not in html
    assert "| обращение | просмотр</option>" in html
    assert "| пользователь | Может подтверждать участие инвестора в компании</option>" in html
    assert "Второй фактор: приложение | приложение-аутентификатор | удаление</option>" in html
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert len(labels) > 200 and not [label for label in labels if re.search("[A-Za-z]{4}", label)]


def test_the_role_pages_say_role_as_the_sidebar_does_never_group(login, administrator, roles):
    """Roles are Django's groups (core.apps): the list, its footer, the breadcrumbs, the buttons and the permission
    names say «роль», as the sidebar's «Роли» does — not Django's «группа» and «Пользователи и группы»."""
    from django.contrib.auth.models import Group

    client = login(administrator)
    group = Group.objects.get(name=Role.MANAGER.label)
    pages = {name: client.get(reverse(name, args=args)).content.decode() for name, args in [
        ("admin:auth_group_changelist", []), ("admin:auth_group_change", [group.pk]), ("admin:auth_group_add", []),
        ("admin:auth_group_history", [group.pk]), ("admin:app_list", ["auth"])]}
    for name, html in pages.items():
        assert not re.search("[Гг]рупп", html), name
    assert f"{len(Role)} ролей" in pages["admin:auth_group_changelist"]
    assert "Пользователи и роли" in pages["admin:auth_group_changelist"]
    assert "Удалить роль" in pages["admin:auth_group_change"]
    assert "Пользователи и роли | роль | добавление</option>" in pages["admin:auth_group_change"]


def test_a_right_granted_to_a_role_in_the_cabinet_is_in_the_change_log_with_who_did_it(login, administrator,
                                                                                       roles):
    from auditlog.models import LogEntry
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name=Role.MANAGER.label)
    granted = Permission.objects.get(codename="delete_appeal")
    assert not group.permissions.filter(pk=granted.pk).exists()
    rights = [*group.permissions.values_list("pk", flat=True), granted.pk]
    response = login(administrator).post(reverse("admin:auth_group_change", args=[group.pk]),
                                         {"name": group.name, "permissions": rights})
    assert response.status_code == 302 and group.permissions.filter(pk=granted.pk).exists()
    entry = LogEntry.objects.get_for_object(group).latest("pk")
    assert entry.actor == administrator
    change = entry.changes["permissions"]
    assert change["operation"] == "add" and change["objects"] == [str(granted)]
