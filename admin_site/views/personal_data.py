"""«Выгрузить персональные данные»: an administrator downloads everything held about a person (152-ФЗ, the subject's
right of access) as a zip built by core.services.personal_data in a temporary file and streamed from there."""

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.http import client_ip
from core.models import User
from core.services.personal_data import subject_access_allowed, subject_access_export, subject_access_filename


def subject_access_download(request: HttpRequest, user_id: int) -> HttpResponse:
    if not subject_access_allowed(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, pk=user_id)
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
