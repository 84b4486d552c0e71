"""The filing row «Обращение подано» said «Ответить до 13.03.2025», which reads to the investor as an order to them;
it now says «Срок ответа — до 13.03.2025». Older rows are reworded the same way (only that phrase; the rest of a
staff-registered row — channel and time of receipt — stays)."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace


def reword(apps, schema_editor):
    """One UPDATE on the database (no row read and written back while a cursor over the same rows is open)."""
    AppealEvent = apps.get_model("core", "AppealEvent")
    AppealEvent.objects.filter(kind="submitted", text__contains="Ответить до ").update(
        text=Replace("text", Value("Ответить до "), Value("Срок ответа — до ")))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0027_corrected_rows_without_repeated_text"),
    ]

    operations = [
        migrations.RunPython(reword, migrations.RunPython.noop),
    ]
