"""The toolbar over the appeal and project lists: «Скачать реестр» (xlsx, ods), «Мои фильтры», «Сохранить
фильтр». Put the mixin first among the ModelAdmin's bases and name the register::

    class AppealAdmin(RegisterListMixin, DoorAdminMixin, ..., ReadOnlyModelAdmin):
        register_name = "appeals"

Creating the ModelAdmin (when Django loads the cabinet, in the web process and in q2 workers alike) hands
core.services.exports the list's ChangeList as the source of the register's rows, so a background job filters,
searches and orders exactly as the list did (admin_site.views.exports.changelist_queryset).
"""

from functools import partial

from django.urls import path

from admin_site.views.exports import (
    changelist_queryset,
    list_tools_context,
    register_download,
    saved_filter_delete_view,
    saved_filter_save_view,
)
from core.services.exports import export_source_set


class RegisterListMixin:
    register_name = ""  # "appeals" | "projects" (core.reports.registers.REGISTERS)
    list_before_template = "admin_site/exports/list_tools.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        export_source_set(self.register_name, partial(changelist_queryset, self))

    def get_urls(self):
        view = self.admin_site.admin_view
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("register/<slug:fmt>/", view(partial(register_download, model_admin=self)),
                 name=f"{prefix}_register"),
            path("saved-filters/", view(partial(saved_filter_save_view, model_admin=self)),
                 name=f"{prefix}_saved_filter_save"),
            path("saved-filters/<int:pk>/delete/", view(partial(saved_filter_delete_view, model_admin=self)),
                 name=f"{prefix}_saved_filter_delete"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            extra_context = {**(extra_context or {}), **list_tools_context(self, request)}
        return super().changelist_view(request, extra_context)
