"""«Исходящие письма»: the outbox of letters, for the administrators who watch it (core.selectors.notifications).

Read-only: letters are written by core.services.notifications.notify and sent by its task. The one thing staff
do here is put a failed letter back in the queue — the row, detail and bulk «Отправить повторно», all through
core.services.notifications.notification_resend. In-app notices (channel «site») are not shown: they belong to
their recipients (admin_site.views.notifications).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from admin_site.admin.base import ReadOnlyModelAdmin
from admin_site.badges import frame_count
from admin_site.views.notifications import outbox_resend_view
from core.models import Notification
from core.models.notifications import OutboxStatus
from core.notifications.events import EVENTS
from core.selectors.notifications import outbox_visible_to
from core.services.notifications import notification_resend

OUTBOX_TITLE = _("Исходящие письма")


def event_label(code: str) -> str:
    spec = EVENTS.get(code)
    return str(spec.label) if spec else code


def failed_badge(request: HttpRequest) -> int | None:
    """The sidebar badge of «Исходящие письма»: letters that gave up and wait for someone to send them again."""
    return frame_count(request, "failed_letters") or None  # counted with the bell (admin_site.badges)


class EventFilter(admin.SimpleListFilter):
    title = _("событие")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return [(spec.code, spec.label) for spec in EVENTS.values()]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    visible_to = staticmethod(outbox_visible_to)
    list_select_related = ("recipient",)
    list_display = ("created", "recipient_display", "subject", "event_display", "status_badge", "attempts",
                    "error_short", "sent")
    list_display_links = ("created", "subject")
    list_filter = ("status", EventFilter)
    list_filter_submit = False  # plain links: «Не отправлено» is one click away
    search_fields = ("email", "recipient__email", "subject")
    search_help_text = _("Адрес получателя или тема письма")
    ordering = ("-created_at", "-pk")
    date_hierarchy = "created_at"
    fields = ("recipient", "email", "event_display", "subject", "link", "status", "attempts", "last_error",
              "next_attempt_at", "created_at", "sent_at", "attachment_name", "body_text")
    readonly_fields = ("event_display",)
    actions = ["resend_selected"]
    actions_list = ("show_failed",)
    actions_row = ("resend",)
    actions_detail = ("resend",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer("body_html", "attachment")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # the model is core's «уведомление» (letters and in-app notices alike); this list holds only the letters
        return super().changelist_view(request, {"title": OUTBOX_TITLE, **(extra_context or {})})

    # --- «Отправить повторно» ------------------------------------------------------------------------------------
    def has_resend_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("core.change_notification")

    @action(description=_("Отправить повторно"), url_path="resend", icon="send", permissions=["resend"])
    def resend(self, request: HttpRequest, object_id) -> HttpResponse:
        return outbox_resend_view(request, object_id, model_admin=self)

    resend.dialog = {"title": _("Отправить повторно")}  # unfold loads the confirmation into its modal

    def get_actions_detail(self, request: HttpRequest, object_id):
        """The button only on a letter that failed: the service refuses any other anyway."""
        buttons = super().get_actions_detail(request, object_id)
        letter = self.get_object(request, object_id)
        if letter is not None and letter.status == OutboxStatus.FAILED:
            return buttons
        return [button for button in buttons if button.method.original_function_name != "resend"]

    @admin.action(description=_("Отправить повторно"), permissions=["resend"])
    def resend_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        queued = refused = 0
        for letter in queryset:
            try:
                notification_resend(notification=letter, actor=request.user)
            except (PermissionDenied, ValidationError):
                refused += 1
            else:
                queued += 1
        if queued:
            self.message_user(request, gettext("Снова поставлено в очередь на отправку: %(count)s.")
                              % {"count": queued}, messages.SUCCESS)
        if refused:
            self.message_user(request, gettext(
                "Не поставлено в очередь: %(count)s — повторно отправить можно только неотправленное письмо."
            ) % {"count": refused}, messages.WARNING)

    @action(description=_("Неотправленные"), url_path="failed", icon="error", permissions=["view"])
    def show_failed(self, request: HttpRequest) -> HttpResponse:
        return redirect(reverse("admin:core_notification_changelist") + f"?status__exact={OutboxStatus.FAILED}")

    # --- columns -------------------------------------------------------------------------------------------------
    @display(description=_("создано"), ordering="created_at")
    def created(self, obj: Notification) -> str:
        return f"{timezone.localtime(obj.created_at):%d.%m.%Y %H:%M}" if obj.created_at else "—"

    @display(description=_("получатель"), ordering="email", header=True)
    def recipient_display(self, obj: Notification) -> tuple[str, str]:
        return obj.email, (obj.recipient.full_name if obj.recipient_id else _("контактное лицо обращения"))

    @display(description=_("событие"), ordering="event")
    def event_display(self, obj: Notification) -> str:
        return event_label(obj.event)

    @display(description=_("статус"), ordering="status", label=OutboxStatus.colours())
    def status_badge(self, obj: Notification) -> tuple[str, str]:
        return obj.status, obj.get_status_display()

    @display(description=_("последняя ошибка"))
    def error_short(self, obj: Notification) -> str:
        return Truncator(obj.last_error).chars(80) if obj.last_error else "—"

    @display(description=_("отправлено"), ordering="sent_at")
    def sent(self, obj: Notification) -> str:
        return f"{timezone.localtime(obj.sent_at):%d.%m.%Y %H:%M}" if obj.sent_at else "—"
