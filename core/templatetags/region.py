"""{% load region %}{% current_region as region %}: the installation's region (core/region.py) in any template —
pages, the error pages rendered without a request, and the letters the outbox renders. No query: the region is
the pack's settings file, read once per process."""

from django import template

from core.region import Region
from core.region import current_region as _current_region

register = template.Library()


@register.simple_tag
def current_region() -> Region:
    return _current_region()
