from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_notification_contact_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="personaldataconsent",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="отозвано"),
        ),
    ]
