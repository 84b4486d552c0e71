"""A category's short name for the dashboard chart; `manage.py seed_reference` fills the seven federal ones."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0011_cache_table")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="short_name",
            field=models.CharField(
                blank=True,
                help_text="Для графиков на главной странице, например «Строительство». Пусто — полное название.",
                max_length=40,
                verbose_name="краткое название",
            ),
        ),
    ]
