"""The second factor in the manager cabinet: the guard on every cabinet page, enrolment, the code page, recovery
codes and the administrator's reset. The rules live in core.services.two_factor; these views only adapt.

With OTP_REQUIRED on, a staff member signed in with a password but not yet with a code is sent from any cabinet
page to the code page (or to enrolment when they have no app yet), and comes back to the page they asked for.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import quote

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import AdminSite, ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from unfold.widgets import UnfoldAdminTextInputWidget

from core.services.two_factor import (
    CodeRejected,
    normalise_code,
    otp_enrol,
    otp_is_enrolled,
    otp_pending_device,
    otp_recovery_codes_left,
    otp_recovery_codes_renew,
    otp_reset,
    otp_secret_text,
    otp_verify,
)

FRESH_CODES = "zk_otp_fresh_codes"  # the recovery codes just made, shown until the person says they kept them


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Код"),
        max_length=32,
        widget=UnfoldAdminTextInputWidget(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        return normalise_code(self.cleaned_data["code"])


def _verified(request: HttpRequest) -> bool:
    return getattr(request.user, "is_verified", lambda: False)()


def otp_pending(request: HttpRequest) -> bool:
    return settings.OTP_REQUIRED and not _verified(request)


def otp_required(view: Callable) -> Callable:
    """The guard the cabinet's site puts on its views (after the site's own staff check)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if otp_pending(request):
            name = "admin:otp_verify" if otp_is_enrolled(request.user) else "admin:otp_setup"
            return _to(name, request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return target if safe and target else reverse("admin:index")


def _to(name: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(name)}?next={quote(next_url)}")


def _rejection(rejected: CodeRejected) -> str:
    if rejected.paused_until:
        moment = time_format(timezone.localtime(rejected.paused_until), "H:i")
        return _("Слишком много неверных кодов подряд. Следующая попытка — после %(time)s.") % {"time": moment}
    return _("Неверный код. Введите шесть цифр из приложения (или код восстановления) и проверьте, "
             "что время на телефоне установлено верно.")


def _page(request: HttpRequest, site: AdminSite, template: str, **context) -> TemplateResponse:
    context.setdefault("next", _next_url(request))
    return TemplateResponse(request, f"admin_site/otp/{template}", {**site.each_context(request), **context})


def setup_view(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    """Enrolment: a QR code of the app's secret (drawn here, as SVG), the secret as text, and the first code."""
    user = request.user
    if otp_is_enrolled(user) and not _verified(request):
        return _to("admin:otp_verify", _next_url(request))
    device = otp_pending_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = otp_enrol(user=user, code=form.cleaned_data["code"])
        except CodeRejected as rejected:
            form.add_error("code", _rejection(rejected))
        else:
            otp_login(request, device)
            request.session.cycle_key()
            request.session[FRESH_CODES] = codes
            return _to("admin:otp_recovery_codes", _next_url(request))
    # segno's own markup (a path of the QR modules), drawn here: no outside service sees the secret
    qr = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, light="#fff", dark="#000"))
    return _page(request, site, "setup.html", title=_("Настройка второго фактора"), form=form, qr_svg=qr,
                 secret=otp_secret_text(device))


def verify_view(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    user = request.user
    if not otp_is_enrolled(user):
        return _to("admin:otp_setup", _next_url(request))
    if _verified(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = otp_verify(user=user, code=form.cleaned_data["code"])
        except CodeRejected as rejected:
            form.add_error("code", _rejection(rejected))
        else:
            otp_login(request, verified.device)
            request.session.cycle_key()
            if verified.recovery_codes_left is not None:
                messages.warning(request, _(
                    "Вы вошли по коду восстановления; он больше не действует. Осталось кодов: %(left)s. "
                    "Создайте новые в разделе «Второй фактор»."
                ) % {"left": verified.recovery_codes_left})
            return redirect(_next_url(request))
    return _page(request, site, "verify.html", title=_("Код подтверждения"), form=form)


def recovery_codes_view(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    """The codes just made, once: «Я сохранил коды» forgets them."""
    codes = request.session.get(FRESH_CODES)
    if not codes:
        return redirect("admin:otp")
    if request.method == "POST":
        del request.session[FRESH_CODES]
        return redirect(_next_url(request))
    return _page(request, site, "recovery_codes.html", title=_("Коды восстановления"), codes=codes)


def recovery_codes_download(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    codes = request.session.get(FRESH_CODES)
    if not codes:
        return redirect("admin:otp")
    text = render_to_string("admin_site/otp/recovery_codes.txt", {"codes": codes, "user": request.user})
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="zk-recovery-codes.txt"'
    return response


def settings_view(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    """«Второй фактор» in the user menu: what is set up, new recovery codes, another phone."""
    user = request.user
    enrolled = otp_is_enrolled(user)
    if enrolled and not _verified(request):  # with OTP_REQUIRED off nobody was asked for a code yet
        return _to("admin:otp_verify", request.get_full_path())
    if request.method == "POST" and enrolled:
        request.session[FRESH_CODES] = otp_recovery_codes_renew(user=user)
        return _to("admin:otp_recovery_codes", reverse("admin:otp"))
    return _page(request, site, "settings.html", title=_("Второй фактор"), enrolled=enrolled,
                 codes_left=otp_recovery_codes_left(user), required=settings.OTP_REQUIRED)


def reset_view(request: HttpRequest, object_id: str, *, model_admin: ModelAdmin) -> HttpResponse:
    """An administrator's reset of someone's lost phone, from the user's page."""
    person = model_admin.get_object(request, object_id)
    if person is None or not model_admin.has_reset_otp_permission(request, object_id):
        raise PermissionDenied
    change_url = reverse("admin:core_user_change", args=[person.pk])
    if request.method == "POST":
        otp_reset(user=person, actor=request.user)
        messages.success(request, _("Второй фактор пользователя %(name)s сброшен: при следующем входе он настроит "
                                    "приложение заново.") % {"name": person.full_name or person.email})
        return redirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Сбросить второй фактор"),
        "opts": model_admin.model._meta,
        "original": person,
        "person": person,
        "enrolled": otp_is_enrolled(person),
        "cancel_url": change_url,
    }
    return TemplateResponse(request, "admin_site/otp/reset.html", context)
