"""The cabinet's pages of personal API tokens: make one (the token is on the answer page, once) and revoke one."""

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from admin_site.forms.common import DoorErrorsMixin, date_input
from admin_site.views.common import admin_page
from core.models import ApiTokenScope
from core.services.api_tokens import api_token_create, api_token_expiry, api_token_revoke


class ApiTokenForm(DoorErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Название"), max_length=100, widget=UnfoldAdminTextInputWidget,
                           help_text=_("Например, «Выгрузка в 1С»: по названию вы узнаете токен в списке."))
    scope = forms.ChoiceField(label=_("Права"), choices=ApiTokenScope.choices, initial=ApiTokenScope.READ,
                              widget=UnfoldAdminSelectWidget)
    expires_on = forms.DateField(label=_("Действует до"), widget=date_input(), required=False,
                                 help_text=_("Включительно. Если пусто — год."))

    def token_data(self) -> dict:
        data = self.cleaned_data
        expires = data.get("expires_on")
        return {"name": data["name"], "scope": data["scope"],
                "expires_at": api_token_expiry(expires) if expires else None}


def api_token_add_view(request: HttpRequest, *, model_admin: ModelAdmin) -> HttpResponse:
    """GET: the form; POST: the token, shown once on the answer page (never stored, never in a message)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.token_data()
        try:
            issued = api_token_create(user=request.user, **data)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "expires_at" in error.error_dict:
                error = ValidationError({"expires_on": error.error_dict.pop("expires_at"), **error.error_dict})
            form.add_door_errors(error)
        else:
            # the cabinet's views are never cached (admin_view): the token stays on this one answer
            return admin_page(model_admin, request, "admin_site/api_tokens/created.html", title=_("Токен создан"),
                              issued=issued, list_url=reverse("admin:core_apitoken_changelist"))
    return admin_page(model_admin, request, "admin_site/api_tokens/form.html", title=_("Новый API-токен"),
                      form=form, list_url=reverse("admin:core_apitoken_changelist"))


def api_token_revoke_view(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> HttpResponse:
    """GET: the confirmation (unfold's modal or a page); POST: revoke."""
    token = model_admin.get_object(request, str(object_id))
    if token is None:
        raise Http404
    back = reverse("admin:core_apitoken_changelist")
    if request.method == "POST":
        try:
            api_token_revoke(token=token, actor=request.user)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, gettext("Токен «%(name)s» отозван: программы с ним больше не войдут.")
                             % {"name": token.name})
        return redirect(back)
    return admin_page(model_admin, request, "admin_site/api_tokens/revoke.html", title=_("Отозвать токен"),
                      token=token, back=back, now=timezone.now())
