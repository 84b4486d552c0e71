"""«Частые вопросы»: the published FAQ for everyone, signed in or not (core.selectors.answers.faq_published)."""

from django.views.generic import TemplateView

from core.selectors.answers import faq_published

QUERY_MAX = 200


class FaqView(TemplateView):
    template_name = "portal/faq.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:QUERY_MAX].strip()
        groups = faq_published(query=query)
        return super().get_context_data(**kwargs, query=query, groups=groups,
                                        found=sum(len(entries) for _category, entries in groups))
