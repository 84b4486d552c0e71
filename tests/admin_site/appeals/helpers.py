"""Helpers of the appeal tests in the cabinet: a step through the door, a file, posting an action's form."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Appeal
from core.workflows.appeals import appeal_transition

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def act(appeal: Appeal, name: str, actor, **data) -> Appeal:
    """A step made through the door directly, to bring an appeal to the status a test needs."""
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def pdf(name: str = "Схема примыкания.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def card_url(appeal: Appeal) -> str:
    return reverse("admin:core_appeal_change", args=[appeal.pk])


def action_url(appeal: Appeal, name: str) -> str:
    if name == "comment":
        return reverse("admin:core_appeal_comment", args=[appeal.pk])
    return reverse(f"admin:core_appeal_action_{name}", args=[appeal.pk])


def post_action(client, appeal: Appeal, name: str, *, version: str | None = None, **data):
    """Submit an action's form as the browser does, with the version of the appeal the page showed."""
    seen = Appeal.objects.get(pk=appeal.pk)
    payload = {"version": version or seen.updated_at.isoformat(), **data}
    return client.post(action_url(appeal, name), payload, follow=True)


def people_offered(client, **params) -> list[str]:
    """The names a dialog's person picker offers (admin_site.views.appeal_people), every page of them."""
    names, page = [], 1
    while True:
        answer = client.get(reverse("admin:core_appeal_people"), {**params, "page": page}).json()
        names += [row["text"] for row in answer["results"]]
        if not answer["pagination"]["more"]:
            return names
        page += 1
