"""«Вебхуки»: an organisation's subscriptions to events and the log of their deliveries
(docs/integrations/webhooks.md). Agency administrators and the director manage them (core.roles).

Only adapts: saving a subscription, changing its secret and sending a delivery again are core.services.webhooks;
who sees the rows is core.selectors.webhooks. Deliveries are written by the doors and are read-only here.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminCheckboxSelectMultipleWidget, UnfoldAdminURLInputWidget

from admin_site.admin.base import CorridorModelAdmin, ReadOnlyModelAdmin
from admin_site.badges import frame_count
from admin_site.views.webhooks import delivery_resend_view, secret_rotate_view
from core.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from core.models.notifications import OutboxStatus
from core.selectors.webhooks import (
    webhook_deliveries_visible_to,
    webhook_subscriptions_visible_to,
)
from core.services.webhooks import webhook_resend_many, webhook_subscription_save, webhook_url_check


def failed_badge(request: HttpRequest) -> int | None:
    """The sidebar badge of «Доставки событий»: deliveries that gave up and wait for someone to send them again."""
    return frame_count(request, "failed_deliveries") or None  # counted with the bell (admin_site.badges)


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}" if moment else "—"


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("Адрес"), max_length=500, assume_scheme="https", widget=UnfoldAdminURLInputWidget,
                         help_text=_("Адрес, на который система отправляет POST-запросы: https://…"))
    events = forms.MultipleChoiceField(
        label=_("События"), choices=WebhookEvent.choices, widget=UnfoldAdminCheckboxSelectMultipleWidget,
        error_messages={"required": _("Выберите хотя бы одно событие.")},
    )

    class Meta:
        model = WebhookSubscription
        fields = ("organisation", "name", "url", "events", "is_active")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            webhook_url_check(url)
        except ValidationError as error:
            raise ValidationError(error.message_dict["url"]) from error
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(CorridorModelAdmin):
    visible_to = staticmethod(webhook_subscriptions_visible_to)
    form = SubscriptionForm
    list_display = ("name", "organisation", "url", "events_display", "active_badge", "created")
    list_filter = ("is_active",)
    search_fields = ("name", "url", "organisation__short_name", "organisation__inn")
    search_help_text = _("Название, адрес или организация (краткое наименование, ИНН)")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("secret_display", "created_by", "created_at")
    actions_detail = ("rotate_secret", "show_deliveries")

    def get_fieldsets(self, request: HttpRequest, obj=None):
        main = ("organisation", "name", "url", "events", "is_active")
        if obj is None:  # the secret is made when the subscription is saved
            return [(None, {"fields": main})]
        return [(None, {"fields": main}), (_("Подпись запросов"), {"fields": ("secret_display",)}),
                (_("Создание"), {"fields": ("created_by", "created_at")})]

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        wrapper = form.base_fields["organisation"].widget  # no «add/change organisation» menu beside the picker:
        wrapper.can_add_related = wrapper.can_change_related = wrapper.can_delete_related = False  # a phone fits
        wrapper.can_view_related = False
        return form

    def save_model(self, request: HttpRequest, obj: WebhookSubscription, form, change: bool) -> None:
        created = obj.pk is None
        webhook_subscription_save(subscription=obj, actor=request.user)
        if created:
            self.message_user(request, gettext(
                "Секрет подписки — на её странице, в разделе «Подпись запросов»: передайте его получателю, чтобы он "
                "проверял подпись."), messages.INFO)

    # --- buttons -------------------------------------------------------------------------------------------------
    def has_rotate_secret_permission(self, request: HttpRequest, object_id=None) -> bool:
        return request.user.has_perm("core.change_webhooksubscription")

    @action(description=_("Сменить секрет"), url_path="rotate-secret", icon="key", permissions=["rotate_secret"])
    def rotate_secret(self, request: HttpRequest, object_id) -> HttpResponse:
        return secret_rotate_view(request, object_id, model_admin=self)

    rotate_secret.dialog = {"title": _("Сменить секрет")}

    @action(description=_("Журнал доставок"), url_path="deliveries", icon="list_alt", permissions=["view"])
    def show_deliveries(self, request: HttpRequest, object_id) -> HttpResponse:
        return redirect(reverse("admin:core_webhookdelivery_changelist") + f"?subscription__id__exact={object_id}")

    # --- columns -------------------------------------------------------------------------------------------------
    @display(description=_("события"))
    def events_display(self, obj: WebhookSubscription) -> str:
        labels = dict(WebhookEvent.choices)
        return "; ".join(str(labels.get(code, code)) for code in obj.events)

    @display(description=_("включена"), ordering="is_active", label={"on": "success", "off": "danger"})
    def active_badge(self, obj: WebhookSubscription) -> tuple[str, str]:
        return ("on", gettext("Включена")) if obj.is_active else ("off", gettext("Выключена"))

    @display(description=_("создана"), ordering="created_at")
    def created(self, obj: WebhookSubscription) -> str:
        return _when(obj.created_at)

    @display(description=_("секрет"))
    def secret_display(self, obj: WebhookSubscription) -> str:
        return format_html(
            '<details><summary class="cursor-pointer">{}</summary><code class="zk-code">{}</code>'
            '<p class="text-subtle mt-1">{}</p></details>',
            gettext("Показать"), obj.secret,
            gettext("Подпись: HMAC-SHA256 от «X-ZK-Timestamp.тело запроса» этим секретом, в заголовке X-ZK-Signature."),
        )


class EventFilter(admin.SimpleListFilter):
    title = _("событие")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return WebhookEvent.choices

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyModelAdmin):
    visible_to = staticmethod(webhook_deliveries_visible_to)
    list_display = ("created", "subscription_display", "event_display", "object_display", "status_badge",
                    "attempts_display", "error_short")
    list_display_links = ("created", "event_display")
    list_filter = ("status", EventFilter, "subscription")
    list_filter_submit = False
    search_fields = ("delivery_id", "subscription__name", "subscription__organisation__short_name")
    search_help_text = _("Идентификатор доставки, подписка или организация")
    ordering = ("-created_at", "-pk")
    fields = ("subscription", "delivery_id", "event_display", "object_display", "status", "attempts",
              "response_code", "last_error", "next_attempt_at", "created_at", "delivered_at", "body_display")
    readonly_fields = ("event_display", "object_display", "body_display")
    actions = ["resend_selected"]
    actions_list = ("show_failed",)
    actions_row = ("resend",)
    actions_detail = ("resend",)

    def has_resend_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("core.change_webhookdelivery")

    @action(description=_("Отправить повторно"), url_path="resend", icon="send", permissions=["resend"])
    def resend(self, request: HttpRequest, object_id) -> HttpResponse:
        return delivery_resend_view(request, object_id, model_admin=self)

    resend.dialog = {"title": _("Отправить повторно")}

    @admin.action(description=_("Отправить повторно"), permissions=["resend"])
    def resend_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        queued, refused = webhook_resend_many(deliveries=queryset, actor=request.user)
        if queued:
            self.message_user(request, ngettext(
                "Снова поставлено в очередь на отправку: %(count)s событие.",
                "Снова поставлено в очередь на отправку: %(count)s событий.", queued) % {"count": queued},
                messages.SUCCESS)
        if refused:
            self.message_user(request, gettext(
                "Не поставлено в очередь: %(count)s — эти события уже ждут отправки.") % {"count": refused},
                messages.WARNING)

    @action(description=_("Недоставленные"), url_path="failed", icon="error", permissions=["view"])
    def show_failed(self, request: HttpRequest) -> HttpResponse:
        return redirect(reverse("admin:core_webhookdelivery_changelist") + f"?status__exact={OutboxStatus.FAILED}")

    # --- columns -------------------------------------------------------------------------------------------------
    @display(description=_("создано"), ordering="created_at")
    def created(self, obj: WebhookDelivery) -> str:
        return _when(obj.created_at)

    @display(description=_("подписка"), ordering="subscription__name", header=True)
    def subscription_display(self, obj: WebhookDelivery) -> tuple[str, str]:
        return obj.subscription.name, obj.subscription.organisation.short_name

    @display(description=_("событие"), ordering="event")
    def event_display(self, obj: WebhookDelivery) -> str:
        return obj.get_event_display()

    @display(description=_("объект"))
    def object_display(self, obj: WebhookDelivery) -> str:
        """From the body as sent: the number people know, without a query per row."""
        try:
            data = json.loads(obj.body)["data"][obj.object_kind]
        except (ValueError, KeyError, TypeError):
            data = {}
        if obj.object_kind == "appeal" and data.get("number"):
            return gettext("Обращение № %(number)s") % {"number": data["number"]}
        if obj.object_kind == "project" and data.get("registry_number"):
            return gettext("Проект %(number)s") % {"number": data["registry_number"]}
        kinds = {"appeal": gettext("Обращение"), "project": gettext("Проект"), "meeting": gettext("Встреча")}
        return f"{kinds.get(obj.object_kind, obj.object_kind)}, ID {obj.object_id}"

    @display(description=_("попыток, код ответа"), ordering="attempts")
    def attempts_display(self, obj: WebhookDelivery) -> str:
        return f"{obj.attempts} · {obj.response_code}" if obj.response_code else str(obj.attempts)

    @display(description=_("статус"), ordering="status", label=OutboxStatus.colours())
    def status_badge(self, obj: WebhookDelivery) -> tuple[str, str]:
        return obj.status, obj.get_status_display()

    @display(description=_("последняя ошибка"))
    def error_short(self, obj: WebhookDelivery) -> str:
        return Truncator(obj.last_error).chars(60) if obj.last_error else "—"

    @display(description=_("тело запроса"))
    def body_display(self, obj: WebhookDelivery) -> str:
        try:
            pretty = json.dumps(json.loads(obj.body), ensure_ascii=False, indent=2)
        except ValueError:
            pretty = obj.body
        return format_html('<pre class="zk-code text-xs">{}</pre>', pretty)
