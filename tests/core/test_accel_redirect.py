"""Private files handed to nginx (PRIVATE_FILES_ACCEL_PREFIX, deploy/nginx/zk.conf): the view checks the permission
and answers with headers only — X-Accel-Redirect to nginx's internal location, the person's file name, no-store —
from the local folder or, as a presigned GET only nginx makes, from the bucket. Without the setting the application
streams the bytes itself (the default, tested with the downloads)."""

from urllib.parse import quote
from urllib.request import urlopen

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import storage_fixtures

pytestmark = pytest.mark.django_db
s3_server, s3_storage = storage_fixtures.s3_server, storage_fixtures.s3_storage

NAME = "Схема участка.pdf"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def attachment(file_appeal):
    return file_appeal(files=[SimpleUploadedFile(NAME, PDF, content_type="application/pdf")]).files.get()


def test_behind_nginx_the_cabinet_download_is_an_accel_redirect_to_the_private_folder(
    client, director, attachment, settings
):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    client.force_login(director)
    response = client.get(reverse("admin:core_appeal_file", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_private/" + quote(attachment.file.name)
    assert response.content == b""  # nginx sends the bytes
    assert response["Content-Type"] == "application/pdf"
    assert f"filename*=utf-8''{quote(NAME)}" in response["Content-Disposition"]
    assert "private, no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_without_the_setting_the_application_streams_the_file(client, director, attachment):
    client.force_login(director)
    response = client.get(reverse("admin:core_appeal_file", args=[attachment.pk]))
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == PDF


def test_the_permission_is_checked_before_any_redirect(client, other_investor, investor, attachment, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    url = reverse("portal:appeal_file", args=[attachment.pk])
    client.force_login(other_investor)
    refused = client.get(url)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused

    attachment.file.storage.delete(attachment.file.name)  # lost from the folder: «Файл не найден», not nginx's 404
    client.force_login(investor)
    assert client.get(url).status_code == 404


def test_from_the_bucket_nginx_gets_a_presigned_get_of_the_object(s3_storage, s3_server, client, investor,
                                                                  file_appeal, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    stored = file_appeal(files=[SimpleUploadedFile(NAME, PDF, content_type="application/pdf")]).files.get()
    client.force_login(investor)
    response = client.get(reverse("portal:appeal_file", args=[stored.pk]))
    assert response.status_code == 200 and response.content == b""
    target = response["X-Accel-Redirect"]
    path, _, query = target.partition("?")
    assert path == f"/_private/{s3_storage.name}/{quote(stored.file.name)}"
    assert "X-Amz-Signature=" in query and "X-Amz-Expires=60" in query
    # what nginx's internal location does: the same path and query against the endpoint
    with urlopen(s3_server + target.removeprefix("/_private")) as fetched:
        assert fetched.read() == PDF
