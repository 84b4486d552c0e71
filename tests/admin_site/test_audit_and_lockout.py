"""A change made in the cabinet is recorded with its author; repeated wrong passwords lock the login."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from core.models import Organisation
from tests.admin_site.helpers import page_text
from tests.factories import TEST_PASSWORD


def test_a_change_in_the_cabinet_is_logged_with_the_person_who_made_it(login, data_clerk, company):
    url = reverse("admin:core_organisation_change", args=[company.pk])
    response = login(data_clerk).post(
        url,
        {
            "kind": company.kind,
            "full_name": company.full_name,
            "short_name": "ООО «Новое имя»",
            "inn": company.inn,
            "ogrn": company.ogrn,
            "district": company.district_id or "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(company).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == data_clerk
    assert entry.changes_dict["short_name"] == [company.short_name, "ООО «Новое имя»"]
    assert entry.remote_addr == "127.0.0.1"


def test_bad_input_in_the_cabinet_changes_nothing(login, data_clerk, company):
    url = reverse("admin:core_organisation_change", args=[company.pk])
    response = login(data_clerk).post(
        url, {"kind": company.kind, "full_name": "X", "short_name": "X", "inn": "9704098568", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "Неверный ИНН" in response.content.decode()
    assert Organisation.objects.get(pk=company.pk).short_name == company.short_name
    assert not LogEntry.objects.get_for_object(company).filter(action=LogEntry.Action.UPDATE).exists()


@pytest.fixture
def axes_on(settings, db):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    yield
    from axes.utils import reset

    reset()


def test_repeated_wrong_passwords_lock_the_account_out(axes_on, client, manager):
    url = reverse("admin:login")
    for _ in range(2):
        response = client.post(url, {"username": manager.email, "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with an error
    third = client.post(url, {"username": manager.email, "password": "wrong-password"})
    assert third.status_code == 429  # the third failure locks
    locked = client.post(url, {"username": manager.email, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "заблокирован" in locked.content.decode()
    # the cabinet's own page: sign in later or ask the administrator; not the portal's, with its password reset
    text = page_text(locked)
    assert "Попробуйте снова через 60 мин." in text and "обратитесь к администратору системы" in text
    assert "В кабинет менеджера" in text and "Восстановите его" not in text
    assert "_auth_user_id" not in client.session  # even the right password does not get in now


def test_the_journal_filters_by_kind_named_in_russian(login, administrator, data_clerk, company):
    """The filter «Тип объекта» listed model codes (`organisation`, `personaldataconsent`); now their names."""
    from django.contrib.contenttypes.models import ContentType

    from tests.admin_site.helpers import page_text

    company.short_name = "ООО «Журнал»"
    company.save()
    client = login(administrator)
    page = client.get(reverse("admin:auditlog_logentry_changelist"))
    text = page_text(page)
    assert "Тип объекта" in text and "Организация" in text and "Обращение" in text
    assert ">personaldataconsent<" not in page.content.decode() and ">organisation<" not in page.content.decode()
    kind = ContentType.objects.get_for_model(Organisation).pk
    filtered = client.get(reverse("admin:auditlog_logentry_changelist"), {"resource_type": kind})
    assert "ООО «Журнал»" in page_text(filtered)
    for bad in ("x", "²", "99999999999999999999"):
        assert client.get(reverse("admin:auditlog_logentry_changelist"), {"resource_type": bad}).status_code == 200


def test_the_login_journals_are_named_in_russian_in_their_breadcrumbs(login, administrator):
    from tests.admin_site.helpers import page_text

    text = page_text(login(administrator).get(reverse("admin:axes_accessattempt_changelist")))
    assert "Журналы входа" in text and "Axes" not in text
