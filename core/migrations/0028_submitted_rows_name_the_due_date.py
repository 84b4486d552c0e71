"""The filing row «Обращение подано» said «Ответить до 13.03.2025», which reads to the investor as an order to them;
it now says «Срок ответа — до 13.03.2025». Older rows are reworded the same way (only that phrase; the rest of a
staff-registered row — channel and time of receipt — stays)."""

import re

from django.db import migrations

OLD = re.compile(r"Ответить до (\d\d\.\d\d\.\d{4})")


def reword(apps, schema_editor):
    AppealEvent = apps.get_model("core", "AppealEvent")
    rows = AppealEvent.objects.filter(kind="submitted", text__contains="Ответить до ")
    for row in rows.only("pk", "text").iterator(chunk_size=1000):
        AppealEvent.objects.filter(pk=row.pk).update(text=OLD.sub(r"Срок ответа — до \1", row.text))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0027_corrected_rows_without_repeated_text"),
    ]

    operations = [
        migrations.RunPython(reword, migrations.RunPython.noop),
    ]
