"""«Ответы для ПОС» beside the appeal list's «Скачать реестр»: the public answers to ПОС messages of a period as an
xlsx to upload back to the federal platform (core.selectors.pos, core.reports.pos)."""

from django.contrib.admin import ModelAdmin
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from admin_site.forms.pos import PosAnswersForm
from admin_site.views.common import admin_page, require_view
from core.reports.pos import pos_answer_register
from core.reports.render import filename, render_xlsx
from core.selectors.pos import pos_answers_for
from core.services.exports import content_type, spooled_file


def pos_answers_view(request: HttpRequest, *, model_admin: ModelAdmin) -> HttpResponse:
    """The period form; with ?download and a valid period, the file. A bad date comes back with a Russian error."""
    require_view(model_admin, request)
    today = timezone.localdate()
    form = PosAnswersForm(request.GET, today=today)
    if "download" in request.GET and form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        table = pos_answer_register(pos_answers_for(user=request.user, start=start, end=end), start=start, end=end,
                                    today=today)
        out = spooled_file()
        try:
            render_xlsx(table, out)
        except Exception:
            out.close()
            raise
        out.seek(0)
        response = FileResponse(out, as_attachment=True, content_type=content_type("xlsx"),
                                filename=filename(table, "xlsx", today))
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
    return admin_page(
        model_admin, request, "admin/core/appeal/pos_answers.html", title=_("Ответы для ПОС"), form=form,
        list_url=reverse("admin:core_appeal_changelist"),
    )
