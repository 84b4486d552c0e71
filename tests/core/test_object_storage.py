"""Files in an S3-compatible bucket (STORAGE_URL, core/storage.py), against a local S3 server (moto's server mode,
tests/storage_fixtures.py): an investor's file lands in the bucket and comes back byte for byte only through the
permission-checked views, a register prepared in the background is stored there and downloaded by its owner,
and a backup takes the bucket's files and restores them into another installation's bucket.
"""

import io
import json
import os
import tarfile
from html import unescape
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.choices import AppealEventKind
from core.models import AppealFile, ExportJob
from core.models.exports import ExportStatus
from core.reports import registers
from core.services.attachments import STORAGE_FAILED
from core.services.health import readiness
from core.storage import S3_BACKEND, storage_from_url
from tests import storage_fixtures
from tests.core import test_backup as backup_tests
from tests.core.test_registers import xlsx_rows
from tests.portal.test_appeals_page import action_url, page_url, version_in
from tests.storage_fixtures import make_bucket

pytestmark = pytest.mark.django_db
s3_server, s3_storage = storage_fixtures.s3_server, storage_fixtures.s3_storage
installation = backup_tests.installation  # an empty installation beside the test's, restored by manage.py

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 300 + b"\n%%EOF\n"  # binary, several chunks of a response
# over FILE_UPLOAD_MAX_MEMORY_SIZE: the backup reads the object through a temporary file, not in memory
BIG = b"%PDF-1.4\n" + os.urandom(6 * 1024 * 1024) + b"\n%%EOF\n"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_storage_url_names_the_bucket_its_folder_and_endpoint():
    assert storage_from_url("s3://zk-files/prod/?endpoint_url=http://127.0.0.1:9000&region=ru-central1") == {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {"bucket_name": "zk-files", "location": "prod", "endpoint_url": "http://127.0.0.1:9000",
                    "region_name": "ru-central1"},
    }
    assert storage_from_url("s3://zk-files")["OPTIONS"] == {"bucket_name": "zk-files", "location": ""}
    for wrong in ("zk-files", "file:///var/private", "s3://key:secret@zk-files", "s3://zk-files?acl=public-read",
                  "s3://zk-files?region=", "s3://zk-files?addressing_style=sideways"):
        with pytest.raises(ImproperlyConfigured):
            storage_from_url(wrong)


def test_an_investors_file_is_in_the_bucket_and_downloads_only_through_the_permission_check(
    s3_storage, client, investor, other_investor, file_appeal, settings
):
    appeal = file_appeal()
    client.force_login(investor)
    version = version_in(client.get(page_url(appeal)).text, "comment")
    upload = SimpleUploadedFile("Съезд.pdf", PDF)
    response = client.post(action_url(appeal, "comment"), {"version": version, "text": "Схема.", "files": [upload]})
    assert response.status_code == 302
    stored = AppealFile.objects.get(event__kind=AppealEventKind.COMMENT)
    assert s3_storage.objects() == {stored.file.name: PDF}  # in the bucket, under its random private name
    assert not (Path(settings.MEDIA_ROOT) / stored.file.name).exists()  # and not in the local folder
    with pytest.raises(ValueError):
        stored.file.url  # noqa: B018 (no bucket URL, signed or public, ever leaves the application)

    url = reverse("portal:appeal_file", args=[stored.pk])
    download = client.get(url)
    assert download.status_code == 200 and body(download) == PDF
    assert download["Content-Length"] == str(len(PDF))
    assert "filename*=utf-8''%D0%A1%D1%8A%D0%B5%D0%B7%D0%B4.pdf" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"

    client.force_login(other_investor)
    assert client.get(url).status_code == 404

    client.force_login(investor)  # an object lost from the bucket is «Файл не найден», not a 500
    s3_storage.client.delete_object(Bucket=s3_storage.name, Key=stored.file.name)
    assert client.get(url).status_code == 404


def test_a_bucket_that_cannot_be_written_refuses_the_upload_in_russian_and_keeps_nothing(
    s3_storage, client, investor, file_appeal
):
    appeal = file_appeal()
    client.force_login(investor)
    version = version_in(client.get(page_url(appeal)).text, "comment")
    s3_storage.client.delete_bucket(Bucket=s3_storage.name)  # as an outage or revoked access would answer

    upload = SimpleUploadedFile("Съезд.pdf", PDF)
    response = client.post(action_url(appeal, "comment"), {"version": version, "text": "Схема.", "files": [upload]})
    assert response.status_code == 200 and str(STORAGE_FAILED) in unescape(response.text)
    assert not AppealFile.objects.exists() and not appeal.events.filter(kind=AppealEventKind.COMMENT).exists()


def test_a_register_prepared_in_the_background_is_stored_in_the_bucket_for_its_owner(
    s3_storage, client, director, manager, file_appeal, monkeypatch, django_capture_on_commit_callbacks
):
    appeals = [file_appeal(subject=f"Подключение к сетям, участок {n}") for n in (1, 2)]
    monkeypatch.setattr(registers, "REGISTER_SYNC_LIMIT", 1)
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("admin:core_appeal_register", args=["xlsx"]))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportStatus.DONE  # the q2 task ran inline

    in_bucket = s3_storage.objects()
    assert list(in_bucket) == [job.file.name]
    download_url = reverse("admin:export_job_download", args=[job.uid])
    download = client.get(download_url)
    assert download.status_code == 200 and body(download) == in_bucket[job.file.name]
    _, rows = xlsx_rows(in_bucket[job.file.name])
    assert sorted(row[0].value for row in rows) == sorted(appeal.number for appeal in appeals)

    client.force_login(manager)
    assert client.get(download_url).status_code == 404


def test_storage_readiness_writes_and_reads_the_bucket(s3_storage):
    storage = next(check for check in readiness() if check.name == "storage")
    assert storage.ok, storage.detail
    assert s3_storage.objects() == {}  # the probe cleaned up after itself


@pytest.mark.django_db(transaction=True)  # the backup dumps committed rows
def test_a_backup_takes_the_bucket_and_the_restore_fills_another_installations_bucket(
    s3_storage, s3_server, file_appeal, installation, tmp_path, monkeypatch
):
    appeal = file_appeal(files=[SimpleUploadedFile("План.pdf", PDF), SimpleUploadedFile("Чертёж.pdf", BIG)])
    source = s3_storage.objects()
    assert sorted(source) == sorted(appeal.files.values_list("file", flat=True)) and len(source) == 2

    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    archive = Path(out.getvalue().strip().splitlines()[-1])
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert {name: tar.extractfile(f"files/{name}").read() for name in source} == source
    assert {entry["path"] for entry in manifest["files"]} == set(source)

    target = make_bucket(s3_server)  # the new installation's empty bucket
    monkeypatch.setenv("STORAGE_URL", target.url)
    restored = installation.manage("restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Восстановлено и проверено" in restored.stdout
    assert target.objects() == source
    assert not installation.media.exists()  # nothing went to the local folder

    again = installation.manage("restore", str(archive))  # the bucket is not empty any more
    assert again.returncode != 0 and "файлы в хранилище файлов" in again.stderr
