"""The search index's text changed (issue 15 QA): a project's row holds its investor's short and full names, and the
separate texts of a column (history lines, answers, file names) are joined by « · ». No schema change: marked
`rebuilds_search_index`, so core.search.signals rebuilds every row after the `migrate` that applies it."""

from django.db import migrations


class Migration(migrations.Migration):
    rebuilds_search_index = True

    dependencies = [("core", "0021_search_index")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
