"""Every portal page, empty form and letter speaks Russian: no English text leaks from Django defaults."""

import re
from html import unescape

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from core.portal.navigation import CABINET_TABS
from core.services.accounts import email_confirmation_send, password_reset_send

pytestmark = pytest.mark.django_db

GUEST_PAGES = [
    reverse("portal:landing"),
    reverse("portal:register"),
    reverse("portal:registration_done"),
    reverse("portal:resend_confirmation"),
    reverse("portal:confirm_email", args=["broken-token"]),
    reverse("portal:login"),
    reverse("portal:password_reset"),
    reverse("portal:password_reset_done"),
    reverse("portal:password_reset_complete"),
    reverse("portal:password_reset_confirm", args=["MQ", "bad-token"]),
]
INVESTOR_PAGES = [
    reverse("portal:cabinet"),
    *(reverse("portal:cabinet_section", args=[tab.slug]) for tab in CABINET_TABS),
    reverse("portal:profile"),
    reverse("portal:password_change"),
]
EMPTY_FORMS = [
    reverse("portal:register"),
    reverse("portal:resend_confirmation"),
    reverse("portal:login"),
    reverse("portal:password_reset"),
]


def visible_words(html: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", text))


def assert_russian(html: str) -> None:
    assert '<html lang="ru">' in html
    text = visible_words(html)
    assert re.search(r"[А-Яа-яЁё]{4,}", text)
    # Latin words other than addresses, the signs of registration numbers and the acronyms Russian writes in Latin
    # («API-токены») are untranslated text.
    text = re.sub(r"\b(?:API)\b", " ", text)
    latin = [word for word in re.findall(r"\S*[A-Za-z]{3,}\S*", text) if "@" not in word and "." not in word]
    assert latin == [], latin


@pytest.mark.parametrize("path", GUEST_PAGES)
def test_guest_pages_are_russian(client, path):
    response = client.get(path)

    assert response.status_code in (200, 400)
    assert_russian(response.text)


@pytest.mark.parametrize("path", INVESTOR_PAGES)
def test_investor_pages_are_russian(client, investor, path):
    client.force_login(investor)

    assert_russian(client.get(path).text)


@pytest.mark.parametrize("path", EMPTY_FORMS)
def test_form_errors_are_russian(client, path):
    response = client.post(path, {})

    assert "Обязательное поле" in response.text
    assert_russian(response.text)


def test_investor_forms_errors_are_russian(client, investor):
    client.force_login(investor)

    for path in (reverse("portal:profile"), reverse("portal:password_change")):
        response = client.post(path, {})
        assert "Обязательное поле" in response.text
        assert_russian(response.text)


def test_forbidden_and_locked_out_pages_are_russian(rf, investor):
    request = rf.get("/")
    request.user = investor
    for template in ("portal/forbidden.html", "portal/locked_out.html"):
        assert_russian(render_to_string(template, {"failure_limit": 5}, request=request))


def test_letters_are_russian(investor):
    investor.email_confirmed_at = None
    email_confirmation_send(user=investor)
    password_reset_send(user=investor)

    assert len(mail.outbox) == 2
    for letter in mail.outbox:
        assert re.search(r"[А-Яа-я]{4,}", letter.subject)
        assert "Здравствуйте" in letter.body
        assert_russian(letter.alternatives[0][0])
