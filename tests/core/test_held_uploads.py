"""Files chosen in a form that comes back with an error are kept, so nobody has to choose them again
(core.services.held_uploads, core.forms.MultipleFileField)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.choices import AppealEventKind
from core.models import Appeal, AppealEvent, HeldUpload
from core.services.held_uploads import held_uploads_prune
from core.services.housekeeping import housekeeping_run
from core.services.personal_data import consent_withdraw
from tests.portal.support import PASSWORD
from tests.portal.test_appeals import PDF, PNG, create_data
from tests.portal.test_appeals_page import act, action_url, page_url, version_in

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("portal:appeal_create")


def pdf(name: str = "Схема съезда.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def held_tokens(html: str, name: str = "files") -> list[str]:
    return [unescape(token) for token in re.findall(rf'name="{name}-held" value="([^"]+)" checked', html)]


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


def test_a_file_chosen_in_a_form_with_an_error_is_kept_and_sent_with_it(
        logged_in, investor, problem_fact, django_capture_on_commit_callbacks):
    response = logged_in.post(CREATE_URL, create_data(problem_fact, subject="", files=[pdf()]))

    assert response.status_code == 200
    assert "Обязательное поле" in response.text
    assert "Этот файл уже получен: выбирать его снова не нужно." in response.text
    assert "Схема съезда.pdf" in response.text
    [token] = held_tokens(response.text)
    held = HeldUpload.objects.get()
    assert (held.user, held.original_name, str(held.token)) == (investor, "Схема съезда.pdf", token)
    assert not Appeal.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(CREATE_URL, create_data(problem_fact, **{"files-held": token}), follow=True)

    appeal = Appeal.objects.get()
    attached = appeal.files.get()
    assert attached.original_name == "Схема съезда.pdf"
    assert (attached.content_type, attached.size) == ("application/pdf", len(PDF))
    with attached.file.open("rb") as stored:
        assert stored.read() == PDF
    assert "Схема съезда.pdf" in response.text
    assert not HeldUpload.objects.exists()
    assert not default_storage.exists(held.file.name)  # the held copy went with its row


def test_held_and_newly_chosen_files_go_together_and_an_unticked_one_stays_out(
        logged_in, problem_fact, django_capture_on_commit_callbacks):
    response = logged_in.post(CREATE_URL, create_data(problem_fact, subject="",
                                                      files=[pdf("Первый.pdf"), pdf("Второй.pdf")]))
    assert "Эти файлы уже получены" in response.text
    first, _second = held_tokens(response.text)

    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(CREATE_URL, create_data(problem_fact, files=[pdf("Третий.pdf")], **{"files-held": first}))

    assert sorted(Appeal.objects.get().files.values_list("original_name", flat=True)) == ["Первый.pdf", "Третий.pdf"]
    assert list(HeldUpload.objects.values_list("original_name", flat=True)) == ["Второй.pdf"]  # until «Уборка»


def test_a_refused_file_is_not_kept(logged_in, problem_fact):
    response = logged_in.post(CREATE_URL, create_data(problem_fact, files=[SimpleUploadedFile("Схема.pdf", PNG)]))

    assert "Файл «Схема.pdf» не похож на PDF" in response.text
    assert held_tokens(response.text) == []
    assert not HeldUpload.objects.exists()


def test_another_persons_token_attaches_nothing(client, logged_in, other_investor, problem_fact):
    token = held_tokens(logged_in.post(CREATE_URL, create_data(problem_fact, subject="", files=[pdf()])).text)[0]
    client.force_login(other_investor)

    response = client.post(CREATE_URL, create_data(problem_fact, **{"files-held": token}))

    assert response.status_code == 200
    assert "Файл, выбранный раньше, больше не хранится" in response.text
    assert "Схема съезда.pdf" not in response.text
    assert not Appeal.objects.exists()


def test_a_file_held_longer_than_a_day_must_be_chosen_again(logged_in, problem_fact):
    token = held_tokens(logged_in.post(CREATE_URL, create_data(problem_fact, subject="", files=[pdf()])).text)[0]
    HeldUpload.objects.update(created_at=timezone.now() - timedelta(hours=25))

    response = logged_in.post(CREATE_URL, create_data(problem_fact, **{"files-held": token}))

    assert "Файл, выбранный раньше, больше не хранится: форму не отправляли дольше суток." in response.text
    assert not Appeal.objects.exists()
    assert held_uploads_prune() == 1
    assert not HeldUpload.objects.exists()


def test_a_file_over_the_persons_cap_is_named_to_choose_again(logged_in, problem_fact, settings):
    settings.UPLOAD_DAILY_QUOTA_MB = 0

    response = logged_in.post(CREATE_URL, create_data(problem_fact, subject="", files=[pdf()]))

    assert "Не сохранены, выберите снова: «Схема съезда.pdf»." in response.text
    assert not HeldUpload.objects.exists()


def test_narrowing_the_classifier_without_javascript_keeps_the_files(logged_in, problem_fact):
    data = create_data(problem_fact, step="category", files=[pdf()])

    response = logged_in.post(CREATE_URL, data)

    assert response.status_code == 200
    assert "Обязательное поле" not in response.text  # only the form shown again, nothing checked
    assert len(held_tokens(response.text)) == 1
    assert "Схема съезда.pdf" in response.text


def test_a_stale_appeal_page_keeps_the_comments_file(logged_in, file_appeal, coordinator, manager,
                                                     django_capture_on_commit_callbacks):
    appeal = file_appeal()
    version = version_in(logged_in.get(page_url(appeal)).text, "comment")
    act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)

    response = logged_in.post(action_url(appeal, "comment"),
                              {"version": version, "text": "Схема во вложении.", "files": [pdf()]})

    assert response.status_code == 409
    [token] = held_tokens(response.text)
    fresh = version_in(response.text, "comment")
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(action_url(appeal, "comment"),
                       {"version": fresh, "text": "Схема во вложении.", "files-held": token})
    event = appeal.events.get(kind=AppealEventKind.COMMENT)
    assert event.files.get().original_name == "Схема съезда.pdf"
    assert not HeldUpload.objects.exists()
    assert AppealEvent.objects.filter(files__isnull=False).count() == 1


def test_the_daily_housekeeping_removes_files_never_sent(logged_in, problem_fact):
    logged_in.post(CREATE_URL, create_data(problem_fact, subject="", files=[pdf("Давний.pdf")]))
    HeldUpload.objects.update(created_at=timezone.now() - timedelta(hours=30))
    logged_in.post(CREATE_URL, create_data(problem_fact, subject="", files=[pdf("Свежий.pdf")]))
    old = HeldUpload.objects.get(original_name="Давний.pdf")

    assert housekeeping_run()["held_uploads"] == 1

    assert list(HeldUpload.objects.values_list("original_name", flat=True)) == ["Свежий.pdf"]
    assert not default_storage.exists(old.file.name)


def test_withdrawing_consent_removes_the_persons_held_files(logged_in, investor, problem_fact,
                                                           django_capture_on_commit_callbacks):
    logged_in.post(CREATE_URL, create_data(problem_fact, subject="", files=[pdf()]))
    held = HeldUpload.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(user=investor, password=PASSWORD)

    assert not HeldUpload.objects.exists()
    assert not default_storage.exists(held.file.name)


def test_the_portals_document_form_keeps_its_files(logged_in, apply_project, django_capture_on_commit_callbacks):
    project = apply_project()
    url = reverse("portal:project_documents", args=[project.pk])

    response = logged_in.post(url, {"kind": "nonsense", "title": "Схема", "files": [pdf("Схема участка.pdf")]})

    assert "Схема участка.pdf" in response.text
    [token] = held_tokens(response.text)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(url, {"kind": "other", "title": "Схема", "files-held": token})
    assert list(project.documents.values_list("original_name", flat=True)) == ["Схема участка.pdf"]
    assert not HeldUpload.objects.exists()
