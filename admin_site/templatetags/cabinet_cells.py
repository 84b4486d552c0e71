"""{% cabinet_label text=… type=… label_title=… %}: what `{% include "unfold/helpers/label.html" with … %}` prints,
from markup rendered once per colour (admin_site.admin.cells.badge) instead of a template render per label. A name
not given is read from the context, as the include reads it; where the context sets any other variable the label
template reads (a link, a size, a variant, a class, an icon), the template itself is rendered."""

from django import template

from admin_site.admin.cells import LABEL_CONTEXT, badge

register = template.Library()


NAMES = ("text", "type", "label_title")


def _by_template(context, given: dict) -> bool:
    """Whether the label needs the template: the context sets another of its variables, or a name is not ours."""
    return any(context.get(name) for name in LABEL_CONTEXT) or bool(set(given) - set(NAMES))


@register.simple_tag(takes_context=True)
def cabinet_label(context, **given) -> str:
    if _by_template(context, given):
        with context.push(**given):  # what the include does
            return context.template.engine.get_template("unfold/helpers/label.html").render(context)
    value = {name: given[name] if name in given else context.get(name) for name in NAMES}
    return badge(value["text"], value["type"], value["label_title"])
