"""Request helpers shared by both faces."""

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponseRedirect
from django.templatetags.static import static

from core.storage import open_download


def client_ip(request: HttpRequest) -> str | None:
    """The client's address behind TRUSTED_PROXY_COUNT reverse proxies.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is the entry that
    many places from the right; anything further left was written by the client and cannot be trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def private_file_response(*, file, filename: str, content_type: str) -> FileResponse:
    """Stream a private file as a download, from the local folder or the bucket; the Cyrillic name survives
    (RFC 6266 filename*)."""
    stream, size = open_download(file)
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
    if size is not None:
        response["Content-Length"] = size
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for on every page of both faces: the icon the pages name, under the address
    the static files give it (with its content hash in production), for a day."""
    response = HttpResponseRedirect(static("portal/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
