"""What every page of the cabinet besides unfold's own does: check the section's permission, render inside the
admin's frame, come back where the person started, write money and quantities the Russian way."""

from decimal import Decimal
from urllib.parse import urlsplit

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from core.formatting import format_decimal, format_money


def require_view(model_admin: ModelAdmin, request: HttpRequest) -> None:
    """The role's model permission (core.roles) opens the section; the rows are core's visibility."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def admin_page(model_admin: ModelAdmin, request: HttpRequest, template: str, **context) -> TemplateResponse:
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, **context}
    return TemplateResponse(request, template, context)


def next_url(request: HttpRequest, default: str) -> str:
    """The page a form was opened from (?next=): a path or an address on this site (the list a confirmation was
    opened from arrives as its full Referer); otherwise `default`. A relative value («true», «-1») is no page:
    redirect() would read it as a view name and fail."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    absolute = target.startswith("/") or urlsplit(target).scheme in ("http", "https")
    allowed = absolute and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if allowed else default


def rubles(value: Decimal | int | None) -> str:
    """1500000000 → «1 500 000 000 ₽», kopecks only when there are any (core.formatting); nothing → «—»."""
    return format_money(value) or "—"


def plain_number(value: Decimal | int | None) -> str:
    """A quantity without trailing zeros, thousands apart, a decimal comma: 85000.50 → «85 000,5»; nothing → «—»."""
    return format_decimal(value) or "—"
