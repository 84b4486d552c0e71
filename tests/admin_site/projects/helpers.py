"""Helpers of the project tests in the cabinet: a step through the door, the page's addresses, posting a form."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Project, Task
from core.workflows.projects import project_transition

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WAY_TO = {  # the stage actions that bring a new application to each stage
    "review": ["start_review"],
    "accepted": ["start_review", "accept"],
    "pre_investment": ["start_review", "accept", "start_pre_investment"],
    "investment": ["start_review", "accept", "start_pre_investment", "start_investment"],
    "operational": ["start_review", "accept", "start_pre_investment", "start_investment", "start_operation"],
}


def move(project: Project, name: str, actor, **data) -> Project:
    """A stage step made through the door directly, to bring a project where a test needs it."""
    return project_transition(project=Project.objects.get(pk=project.pk), name=name, actor=actor, **data)


def bring(project: Project, stage: str, actor) -> Project:
    for name in WAY_TO[stage]:
        project = move(project, name, actor)
    return project


def pdf(name: str = "Технические условия.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def page_url(project: Project, tab: str = "") -> str:
    url = reverse("admin:core_project_change", args=[project.pk])
    return f"{url}?tab={tab}" if tab else url


def op_url(project: Project, op: str, target=None) -> str:
    args = [project.pk, op] + ([target.pk] if target is not None else [])
    return reverse("admin:core_project_op", args=args)


def stage_url(project: Project, name: str) -> str:
    return reverse(f"admin:core_project_action_{name}", args=[project.pk])


def post_stage(client, project: Project, name: str, *, version: str | None = None, **data):
    """Submit a stage action's form as the browser does, with the version of the project the page showed."""
    seen = Project.objects.get(pk=project.pk)
    return client.post(stage_url(project, name), {"version": version or seen.updated_at.isoformat(), **data},
                       follow=True)


def post_task_step(client, task: Task, name: str, **data):
    seen = Task.objects.get(pk=task.pk)
    url = reverse(f"admin:core_task_action_{name}", args=[task.pk])
    return client.post(url, {"version": seen.updated_at.isoformat(), **data}, follow=True)
