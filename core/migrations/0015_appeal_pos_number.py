from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0014_appeal_next_alert_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="pos_number",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="номер в ПОС"),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("pos_number", ""), _negated=True), fields=("pos_number",),
                name="appeal_pos_number_unique",
            ),
        ),
    ]
