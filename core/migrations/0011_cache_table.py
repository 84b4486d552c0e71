"""The database cache's table (CACHE_URL's default dbcache://zk_cache) holds the abuse limits, so a plain
`manage.py migrate` must create it; with Redis (or any other cache) there is nothing to do."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0010_consent_withdrawn_at")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
