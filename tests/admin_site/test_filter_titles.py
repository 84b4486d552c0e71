"""Every list filter of the cabinet is titled with a capital letter («Статус», «Просрочка»), whatever the field's
lower-case verbose name; the base ModelAdmin does it once for every list (admin_site.admin.base)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

FILTERED = sorted((model for model, model_admin in admin.site._registry.items() if model_admin.list_filter),
                  key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", FILTERED, ids=lambda model: model._meta.label)
def test_every_filter_title_starts_with_a_capital_letter(login, superuser, model):
    response = login(superuser).get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert titles, "the list has filters"
    assert [title for title in titles if not title[:1].isupper()] == []


def test_the_appeals_list_shows_the_capitalised_titles(login, superuser):
    html = login(superuser).get(reverse("admin:core_appeal_changelist")).content.decode()
    for title in ("Статус", "Просрочка", "Канал поступления"):
        assert re.search(rf">\s*{title}\s*<", html), title
    assert not re.search(r">\s*просрочка\s*<", html)
