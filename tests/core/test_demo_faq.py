from io import StringIO

from django.core.management import call_command

from core.models import FaqEntry
from core.services.demo import demo_answers_load


def test_demo_faq_is_grouped_by_several_categories_and_added_once(db):
    call_command("seed_reference", stdout=StringIO())
    demo_answers_load()
    published = FaqEntry.objects.filter(is_published=True)
    # /faq/ groups by category and filing suggests up to three: the demo must have enough to show both
    assert published.count() >= 8
    assert published.values("category").distinct().count() >= 3
    assert not published.filter(category=None).exists()
    total = FaqEntry.objects.count()
    assert demo_answers_load() == 0
    assert FaqEntry.objects.count() == total
    # a demo loaded before an entry joined the pack gets that entry on the next load, and only it
    FaqEntry.objects.filter(pk=published.first().pk).delete()
    assert demo_answers_load() == 1
    assert FaqEntry.objects.count() == total
