"""Drafts written by the optional language model (core.services.drafts): one row per «Составить черновик», filled
by a django-q2 task; the person who asked polls it and edits the text before it goes anywhere."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.exports import ExportStatus


class DraftKind(models.TextChoices):
    APPEAL_ANSWER = "appeal_answer", _("Черновик ответа на обращение")
    PROJECT_BRIEF = "project_brief", _("Черновик справки по проекту")


class DraftJob(models.Model):
    """A draft asked for by `user` for the appeal or project `object_id` (by `kind`): queued, running, done with
    `text`, or failed with a Russian `error` for the person."""

    kind = models.CharField(_("вид"), max_length=16, choices=DraftKind.choices)
    object_id = models.PositiveBigIntegerField(_("обращение или проект"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_jobs",
                             verbose_name=_("кто заказал"))
    status = models.CharField(_("статус"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    text = models.TextField(_("текст черновика"), blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("заказан"), default=timezone.now)
    finished_at = models.DateTimeField(_("готов"), null=True, blank=True)

    class Meta:
        verbose_name = _("черновик языковой модели")
        verbose_name_plural = _("черновики языковой модели")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "kind", "object_id"], name="draft_job_owner_object")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
