from django.db.models import QuerySet

from core.models import Fact


def facts_active() -> QuerySet[Fact]:
    """The facts an appeal may be filed under now (their subcategory and category active too), in tree order,
    with their parents and type loaded in the same query."""
    return (
        Fact.objects.filter(is_active=True, subcategory__is_active=True, subcategory__category__is_active=True)
        .select_related("subcategory__category", "appeal_type")
        .order_by(
            "subcategory__category__order", "subcategory__category__name", "subcategory__order",
            "subcategory__name", "order", "name",
        )
    )
