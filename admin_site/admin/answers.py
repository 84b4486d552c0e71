"""«Шаблоны ответов» and «Частые вопросы» in the cabinet (core.models.answers): coordinators, heads and
administrators write them (core.roles); every staff member reads the templates, which the appeal dialogs offer.

Only adapts: who created and changed a row is stamped here, as the admin's own save; filling a template for an
appeal and taking an FAQ entry from an appeal are core.services.answer_templates.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import RelatedDropdownFilter
from unfold.decorators import display

from admin_site.admin.base import CorridorModelAdmin
from core.models import AnswerTemplate, FaqEntry


class _StampedAdmin(CorridorModelAdmin):
    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @display(description=_("изменено"), ordering="updated_at")
    def changed(self, obj) -> str:
        day = f"{timezone.localtime(obj.updated_at):%d.%m.%Y}"
        return f"{day} · {obj.updated_by.full_name}" if obj.updated_by else day


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(_StampedAdmin):
    list_display = ("title", "scope", "is_active", "usage_count", "changed")
    list_filter = ("is_active", ("category", RelatedDropdownFilter))
    list_select_related = ("fact", "category", "updated_by")
    search_fields = ("title", "text")
    search_help_text = _("Название или текст шаблона")
    autocomplete_fields = ("fact", "category")
    fields = ("title", "text", "fact", "category", "is_active")

    @display(description=_("для обращений"))
    def scope(self, obj: AnswerTemplate) -> str:
        if obj.fact_id:
            return _("факт: %(name)s") % {"name": Truncator(obj.fact.name).chars(60)}
        if obj.category_id:
            return _("категория: %(name)s") % {"name": Truncator(obj.category.name).chars(60)}
        return _("все обращения")


@admin.register(FaqEntry)
class FaqEntryAdmin(_StampedAdmin):
    list_display = ("question_short", "category", "is_published", "changed")
    list_filter = ("is_published", ("category", RelatedDropdownFilter))
    list_select_related = ("category", "updated_by")
    search_fields = ("question", "answer")
    search_help_text = _("Текст вопроса или ответа")
    autocomplete_fields = ("category",)
    fields = ("category", "question", "answer", "is_published", "source")
    readonly_fields = ("source",)

    @display(description=_("вопрос"), ordering="question")
    def question_short(self, obj: FaqEntry) -> str:
        return Truncator(obj.question).chars(100)

    @display(description=_("обращение-источник"))
    def source(self, obj: FaqEntry) -> str:
        if not obj.source_appeal_id:
            return "—"
        return format_html('<a href="{}" class="text-primary-600">#{}</a>',
                           reverse("admin:core_appeal_change", args=[obj.source_appeal_id]),
                           obj.source_appeal.number)
