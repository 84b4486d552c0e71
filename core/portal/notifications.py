"""The investor's in-app notices («Уведомления») and which of them also come by email.

Reads go through core.selectors.notifications, every change through core.services.notifications; these views
only adapt. A notice is opened through `NotificationOpenView`, which marks it read and follows its link only
when the link leads to this site (never an open redirect).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from core.notifications.links import open_label
from core.portal.views import InvestorRequiredMixin
from core.selectors.notifications import notice_list_for, notices_for
from core.services.notifications import (
    notification_preferences,
    notification_preferences_set,
    notifications_mark_read,
)

PAGE_SIZE = 20


def _local_path(request: HttpRequest, link: str) -> str:
    """The path of `link` on this site, or "" when it leads anywhere else (or nowhere)."""
    site = settings.SITE_URL
    if not link or not link.startswith(site + "/"):
        return ""
    path = link[len(site):]
    # "//host", "/\\host" and the like would still leave the site from a relative redirect.
    if not url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}, require_https=False):
        return ""
    return path


class NotificationListView(InvestorRequiredMixin, TemplateView):
    """The person's own notices, newest first, a page at a time (queries do not grow with the list)."""

    template_name = "portal/notifications.html"

    def get_context_data(self, **kwargs):
        unread_only = self.request.GET.get("unread") == "1"
        notices = notice_list_for(self.request.user, unread_only=unread_only)
        page = Paginator(notices, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = [{"notice": notice, "button": open_label(notice.object_kind)} for notice in page.object_list]
        return super().get_context_data(page=page, rows=rows, unread_only=unread_only, **kwargs)

    def post(self, request):
        """«Отметить прочитанным» (`read` = the notice's id) or «Отметить все прочитанными» (`read_all`)."""
        if "read_all" in request.POST:
            if notifications_mark_read(user=request.user):
                messages.success(request, _("Все уведомления отмечены прочитанными."))
        else:
            try:
                pk = int(request.POST.get("read", ""))
            except ValueError:
                pk = None
            # The service only touches the person's own notices: someone else's id changes nothing.
            if pk is not None and notifications_mark_read(user=request.user, ids=[pk]):
                messages.success(request, _("Уведомление отмечено прочитанным."))
        # Back to the same filter and page (the form posts to the list's own address).
        return redirect(request.get_full_path())


class NotificationOpenView(InvestorRequiredMixin, View):
    """Follow a notice's link: mark the notice read, then go to its page on this site (else back to the list)."""

    def get(self, request, pk: int):
        notice = get_object_or_404(notices_for(request.user).only("pk", "link"), pk=pk)
        notifications_mark_read(user=request.user, ids=[notice.pk])
        path = _local_path(request, notice.link)
        if path:
            return redirect(path)
        messages.info(request, _("Уведомление отмечено прочитанным. Страницы, на которую оно ведёт, в кабинете нет."))
        return redirect("portal:notifications")


class PreferencesView(InvestorRequiredMixin, View):
    """Which notices also come by email. Mandatory ones always come: their boxes are shown ticked and disabled,
    and the service keeps them on whatever the form sends."""

    template_name = "portal/notifications_preferences.html"

    def get(self, request):
        return self.render_page()

    def post(self, request):
        try:
            notification_preferences_set(user=request.user, email_events=request.POST.getlist("email_events"))
        except ValidationError as error:
            return self.render_page(errors=error.messages)
        messages.success(request, _("Настройки уведомлений сохранены."))
        return redirect("portal:notification_preferences")

    def render_page(self, *, errors: list[str] | None = None) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "preferences": notification_preferences(self.request.user),
                "errors": errors or [],
            },
        )
