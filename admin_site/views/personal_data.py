"""Personal data under 152-ФЗ in the cabinet, from a person's page, for administrators:

- «Выгрузить персональные данные» downloads everything held about the person (the subject's right of access) as a
  zip built by core.services.personal_data in a temporary file and streamed from there;
- «Отозвать согласие по заявлению» carries out a withdrawal an investor sent on paper or by letter: the same erasure
  as the portal's own button, with the administrator as the actor and the request named.
"""


from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.widgets import UnfoldAdminTextInputWidget

from core.http import client_ip, subject_access_response
from core.models import User
from core.services.personal_data import (
    WITHDRAWAL_BASIS_MAX,
    consent_withdraw_on_request,
    consent_withdrawal_possible,
    subject_access_allowed,
    user_is_withdrawn,
)


def subject_access_download(request: HttpRequest, user_id: int) -> HttpResponse:
    if not subject_access_allowed(request.user):
        raise PermissionDenied
    return subject_access_response(request, get_object_or_404(User, pk=user_id))


class WithdrawalForm(forms.Form):
    basis = forms.CharField(
        label=gettext_lazy("Основание"), max_length=WITHDRAWAL_BASIS_MAX,
        help_text=gettext_lazy("Заявление инвестора: как получено, номер и дата. Запишется в журнал изменений."),
        widget=UnfoldAdminTextInputWidget(attrs={"placeholder": gettext_lazy("Например: заявление вх. № 124 от "
                                                                             "01.12.2026, получено почтой")}),
        error_messages={"required": gettext_lazy("Укажите основание: заявление, его номер и дату.")},
    )


def withdrawal_view(request: HttpRequest, object_id: str, *, model_admin: ModelAdmin) -> HttpResponse:
    """The confirmation page with the request's details; sent, the person is erased and the account closed."""
    person = model_admin.get_object(request, object_id)
    if person is None or not subject_access_allowed(request.user):
        raise PermissionDenied
    change_url = reverse("admin:core_user_change", args=[person.pk])
    if user_is_withdrawn(person):  # done already (a second tab, the form sent again): say so on the person's page
        messages.info(request, _("Согласие уже отозвано: персональные данные удалены, учётная запись закрыта."))
        return redirect(change_url)
    if not consent_withdrawal_possible(person):  # a staff account: the page has no such button
        raise PermissionDenied
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = person.full_name or person.email
        try:
            consent_withdraw_on_request(person=person, actor=request.user, basis=form.cleaned_data["basis"],
                                        ip_address=client_ip(request))
        except ValidationError as error:
            for message in error.message_dict.get("basis", error.messages):
                form.add_error("basis", message)
        else:
            messages.success(request, _("%(name)s: согласие отозвано по заявлению, персональные данные удалены, "
                                        "учётная запись закрыта.") % {"name": name})
            return redirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Отозвать согласие по заявлению"),
        "opts": model_admin.model._meta,
        "original": person,
        "person": person,
        "form": form,
        "cancel_url": change_url,
    }
    return TemplateResponse(request, "admin_site/consent_withdraw.html", context)
