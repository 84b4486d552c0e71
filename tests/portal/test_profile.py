import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROFILE = {
    "last_name": "Синицына",
    "first_name": "Вера",
    "middle_name": "",
    "phone": "8 (812) 000-11-22",
    "position": "Финансовый директор",
}


def test_profile_shows_email_and_company(client, investor):
    client.force_login(investor)

    response = client.get(reverse("portal:profile"))

    assert investor.email in response.text
    assert investor.organisation.full_name in response.text
    assert investor.organisation.inn in response.text
    assert reverse("portal:password_change") in response.text
    assert f'value="{investor.last_name}"' in response.text


def test_investor_edits_name_phone_and_position(client, investor):
    client.force_login(investor)

    response = client.post(reverse("portal:profile"), PROFILE, follow=True)

    assert "Профиль сохранён" in response.text
    investor.refresh_from_db()
    assert (investor.last_name, investor.first_name, investor.middle_name) == ("Синицына", "Вера", "")
    assert (investor.phone, investor.position) == ("8 (812) 000-11-22", "Финансовый директор")


def test_invalid_phone_is_not_saved(client, investor):
    client.force_login(investor)
    phone = investor.phone

    response = client.post(reverse("portal:profile"), {**PROFILE, "phone": "123"})

    assert response.status_code == 200
    assert "Неверный номер телефона" in response.text
    assert 'value="Синицына"' in response.text
    investor.refresh_from_db()
    assert investor.phone == phone


def test_email_cannot_be_changed_through_the_profile(client, investor):
    client.force_login(investor)

    client.post(reverse("portal:profile"), {**PROFILE, "email": "hijack@test.zk.example"})

    investor.refresh_from_db()
    assert investor.email == "investor@test.zk.example"


def test_the_investor_downloads_what_is_held_about_them_and_the_download_is_logged(client, investor, file_appeal,
                                                                                  other_investor):
    """The investor guide promised it («В профиле можно выгрузить свои персональные данные»); only administrators
    could. The zip is the administrator's one, about the investor alone, and the audit log names them."""
    import io
    import json
    import zipfile

    from auditlog.models import LogEntry

    from core.services.personal_data import SUBJECT_ACCESS_EVENT

    file_appeal(subject="Подключение к сетям")
    client.force_login(investor)
    page = client.get(reverse("portal:profile")).text
    assert reverse("portal:personal_data_export") in page and "Выгрузить мои персональные данные" in page
    assert client.get(reverse("portal:personal_data_export")).status_code == 405  # a button, never a link

    response = client.post(reverse("portal:personal_data_export"))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f"personal-data-{investor.pk}-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("user.json"))[0]["email"] == investor.email
    assert [row["subject"] for row in json.loads(archive.read("appeals_filed.json"))] == ["Подключение к сетям"]
    assert other_investor.email not in archive.read("user.json").decode()
    entry = LogEntry.objects.get(additional_data__event=SUBJECT_ACCESS_EVENT)
    assert (entry.actor, entry.object_id) == (investor, investor.pk)
