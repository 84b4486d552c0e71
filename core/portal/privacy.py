"""The investor's consent to the processing of personal data (152-ФЗ):

- «Согласие на обработку персональных данных» asks an investor who has not accepted the text in force (an account made
  by staff, or a text changed since) to accept it before the portal opens (core.portal.views.InvestorRequiredMixin
  sends them here and back);
- the withdrawal, confirmed with the password: core.services.personal_data erases the person and closes the account,
  and this view logs them out;
- «Выгрузить мои персональные данные»: the zip an administrator's «Выгрузить персональные данные» gives (the subject's
  right of access, 152-ФЗ art. 14), for the investor themself, with the same audit entry naming them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from core.consent import consent_paragraphs
from core.http import client_ip, subject_access_response
from core.portal.forms import add_service_errors
from core.portal.views import InvestorRequiredMixin
from core.services.personal_data import consent_give, consent_is_current, consent_withdraw


class ConsentWithdrawForm(forms.Form):
    password = forms.CharField(
        label=_("Ваш пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Введите пароль, чтобы подтвердить, что согласие отзываете именно вы."),
    )


class ConsentAcceptForm(forms.Form):
    accepted = forms.BooleanField(
        label=_("Даю согласие на обработку моих персональных данных на условиях, изложенных выше"),
        error_messages={"required": _("Без согласия на обработку персональных данных личный кабинет не откроется.")},
    )


class ConsentAcceptView(InvestorRequiredMixin, FormView):
    template_name = "portal/privacy/consent_accept.html"
    form_class = ConsentAcceptForm
    consent_exempt = True

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ) and target.startswith("/"):
            return target
        return reverse("portal:cabinet")

    def get(self, request, *args, **kwargs):
        if consent_is_current(request.user):  # accepted already (another tab, the back button)
            return redirect(self.next_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(consent_paragraphs=consent_paragraphs(), next=self.next_url(),
                                        **kwargs)

    def form_valid(self, form):
        consent_give(
            user=self.request.user,
            ip_address=client_ip(self.request),
            user_agent=self.request.META.get("HTTP_USER_AGENT", ""),
        )
        messages.success(self.request, _("Спасибо: согласие на обработку персональных данных записано."))
        return redirect(self.next_url())


class ConsentWithdrawView(InvestorRequiredMixin, FormView):
    template_name = "portal/privacy/consent_withdraw.html"
    form_class = ConsentWithdrawForm
    consent_exempt = True  # one may refuse a changed text outright

    def form_valid(self, form):
        try:
            consent_withdraw(
                user=self.request.user, password=form.cleaned_data["password"], ip_address=client_ip(self.request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        logout(self.request)
        messages.success(
            self.request,
            _(
                "Согласие на обработку персональных данных отозвано. Ваши персональные данные удалены, учётная запись "
                "закрыта."
            ),
        )
        return redirect("portal:landing")


class PersonalDataExportView(InvestorRequiredMixin, View):
    """POST (a button, so no link prefetch writes an audit entry): everything held about the investor, as a zip built
    in a temporary file and streamed from there."""

    http_method_names = ["post"]
    consent_exempt = True  # the subject may ask what is held about them whatever they decided about the text

    def post(self, request):
        return subject_access_response(request, request.user)
