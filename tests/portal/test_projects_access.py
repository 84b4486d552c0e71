"""Who reaches the project pages: every URL carrying another company's project, document, task or meeting id
answers 404 and writes nothing; guests go to the login, staff to their cabinet."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.choices import ProjectStage
from core.models import CalendarFeed, LandPlot, Project, ProjectDocument, ProjectEvent, Task
from core.services.projects import document_upload, meeting_save, roadmap_item_save
from core.workflows.tasks import task_create
from tests.portal.test_projects import foreign_application, passport_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def fill(project, owner, manager) -> dict:
    """A document, a task, a meeting and a roadmap item on the project; returns their ids."""
    document = document_upload(project=project, actor=owner, upload=SimpleUploadedFile("План участка.pdf", PDF),
                               kind="land")
    task = task_create(author=owner, assignee=manager, project=project, title="Запросить ТУ на газ",
                       due_date=timezone.localdate() + timedelta(days=10))
    meeting = meeting_save(
        project=project, actor=manager, title="Установочная встреча", format="video", link="https://vks.example/1",
        starts_at=timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=3), datetime.min.time())),
    )
    roadmap_item_save(project=project, actor=manager, title="Подбор участка", planned_start=date(2026, 1, 10),
                      planned_end=date(2026, 3, 1))
    return {"document": document.pk, "task": task.pk, "meeting": meeting.pk}


@pytest.fixture
def foreign(apply_project, other_investor, manager):
    project = foreign_application(apply_project, other_investor, manager)
    return project, fill(project, other_investor, manager)


@pytest.fixture
def project(apply_project):
    return apply_project()


@pytest.fixture
def mine(project, investor, manager):
    return project, fill(project, investor, manager)


def project_urls(project, ids: dict) -> list[tuple[str, str]]:
    """Every investor URL under a project, with the ids of objects under it."""
    pk = project.pk
    return [
        ("get", reverse("portal:project_passport", args=[pk])),
        ("get", reverse("portal:project_passport_docx", args=[pk])),
        ("get", reverse("portal:project_passport_edit", args=[pk])),
        ("post", reverse("portal:project_passport_edit", args=[pk])),
        ("post", reverse("portal:project_land_plot_add", args=[pk])),
        ("post", reverse("portal:project_withdraw", args=[pk])),
        ("get", reverse("portal:project_documents", args=[pk])),
        ("post", reverse("portal:project_documents", args=[pk])),
        ("get", reverse("portal:project_document_file", args=[pk, ids["document"]])),
        ("get", reverse("portal:project_tasks", args=[pk])),
        ("post", reverse("portal:project_tasks", args=[pk])),
        ("post", reverse("portal:project_task_cancel", args=[pk, ids["task"]])),
        ("get", reverse("portal:project_meetings", args=[pk])),
        ("get", reverse("portal:project_meeting_ics", args=[pk, ids["meeting"]])),
        ("post", reverse("portal:project_calendar_feed_reset", args=[pk])),
        ("get", reverse("portal:project_roadmap", args=[pk])),
        ("get", reverse("portal:project_history", args=[pk])),
    ]


def post_data(project, manager) -> dict:
    """A post that each form would accept from the owner."""
    return {
        **passport_data(), "version": project.updated_at.isoformat(), "cadastral_number": "47:20:0112015:226",
        "reason": "Передумали", "kind": "other", "files": SimpleUploadedFile("Чужое.pdf", PDF),
        "assignee": str(manager.pk), "title": "Задача", "due_date": f"{timezone.localdate() + timedelta(days=5)}",
    }


def request(client, method: str, url: str, data: dict):
    return client.post(url, data) if method == "post" else client.get(url)


def test_every_url_with_another_company_project_answers_404(client, investor, manager, foreign, mine):
    foreign_project, ids = foreign
    client.force_login(investor)
    before = (ProjectEvent.objects.filter(project=foreign_project).count(), Task.objects.count(),
              ProjectDocument.objects.count(), LandPlot.objects.count())

    for method, url in project_urls(foreign_project, ids):
        response = request(client, method, url, post_data(foreign_project, manager))
        assert response.status_code == 404, (method, url)

    foreign_project.refresh_from_db()
    assert foreign_project.stage == ProjectStage.APPLICATION and foreign_project.name == "Чужой завод «Секрет»"
    assert (ProjectEvent.objects.filter(project=foreign_project).count(), Task.objects.count(),
            ProjectDocument.objects.count(), LandPlot.objects.count()) == before
    assert not CalendarFeed.objects.filter(user=investor).exists()


def test_own_project_with_another_company_objects_answers_404(client, investor, manager, foreign, mine):
    (_foreign_project, foreign_ids), (project, _ids) = foreign, mine
    client.force_login(investor)

    for name in ("project_document_file", "project_meeting_ics"):
        key = "document" if "document" in name else "meeting"
        assert client.get(reverse(f"portal:{name}", args=[project.pk, foreign_ids[key]])).status_code == 404, name
    cancel = reverse("portal:project_task_cancel", args=[project.pk, foreign_ids["task"]])
    assert client.post(cancel, {"version": "x"}).status_code == 404
    assert Task.objects.get(pk=foreign_ids["task"]).status == "new"


def test_the_same_urls_work_for_the_owner(client, other_investor, manager, foreign):
    foreign_project, ids = foreign
    client.force_login(other_investor)

    for method, url in project_urls(foreign_project, ids):
        if method == "get":
            assert client.get(url).status_code in (200, 302), url


def test_missing_ids_answer_404(client, investor, mine):
    project, _ids = mine
    client.force_login(investor)

    assert client.get(reverse("portal:project_passport", args=[999999])).status_code == 404
    assert client.get(reverse("portal:project_document_file", args=[project.pk, 999999])).status_code == 404
    assert client.get(reverse("portal:project_meeting_ics", args=[project.pk, 999999])).status_code == 404
    assert client.post(reverse("portal:project_task_cancel", args=[project.pk, 999999])).status_code == 404


def test_internal_documents_are_neither_listed_nor_downloadable(client, investor, manager, project):
    internal = document_upload(project=project, actor=manager, upload=SimpleUploadedFile("Служебная записка.pdf", PDF),
                               kind="other", is_internal=True)
    client.force_login(investor)

    assert "Служебная записка" not in client.get(reverse("portal:project_documents", args=[project.pk])).text
    assert client.get(reverse("portal:project_document_file", args=[project.pk, internal.pk])).status_code == 404


def test_an_unconfirmed_member_gets_404_on_the_company_project(client, investor, project):
    investor.membership_confirmed_at = None
    investor.save()
    client.force_login(investor)

    assert client.get(reverse("portal:project_passport", args=[project.pk])).status_code == 404


@pytest.mark.parametrize("name", ["project_list", "project_apply"])
def test_guests_are_sent_to_login(client, db, name):
    url = reverse(f"portal:{name}")

    assert client.get(url).url == reverse("portal:login") + "?next=" + url


def test_guests_are_sent_to_login_from_a_project(client, project):
    url = reverse("portal:project_passport", args=[project.pk])

    assert client.get(url).url == reverse("portal:login") + "?next=" + url


@pytest.mark.parametrize("staff", ["manager", "director"])
def test_staff_go_to_their_cabinet(client, request, project, staff):
    client.force_login(request.getfixturevalue(staff))

    assert client.get(reverse("portal:project_passport", args=[project.pk])).url == reverse("admin:index")
    assert client.get(reverse("portal:project_list")).url == reverse("admin:index")


def test_project_model_is_untouched_by_a_foreign_post_to_apply(client, investor, other_company):
    """Applying always files for the investor's own company, whatever the post says."""
    client.force_login(investor)

    client.post(reverse("portal:project_apply"), {**passport_data(), "investor": other_company.pk})

    assert Project.objects.get().investor_id == investor.organisation_id
