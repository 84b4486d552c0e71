"""The confirmations of the webhook pages: «Отправить повторно» for a delivery and «Сменить секрет» for a
subscription. GET shows the question (in unfold's modal), POST calls the service."""

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admin_site.views.common import admin_page, next_url
from core.models.notifications import OutboxStatus
from core.services.webhooks import webhook_resend, webhook_secret_rotate


def _back(request: HttpRequest, default: str) -> str:
    referer = request.META.get("HTTP_REFERER", "")  # the list (with its filters) or the row's page
    if request.method == "GET" and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        default = referer
    return next_url(request, default)


def _confirm(request: HttpRequest, model_admin: ModelAdmin, object_id, *, title, run, question) -> HttpResponse:
    obj = model_admin.get_object(request, str(object_id))  # the admin's queryset: core.selectors.webhooks
    if obj is None:
        raise Http404
    opts = obj._meta
    back = _back(request, reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    if request.method == "POST":
        try:
            messages.success(request, run(obj))
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        return redirect(back)
    subject, details, explanation, allowed = question(obj)
    return admin_page(model_admin, request, "admin_site/webhooks_confirm.html", title=title, subject=subject,
                      details=details, explanation=explanation, allowed=allowed, back=back)


def delivery_resend_view(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> HttpResponse:
    def run(delivery) -> str:
        webhook_resend(delivery=delivery, actor=request.user)
        return gettext("Событие снова поставлено в очередь на отправку.")

    def question(delivery):
        allowed = delivery.status in (OutboxStatus.FAILED, OutboxStatus.SENT)
        details = [f"{delivery.subscription.url} · {delivery.get_status_display()}"]
        if delivery.last_error:
            details.append(gettext("Последняя ошибка: %(error)s") % {"error": delivery.last_error})
        explanation = gettext(
            "Событие встанет в очередь и уйдёт в ближайшую минуту с тем же X-ZK-Delivery; счётчик попыток начнётся "
            "заново."
        ) if allowed else gettext("Событие уже в очереди на отправку.")
        return delivery.get_event_display(), details, explanation, allowed

    return _confirm(request, model_admin, object_id, title=_("Отправить повторно"), run=run, question=question)


def secret_rotate_view(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> HttpResponse:
    def run(subscription) -> str:
        webhook_secret_rotate(subscription=subscription, actor=request.user)
        return gettext("Секрет подписки «%(name)s» сменён: новый секрет — на странице подписки.") % {
            "name": subscription.name}

    def question(subscription):
        explanation = gettext(
            "Все следующие запросы будут подписаны новым секретом, прежний перестанет подходить сразу. Передайте "
            "новый секрет получателю до смены или одновременно с ней."
        )
        return subscription.name, [subscription.url], explanation, True

    return _confirm(request, model_admin, object_id, title=_("Сменить секрет"), run=run, question=question)
