"""Upload limits (issue 11): each file, each request and each appeal (count, total size), a daily quota per person;
a request with too many files or too big a body gets a Russian page; a full disk leaves neither a row nor a file.

Every test stores into its own MEDIA_ROOT (the real FileSystemStorage), so «no file left» is checked on disk.
"""

import errno
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.test import Client
from django.urls import reverse

from core.choices import DocumentKind
from core.forms import _files_help
from core.models import Appeal, AppealEvent, AppealFile, ProjectDocument
from core.services.attachments import files_genitive
from core.services.projects import documents_upload
from core.workflows.appeals import appeal_transition
from tests.portal.test_appeals import create_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
KB = 1024


def pdf(name: str = "Схема.pdf", size: int = 0) -> SimpleUploadedFile:
    """A PDF by its signature, padded to `size` bytes."""
    return SimpleUploadedFile(name, PDF + b"0" * max(size - len(PDF), 0), content_type="application/pdf")


@pytest.fixture
def media(tmp_path, settings) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root), "base_url": None},
    }}
    return root


def files_on_disk(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def portal(client, investor):
    client.force_login(investor)
    return client


@pytest.fixture
def disk_full_on_second_file(monkeypatch):
    """The real FileSystemStorage, except that the second file written runs out of space half-way: a partial file
    is on disk when OSError(ENOSPC) is raised, as a full disk leaves it."""
    real_save = FileSystemStorage._save
    calls = []

    def save(storage, name, content):
        calls.append(name)
        if len(calls) == 2:
            path = Path(storage.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"%PDF-1.4 half of it")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return calls


# --- limits in the door ------------------------------------------------------------------------------------
def test_a_file_over_the_size_limit_is_refused(media, settings, file_appeal):
    settings.UPLOAD_MAX_FILE_MB = 1

    with pytest.raises(ValidationError) as refused:
        file_appeal(files=[pdf("Большой.pdf", 1024 * KB + 1)])

    assert refused.value.message_dict["files"] == ["Файл «Большой.pdf» больше 1 МБ."]
    assert not Appeal.objects.exists() and not files_on_disk(media)


def test_more_than_twenty_files_at_once_are_refused_and_nothing_is_written(media, file_appeal):
    with pytest.raises(ValidationError) as refused:
        file_appeal(files=[pdf(f"Лист {n}.pdf") for n in range(21)])

    assert refused.value.message_dict["files"] == ["За один раз можно приложить не больше 20 файлов, выбрано 21."]
    assert not Appeal.objects.exists() and not files_on_disk(media)
    assert file_appeal(files=[pdf(f"Лист {n}.pdf") for n in range(20)]).files.count() == 20


def test_files_over_the_total_size_at_once_are_refused(media, settings, file_appeal):
    settings.UPLOAD_MAX_TOTAL_MB = 1

    with pytest.raises(ValidationError) as refused:
        file_appeal(files=[pdf(f"Часть {n}.pdf", 400 * KB) for n in range(3)])

    assert "Файлы вместе больше 1 МБ (выбрано 1,2 МБ)" in refused.value.message_dict["files"][0]
    assert not Appeal.objects.exists() and not files_on_disk(media)


def test_an_appeal_holds_at_most_twenty_files_and_100_mb_in_all(media, settings, file_appeal, investor):
    appeal = file_appeal(files=[pdf(f"Лист {n}.pdf") for n in range(18)])

    with pytest.raises(ValidationError) as refused:
        appeal_transition(appeal=appeal, name="comment", actor=investor, text="Ещё три листа",
                          files=[pdf(f"Доп {n}.pdf") for n in range(3)])

    assert refused.value.message_dict["files"] == [
        "К обращению можно приложить не больше 20 файлов: уже приложено 18, можно добавить ещё 2."]
    assert appeal.files.count() == 18 and not appeal.events.filter(kind="comment").exists()
    assert len(files_on_disk(media)) == 18

    settings.UPLOAD_MAX_TOTAL_MB = 1
    appeal.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        appeal_transition(appeal=appeal, name="comment", actor=investor, text="Большой лист",
                          files=[pdf("Большой.pdf", 1023 * KB)])
    assert refused.value.message_dict["files"][0].startswith(
        "Файлы обращения вместе не могут быть больше 1 МБ: уже приложено")


def test_a_daily_quota_per_person_counts_appeal_files_and_project_documents(
    media, settings, file_appeal, investor, apply_project
):
    settings.UPLOAD_DAILY_QUOTA_MB = 1
    appeal = file_appeal(files=[pdf("Утро.pdf", 500 * KB)])
    documents_upload(project=apply_project(), actor=investor, uploads=[pdf("Паспорт.pdf", 300 * KB)],
                     kind=DocumentKind.OTHER)

    with pytest.raises(ValidationError) as refused:
        appeal_transition(appeal=appeal, name="comment", actor=investor, text="Вечерний файл",
                          files=[pdf("Вечер.pdf", 300 * KB)])

    assert refused.value.messages == [
        "Сегодня вы уже загрузили 0,8 МБ, а в сутки можно не больше 1 МБ. Эти файлы (0,3 МБ) не сохранены: "
        "приложите их завтра или передайте персональному менеджеру."]
    assert AppealFile.objects.count() == 1 and ProjectDocument.objects.count() == 1
    assert not appeal.events.filter(kind="comment").exists()
    assert len(files_on_disk(media)) == 2


# --- the portal: Russian answers, never Django's English 400 ----------------------------------------------
def test_a_hundred_files_in_one_request_get_the_russian_form_error(media, portal, problem_fact):
    data = create_data(problem_fact, files=[pdf(f"Лист {n}.pdf") for n in range(100)])

    response = portal.post(reverse("portal:appeal_create"), data)

    assert response.status_code == 200
    assert "За один раз можно приложить не больше 20 файлов, выбрано 100." in response.text
    assert not Appeal.objects.exists() and not files_on_disk(media)


def test_more_files_than_django_parses_get_a_russian_page(media, portal, problem_fact):
    data = create_data(problem_fact, files=[pdf(f"Лист {n}.pdf") for n in range(101)])

    response = portal.post(reverse("portal:appeal_create"), data)

    assert response.status_code == 400
    assert "За один раз можно отправить не больше 20 файлов" in response.text
    assert "TooManyFilesSent" not in response.text and "Bad Request" not in response.text
    assert not Appeal.objects.exists() and not files_on_disk(media)


def test_a_body_over_twice_the_request_limit_gets_a_russian_413(media, settings, portal, problem_fact):
    settings.UPLOAD_MAX_TOTAL_MB = 1

    response = portal.post(reverse("portal:appeal_create"),
                           create_data(problem_fact, files=[pdf("Архив.pdf", 2100 * KB)]))

    assert response.status_code == 413
    assert "общим объёмом до 1 МБ" in response.text
    assert "Выйти" in response.text and "Регистрация" not in response.text  # still signed in, and shown so
    assert not Appeal.objects.exists() and not files_on_disk(media)


def test_the_refusal_pages_log_out_button_works(media, settings, investor, problem_fact):
    """The page is made before the CSRF middleware runs; its «Выйти» form still carries the person's token."""
    settings.UPLOAD_MAX_TOTAL_MB = 1
    client = Client(enforce_csrf_checks=True)
    client.force_login(investor)
    form_page = client.get(reverse("portal:appeal_create"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text).group(1)

    refused = client.post(reverse("portal:appeal_create"),
                          {**create_data(problem_fact, files=[pdf("Архив.pdf", 2100 * KB)]),
                           "csrfmiddlewaretoken": token})
    assert refused.status_code == 413
    logout = re.search(r'<form[^>]*action="([^"]*)"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" '
                       r'value="([^"]+)"', refused.text)
    assert logout is not None, "the page's «Выйти» form has no CSRF token"

    response = client.post(logout.group(1), {"csrfmiddlewaretoken": logout.group(2)})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_full_disk_while_receiving_the_request_gets_a_russian_503(media, portal, problem_fact, monkeypatch):
    def no_space(handler, raw_data, start):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", no_space)

    response = portal.post(reverse("portal:appeal_create"), create_data(problem_fact, files=[pdf()]))

    assert response.status_code == 503
    assert "Сервер не смог принять файлы" in response.text
    assert not Appeal.objects.exists()


# --- a full disk while storing: nothing written, no file left --------------------------------------------
def test_a_full_disk_on_the_second_file_of_an_appeal_leaves_nothing(
    media, portal, problem_fact, disk_full_on_second_file
):
    data = create_data(problem_fact, files=[pdf(f"Лист {n}.pdf") for n in range(3)])

    response = portal.post(reverse("portal:appeal_create"), data)

    assert response.status_code == 200
    assert "Файлы не сохранены: на сервере закончилось место" in response.text
    assert len(disk_full_on_second_file) == 2  # the first file was written, the second failed half-way
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists() and not AppealFile.objects.exists()
    assert files_on_disk(media) == []


def test_a_full_disk_on_a_comment_leaves_the_appeal_as_it_was(
    media, portal, file_appeal, disk_full_on_second_file
):
    appeal = file_appeal()
    url = reverse("portal:appeal_action", args=[appeal.pk, "comment"])

    response = portal.post(url, {"version": appeal.updated_at.isoformat(), "text": "Прикладываю схемы",
                                 "files": [pdf("Схема 1.pdf"), pdf("Схема 2.pdf")]})

    assert response.status_code == 200
    assert "Файлы не сохранены" in response.text
    assert not appeal.events.filter(kind="comment").exists() and not appeal.files.exists()
    assert files_on_disk(media) == []


def test_a_full_disk_on_project_documents_leaves_none_of_them(
    media, portal, apply_project, disk_full_on_second_file
):
    project = apply_project()

    response = portal.post(reverse("portal:project_documents", args=[project.pk]), {
        "kind": DocumentKind.OTHER, "title": "", "files": [pdf("Лист 1.pdf"), pdf("Лист 2.pdf")]})

    assert response.status_code == 200
    assert "Файлы не сохранены" in response.text
    assert not ProjectDocument.objects.exists() and files_on_disk(media) == []


@pytest.mark.parametrize(("limit", "phrase"), [(1, "1 файла"), (2, "2 файлов"), (20, "20 файлов"), (21, "21 файла"),
                                               (25, "25 файлов")])
def test_the_file_limit_is_counted_in_russian_for_any_setting(settings, limit, phrase):
    settings.UPLOAD_MAX_FILES = limit
    assert files_genitive(limit) == phrase
    assert f"за раз не больше {phrase} и" in str(_files_help())
