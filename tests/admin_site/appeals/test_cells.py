"""The appeals list draws its badges, two-line cells, fact links and row checkboxes from markup built once
(admin_site.admin.cells, AppealAdmin.fact_link), not through unfold's templates for every cell: each cell must be
exactly what unfold's own templates printed for the same values, every value escaped."""

from types import SimpleNamespace

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy
from unfold.admin import checkbox
from unfold.utils import display_for_header, display_for_label

from admin_site.admin import cells
from admin_site.admin.appeals import CHANNEL_COLOURS, STATUS_COLOURS, fact_cell
from core.choices import AppealChannel, AppealStatus
from core.models import Organisation

TEXTS = [
    "Обращение взято в работу",
    "<script>alert(1)</script> ООО «Ятэк & Ко» \"двойные\" 'одинарные'",
    gettext_lazy("Портал"),
    "   пробелы   ",
]


@pytest.mark.parametrize("colour", ["danger", "warning", "success", "info", "primary", "default", None])
def test_a_badge_is_unfolds_label(colour):
    for text in [*TEXTS, ""]:
        assert cells.label_cell(text, colour) == display_for_label(("key", text), "-", {"key": colour})


def test_a_two_line_cell_is_unfolds_header():
    company = Organisation(short_name="ООО «Грань» <b>&</b>")
    for title in [*TEXTS, ""]:
        for subtitle in [TEXTS[1], company, "", gettext_lazy("Агентство")]:
            assert cells.header_cell(title, subtitle) == display_for_header((title, subtitle), "-"), (title, subtitle)


def test_a_row_checkbox_is_unfolds():
    for pk in (1, 20_000, "a&b"):
        row = SimpleNamespace(pk=pk)
        assert cells.action_checkbox(None, row) == checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(pk))


def test_a_fact_link_is_the_one_the_column_drew():
    long = "Факт " + "очень длинного названия " * 5 + "<конец & «всё»>"
    for name in ("Отказ в согласовании", long):
        drawn = format_html(
            '<a href="{}" title="{}" class="text-primary-600">{}</a><p class="text-base-500">{}</p>',
            reverse("admin:core_appeal_stream", args=[7]), f"Поток: {name}", Truncator(name).chars(70), "Проблема",
        )
        assert fact_cell(7, name, "Проблема", "/", None, "ru") == drawn


def test_the_list_shows_unfolds_badges_and_cells(login, director, appeal):
    html = login(director).get(reverse("admin:core_appeal_changelist")).content.decode()
    status = display_for_label((appeal.status, appeal.get_status_display()), "-", STATUS_COLOURS)
    channel = display_for_label((appeal.channel, appeal.get_channel_display()), "-", CHANNEL_COLOURS)
    two_lines = display_for_header((appeal.subject, appeal.organisation_name), "-")
    for cell in (status, channel, two_lines, checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(appeal.pk))):
        assert cell in html
    assert str(AppealStatus(appeal.status).label) in html and str(AppealChannel(appeal.channel).label) in html
