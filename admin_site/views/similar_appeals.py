"""«Похожие обращения» on the appeal card and in its answer dialog (issue 15): the closest answered appeals the
person may open (core.search.similar_appeals), each with its public answer, rating and executor, and «Вставить в
ответ», which puts that answer into the answer form as a draft — nothing is sent until the person sends the form.

The card loads the panel after the page (the card keeps its query budget, tests/admin_site/appeals/test_performance);
without JavaScript its link opens the same list as a page of its own.
"""

from django.contrib.admin import ModelAdmin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from admin_site.forms.appeals import ANSWER_ACTION, similar_answers_for
from admin_site.views.appeals import allowed_actions, appeal_or_404
from admin_site.views.common import admin_page, require_view

FRAGMENT = "admin/core/appeal/includes/similar_appeals.html"


def appeal_similar_view(request: HttpRequest, object_id, *, model_admin: ModelAdmin) -> HttpResponse:
    """The panel as an HTML fragment (?fragment=1, what the card and the dialog load; ?in=form for the buttons that
    insert into the open answer form) or, for a browser without JavaScript, as a cabinet page."""
    require_view(model_admin, request)
    appeal = appeal_or_404(request, object_id)
    in_form = request.GET.get("in") == "form"
    context = {
        "appeal": appeal,
        "similar": similar_answers_for(appeal, request.user),
        "in_form": in_form,
        "may_answer": ANSWER_ACTION in allowed_actions(appeal, request.user),
        "answer_url": reverse(f"admin:core_appeal_action_{ANSWER_ACTION}", args=[appeal.pk]),
    }
    if request.GET.get("fragment") or request.headers.get("HX-Request"):
        return TemplateResponse(request, FRAGMENT, context)
    return admin_page(model_admin, request, "admin/core/appeal/similar_page.html", title=_("Похожие обращения"),
                      subtitle=str(appeal), card_url=reverse("admin:core_appeal_change", args=[appeal.pk]),
                      **context)
