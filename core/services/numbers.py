"""Sequential numbers that are never reused (appeal #724): a counter row taken under a lock."""

from django.db import transaction
from django.db.models import F

from core.models import Counter


def number_next(*, name: str) -> int:
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        Counter.objects.filter(name=name).update(value=F("value") + 1)
        return Counter.objects.select_for_update().values_list("value", flat=True).get(name=name)


def number_reserve_up_to(*, name: str, value: int) -> None:
    """After importing numbered rows (legacy appeals): new numbers continue above the highest imported one."""
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        Counter.objects.filter(name=name, value__lt=value).update(value=value)
