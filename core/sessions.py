"""Session lifetimes per face: an idle timeout and an absolute one, kept in the session itself.

Staff (anyone with the staff flag or a superuser): STAFF_SESSION_IDLE_MINUTES without a request, or
STAFF_SESSION_MAX_HOURS after signing in, whichever comes first. Investors: INVESTOR_SESSION_IDLE_MINUTES
without a request, the cookie ending with the browser; with «Запомнить меня» the cookie lives
INVESTOR_SESSION_REMEMBER_DAYS and only that absolute limit applies. An expired session is logged out and sent
to its face's login page with a Russian message.

Typing is activity too: while a form holds typed text and the person keeps typing, static/forms/keep-typed.js asks
`session_alive` at most every KEEP_ALIVE_SECONDS, so a long answer written without another request does not end
the session under it (and its text with it). Someone who stops typing is logged out after the idle time as before.
A form sent after its session ended is not carried out, but the texts typed into it are shown back to copy
(`typed_texts`, templates/<face>/session_ended.html) instead of being dropped on the way to the login page.
"""

import re
import time
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

LOGIN_AT = "zk_login_at"
SEEN_AT = "zk_seen_at"
REMEMBER = "zk_remember"
SEEN_GRANULARITY = 60  # seconds: the session is written at most once a minute just to note activity


def _is_staff(user) -> bool:
    return bool(user.is_staff or user.is_superuser)


def _limits(request: HttpRequest) -> tuple[int | None, int]:
    """(idle, absolute) in seconds for this session; idle None when it does not apply."""
    if _is_staff(request.user):
        return settings.STAFF_SESSION_IDLE_MINUTES * 60, settings.STAFF_SESSION_MAX_HOURS * 3600
    absolute = settings.INVESTOR_SESSION_REMEMBER_DAYS * 86400
    if request.session.get(REMEMBER):
        return None, absolute
    return settings.INVESTOR_SESSION_IDLE_MINUTES * 60, absolute


@receiver(user_logged_in, dispatch_uid="core.sessions.stamp")
def session_stamp(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Every sign-in starts the clocks; the cookie ends with the browser unless «Запомнить меня» says otherwise."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session.pop(REMEMBER, None)
    request.session.set_expiry(0)


def session_remember(request: HttpRequest, *, remember: bool) -> None:
    """«Запомнить меня» on the portal's login: the cookie outlives the browser. Staff sessions ignore it."""
    if remember and not _is_staff(request.user):
        request.session[REMEMBER] = True
        request.session.set_expiry(settings.INVESTOR_SESSION_REMEMBER_DAYS * 86400)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                return self._log_out(request, expired)
        elif request.method == "POST" and _signed_in_form(request.path):
            # signed out meanwhile (in another tab, or the session was ended): the form's text is shown back to copy,
            # as for a session that ran out, instead of a redirect to the login that drops it
            typed = typed_texts(request) if _csrf_ok(request) else []
            if typed:
                login = reverse("admin:login") if request.path.startswith(reverse("admin:index")) else reverse(
                    "portal:login")
                return _session_ended_page(request, _("Сеанс завершён: вы вышли из кабинета (например, в другой "
                                                      "вкладке). Войдите снова."),
                                           typed=typed, files=bool(request.FILES), login=login)
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str:
        now = int(time.time())
        session = request.session
        login_at = session.setdefault(LOGIN_AT, now)  # a session from before these rules starts its clocks now
        seen_at = session.get(SEEN_AT, now)
        idle, absolute = _limits(request)
        if now - login_at > absolute:
            return _("Сеанс завершён: истёк наибольший срок работы без повторного входа. Войдите снова.")
        if idle is not None and now - seen_at > idle:
            return _("Сеанс завершён: долго не было действий. Войдите снова.")
        if now - seen_at >= SEEN_GRANULARITY or SEEN_AT not in session:
            session[SEEN_AT] = now
        return ""

    @staticmethod
    def _log_out(request: HttpRequest, reason: str) -> HttpResponse:
        staff = _is_staff(request.user)
        typed = typed_texts(request) if request.method == "POST" and _csrf_ok(request) else []
        files = bool(request.method == "POST" and request.FILES)
        logout(request)
        admin = reverse("admin:index")
        login = reverse("admin:login") if staff and request.path.startswith(admin) else reverse("portal:login")
        if typed:
            return _session_ended_page(request, reason, typed=typed, files=files, login=login)
        messages.warning(request, reason)
        target = request.get_full_path() if request.method == "GET" else ""
        return HttpResponseRedirect(f"{login}?next={quote(target)}" if target else login)


# Where a form is only for someone signed in: the investor's cabinet, profile and notices, and the manager cabinet
# except its own sign-in, password and second-factor pages (those take text from someone not yet signed in).
_SIGNED_IN_PREFIXES = ("/cabinet/", "/profile/", "/notifications/", "/admin/")
_ANONYMOUS_ADMIN = ("/admin/login/", "/admin/logout/", "/admin/password_reset/", "/admin/reset/", "/admin/otp")


def _signed_in_form(path: str) -> bool:
    return path.startswith(_SIGNED_IN_PREFIXES) and not path.startswith(_ANONYMOUS_ADMIN)


# A form's own keys, never text a person typed.
_NOT_TYPED_KEYS = frozenset({"csrfmiddlewaretoken", "version", "next", "step", "round_number"})
_IDENTIFIER = re.compile(r"[a-z0-9_.:+-]*\Z", re.IGNORECASE)  # a choice's value, a date, a number, «on»


# What the forms' text fields are called, so each text shown back says which box it came from (the common names of
# core/forms.py, the cabinet's and the portal's forms); another field reads «Набранный текст N».
TYPED_LABELS = {
    "subject": gettext_lazy("Тема"),
    "description": gettext_lazy("Описание"),
    "text": gettext_lazy("Текст"),
    "comment": gettext_lazy("Комментарий"),
    "answer_text": gettext_lazy("Текст ответа"),
    "reason": gettext_lazy("Причина"),
    "result": gettext_lazy("Результат"),
    "remark": gettext_lazy("Замечание"),
    "agenda": gettext_lazy("Повестка"),
    "minutes": gettext_lazy("Протокол"),
    "title": gettext_lazy("Название"),
    "name": gettext_lazy("Название"),
    "place": gettext_lazy("Место"),
    "position": gettext_lazy("Должность"),
    "organisation_name": gettext_lazy("Организация"),
}


def typed_texts(request: HttpRequest) -> list[tuple[str, str]]:
    """The texts a person typed into the form of an expired session's POST, in the form's order, each with what its
    field is called: values with a letter that are not a choice's identifier (a select's or a switch's value),
    without passwords and tokens."""
    texts = []
    for key, values in request.POST.lists():
        if key in _NOT_TYPED_KEYS or "password" in key or key.endswith("-held") or key.startswith("otp"):
            continue
        for value in values:
            value = value.strip()
            if value and any(char.isalpha() for char in value) and not _IDENTIFIER.match(value):
                label = TYPED_LABELS.get(key.rsplit("-", 1)[-1])  # a formset's «form-0-text» is a «text» too
                texts.append((str(label) if label else _("Набранный текст %(number)s") % {"number": len(texts) + 1},
                              value))
    return texts


def _csrf_ok(request: HttpRequest) -> bool:
    """Whether the POST passes the CSRF check its view would have made (this middleware answers before it): the
    page below shows only what the person's own form sent, never a text another site posted."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None


def _session_ended_page(request: HttpRequest, reason: str, *, typed: list[tuple[str, str]], files: bool,
                        login: str
                        ) -> HttpResponse:
    """The form was not sent, but what was typed in it is shown back to copy: the session ended under it (the
    browser was left with the form open longer than the idle limit)."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    back = urlsplit(back).path if back else ""
    face = "admin_site" if request.path.startswith(reverse("admin:index")) else "portal"
    rows = [(label, text, min(12, 2 + len(text) // 35 + text.count("\n"))) for label, text in typed]  # all in view
    context = {"status": 401, "title": _("Сеанс завершён"), "text": reason, "typed": rows, "files": files,
               "login_url": f"{login}?next={quote(back)}" if back else login}
    if face == "admin_site":
        from core.http_guard import cabinet_context

        context.update(cabinet_context(request))
    response = render(request, f"{face}/session_ended.html", context, status=401)
    response["Cache-Control"] = "no-store"
    return response


KEEP_ALIVE_SECONDS = 300  # static/forms/keep-typed.js: at most one request per five minutes of typing


@never_cache
@require_GET
def session_alive(request: HttpRequest) -> HttpResponse:
    """Asked by keep-typed.js while someone types into a form: the request is the activity SessionTimeoutMiddleware
    notes (a session past its limit is ended there, before this view). 204 when signed in, 401 when not."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)
