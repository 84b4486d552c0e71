"""A project's history row about a new task said «Задача «…» для Кузнецова Ольга Игоревна до 10.12.2026»: the name,
in the nominative, after «для». It now says «Задача «…»: исполнитель — Кузнецова Ольга Игоревна, срок —
10.12.2026»; older rows are reworded the same way."""

import re

from django.db import migrations

OLD = re.compile(r"\AЗадача «(?P<title>.*)» для (?P<who>.+) до (?P<date>\d\d\.\d\d\.\d{4})\Z", re.DOTALL)


def reword(apps, schema_editor):
    ProjectEvent = apps.get_model("core", "ProjectEvent")
    # read first, then write: SQLite gives no isolation between an open cursor and updates of the same rows
    rows = list(ProjectEvent.objects.filter(name="task_create", text__contains="» для ").values_list("pk", "text"))
    for pk, text in rows:
        match = OLD.match(text)
        if match:
            ProjectEvent.objects.filter(pk=pk).update(
                text=f"Задача «{match['title']}»: исполнитель — {match['who']}, срок — {match['date']}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0028_submitted_rows_name_the_due_date"),
    ]

    operations = [
        migrations.RunPython(reword, migrations.RunPython.noop),
    ]
