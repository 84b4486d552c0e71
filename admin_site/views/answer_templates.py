"""The appeal card's ready answers: a template's text filled for the appeal («Вставить» in the answer, comment and
clarification dialogs) and «В частые вопросы», which takes the appeal's answer into an unpublished FAQ entry."""

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from admin_site.views.appeals import appeal_or_404
from admin_site.views.common import admin_page, require_view
from core.http_guard import parse_int
from core.selectors.answers import answer_templates_for_appeal
from core.services.answer_templates import answer_template_render, faq_entry_create_from_appeal


def answer_template_text_view(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> JsonResponse:
    """The text of template ?template=<id> for this appeal as JSON; only for an appeal the person sees (404 like the
    card) and a template that fits it. Without ?template: the fitting templates' ids and titles, which the card's
    comment box loads after the page (the card keeps its query budget, tests/admin_site/appeals/test_performance)."""
    require_view(model_admin, request)
    appeal = appeal_or_404(request, object_id)
    if "template" not in request.GET:
        return JsonResponse({"templates": [{"id": pk, "title": title} for pk, title in
                                           answer_templates_for_appeal(appeal).values_list("pk", "title")]})
    template_id = parse_int(request.GET.get("template"), minimum=1, maximum=2**63 - 1)
    template = answer_templates_for_appeal(appeal).filter(pk=template_id).first() if template_id else None
    if template is None:
        raise Http404(_("Шаблон не найден или не подходит к этому обращению."))
    rendered = answer_template_render(template=template, appeal=appeal, user=request.user)
    notes = []
    if rendered.unknown:
        notes.append(_("Неизвестные подстановки оставлены как есть: %(names)s.")
                     % {"names": ", ".join(rendered.unknown)})
    if rendered.empty:
        notes.append(_("Нет данных для подстановок: %(names)s — впишите вручную.")
                     % {"names": ", ".join(rendered.empty)})
    return JsonResponse({"id": template.pk, "text": rendered.text, "unknown": list(rendered.unknown),
                         "empty": list(rendered.empty), "note": " ".join(notes)})


def may_add_to_faq(appeal, user) -> bool:
    """«В частые вопросы» is offered for an appeal with an approved answer to those who write the FAQ."""
    return appeal.answered_at is not None and user.has_perm("core.add_faqentry")


def appeal_faq_view(request: HttpRequest, object_id, *, name: str, model_admin: ModelAdmin) -> HttpResponse:
    """GET: what happens; POST: an unpublished FAQ entry from the appeal's answer, opened for editing."""
    require_view(model_admin, request)
    appeal = appeal_or_404(request, object_id)
    card_url = reverse("admin:core_appeal_change", args=[appeal.pk])
    if request.method == "POST":
        try:
            entry = faq_entry_create_from_appeal(appeal=appeal, actor=request.user)
        except (PermissionDenied, ValidationError) as refused:
            messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
            return redirect(card_url)
        messages.success(request, _("Черновик частого вопроса создан. Уберите персональные данные инвестора и "
                                    "отметьте «Опубликован», когда текст готов."))
        return redirect("admin:core_faqentry_change", entry.pk)
    if not may_add_to_faq(appeal, request.user):
        messages.error(request, _("В частые вопросы можно добавить только обращение с согласованным ответом; "
                                  "это делают координаторы и руководители."))
        return redirect(card_url)
    return admin_page(model_admin, request, "admin/core/appeal/faq_form.html", title=_("В частые вопросы"),
                      subtitle=str(appeal), appeal=appeal, card_url=card_url)
