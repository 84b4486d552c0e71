"""The Content-Security-Policy header on both faces (core/csp.py, settings CONTENT_SECURITY_POLICY).

What the browser test (tests/e2e/test_csp.py) cannot see from a page: the header itself, its nonce per response,
what each face allows, and the report endpoint.
"""

import json
import logging
import re

import pytest
from django.urls import reverse

HEADER = "Content-Security-Policy"
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]{20,})'")


def policy(response) -> dict[str, list[str]]:
    assert HEADER in response, f"no {HEADER} on {response.request['PATH_INFO']}"
    directives = {}
    for part in response[HEADER].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def nonce_of(response, directive: str = "script-src") -> str:
    found = NONCE.search(" ".join(policy(response)[directive]))
    assert found, f"{directive} of {response.request['PATH_INFO']} has no nonce: {response[HEADER]}"
    return found.group(1)


@pytest.fixture
def portal_pages(client, investor, file_appeal):
    appeal = file_appeal()
    client.force_login(investor)
    return [reverse("portal:cabinet"), reverse("portal:appeal_create"),
            reverse("portal:appeal_detail", args=[appeal.pk])]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/register/"])
def test_anonymous_portal_pages_have_the_strict_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    directives = policy(response)
    nonce = nonce_of(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert directives["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["report-uri"] == [reverse("csp_report")]
    # nothing unsafe anywhere on the portal, and no separate looser directive for attributes
    assert "unsafe" not in response[HEADER]
    assert "style-src-attr" not in directives and "script-src-attr" not in directives


def test_signed_in_investor_pages_have_the_strict_policy(client, portal_pages):
    for url in portal_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "unsafe" not in response[HEADER], url
        nonce_of(response)


@pytest.mark.django_db
def test_the_nonce_differs_per_request_and_is_the_one_the_page_uses(client):
    nonces = {nonce_of(client.get("/login/")) for _ in range(5)}
    assert len(nonces) == 5


def test_the_appeal_forms_script_loads_from_our_static_files(client, portal_pages):
    """The classifier script is a file of ours, not inline: 'self' allows it without the nonce."""
    response = client.get(reverse("portal:appeal_create"))
    html = response.content.decode()
    assert re.search(r'<script src="/static/portal/appeal-form\.js"', html)
    # no executable inline script anywhere on the page (the classifier data is a JSON data block)
    for attributes in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes


def test_cabinet_pages_allow_only_what_unfold_needs(client, manager):
    client.force_login(manager)
    for url in [reverse("admin:index"), reverse("admin:core_appeal_changelist"), reverse("admin:reports")]:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        nonce = nonce_of(response)
        # Alpine's standard build needs eval; inline scripts still need the nonce (no 'unsafe-inline')
        assert directives["script-src"] == ["'self'", f"'nonce-{nonce}'", "'unsafe-eval'"], url
        # <style> elements: ours with the nonce, unfold's theme colours by their hash; attributes are allowed
        assert directives["style-src"][:2] == ["'self'", f"'nonce-{nonce}'"], url
        assert "'unsafe-inline'" not in directives["style-src"], url
        assert directives["style-src-attr"] == ["'unsafe-inline'"], url
        assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"], url


@pytest.mark.parametrize("url", ["/admin/", "/admin/no-such-page/"])
def test_cabinet_theme_style_is_allowed_by_its_exact_hash(client, manager, url):
    """unfold renders its theme colours in a <style> without a nonce (so does the cabinet's error page); the
    policy names that block's hash."""
    import base64
    import hashlib

    client.force_login(manager)
    response = client.get(url)
    theme = re.search(rb'<style id="unfold-theme-colors">(.*?)</style>', response.content, re.DOTALL).group(1)
    expected = f"'sha256-{base64.b64encode(hashlib.sha256(theme).digest()).decode()}'"
    assert expected in policy(response)["style-src"]


def test_a_look_alike_theme_style_with_rules_gets_no_hash():
    from core.csp import theme_style_hash

    assert theme_style_hash(b'<style id="unfold-theme-colors">:root { --color-primary-50: red; }</style>')
    assert theme_style_hash(b'<style id="unfold-theme-colors">body { background: url(//evil) }</style>') is None
    assert theme_style_hash(b'<style id="unfold-theme-colors">:root { --a: 1; } a { color: red }</style>') is None


def test_cabinet_login_page_has_the_cabinet_policy_and_htmx_gets_the_nonce(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    nonce = nonce_of(response)
    assert "'unsafe-eval'" in policy(response)["script-src"]
    config = re.search(rb'<meta name="htmx-config" content=\'([^\']*)\'>', response.content).group(1)
    assert json.loads(config) == {"inlineStyleNonce": nonce, "allowEval": False}


def test_cabinet_style_blocks_carry_the_nonce(client, manager):
    client.force_login(manager)
    for url in [reverse("admin:notifications"), reverse("admin:report", args=["appeals-by-type"])]:
        response = client.get(url)
        if response.status_code == 404:  # a report slug renamed: any report page will do
            continue
        nonce = nonce_of(response)
        html = response.content.decode()
        for attributes in re.findall(r"<style([^>]*)>", html):
            assert f'nonce="{nonce}"' in attributes or 'id="unfold-theme-colors"' in attributes, (url, attributes)
        assert not re.search(r"\son[a-z]+=", html), url


# --- the report endpoint -------------------------------------------------------------------------------------------
REPORT = {
    "csp-report": {
        "document-uri": "http://testserver/login/",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "line-number": 12,
    }
}


@pytest.mark.django_db
def test_violation_reports_are_logged_and_counted_without_csrf(caplog):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        for _ in range(2):
            response = client.post(reverse("csp_report"), json.dumps(REPORT), content_type="application/csp-report")
            assert response.status_code == 204
    lines = [r.getMessage() for r in caplog.records if r.name == "core.csp"]
    assert len(lines) == 2
    numbers = [int(re.search(r"CSP violation #(\d+)", line).group(1)) for line in lines]
    assert numbers[1] == numbers[0] + 1
    assert "directive=script-src-elem blocked=inline page=http://testserver/login/" in lines[0]


@pytest.mark.django_db
def test_reporting_api_batches_are_understood(client, caplog):
    batch = [{"type": "csp-violation", "body": {"documentURL": "http://testserver/", "effectiveDirective": "img-src",
                                                "blockedURL": "http://evil.example/x.png"}}]
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        response = client.post(reverse("csp_report"), json.dumps(batch), content_type="application/reports+json")
    assert response.status_code == 204
    assert "directive=img-src blocked=http://evil.example/x.png" in caplog.text


@pytest.mark.django_db
def test_oversized_broken_or_wrong_method_reports_are_refused_quietly(client, caplog):
    url = reverse("csp_report")
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        big = {"csp-report": {"blocked-uri": "x" * 20_000}}
        assert client.post(url, json.dumps(big), content_type="application/csp-report").status_code == 413
        assert client.post(url, "not json", content_type="application/csp-report").status_code == 400
        assert client.post(url, "{}", content_type="application/csp-report").status_code == 400
        assert client.get(url).status_code == 405
    assert "CSP violation" not in caplog.text


@pytest.mark.django_db
def test_a_report_cannot_forge_log_lines(client, caplog):
    forged = {"csp-report": {"blocked-uri": "x\nCSP violation #1: forged", "document-uri": "y\r\x00z"}}
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        client.post(reverse("csp_report"), json.dumps(forged), content_type="application/csp-report")
    [line] = [r.getMessage() for r in caplog.records if r.name == "core.csp"]
    assert "\n" not in line and "\r" not in line and "\x00" not in line
