"""Request helpers shared by both faces."""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage

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


# A presigned GET handed to nginx lives this long: nginx starts fetching it within milliseconds.
ACCEL_URL_SECONDS = 60


def private_file_response(*, file, filename: str, content_type: str) -> HttpResponse:
    """Stream a private file as a download, from the local folder or the bucket; the Cyrillic name survives
    (RFC 6266 filename*). Behind nginx (PRIVATE_FILES_ACCEL_PREFIX set) the view has checked the permission and
    answers with headers only: nginx sends the bytes from its internal location (deploy/nginx/zk.conf)."""
    if settings.PRIVATE_FILES_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = _accel_target(file)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        stream, size = open_download(file)
        response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
        if size is not None:
            response["Content-Length"] = size
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _accel_target(file) -> str:
    """The internal nginx path of a stored file under PRIVATE_FILES_ACCEL_PREFIX: the file's name in the local
    folder, or for a bucket the path and query of a presigned GET that only nginx sees (the endpoint's address is
    nginx's configuration). A file missing from the folder is FileNotFoundError, as when streaming."""
    prefix = settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/")
    storage = file.storage
    if isinstance(storage, S3Storage):
        # PrivateS3Storage.url() refuses on purpose (no address may reach a page); django-storages' own method
        # signs the GET that nginx makes on the person's behalf.
        signed = urlsplit(S3Storage.url(storage, file.name, expire=ACCEL_URL_SECONDS))
        return f"{prefix}{signed.path}?{signed.query}"
    if not storage.exists(file.name):
        raise FileNotFoundError(file.name)
    return f"{prefix}/{quote(file.name)}"


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for on every page of both faces: the icon the pages name, under the address
    the static files give it (with its content hash in production), for a day."""
    response = HttpResponseRedirect(static("portal/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def subject_access_response(request: HttpRequest, person) -> FileResponse:
    """Everything held about `person` as a zip download (core.services.personal_data), built in an anonymous temporary
    file and streamed from it, the download written to the audit log with the requester as actor. One response for
    the administrator's button in the cabinet and the investor's own in the portal."""
    import tempfile

    from core.services.personal_data import subject_access_export, subject_access_filename

    out = tempfile.TemporaryFile()  # noqa: SIM115 — the response streams and closes it; gone from disk at close
    try:
        subject_access_export(person=person, actor=request.user, out=out, ip_address=client_ip(request))
    except Exception:
        out.close()
        raise
    out.seek(0)
    response = FileResponse(out, as_attachment=True, content_type="application/zip",
                            filename=subject_access_filename(person))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def calendar_response(content: bytes, *, filename: str | None = None) -> HttpResponse:
    """An iCalendar file (a meeting's .ics, a person's feed): a download when it has a `filename`, never cached on
    the way (it names people and places)."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
