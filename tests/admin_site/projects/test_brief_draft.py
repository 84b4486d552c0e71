"""«Черновик справки (языковая модель)» on the project page (admin_site.views.drafts, issue 15)."""

import pytest
from django.urls import reverse

from core.models import DraftJob
from core.services.drafts import DRAFT_MARK
from tests.fake_llm import serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_model(settings):
    yield from serve(settings)


def draft_url(project) -> str:
    return reverse("admin:core_project_draft_brief", args=[project.pk])


def page_url(project) -> str:
    return reverse("admin:core_project_change", args=[project.pk])


def test_with_the_model_off_there_is_no_button_and_the_page_is_404(login, manager, supported, settings):
    settings.LLM_URL = ""
    client = login(manager)
    assert draft_url(supported) not in client.get(page_url(supported)).content.decode()
    assert client.get(draft_url(supported)).status_code == 404
    assert client.post(draft_url(supported)).status_code == 404


def test_the_brief_draft_is_shown_to_copy(login, manager, supported, fake_model, django_capture_on_commit_callbacks):
    client = login(manager)
    assert draft_url(supported) in client.get(page_url(supported)).content.decode()
    assert "ещё не составляли" in client.get(draft_url(supported)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(draft_url(supported))
    assert response.status_code == 302 and response["Location"] == draft_url(supported)
    page = client.get(draft_url(supported)).content.decode()
    assert 'data-draft-status="done"' in page and DRAFT_MARK in page and "Уважаемый инвестор!" in page
    assert supported.name in fake_model.prompt()


def test_someone_who_does_not_see_the_project_gets_404(login, executor, project, fake_model):
    assert login(executor).post(draft_url(project)).status_code == 404
    assert not DraftJob.objects.exists()


def test_while_the_draft_is_written_the_page_polls_its_state(login, manager, supported, fake_model):
    client = login(manager)
    client.post(draft_url(supported))  # the task waits for a commit that the test's transaction never makes
    job = DraftJob.objects.get()
    page = client.get(draft_url(supported)).content.decode()
    assert job.status == "queued" and 'data-draft-status="waiting"' in page
    assert f'data-url="{reverse("admin:core_appeal_draft", args=[job.pk])}"' in page and "admin_site/drafts.js" in page
