"""/favicon.ico, which browsers ask for on every page, leads to the icon both faces name in their pages."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_leads_to_the_icon_file(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "max-age=86400" in response["Cache-Control"]
    location = response["Location"]
    assert location.startswith(settings.STATIC_URL) and location.endswith(".svg")
    icon = finders.find(location.removeprefix(settings.STATIC_URL))
    assert icon and "<svg" in Path(icon).read_text()


def test_both_faces_name_the_icon(client, db):
    for page in (reverse("admin:login"), reverse("portal:landing")):
        html = client.get(page).content.decode()
        assert 'rel="icon"' in html and "portal/favicon.svg" in html, page
