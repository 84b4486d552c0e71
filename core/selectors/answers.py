"""Reads of the ready answers: the templates that fit an appeal, the published FAQ (core.models.answers)."""

from django.db.models import Q, QuerySet

from core.models import AnswerTemplate, Appeal, Category, FaqEntry, Subcategory
from core.search import matching_faq


def answer_templates_for_appeal(appeal: Appeal) -> QuerySet[AnswerTemplate]:
    """The active templates of the appeal's fact, of its category, and those made for every appeal; the most used
    first."""
    category = Subcategory.objects.filter(facts=appeal.fact_id).values("category_id")
    return AnswerTemplate.objects.filter(
        Q(fact_id=appeal.fact_id) | Q(category_id__in=category) | Q(fact__isnull=True, category__isnull=True),
        is_active=True,
    ).order_by("-usage_count", "title", "pk")


def faq_published(*, query: str = "") -> list[tuple[Category | None, list[FaqEntry]]]:
    """The published FAQ grouped by category (in the classifier's order, those without one last), narrowed to the
    entries whose question or answer holds every word of `query` in any of its forms (the search index,
    core.search.matching_faq). One query whatever the number of entries."""
    entries = FaqEntry.objects.filter(is_published=True).select_related("category").order_by(
        "category__order", "category__name", "pk")
    if query.strip():
        entries = entries.filter(pk__in=matching_faq(query=query).values("pk"))
    groups: dict[int | None, tuple[Category | None, list[FaqEntry]]] = {}
    for entry in entries:
        groups.setdefault(entry.category_id, (entry.category, []))[1].append(entry)
    return sorted(groups.values(), key=lambda group: group[0] is None)
