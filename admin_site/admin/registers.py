"""The toolbar over the appeal and project lists: «Скачать реестр» (xlsx, ods), «Мои фильтры», «Сохранить
фильтр». Put the mixin first among the ModelAdmin's bases and name the register::

    class AppealAdmin(RegisterListMixin, DoorAdminMixin, ..., ReadOnlyModelAdmin):
        register_name = "appeals"

The register's rows are the list's own: core.services.exports selects them with the list's selector and FilterSet
(core.filters) from the list's address, at once or in a background job, as the list does (FilteredChangeList).
"""

from functools import partial

from django.urls import path

from admin_site.views.exports import (
    list_tools_context,
    register_download,
    saved_filter_delete_view,
    saved_filter_save_view,
)


class RegisterListMixin:
    register_name = ""  # "appeals" | "projects" (core.reports.registers.REGISTERS)
    list_before_template = "admin_site/exports/list_tools.html"

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
