"""Templates of the documents staff generate from a project (docs/documents.md): an uploaded .docx per kind with
placeholders such as {{ проект.название }}; the newest active one of a kind is used, the built-in default when
there is none."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import DocumentTemplateKind


def _template_path(instance, filename: str) -> str:
    return f"templates/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.docx"


class DocumentTemplate(models.Model):
    kind = models.CharField(_("вид документа"), max_length=20, choices=DocumentTemplateKind.choices)
    title = models.CharField(_("название"), max_length=300)
    file = models.FileField(_("файл шаблона"), upload_to=_template_path, max_length=300)
    original_name = models.CharField(_("имя файла"), max_length=255)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    is_active = models.BooleanField(
        _("используется"), default=True,
        help_text=_("Документ собирается по самому новому используемому шаблону своего вида; если такого нет — "
                    "по встроенному."),
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("загрузил"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("шаблон документа")
        verbose_name_plural = _("шаблоны документов")
        ordering = ["kind", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title
