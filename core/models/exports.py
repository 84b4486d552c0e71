"""Downloads prepared in the background and the list filters people save."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("В очереди")
    RUNNING = "running", _("Формируется")
    DONE = "done", _("Готово")
    FAILED = "failed", _("Ошибка")


class ExportJob(models.Model):
    """A register download too big to build while the person waits: a django-q2 task writes the file into
    private storage, updating the row count as it goes; the person gets an in-app notice when it is ready."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs",
                             verbose_name=_("кто заказал"))
    register = models.CharField(_("реестр"), max_length=32)  # "appeals" | "projects"
    file_format = models.CharField(_("формат"), max_length=8)  # "xlsx" | "ods"
    query = models.TextField(_("фильтры списка"), blank=True)  # the changelist's query string
    status = models.CharField(_("статус"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("строк всего"), default=0)
    rows_done = models.PositiveIntegerField(_("строк готово"), default=0)
    file = models.FileField(_("файл"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("заказано"), default=timezone.now)
    finished_at = models.DateTimeField(_("готово"), null=True, blank=True)

    class Meta:
        verbose_name = _("выгрузка реестра")
        verbose_name_plural = _("выгрузки реестров")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.register}.{self.file_format} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        return 100 if self.status == ExportStatus.DONE else (
            int(self.rows_done * 100 / self.rows_total) if self.rows_total else 0
        )


class SavedFilter(models.Model):
    """A person's named set of list filters («Мои фильтры»), reopened with one click."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters",
                             verbose_name=_("владелец"))
    list_key = models.CharField(_("список"), max_length=64)  # e.g. "core.appeal"
    name = models.CharField(_("название"), max_length=100)
    query = models.TextField(_("фильтры"))  # the query string without page and ordering noise
    created_at = models.DateTimeField(_("создан"), default=timezone.now)

    class Meta:
        verbose_name = _("сохранённый фильтр")
        verbose_name_plural = _("сохранённые фильтры")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "list_key", "name"], name="saved_filter_name_once")]

    def __str__(self) -> str:
        return self.name
