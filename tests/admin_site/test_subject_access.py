"""«Выгрузить персональные данные»: an administrator downloads a zip of everything held about a person; nobody else."""

import io
import json
import zipfile

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from core.models import AppealFile
from core.roles import Role
from core.services.personal_data import SUBJECT_ACCESS_EVENT
from tests.admin_site.appeals.helpers import PDF, pdf

pytestmark = pytest.mark.django_db


def export_url(user) -> str:
    return reverse("admin:subject_access_export", args=[user.pk])


def test_administrator_downloads_the_zip_with_json_and_the_uploaded_file(login, administrator, investor,
                                                                          file_appeal):
    appeal = file_appeal(subject="Подключение к газу", files=[pdf("Схема участка.pdf")])
    stored = AppealFile.objects.get(appeal=appeal, uploaded_by=investor)

    response = login(administrator).get(export_url(investor))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"personal-data-{investor.pk}-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    user = json.loads(archive.read("user.json"))[0]
    assert (user["email"], user["last_name"], user["phone"]) == (investor.email, investor.last_name, investor.phone)
    assert [row["subject"] for row in json.loads(archive.read("appeals_filed.json"))] == ["Подключение к газу"]
    files = json.loads(archive.read("files.json"))
    assert [row["name"] for row in files] == ["Схема участка.pdf"]
    assert archive.read(files[0]["path"]) == PDF == stored.file.open("rb").read()
    entry = LogEntry.objects.get(additional_data__event=SUBJECT_ACCESS_EVENT)
    assert (entry.actor_id, entry.object_pk) == (administrator.pk, str(investor.pk))  # who exported whom


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DIRECTOR, Role.DATA_CLERK, Role.HEAD, Role.COORDINATOR])
def test_other_roles_get_403(login, users_by_role, investor, role):
    response = login(users_by_role[role]).get(export_url(investor))

    assert response.status_code == 403
    assert b"PK" not in response.content[:2]


def test_an_investor_never_gets_the_zip(login, investor, other_investor):
    response = login(investor).get(export_url(other_investor))

    assert response.status_code in (302, 403) and not response.content.startswith(b"PK")


def test_the_button_is_on_the_user_page_for_administrators_only(login, administrator, manager, investor):
    page = reverse("admin:core_user_change", args=[investor.pk])
    button = reverse("admin:core_user_subject_access_export", args=[investor.pk])

    assert button in login(administrator).get(page).text
    assert login(administrator).get(button).url == export_url(investor)
    assert button not in login(manager).get(page).text
    assert login(manager).get(button).status_code == 403
