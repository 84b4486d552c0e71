"""{% cabinet_app_list %}: unfold's sidebar (unfold/helpers/app_list.html), rendered once for each distinct sidebar.

The sidebar is drawn on every cabinet page, a few milliseconds of template work for some twenty items. What it prints
is a function of the items the person's sidebar holds (admin_site.navigation decides them on every request, with
each item's title, link, icon, whether it is the current page, its attributes such as the bell's «3 непрочитанных»),
of the language and of whether it lists all applications. So the markup is kept per process under exactly those
values — not under the person: two people whose sidebars hold the same items with the same values share it, a
change in any value is another key. A sidebar holding anything else than plain values (a callback, an object) is
rendered as before, every time. admin_site.template_loader puts this tag in place of unfold's include.
"""

from django import template
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

register = template.Library()

LIMIT = 512  # distinct sidebars kept; past it the cache starts afresh
_RENDERED: dict[tuple, str] = {}


class _NotPlain(Exception):
    pass


def _frozen(value):
    """The value as the template prints it, hashable; the type kept where printing differs (True vs 1, safe str)."""
    if isinstance(value, Promise):
        value = str(value)  # a lazy text or link, as the template would print it now
    if isinstance(value, str):
        return ("safe" if isinstance(value, SafeData) else "str", str(value))
    if value is None or type(value) in (bool, int):
        return (type(value).__name__, value)
    if isinstance(value, dict):
        return ("dict", tuple((key, _frozen(item)) for key, item in value.items()))
    if type(value) in (list, tuple):
        return (type(value).__name__, tuple(_frozen(item) for item in value))
    raise _NotPlain


def _key(context) -> tuple | None:
    if context.get("sidebar_show_all_applications"):
        return None  # it prints the list of every application: rendered as unfold does
    try:
        return get_language(), context.autoescape, _frozen(context.get("sidebar_navigation"))
    except _NotPlain:
        return None


@register.simple_tag(takes_context=True)
def cabinet_app_list(context) -> str:
    """What `{% include "unfold/helpers/app_list.html" with app_list=available_apps %}` prints."""
    key = _key(context)
    markup = _RENDERED.get(key) if key is not None else None
    if markup is None:
        with context.push(app_list=context.get("available_apps")):
            markup = context.template.engine.get_template("unfold/helpers/app_list.html").render(context)
        if key is not None:
            if len(_RENDERED) >= LIMIT:
                _RENDERED.clear()
            _RENDERED[key] = markup
    return mark_safe(markup)  # the template's own output
