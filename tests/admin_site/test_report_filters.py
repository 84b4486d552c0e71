"""A report page's selects write their options without a template per option (admin_site.forms.reports
.ReportSelect): what the page shows must be exactly what unfold's select draws — the same options, the chosen one
selected, every label escaped."""

import pytest
from django.http import QueryDict
from django.utils import timezone
from unfold.widgets import UnfoldAdminSelectWidget

from admin_site.forms.reports import ReportFilterForm, ReportSelect
from core.models import District
from core.reports.registry import reports

SELECTS = [(slug, name) for slug, spec in reports().items() for name in spec.filters
           if name in {"appeal_type", "status", "district", "executor_organisation", "channel", "mrg", "industry",
                       "stage"}]


def form(slug: str, user, query: str = "") -> ReportFilterForm:
    return ReportFilterForm(QueryDict(query), spec=reports()[slug], user=user, today=timezone.localdate(),
                            default_seed=None)


def stock(bound_field) -> str:
    """The field as unfold's own select draws it."""
    field = bound_field.field
    widget = UnfoldAdminSelectWidget()
    widget.choices = field.choices
    return bound_field.as_widget(widget=widget)


@pytest.mark.parametrize(("slug", "name"), SELECTS)
def test_each_report_select_is_drawn_as_unfold_draws_it(director, omsu, agency, classifier, slug, name):
    filters = form(slug, director)
    assert isinstance(filters.fields[name].widget, ReportSelect)
    assert str(filters[name]) == stock(filters[name])
    assert str(filters[name]).count("<option") == len(filters.fields[name].choices)


def test_the_chosen_option_stays_selected_and_labels_are_escaped(director):
    district = District.objects.create(name='Район «Север» & <юг>', order=1)
    filters = form("project-pool", director, f"district={district.pk}&stage=review")
    html = str(filters["district"])
    assert html == stock(filters["district"])
    assert f'<option value="{district.pk}" selected>Район «Север» &amp; &lt;юг&gt;</option>' in html
    assert '<option value="review" selected>' in str(filters["stage"])
    assert str(filters["stage"]) == stock(filters["stage"])
    assert '<option value="" >' not in html and '<option value="">Все</option>' in html
