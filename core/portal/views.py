"""Portal views: parse the form, call one service or selector, answer with a page, a message or a redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import AccessMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from core.http import client_ip
from core.portal.forms import (
    EmailForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    add_service_errors,
)
from core.portal.navigation import CABINET_TABS, DEFAULT_TAB, cabinet_tab
from core.selectors.contacts import investor_contacts_for
from core.selectors.visibility import is_investor, is_staff_member
from core.services.accounts import (
    ConfirmationLinkExpired,
    ConfirmationLinkInvalid,
    RequestLimitReached,
    email_confirmation_request,
    investor_register,
    password_reset_request,
    user_confirm_email,
    user_update_profile,
)
from core.services.personal_data import consent_is_current
from core.sessions import session_remember


class InvestorRequiredMixin(AccessMixin):
    """The investor's own pages: guests go to the login, staff to the manager cabinet, anyone else gets 403. An
    investor who has not accepted the consent text in force (an account made by staff, a text changed since) is
    asked to first (one indexed query a page): a page opened (GET) goes to «Согласие на обработку персональных
    данных» and back. A form sent (POST) is not turned away, so nothing typed is lost when the text changes while
    the person is at work."""

    consent_exempt = False  # the consent's own pages: accepting it and withdrawing it

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if is_staff_member(request.user):
            messages.info(
                request, _("Личный кабинет инвестора — для инвесторов; сотрудники работают в кабинете менеджера.")
            )
            return redirect("admin:index")
        if not is_investor(request.user):
            return render(request, "portal/forbidden.html", status=403)
        if not self.consent_exempt and request.method in ("GET", "HEAD") and not consent_is_current(request.user):
            return redirect(f"{reverse('portal:consent')}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)


class LandingView(TemplateView):
    template_name = "portal/landing.html"


# Past a limit nothing is sent and the answer is the same whether the address has an account or not.
ACCOUNT_LIMIT_MESSAGE = _(
    "Слишком много запросов для этого адреса или с вашего подключения, поэтому письмо не отправлено. "
    "Попробуйте снова через час."
)

REGISTRATION_LIMIT_MESSAGE = _("Слишком много регистраций с вашего подключения. Попробуйте снова через час.")


def _limit_reached(view: FormView, form, message=ACCOUNT_LIMIT_MESSAGE) -> HttpResponse:
    return view.render_to_response(view.get_context_data(form=form, limit_message=message), status=429)


class RegisterView(FormView):
    template_name = "portal/register.html"
    form_class = RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("portal:after_login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            investor_register(
                **form.registration_data(),
                ip_address=client_ip(self.request),
                user_agent=self.request.headers.get("user-agent", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except RequestLimitReached:
            return _limit_reached(self, form, REGISTRATION_LIMIT_MESSAGE)
        # the same page whether the address was new or already had an account (its owner got a letter)
        self.request.session["registered_email"] = form.cleaned_data["email"].lower()
        return redirect("portal:registration_done")


def registration_done(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/registration_done.html", {"email": request.session.get("registered_email", "")})


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_confirm_email(token=token)
    except ConfirmationLinkInvalid as error:
        expired = isinstance(error, ConfirmationLinkExpired)
        return render(request, "portal/confirm_email_failed.html", {"expired": expired}, status=400)
    messages.success(request, _("Электронная почта подтверждена. Теперь войдите в личный кабинет."))
    return redirect("portal:login")


class ResendConfirmationView(FormView):
    template_name = "portal/resend_confirmation.html"
    form_class = EmailForm
    success_url = reverse_lazy("portal:login")

    def get_initial(self):
        return {"email": self.request.GET.get("email", "")}

    def form_valid(self, form):
        try:
            email_confirmation_request(email=form.cleaned_data["email"], ip_address=client_ip(self.request))
        except RequestLimitReached:
            return _limit_reached(self, form)
        messages.success(
            self.request,
            _("Если этот адрес зарегистрирован и ещё не подтверждён, мы отправили на него новое письмо со ссылкой."),
        )
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        session_remember(self.request, remember=form.cleaned_data["remember"])
        return response


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    if is_staff_member(request.user):
        return redirect("admin:index")
    return redirect("portal:cabinet")


class CabinetView(InvestorRequiredMixin, TemplateView):
    template_name = "portal/cabinet.html"
    section = ""  # a built tab's own view names its tab; the generic one takes it from the URL

    def get_context_data(self, **kwargs):
        tab = cabinet_tab(self.section or self.kwargs.get("section", DEFAULT_TAB))
        if tab is None:
            raise Http404
        return super().get_context_data(
            contacts=investor_contacts_for(self.request.user), tabs=CABINET_TABS, active_tab=tab, **kwargs
        )


class ProfileView(InvestorRequiredMixin, FormView):
    template_name = "portal/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("portal:profile")

    def get_initial(self):
        user = self.request.user
        return {field: getattr(user, field) for field in ProfileForm.base_fields}

    def form_valid(self, form):
        try:
            user_update_profile(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Профиль сохранён."))
        return super().form_valid(form)


class PasswordChangeView(InvestorRequiredMixin, SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "portal/password_change.html"
    success_url = reverse_lazy("portal:profile")
    success_message = _("Пароль изменён.")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/password_reset.html"
    form_class = EmailForm
    success_url = reverse_lazy("portal:password_reset_done")

    def form_valid(self, form):
        """The letter goes out through a django-q2 task (core.services.accounts), not Django's form.save()."""
        try:
            password_reset_request(email=form.cleaned_data["email"], ip_address=client_ip(self.request))
        except RequestLimitReached:
            return _limit_reached(self, form)
        return redirect(self.success_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")
