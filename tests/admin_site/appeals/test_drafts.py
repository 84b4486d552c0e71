"""«Составить черновик» in the answer dialog (admin_site.views.drafts, core.services.drafts, issue 15): shown only
while LLM_URL is set, a job started and polled, the draft marked; a local fake server stands in for the model."""

import pytest
from django.urls import reverse

from core.models import DraftJob
from core.selectors.visibility import appeals_visible_to
from core.services.drafts import DRAFT_MARK
from tests.admin_site.appeals.helpers import act, action_url
from tests.fake_llm import serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_model(settings):
    yield from serve(settings)


@pytest.fixture
def in_work(assigned, manager):
    return act(assigned, "take_into_work", manager)


def start_url(appeal) -> str:
    return reverse("admin:core_appeal_draft_start", args=[appeal.pk])


def test_with_the_model_off_there_is_no_button_and_the_endpoints_are_404(login, in_work, manager, settings):
    settings.LLM_URL = ""
    client = login(manager)
    dialog = client.get(action_url(in_work, "submit_for_approval")).content.decode()
    assert "Шаблон ответа" in dialog  # the dialog itself works
    assert "Составить черновик" not in dialog and "drafts.js" not in dialog
    assert client.post(start_url(in_work)).status_code == 404
    assert client.get(reverse("admin:core_appeal_draft", args=[1])).status_code == 404
    assert not DraftJob.objects.exists()


def test_the_answer_dialog_drafts_and_the_person_reads_the_marked_text(login, in_work, manager, fake_model,
                                                                      django_capture_on_commit_callbacks):
    client = login(manager)
    dialog = client.get(action_url(in_work, "submit_for_approval")).content.decode()
    assert "Составить черновик" in dialog and f'data-url="{start_url(in_work)}"' in dialog
    assert "admin_site/drafts.js" in dialog
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(start_url(in_work))
    assert started.status_code == 202
    state = client.get(started.json()["url"]).json()
    assert state["status"] == "done" and state["text"] == f"{DRAFT_MARK}\n\nУважаемый инвестор!"
    assert in_work.subject in fake_model.prompt()
    in_work.refresh_from_db()
    assert in_work.answer_text == ""  # nothing is sent or saved: the person edits and sends the form


def test_a_failed_draft_tells_why_in_russian(login, in_work, manager, fake_model,
                                             django_capture_on_commit_callbacks):
    fake_model.status = 503
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(start_url(in_work))
    state = client.get(started.json()["url"]).json()
    assert state["status"] == "failed" and state["error"].startswith("Языковая модель ответила ошибкой (код 503)")


def test_someone_who_does_not_see_the_appeal_gets_404(login, in_work, executor, fake_model):
    assert not appeals_visible_to(executor).filter(pk=in_work.pk).exists()
    assert login(executor).post(start_url(in_work)).status_code == 404
    assert not DraftJob.objects.exists() and not fake_model.requests


def test_someone_who_may_not_answer_now_is_refused_in_russian(login, in_work, coordinator, fake_model):
    response = login(coordinator).post(start_url(in_work))
    assert response.status_code == 403 and response.json()["error"].startswith("Подготовить ответ")
    assert not DraftJob.objects.exists()


def test_another_persons_draft_is_404(login, in_work, manager, head, fake_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        url = login(manager).post(start_url(in_work)).json()["url"]
    assert login(head).get(url).status_code == 404
