"""The export job page counts rows in Russian: «из 21 строки», «из 22 строк»."""

import pytest
from django.urls import reverse

from core.models import ExportJob
from core.models.exports import ExportStatus
from tests.admin_site.helpers import page_text


@pytest.mark.parametrize(("total", "expected"), [
    (1, "Готово 0% — 0 из 1 строки"),
    (21, "Готово 0% — 0 из 21 строки"),
    (22, "Готово 0% — 0 из 22 строк"),
    (25, "Готово 0% — 0 из 25 строк"),
])
def test_the_job_page_counts_rows_in_russian(login, director, total, expected):
    job = ExportJob.objects.create(user=director, register="projects", file_format="xlsx", query="",
                                   status=ExportStatus.RUNNING, rows_total=total, rows_done=0)
    assert expected in page_text(login(director).get(reverse("admin:export_job", args=[job.uid])))
