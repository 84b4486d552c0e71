"""The appeals list's rows are drawn by admin_site.admin.rows instead of unfold's row machinery and row template:
the page must be exactly what unfold drew for the same rows (the same request with rows_markup turned off), every
value escaped, the links keeping the list's filters; a list it cannot draw is left to unfold."""

import re
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from admin_site.admin import rows
from admin_site.templatetags import cabinet_list
from core.models import Appeal, Organisation
from tests.admin_site.appeals.helpers import act
from tests.admin_site.helpers import steady_page

LIST_URL = reverse("admin:core_appeal_changelist")
def _drawn_both_ways(client, url: str, monkeypatch) -> tuple[str, str, list]:
    drawn = []

    def spy(cl, actions_row):
        drawn.append(rows_markup(cl, actions_row))
        return drawn[-1]

    rows_markup = cabinet_list.rows_markup
    monkeypatch.setattr(cabinet_list, "rows_markup", spy)
    ours = steady_page(client, url)
    monkeypatch.setattr(cabinet_list, "rows_markup", lambda cl, actions_row: None)  # unfold's own rows
    unfolds = steady_page(client, url)
    return ours, unfolds, drawn


@pytest.fixture
def listed(file_appeal, coordinator, manager, head):
    """Appeals in several states: assigned with a manager, overdue, a subject and a company name to escape."""
    assigned = file_appeal(subject="Подключение к сетям «Мосводоканала»")
    act(assigned, "assign", coordinator, executor_organisation=manager.organisation, manager=manager, head=head)
    with time_machine.travel("2025-02-21 12:47 +03:00", tick=False):
        file_appeal(subject="Старое обращение")  # long overdue
    tricky = file_appeal(subject="<script>alert(1)</script> & \"кавычки\" 'одинарные' {{ x }} %s")
    Appeal.objects.filter(pk=tricky.pk).update(organisation_name='ООО «Ятэк & Ко» <b>"А"</b>')
    return assigned


@pytest.mark.parametrize("query", [
    "", "?o=-2.3", "?status__exact=moderation", "?q=%D0%9F%D0%BE%D0%B4%D0%BA%D0%BB%D1%8E%D1%87%D0%B5%D0%BD%D0%B8%D0%B5",
    "?overdue=yes&o=4",
])
def test_the_list_is_what_unfold_drew(login, director, listed, monkeypatch, query):
    ours, unfolds, drawn = _drawn_both_ways(login(director), LIST_URL + query, monkeypatch)
    assert drawn and drawn[0], "the rows were not drawn by admin_site.admin.rows"
    assert ours == unfolds


def test_every_value_is_escaped_and_links_keep_the_filters(login, director, listed, monkeypatch):
    ours, unfolds, _ = _drawn_both_ways(login(director), LIST_URL + "?status__exact=moderation", monkeypatch)
    assert ours == unfolds
    assert "<script>alert" not in ours and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;кавычки&quot;" in ours
    assert "&lt;b&gt;&quot;А&quot;&lt;/b&gt;" in ours
    assert "?_changelist_filters=status__exact%3Dmoderation" in ours


def test_a_manager_sees_the_same_rows_as_unfold_drew(login, listed, manager, monkeypatch):
    ours, unfolds, drawn = _drawn_both_ways(login(manager), LIST_URL, monkeypatch)
    assert drawn and drawn[0] and ours == unfolds


def test_lists_it_cannot_draw_are_left_to_unfold(rf, director):
    """A model field among the columns, a column with unfold's display flags, editable rows, row actions."""
    request = rf.get("/")
    request.user = director
    organisations = admin.site._registry[Organisation]
    assert rows._columns(SimpleNamespace(model_admin=organisations, lookup_opts=Organisation._meta,
                                         list_display=organisations.list_display,
                                         list_display_links=organisations.list_display_links)) is None
    appeals = admin.site._registry[Appeal]

    def flagged(obj):
        return ""

    flagged.label = True
    cl = SimpleNamespace(model_admin=appeals, lookup_opts=Appeal._meta, list_display=[flagged],
                         list_display_links=None, formset=None, is_popup=False, result_list=[])
    assert rows._columns(cl) is None
    plain = SimpleNamespace(**{**vars(cl), "list_display": ["number_display"]})
    assert rows.rows_markup(plain, None) == ""
    assert rows.rows_markup(SimpleNamespace(**{**vars(plain), "formset": object()}), None) is None
    assert rows.rows_markup(plain, ["an action"]) is None


def _classes_sorted(html: str) -> str:  # unfold joins a set of classes: their order is the process's hash order
    return re.sub(r'class="([^"]*)"', lambda m: 'class="' + " ".join(sorted(m.group(1).split())) + '"', html)


@pytest.mark.parametrize("selected", ["", "2", "<x>"])
def test_the_filters_selects_are_unfolds(selected):
    """The list's dropdown filters write their options without a template each (OptionsDropdownForm)."""
    from unfold.contrib.filters.forms import DropdownForm

    from admin_site.admin.filters import OptionsDropdownForm

    choices = [("", "Все"), (1, "Одно"), (2, 'ООО «Ятэк & Ко» <b>"А"</b>'), ("<x>", "x")]
    for name in ("status__exact", "organisation__district__id__exact"):
        ours, unfolds = (str(form(name=name, label=" По статусу ", choices=choices, data={name: selected})[name])
                         for form in (OptionsDropdownForm, DropdownForm))
        assert _classes_sorted(ours) == _classes_sorted(unfolds)
        assert "&lt;b&gt;" in ours


def test_cached_badges_are_the_columns_own(appeal):
    """Status, channel and deadline badges are kept per value and language (admin_site.admin.appeals): each must be
    what the column drew from the appeal itself, in each language, whatever the deadline."""
    from datetime import timedelta

    from django.utils import timezone, translation
    from unfold.utils import display_for_label

    from admin_site.admin.appeals import CHANNEL_COLOURS, DEADLINE_COLOURS, STATUS_COLOURS
    from admin_site.views.appeals import deadline_state
    from core.choices import AppealChannel, AppealStatus

    columns = admin.site._registry[Appeal]
    today = timezone.localdate()
    for language in ("ru", "en"):
        with translation.override(language):
            for status in [*AppealStatus.values, "unknown"]:
                for shift in (-40, -1, 0, 1, 2, 3, 30):
                    row = SimpleNamespace(status=status, deadline=today + timedelta(days=shift), days_left=shift)
                    colour, text = deadline_state(row)  # as it reads an Appeal: deadline, status, days_left
                    assert columns.deadline_badge(row) == display_for_label((colour, text), "-", DEADLINE_COLOURS)
                label = dict(AppealStatus.choices).get(status, status)
                row = SimpleNamespace(status=status)
                assert columns.status_badge(row) == display_for_label((status, label), "-", STATUS_COLOURS)
            for channel in [*AppealChannel.values, "unknown"]:
                label = dict(AppealChannel.choices).get(channel, channel)
                row = SimpleNamespace(channel=channel)
                assert columns.channel_badge(row) == display_for_label((channel, label), "-", CHANNEL_COLOURS)
    assert appeal.days_left == (appeal.deadline - today).days  # what deadline_cell computes in its place
