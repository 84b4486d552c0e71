"""Reads of the ready answers: the templates that fit an appeal, the published FAQ (core.models.answers)."""

from django.db.models import Q, QuerySet

from core.models import AnswerTemplate, Appeal, Category, FaqEntry, Subcategory


def answer_templates_for_appeal(appeal: Appeal) -> QuerySet[AnswerTemplate]:
    """The active templates of the appeal's fact, of its category, and those made for every appeal; the most used
    first."""
    category = Subcategory.objects.filter(facts=appeal.fact_id).values("category_id")
    return AnswerTemplate.objects.filter(
        Q(fact_id=appeal.fact_id) | Q(category_id__in=category) | Q(fact__isnull=True, category__isnull=True),
        is_active=True,
    ).order_by("-usage_count", "title", "pk")


def _contains(word: str) -> Q:
    """The question or the answer contains the word in any case. SQLite folds only Latin letters, so the usual
    spellings of a Cyrillic word are asked for too (as core.selectors.appeal_people does); PostgreSQL needs one."""
    found = Q()
    for spelling in {word, word.lower(), word.capitalize(), word.upper()}:
        found |= Q(question__icontains=spelling) | Q(answer__icontains=spelling)
    return found


def faq_published(*, query: str = "") -> list[tuple[Category | None, list[FaqEntry]]]:
    """The published FAQ grouped by category (in the classifier's order, those without one last), narrowed to the
    entries whose question or answer contains every word of `query`. One query whatever the number of entries."""
    entries = FaqEntry.objects.filter(is_published=True).select_related("category").order_by(
        "category__order", "category__name", "pk")
    for word in query.split()[:5]:
        entries = entries.filter(_contains(word))
    groups: dict[int | None, tuple[Category | None, list[FaqEntry]]] = {}
    for entry in entries:
        groups.setdefault(entry.category_id, (entry.category, []))[1].append(entry)
    return sorted(groups.values(), key=lambda group: group[0] is None)
