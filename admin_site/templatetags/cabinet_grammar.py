"""{% load cabinet_grammar %}{{ opts|accusative }}: a model's name as the object of a verb (admin_site/grammar.py);
admin_site.template_loader puts it into unfold's buttons that glue «Удалить»/«Добавить» to the name."""

from django import template
from django.db.models.options import Options

from admin_site import grammar

register = template.Library()


@register.filter
def accusative(opts: Options) -> str:
    return grammar.accusative(opts)
