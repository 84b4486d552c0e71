"""«API-токены» in the investor's profile: make a personal token for the REST API (shown once), see and revoke
one's own. Only adapts core.services.api_tokens."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.models import ApiTokenScope
from core.portal.forms import add_service_errors
from core.portal.views import InvestorRequiredMixin
from core.selectors.api_tokens import api_token_list_for
from core.services.api_tokens import api_token_create, api_token_expiry, api_token_may_hold, api_token_revoke


class ApiTokenForm(forms.Form):
    required_css_class = "required"

    name = forms.CharField(label=_("Название"), max_length=100,
                           help_text=_("Например, «Учёт в 1С»: по названию вы узнаете токен в списке."))
    scope = forms.ChoiceField(label=_("Права"), choices=ApiTokenScope.choices, initial=ApiTokenScope.READ,
                              widget=forms.RadioSelect)
    expires_at = forms.DateField(label=_("Действует до"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("Включительно. Если пусто — год."))


class ApiTokensView(InvestorRequiredMixin, View):
    """GET: the list and the form; POST: a new token, shown on the answer page only."""

    template_name = "portal/api_tokens.html"

    def get(self, request):
        return self.render_page(ApiTokenForm())

    def post(self, request):
        form = ApiTokenForm(request.POST)
        issued = None
        if form.is_valid():
            expires = form.cleaned_data["expires_at"]
            try:
                issued = api_token_create(user=request.user, name=form.cleaned_data["name"],
                                          scope=form.cleaned_data["scope"],
                                          expires_at=api_token_expiry(expires) if expires else None)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                form = ApiTokenForm()
        response = self.render_page(form, issued=issued, status=200 if issued else 400)
        response["Cache-Control"] = "no-store"
        return response

    def render_page(self, form: ApiTokenForm, *, issued=None, status: int = 200) -> HttpResponse:
        user = self.request.user
        return render(self.request, self.template_name, {
            "form": form, "issued": issued, "may_hold": api_token_may_hold(user),
            "tokens": api_token_list_for(user).filter(user=user),
        }, status=status)


class ApiTokenRevokeView(InvestorRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        token = api_token_list_for(request.user).filter(user=request.user, pk=pk).first()
        if token is None:
            raise Http404
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, gettext("Токен «%(name)s» отозван: программы с ним больше не войдут.")
                         % {"name": token.name})
        return redirect("portal:api_tokens")

