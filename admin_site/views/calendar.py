"""«Мой календарь»: the staff member's private .ics address (meetings and deadlines) and its revocation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.services.calendar_feed import calendar_feed_revoke, calendar_feed_token_for


def my_calendar(request: HttpRequest, *, site) -> HttpResponse:
    token = calendar_feed_token_for(request.user)
    context = {
        **site.each_context(request),
        "title": _("Мой календарь"),
        "feed_url": request.build_absolute_uri(reverse("portal:calendar_feed", args=[token])),
    }
    return TemplateResponse(request, "admin_site/my_calendar.html", context)


@require_POST
def my_calendar_reset(request: HttpRequest, *, site) -> HttpResponse:
    calendar_feed_revoke(request.user)
    messages.success(request, _("Прежний адрес календаря отключён, выдан новый."))
    return redirect("admin:my_calendar")
