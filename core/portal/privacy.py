"""The investor withdraws consent to the processing of personal data (152-ФЗ): confirmed with the password, then
core.services.personal_data erases the person and closes the account, and this view logs them out."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core.http import client_ip
from core.portal.forms import add_service_errors
from core.portal.views import InvestorRequiredMixin
from core.services.personal_data import consent_withdraw


class ConsentWithdrawForm(forms.Form):
    password = forms.CharField(
        label=_("Ваш пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Введите пароль, чтобы подтвердить, что согласие отзываете именно вы."),
    )


class ConsentWithdrawView(InvestorRequiredMixin, FormView):
    template_name = "portal/privacy/consent_withdraw.html"
    form_class = ConsentWithdrawForm

    def form_valid(self, form):
        try:
            consent_withdraw(user=self.request.user, password=form.cleaned_data["password"],
                             ip_address=client_ip(self.request))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        logout(self.request)
        messages.success(self.request, _(
            "Согласие на обработку персональных данных отозвано. Ваши персональные данные удалены, учётная запись "
            "закрыта."))
        return redirect("portal:landing")
