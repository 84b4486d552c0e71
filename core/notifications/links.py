"""Where a notice leads: investors to the portal, staff to the cabinet, always the page of the object."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Appeal, ExportJob, Meeting, ParticipantRequest, Project, RoadmapItem, Task, User
from core.selectors.visibility import is_staff_member


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def object_kind(obj) -> str:
    return {
        Appeal: "appeal", Project: "project", Task: "task", Meeting: "meeting", ParticipantRequest: "request",
        RoadmapItem: "roadmap_item", User: "user", ExportJob: "export",
    }[type(obj)]


# The button of an in-app notice, by the kind of object its link leads to (the letters say the same).
OPEN_LABELS = {
    "appeal": _("Открыть обращение"), "project": _("Открыть проект"), "task": _("Открыть задачу"),
    "meeting": _("Открыть встречу"), "request": _("Открыть запрос"), "roadmap_item": _("Открыть дорожную карту"),
    "export": _("Открыть выгрузку"), "user": _("Открыть кабинет"),
}


def open_label(kind: str) -> str:
    return str(OPEN_LABELS.get(kind, _("Открыть")))


def link_for(user: User, obj) -> str:
    """The page of `obj` in the face `user` works in."""
    staff = is_staff_member(user)
    kind = object_kind(obj)
    if kind == "appeal":
        path = reverse("admin:core_appeal_change", args=[obj.pk]) if staff else reverse(
            "portal:appeal_detail", args=[obj.pk]
        )
    elif kind == "project":
        path = reverse("admin:core_project_change", args=[obj.pk]) if staff else reverse(
            "portal:project_passport", args=[obj.pk]
        )
    elif kind == "task":
        if staff:
            path = reverse("admin:core_task_change", args=[obj.pk])
        else:
            path = reverse("portal:project_tasks", args=[obj.project_id])
    elif kind == "meeting":
        if staff:
            path = reverse("admin:core_meeting_change", args=[obj.pk])
        elif not obj.project_id:  # a meeting about an appeal: its block on the appeal's page
            path = reverse("portal:appeal_detail", args=[obj.appeal_id]) + f"#meeting-{obj.pk}"
        else:
            path = reverse("portal:project_meetings", args=[obj.project_id]) + f"#meeting-{obj.pk}"
    elif kind == "request":
        path = reverse("admin:core_participantrequest_change", args=[obj.pk])
    elif kind == "roadmap_item":
        path = reverse("admin:core_project_change", args=[obj.project_id]) + "?tab=roadmap" if staff else reverse(
            "portal:project_roadmap", args=[obj.project_id]
        )
    elif kind == "export":  # the download page of a register export prepared in the background
        path = reverse("admin:export_job", args=[obj.uid])
    else:  # a digest addressed to the person: their start page
        path = reverse("admin:index") if staff else reverse("portal:cabinet")
    return absolute(path)


def appeal_action_link(appeal: Appeal, action: str) -> str:
    """An investor's action form on the appeal page (rate the answer, send it back for rework)."""
    return absolute(reverse("portal:appeal_detail", args=[appeal.pk]) + f"#action-{action}")


def notifications_link(user: User) -> str:
    return absolute(reverse("admin:notifications") if is_staff_member(user) else reverse("portal:notifications"))


def preferences_link(user: User) -> str:
    name = "admin:notification_preferences" if is_staff_member(user) else "portal:notification_preferences"
    return absolute(reverse(name))
