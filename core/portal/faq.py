"""«Частые вопросы»: the published FAQ for everyone, signed in or not (core.selectors.answers.faq_published), and
«Возможно, ответ уже есть» on «Создать обращение»: up to three published entries close to what the investor types
(core.search.similar_faq), fetched by static/portal/faq-suggestions.js as an HTML fragment."""

from django.shortcuts import render
from django.views import View
from django.views.generic import TemplateView

from core.portal.views import InvestorRequiredMixin
from core.search import similar_faq
from core.selectors.answers import faq_published
from core.services.throttle import Rate, throttle_hit

QUERY_MAX = 200
SUGGEST_MIN = 10  # shorter texts say too little to look for: nothing is asked
SUGGEST_MAX = 1000  # the subject and the start of the description are enough; the rest is cut off
SUGGEST_LIMIT = 3
# a person typing asks at most once a second (the script waits for a pause); more is a script: it gets nothing
SUGGEST_RATE = Rate(limit=60, period=60)


class FaqView(TemplateView):
    template_name = "portal/faq.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:QUERY_MAX].strip()
        groups = faq_published(query=query)
        return super().get_context_data(**kwargs, query=query, groups=groups,
                                        found=sum(len(entries) for _category, entries in groups))


class FaqSuggestionsView(InvestorRequiredMixin, View):
    """GET ?text=<subject and description>: the fragment with up to three similar published FAQ entries, or an empty
    one when the text is short, nothing fits or the person asked more than SUGGEST_RATE allows. Never blocks filing:
    the form works the same without it."""

    def get(self, request):
        text = " ".join(request.GET.get("text", "")[:SUGGEST_MAX].split())
        entries = []
        if len(text) >= SUGGEST_MIN and throttle_hit(purpose="faq-suggestions", subject=str(request.user.pk),
                                                      rate=SUGGEST_RATE):
            entries = similar_faq(text=text, limit=SUGGEST_LIMIT)
        response = render(request, "portal/includes/faq_suggestions.html", {"entries": entries[:SUGGEST_LIMIT]})
        response["Cache-Control"] = "private, max-age=60"
        return response
