"""The row «Текст обращения уточнён» of a moderator's correction carried that sentence as its text too, so the
investor's page and the documents printed it twice; the text of those rows is emptied (the row's kind says it)."""

from django.db import migrations

REPEATED = ("Текст обращения уточнён", "Текст обращения уточнен")


def empty_repeated_text(apps, schema_editor):
    AppealEvent = apps.get_model("core", "AppealEvent")
    AppealEvent.objects.filter(kind="corrected", text__in=REPEATED).update(text="")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0026_request_events_name_their_request"),
    ]

    operations = [
        migrations.RunPython(empty_repeated_text, migrations.RunPython.noop),
    ]
