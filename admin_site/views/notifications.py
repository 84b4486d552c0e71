"""«Уведомления»: a staff member's in-app notices and their email preferences, and the unread count the cabinet
shows on every page (the bell in the header, the badge in the sidebar).

Only adapts: what a person's notices are is core.selectors.notifications, marking them read and the preferences
are core.services.notifications.
"""

from functools import partial
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from admin_site.badges import frame_count
from admin_site.views.common import admin_page, next_url
from core.http_guard import parse_int
from core.models.notifications import OutboxStatus
from core.notifications.links import open_label
from core.selectors.notifications import notice_list_for, notices_for
from core.services.notifications import notification_preferences as preferences_of
from core.services.notifications import notification_preferences_set, notification_resend, notifications_mark_read

PER_PAGE = 50


# --- the unread count: counted once per page with the sidebar's badges, shared by the bell and the sidebar ---------
def unread_notices(request: HttpRequest) -> int:
    """The person's unread notices, counted once per request whoever asks (header, sidebar, the list page)."""
    return frame_count(request, "unread_notices")


def unread_label(request: HttpRequest) -> str:
    """The accessible name of the bell and of the sidebar item."""
    count = unread_notices(request)
    return ngettext("Уведомления: %(count)s непрочитанное", "Уведомления: %(count)s непрочитанных", count) % {
        "count": count}


def unread_badge(request: HttpRequest) -> int | None:
    """The sidebar badge (UNFOLD navigation item "badge"): nothing when everything is read."""
    return unread_notices(request) or None


def header_context(request: HttpRequest) -> dict:
    """UNFOLD["GLOBAL_CALLBACK"]: the bell's count and name for the header (templates/unfold/helpers/userlinks.html).
    Lazy: pages that draw no header (the login page, popups) ask the database nothing."""
    return {
        "notices_unread": SimpleLazyObject(partial(unread_notices, request)),
        "notices_label": SimpleLazyObject(partial(unread_label, request)),
    }


# --- the list of notices ---------------------------------------------------------------------------------------
def _list_url(*, unread_only: bool, page: str | int | None = None) -> str:
    query = {key: value for key, value in (("unread", "1" if unread_only else ""), ("page", page or "")) if value}
    url = reverse("admin:notifications")
    return f"{url}?{urlencode(query)}" if query else url


def _safe_target(request: HttpRequest, link: str) -> str | None:
    """The notice's own link, if it leads to this site (the request's host or SITE_URL's)."""
    hosts = {request.get_host(), urlsplit(settings.SITE_URL).netloc}
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=hosts):
        return link
    return None


def _open(request: HttpRequest, pk: str) -> HttpResponse:
    """Following a notice's link marks it read, then leads to the object."""
    notice = get_object_or_404(notices_for(request.user).only("pk", "link"), pk=parse_int(pk, minimum=1) or 0)
    notifications_mark_read(user=request.user, ids=[notice.pk])
    return redirect(_safe_target(request, notice.link) or reverse("admin:notifications"))


def _mark(request: HttpRequest) -> HttpResponse:
    unread_only = request.POST.get("unread") == "1"
    back = _list_url(unread_only=unread_only, page=request.POST.get("page"))
    if "mark_all" in request.POST:
        count = notifications_mark_read(user=request.user)
        if count:
            messages.success(request, gettext("Отмечено прочитанными: %(count)s.") % {"count": count})
        else:
            messages.info(request, gettext("Непрочитанных уведомлений нет."))
        return redirect(_list_url(unread_only=unread_only))
    pk = request.POST.get("mark", "")
    if pk.isdigit() and notifications_mark_read(user=request.user, ids=[int(pk)]):
        messages.success(request, gettext("Уведомление отмечено прочитанным."))
    return redirect(back)


def _row(notice) -> dict:
    return {"notice": notice, "unread": notice.read_at is None, "button": open_label(notice.object_kind)}


def notification_list(request: HttpRequest, *, site) -> HttpResponse:
    """The person's own in-app notices, newest first, 50 a page; unread ones stand out."""
    if request.method == "POST":
        return _mark(request)
    if request.GET.get("open"):
        return _open(request, request.GET["open"])
    unread_only = request.GET.get("unread") == "1"
    notices = notice_list_for(request.user, unread_only=unread_only)
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **site.each_context(request),
        "title": _("Уведомления"),
        "page": page,
        "rows": [_row(notice) for notice in page.object_list],
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "unread_only": unread_only,
        "unread_total": unread_notices(request),
        "all_url": _list_url(unread_only=False),
        "unread_url": _list_url(unread_only=True),
    }
    return TemplateResponse(request, "admin_site/notifications.html", context)


# --- email preferences -----------------------------------------------------------------------------------------
def notification_preferences(request: HttpRequest, *, site) -> HttpResponse:
    """Which letters the person wants; mandatory ones always come (core decides which those are)."""
    if request.method == "POST":
        try:
            notification_preferences_set(user=request.user, email_events=request.POST.getlist("email"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Настройки уведомлений сохранены."))
        return redirect("admin:notification_preferences")
    context = {
        **site.each_context(request),
        "title": _("Настройки уведомлений"),
        "preferences": [
            {"code": spec.code, "label": spec.label, "mandatory": spec.mandatory, "email": email_on}
            for spec, email_on in preferences_of(request.user)
        ],
        "has_email": bool(request.user.email) and not request.user.email.endswith(".invalid"),
    }
    return TemplateResponse(request, "admin_site/notifications_preferences.html", context)


# --- the outbox: «Отправить повторно» ------------------------------------------------------------------------
def outbox_resend_view(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> HttpResponse:
    """GET: the confirmation (in unfold's modal from the list or the letter's page); POST: the service."""
    letter = model_admin.get_object(request, str(object_id))  # the admin's queryset: core.outbox_visible_to
    if letter is None:
        raise Http404
    default = reverse("admin:core_notification_change", args=[letter.pk])
    referer = request.META.get("HTTP_REFERER", "")  # the list (with its filters) or the letter's page
    if request.method == "GET" and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        default = referer
    back = next_url(request, default)
    if request.method == "POST":
        try:
            notification_resend(notification=letter, actor=request.user)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, gettext("Письмо «%(subject)s» снова поставлено в очередь на отправку.")
                             % {"subject": letter.subject})
        return redirect(back)
    return admin_page(
        model_admin, request, "admin_site/notifications_resend.html", title=_("Отправить повторно"), letter=letter,
        failed=letter.status == OutboxStatus.FAILED, back=back,
    )
