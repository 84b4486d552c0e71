"""A project's history rows about a request to a participant name the request (`data["request"]`), so that a body
which sees the project only because it was asked something there reads the rows of its own requests and not those of
other bodies (core.selectors.projects.project_history_for). Rows written before this migration are tied here: the
row «Запрос «<тема>» в …» to the request of that project with that subject sent closest to it, the row «Получен
ответ на запрос «<тема>»» to the one answered closest to it, the row «Загружен документ «…»» of an answer's file to
the file's request. A request row no request matches stays untied, and only staff who see every request read it."""

from django.db import migrations


def _subject(text: str, name: str) -> str | None:
    """The subject between the first «…»: up to the last «» в » of a sent row, up to the last «»» of an answer's."""
    start = text.find("«")
    end = text.rfind("» в ") if name == "request_send" else text.rfind("»")
    return text[start + 1:end] if 0 <= start < end else None


def tie_rows(apps, schema_editor):
    ProjectEvent = apps.get_model("core", "ProjectEvent")
    ParticipantRequest = apps.get_model("core", "ParticipantRequest")
    # read first, then write: SQLite gives no isolation between an open cursor and updates of the same rows
    rows = list(ProjectEvent.objects.filter(kind="request", name__in=("request_send", "request_answer")))
    for row in rows:
        if (row.data or {}).get("request"):
            continue
        subject = _subject(row.text, row.name)
        if subject is None:
            continue
        candidates = ParticipantRequest.objects.filter(project_id=row.project_id, subject=subject)
        moment = "sent_at" if row.name == "request_send" else "answered_at"
        best = min((c for c in candidates if getattr(c, moment) is not None),
                   key=lambda c: abs((getattr(c, moment) - row.created_at).total_seconds()), default=None)
        if best is not None:
            ProjectEvent.objects.filter(pk=row.pk).update(data={**(row.data or {}), "request": best.pk})


def tie_answer_files(apps, schema_editor):
    """The row «Загружен документ «<название>»» of a file that answered a request, to that request."""
    ProjectEvent = apps.get_model("core", "ProjectEvent")
    ProjectDocument = apps.get_model("core", "ProjectDocument")
    for document in list(ProjectDocument.objects.filter(request__isnull=False)):
        name = document.title or document.original_name
        rows = [row for row in ProjectEvent.objects.filter(project_id=document.project_id, kind="document",
                                                           name="document", text__contains=f"«{name}»")
                if not (row.data or {}).get("request")]
        best = min(rows, key=lambda row: abs((row.created_at - document.uploaded_at).total_seconds()), default=None)
        if best is not None:
            ProjectEvent.objects.filter(pk=best.pk).update(data={**(best.data or {}), "request": document.request_id})


def tie(apps, schema_editor):
    tie_rows(apps, schema_editor)
    tie_answer_files(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0025_land_plot_area_positive"),
    ]

    operations = [
        migrations.RunPython(tie, migrations.RunPython.noop),
    ]
