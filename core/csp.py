"""Content Security Policy for both faces (docs/adr/0003-content-security-policy.md).

django-csp builds the header from settings.CONTENT_SECURITY_POLICY with a fresh nonce per response. The portal
gets that policy as it is: scripts and <style> elements only from our own static files or with the nonce. The
manager cabinet (the unfold admin) gets CSP_CABINET_DIRECTIVES on top, because unfold 0.110's Alpine compiles its
x-* expressions with `new Function` and writes style attributes; plus the hash of the one inline <style> unfold
renders without a nonce (its theme colours). Browsers send violations to `csp_report`, which logs and counts them.
"""

import base64
import hashlib
import itertools
import json
import logging
import re
import threading

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

# unfold's skeleton.html puts its theme colours (settings UNFOLD["COLORS"], BORDER_RADIUS) in an inline <style>
# at the top of <body>, without a nonce. It is allowed by its hash, and only while it holds nothing but CSS
# custom properties on :root (so an injected look-alike could at most recolour the page).
_THEME_STYLE = re.compile(rb'<style id="unfold-theme-colors">(.*?)</style>', re.DOTALL)
_CUSTOM_PROPERTIES_ONLY = re.compile(rb"\s*:root\s*\{(?:\s*--[A-Za-z0-9-]+\s*:[^;{}<>\\]*;)*\s*\}\s*")


def cabinet_prefix() -> str:
    return reverse("admin:index")


def theme_style_hash(content: bytes) -> str | None:
    """The CSP source ('sha256-…') of unfold's theme <style> in an HTML page, if it is there and harmless."""
    found = _THEME_STYLE.search(content)
    if not found or not _CUSTOM_PROPERTIES_ONLY.fullmatch(found.group(1)):
        return None
    return "'sha256-{}'".format(base64.b64encode(hashlib.sha256(found.group(1)).digest()).decode("ascii"))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with a nonce on every response and the cabinet's variant under /admin/."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        # Always make the nonce, so every page's header carries one (django-csp adds it only once a template
        # read it); pages that use none lose nothing.
        self._make_nonce(request)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if report_only or not request.path_info.startswith(cabinet_prefix()):
            return parts
        replace = {**settings.CSP_CABINET_DIRECTIVES, **(parts.replace or {})}
        if not getattr(response, "streaming", False) and "html" in response.get("Content-Type", ""):
            theme = theme_style_hash(response.content)
            if theme:
                style_src = replace.get("style-src") or settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
                replace["style-src"] = [*style_src, theme]
        parts.replace = replace
        return parts


# --- the report endpoint -----------------------------------------------------------------------------------------
CSP_REPORT_MAX_BYTES = 16 * 1024
_FIELD_MAX_CHARS = 300
_reports_seen = itertools.count(1)
_reports_lock = threading.Lock()
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _clean(value) -> str:
    """A report field as one short log-safe line (the browser writes it, so the client controls it)."""
    return _CONTROL_CHARACTERS.sub(" ", str(value))[:_FIELD_MAX_CHARS]


def _violations(payload) -> list[dict]:
    """The violations in a report-uri body ({"csp-report": {...}}) or a Reporting API batch ([{"body": …}])."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [item["body"] for item in payload if isinstance(item, dict) and isinstance(item.get("body"), dict)]
    return []


@csrf_exempt  # browsers post reports without a CSRF token; the view only writes to the log
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log each violation a browser reports, numbered (the count since the process started)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    if len(body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        violations = _violations(json.loads(body))
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    if not violations:
        return HttpResponse(status=400)
    for violation in violations[:10]:
        with _reports_lock:
            number = next(_reports_seen)
        logger.warning(
            "CSP violation #%d: directive=%s blocked=%s page=%s source=%s:%s",
            number,
            _clean(
                violation.get("effective-directive")
                or violation.get("effectiveDirective")
                or violation.get("violated-directive", "")
            ),
            _clean(violation.get("blocked-uri") or violation.get("blockedURL", "")),
            _clean(violation.get("document-uri") or violation.get("documentURL", "")),
            _clean(violation.get("source-file") or violation.get("sourceFile", "")),
            _clean(violation.get("line-number") or violation.get("lineNumber", "")),
        )
    return HttpResponse(status=204)
