"""«API-токены»: a person's own personal tokens for the REST API (docs/api.md); administrators see and revoke
everyone's. Only adapts core.services.api_tokens: making a token (shown once) and revoking one."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from admin_site.admin.base import ReadOnlyModelAdmin
from admin_site.views.api_tokens import api_token_add_view, api_token_revoke_view
from core.models import ApiToken
from core.selectors.api_tokens import api_token_list_for
from core.selectors.visibility import is_staff_member
from core.services.api_tokens import api_token_may_hold, api_token_may_revoke

STATE_COLOURS = {"active": "success", "expired": "warning", "revoked": "danger"}


def token_state(token: ApiToken) -> tuple[str, str]:
    if token.revoked_at is not None:
        return "revoked", _("Отозван")
    if token.expires_at <= timezone.now():
        return "expired", _("Истёк")
    return "active", _("Действует")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    visible_to = staticmethod(api_token_list_for)
    list_display = ("name", "owner", "prefix_display", "scope", "expires_at", "last_used_at", "state_badge")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__email", "user__last_name")
    search_help_text = _("Название, начало токена или владелец")
    ordering = ("-created_at", "-pk")
    fields = ("name", "user", "prefix_display", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions_row = ("revoke",)
    actions_detail = ("revoke",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff_member(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return api_token_may_hold(request.user)

    def has_revoke_permission(self, request: HttpRequest, object_id=None) -> bool:
        if object_id is None:
            return is_staff_member(request.user)
        token = self.get_object(request, str(object_id))
        return token is not None and token.revoked_at is None and api_token_may_revoke(token=token,
                                                                                        actor=request.user)

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        return api_token_add_view(request, model_admin=self)

    @action(description=_("Отозвать"), url_path="revoke", icon="block", permissions=["revoke"])
    def revoke(self, request: HttpRequest, object_id) -> HttpResponse:
        return api_token_revoke_view(request, object_id, model_admin=self)

    @display(description=_("владелец"), ordering="user__last_name")
    def owner(self, obj: ApiToken) -> str:
        return obj.user.full_name or obj.user.email

    @display(description=_("начало токена"), ordering="prefix")
    def prefix_display(self, obj: ApiToken) -> str:
        return f"zk_{obj.prefix}…"

    @display(description=_("состояние"), label=STATE_COLOURS)
    def state_badge(self, obj: ApiToken) -> tuple[str, str]:
        return token_state(obj)
