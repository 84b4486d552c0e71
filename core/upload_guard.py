"""Uploads refused before anyone parses them (issue 11): a Russian page instead of Django's English 400 or a 500.

A form with a few files too many or a few megabytes too much reaches its form, which names the limit on the field
(core/services/attachments.py). Beyond that — a body over twice the per-request limit, more files than
DATA_UPLOAD_MAX_NUMBER_FILES, or a disk too full for Django's temporary upload files — the request stops here,
before the CSRF check or the bad-input guard read the form, and nothing is stored.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user
from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template import TemplateDoesNotExist, loader
from django.utils.translation import gettext as _

from core.services.attachments import files_genitive

logger = logging.getLogger(__name__)
MB = 1024 * 1024


def body_limit() -> int:
    return 2 * settings.UPLOAD_MAX_TOTAL_MB * MB


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    """The face's error page (templates/<face>/error.html), or plain Russian text if it cannot be rendered."""
    face = "admin_site" if request.path.startswith("/admin/") else "portal"
    context = {"status": status, "title": title, "text": text}
    # This runs before the CSRF middleware: its secret is read from the person's cookie here, so the header's «Выйти»
    # form carries a token that matches it (rendered without the request, a template gets none by itself).
    csrf = CsrfViewMiddleware(lambda request: None)
    csrf.process_request(request)
    context["csrf_token"] = get_token(request)
    if hasattr(request, "session"):  # this runs before the login is read: the header shows the person signed in
        try:
            context["user"] = get_user(request)
        except Exception:  # a refusal must not turn into a 500 (the database may be the trouble): a guest's header
            logger.warning("The refusal page could not read who is signed in", exc_info=True)
    try:
        body = loader.get_template(f"{face}/error.html").render(context)
    except TemplateDoesNotExist:
        body = f"{title}. {text}"
        return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    return csrf.process_response(request, HttpResponse(body, status=status, content_type="text/html; charset=utf-8"))


def _refused(request: HttpRequest) -> HttpResponse | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > body_limit():
        return _page(request, 413, _("Слишком большой объём файлов"), _(
            "За один раз можно отправить не больше %(files)s общим объёмом до %(total)s МБ (каждый — до "
            "%(size)s МБ). Ничего не сохранено: вернитесь назад, выберите меньше файлов, остальные приложите "
            "отдельно.") % {"files": files_genitive(settings.UPLOAD_MAX_FILES), "total": settings.UPLOAD_MAX_TOTAL_MB,
                            "size": settings.UPLOAD_MAX_FILE_MB})
    try:
        request.FILES  # noqa: B018 — parse now, while a refusal can still be explained
    except TooManyFilesSent:
        return _page(request, 400, _("Слишком много файлов"), _(
            "За один раз можно отправить не больше %(files)s. Ничего не сохранено: вернитесь назад и "
            "выберите меньше файлов.") % {"files": files_genitive(settings.UPLOAD_MAX_FILES)})
    except OSError:
        logger.exception("Could not receive an upload (temporary files)")
        return _page(request, 503, _("Файлы не приняты"), _(
            "Сервер не смог принять файлы: закончилось место или хранилище недоступно. Ничего не сохранено — "
            "попробуйте позже; если срочно, позвоните персональному менеджеру."))
    return None


class UploadGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            refused = _refused(request)
            if refused is not None:
                return refused
        return self.get_response(request)
