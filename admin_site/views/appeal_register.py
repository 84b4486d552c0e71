"""«Зарегистрировать обращение» (the appeal list's add button, the stream's «Создать обращение»): an appeal that
came by phone, e-mail, letter, visit, ПОС or at an event enters the same status machine through the door."""

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from admin_site.forms.appeal_register import AppealRegisterForm
from admin_site.views.common import admin_page
from core.models import Appeal, User
from core.services.organisations import investor_get_or_create
from core.workflows.appeals import appeal_submit, appeal_transition


def _register(form: AppealRegisterForm, user: User) -> tuple[Appeal, bool]:
    """The company, the appeal and, if asked, its assignment: all or nothing."""
    data = form.cleaned_data
    with transaction.atomic():
        company, created = investor_get_or_create(
            inn=data["organisation_inn"], ogrn=data["organisation_ogrn"], name=data["organisation_name"], actor=user,
        )
        appeal = appeal_submit(actor=user, organisation=company, **form.submit_data())
        assign = form.assign_data()
        if assign is not None:
            appeal = appeal_transition(appeal=appeal, name="assign", actor=user, **assign)
    return appeal, created


def _initial(request: HttpRequest) -> dict:
    initial = {"received_at": timezone.localtime().replace(second=0, microsecond=0)}
    if request.GET.get("fact", "").isdigit():
        initial["fact"] = int(request.GET["fact"])
    return initial


def appeal_register_view(request: HttpRequest, *, model_admin: ModelAdmin) -> HttpResponse:
    """GET: the empty form (the fact preselected by ?fact=); POST: register. Invalid input comes back with what
    was typed, the files chosen kept (core.services.held_uploads), the errors in Russian and nothing written."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        form = AppealRegisterForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                appeal, created = _register(form, request.user)
            except ValidationError as error:
                form.add_door_errors(error)
            else:
                text = _("Обращение №%(number)s зарегистрировано, ответить до %(deadline)s.") % {
                    "number": appeal.number, "deadline": f"{appeal.deadline:%d.%m.%Y}"}
                if created:
                    text += " " + _("Компания «%(name)s» добавлена в систему.") % {"name": appeal.organisation}
                messages.success(request, text)
                return redirect("admin:core_appeal_change", appeal.pk)
    else:
        form = AppealRegisterForm(initial=_initial(request), user=request.user)
    return admin_page(
        model_admin, request, "admin/core/appeal/register_form.html",
        title=_("Зарегистрировать обращение"), form=form, media=model_admin.media + form.media,
        list_url=reverse("admin:core_appeal_changelist"),
    )
