"""Files a person chose in a form that came back with an error: kept so they need not be chosen again."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _held_path(instance: "HeldUpload", filename: str) -> str:
    """A random private name; the original name lives in the row."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"held/{timezone.now():%Y/%m/%d}/{uuid.uuid4().hex}{suffix}"


class HeldUpload(models.Model):
    """One file of a form shown again with errors (core.services.held_uploads). The form carries only its
    random token; the token counts only for the person who chose the file. The file moves into its appeal or project
    when the form goes through, and the daily «Уборка» removes what was never sent (UPLOAD_HOLD_HOURS)."""

    token = models.UUIDField(_("метка"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_uploads",
                             verbose_name=_("кто выбрал"))
    file = models.FileField(_("файл"), upload_to=_held_path, max_length=300)
    original_name = models.CharField(_("имя файла"), max_length=255)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    created_at = models.DateTimeField(_("получен"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("файл из неотправленной формы")
        verbose_name_plural = _("файлы из неотправленных форм")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
