"""The appeal's history draws its labels with {% cabinet_label %} (admin_site/templatetags/cabinet_cells.py): markup
rendered once per colour instead of unfold's label template per label — the same HTML as the include it replaced."""

import itertools

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from admin_site.templatetags import cabinet_cells
from admin_site.views.appeals import _timeline_entry
from core.choices import AppealEventKind, AppealStatus
from core.models import AppealEvent
from tests.admin_site.appeals.helpers import act
from tests.admin_site.helpers import steady_page

OURS = Template('{% load cabinet_cells %}[{% cabinet_label type=t text=x label_title=lt %}]'
                '[{% cabinet_label text=x %}]')
UNFOLDS = Template('[{% include "unfold/helpers/label.html" with type=t text=x label_title=lt %}]'
                   '[{% include "unfold/helpers/label.html" with text=x %}]')


@pytest.mark.parametrize("colour", ["info", "danger", "warning", "success", "primary", "default", None, "<x>"])
def test_a_label_is_unfolds(colour):
    texts = ["Смена статуса", '<script>"&"</script>', gettext_lazy("Комментарий"), "", None, 7]
    for text in texts:
        for title in ["Инвестор этого не видит", "", None, '<b>"t"</b>']:
            for extra in [{}, {"type": "danger"}, {"icon": "add"}, {"href": "/x?a=1&b=2"}, {"class": "ml-1"},
                          {"size": "md"}, {"variant": "info"}, {"label_title": "outer"}]:
                values = {"t": colour, "x": text, "lt": title, **extra}
                assert OURS.render(Context(values)) == UNFOLDS.render(Context(values)), values


def test_the_appeal_page_is_what_the_includes_drew(login, director, file_appeal, coordinator, manager, head,
                                                   monkeypatch):
    appeal = file_appeal(subject="<b>Тема</b> & «кавычки»")
    act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager, head=head,
        comment="Служебная заметка <i>для своих</i>")
    act(appeal, "take_into_work", manager)
    client = login(director)
    url = reverse("admin:core_appeal_change", args=[appeal.pk])
    ours = steady_page(client, url)
    monkeypatch.setattr(cabinet_cells, "_by_template", lambda context, given: True)
    assert ours == steady_page(client, url)
    assert ours.count('data-event="') >= 3


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_history_lines_name_kinds_and_statuses_as_django_does(language):
    """The history's labels come from dicts built once (admin_site.views.appeals), not from get_FOO_display() per
    line: the same text for every kind and every move between statuses, a blank «was» included."""
    statuses = ["", *AppealStatus.values, "unknown"]
    with translation.override(language):
        for kind in [*AppealEventKind.values, "unknown"]:
            for was, now in itertools.product(statuses, statuses):
                event = AppealEvent(kind=kind, from_status=was, to_status=now)
                entry = _timeline_entry(event)
                assert entry["kind"] == event.get_kind_display()
                if entry["was"]:
                    assert entry["was"][0] == event.get_from_status_display()
                    assert entry["now"][0] == event.get_to_status_display()
                else:
                    assert not now or was == now
