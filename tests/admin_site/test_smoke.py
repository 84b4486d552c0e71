"""Every page of every registered ModelAdmin opens for a superuser and stays shut for an investor.

A newly registered ModelAdmin is picked up here by itself; it only needs a row maker in helpers.MAKERS.
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_urls(model, obj) -> dict[str, str]:
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return {
        "changelist": reverse(f"{prefix}_changelist"),
        "add": reverse(f"{prefix}_add"),
        "change": reverse(f"{prefix}_change", args=[obj.pk]),
        "history": reverse(f"{prefix}_history", args=[obj.pk]),
    }


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_superuser_opens_list_add_and_change_pages(login, superuser, make_object, model):
    obj = make_object(model)
    request = RequestFactory().get("/")
    request.user = superuser
    urls = admin_urls(model, obj)
    # Records only the system writes (logs, consents, finished tasks) have no add page, not even for a superuser.
    add_status = 200 if admin.site.get_model_admin(model).has_add_permission(request) else 403
    client = login(superuser)

    for page, url in urls.items():
        response = client.get(url)
        expected = add_status if page == "add" else 200
        assert response.status_code == expected, f"{page} page of {model._meta.label}: {response.status_code}"
    assert f'href="{urls["change"]}' in client.get(urls["changelist"]).content.decode(), "the row links to its page"


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_investor_is_sent_to_the_login_page(login, investor, make_object, model):
    client = login(investor)
    login_url = reverse("admin:login")

    for page, url in admin_urls(model, make_object(model)).items():
        response = client.get(url)
        assert response.status_code == 302, f"{page} page of {model._meta.label}"
        assert response.url.startswith(login_url)
