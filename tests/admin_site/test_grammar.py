"""The cabinet's generic screens put a model's name in the accusative after a verb: «Добавить организацию»,
«Удалить пользователя», not Django's and unfold's «Добавить организация» (admin_site/grammar.py,
admin_site/template_loader.py); list titles are the plural name; success messages need no gender."""

import re

import pytest
from django.contrib import admin
from django.template.loader import get_template
from django.urls import reverse

from admin_site import grammar
from admin_site.template_loader import PATCHES
from tests.admin_site.helpers import MAKERS, html_text, page_text

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    return html_text(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1))


def test_every_registered_model_declares_its_accusative():
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert set(grammar.ACCUSATIVE) & grammar.SAME_AS_NOMINATIVE == set()
    undeclared = labels - set(grammar.ACCUSATIVE) - grammar.SAME_AS_NOMINATIVE
    assert undeclared == set(), "add these models to admin_site/grammar.py"


def test_unfold_templates_the_loader_edits_still_have_the_lines_it_expects():
    for name, patches in PATCHES.items():  # raises ImproperlyConfigured after an unfold upgrade that changed a line
        source = get_template(name).template.source
        assert all(ours in source for _, ours in patches), name


def test_organisation_pages_say_it_in_russian(client, superuser):
    client.force_login(superuser)
    organisation = MAKERS["core.Organisation"]()
    changelist = client.get(reverse("admin:core_organisation_changelist"))
    assert _title(changelist).startswith("Организации")
    assert 'title="Добавить организацию"' in changelist.content.decode()  # unfold's «+» button
    add = client.get(reverse("admin:core_organisation_add"))
    assert "Добавить организацию |" in _title(add)
    change = client.get(reverse("admin:core_organisation_change", args=[organisation.pk]))
    assert "| Изменить организацию |" in _title(change)
    assert "Удалить организацию" in page_text(change)


def test_a_person_is_named_in_the_accusative(client, superuser):
    client.force_login(superuser)
    row = MAKERS["core.User"]()
    response = client.get(reverse("admin:core_user_change", args=[row.pk]))
    assert "| Изменить пользователя |" in _title(response)
    assert "Удалить пользователя" in page_text(response)


def test_a_record_people_only_look_at_says_view(client, superuser):
    row = MAKERS["core.WebhookDelivery"]()
    client.force_login(superuser)
    response = client.get(reverse("admin:core_webhookdelivery_change", args=[row.pk]))
    assert "| Просмотреть доставку события |" in _title(response)


@pytest.mark.parametrize("label", sorted(grammar.ACCUSATIVE))
def test_no_generic_screen_glues_the_nominative(client, superuser, label):
    """For every model whose accusative differs, its list, add and change pages never say «<verb> <nominative>»."""
    client.force_login(superuser)
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    opts = model._meta
    row = MAKERS[opts.label]()
    nominative, accusative = str(opts.verbose_name).lower(), grammar.accusative(opts)
    assert nominative != accusative
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])]
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:  # no add page for records the system writes
            continue
        text = (page_text(response) + " " + _title(response)).lower()
        for verb in ("добавить", "изменить", "удалить", "просмотреть", "выберите"):
            assert f"{verb} {nominative}" not in text, (url, verb)


def test_success_messages_need_no_gender(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:auth_group_add"), {"name": "Проверка писем"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Добавлено: Роль «") and "Проверка писем" in m for m in messages), messages
    assert not any("был успешно" in m for m in messages)


def test_neutral_message_keeps_the_link():
    from django.contrib.auth.models import Group
    from django.utils.html import format_html
    from django.utils.translation import gettext, override

    with override("ru"):
        message = format_html(gettext("The {name} “{obj}” was changed successfully."), name="роль",
                              obj=format_html('<a href="{}">{}</a>', "/admin/auth/group/1/change/", "Кураторы"))
        neutral = grammar.neutral_success_message(Group._meta, message)
    assert neutral == 'Сохранено: Роль «<a href="/admin/auth/group/1/change/">Кураторы</a>».'
