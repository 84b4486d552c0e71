"""Ready answers: staff's answer templates and the public FAQ («Частые вопросы») (docs/workflows/appeals.md).

A template belongs to one fact, one category or neither (then it fits every appeal); its text holds placeholders
such as %инвестор% that core.services.answer_templates fills for one appeal. An FAQ entry is a question and an
answer as staff edited them, usually taken from an answered appeal; the portal shows only published ones.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class _Edited(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("создал"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("создано"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("изменил"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        abstract = True


class AnswerTemplate(_Edited):
    title = models.CharField(_("название"), max_length=200)
    text = models.TextField(
        _("текст"),
        help_text=_("Подстановки пишутся между знаками процента: %инвестор%, %проект%, %срок%, %исполнитель%, "
                    "%менеджер%, %номер%, %тема%. При вставке в ответ они заменятся данными обращения."),
    )
    fact = models.ForeignKey(
        "core.Fact", verbose_name=_("факт обращения"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="answer_templates",
    )
    category = models.ForeignKey(
        "core.Category", verbose_name=_("категория обращений"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="answer_templates",
        help_text=_("Укажите факт или категорию; без них шаблон предлагается для всех обращений."),
    )
    is_active = models.BooleanField(_("действует"), default=True)
    usage_count = models.PositiveIntegerField(_("использован, раз"), default=0, editable=False)

    class Meta:
        verbose_name = _("шаблон ответа")
        verbose_name_plural = _("шаблоны ответов")
        ordering = ["-usage_count", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fact__isnull=True) | models.Q(category__isnull=True),
                name="answer_template_fact_or_category",
                violation_error_message=_("Укажите факт или категорию, а не оба сразу."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FaqEntry(_Edited):
    category = models.ForeignKey(
        "core.Category", verbose_name=_("категория обращений"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="faq_entries",
    )
    question = models.TextField(_("вопрос"))
    answer = models.TextField(_("ответ"))
    is_published = models.BooleanField(
        _("опубликован"), default=False,
        help_text=_("Перед публикацией уберите из вопроса и ответа имена, телефоны, адреса и другие "
                    "персональные данные."),
    )
    source_appeal = models.ForeignKey(
        "core.Appeal", verbose_name=_("обращение-источник"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="faq_entries", editable=False,
    )

    class Meta:
        verbose_name = _("частый вопрос")
        verbose_name_plural = _("частые вопросы")
        ordering = ["category__order", "category__name", "-updated_at", "pk"]
        indexes = [models.Index(fields=["is_published", "category"])]

    def __str__(self) -> str:
        return self.question[:80]
