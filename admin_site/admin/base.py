"""The base of every ModelAdmin in the cabinet: unfold's look and the one visibility rule of core."""

from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin import ModelAdmin as BaseModelAdmin
from django.db.models import Field, Model, QuerySet, URLField
from django.http import HttpRequest
from unfold.admin import ModelAdmin
from unfold.views import ChangeList

from admin_site.counts import count_text
from core.http_guard import bound_formfield


class CountedChangeList(ChangeList):
    """unfold's changelist with the row count in Russian plural forms, for the footer
    (templates/unfold/helpers/pagination_default.html)."""

    @property
    def result_count_text(self) -> str:
        return count_text(self.model, self.result_count)


class CorridorModelAdmin(ModelAdmin):
    """Set `visible_to` to a `core.selectors.visibility.*_visible_to` selector and the changelist, the
    change form, autocompletes and the sidebar search show only the rows that selector lets the user see;
    anything else answers «not found», as in the portal."""

    visible_to: Callable[..., QuerySet] | None = None
    list_per_page = 50
    list_filter_submit = True
    warn_unsaved_form = True

    def formfield_for_dbfield(self, db_field: Field, request: HttpRequest, **kwargs):
        if isinstance(db_field, URLField):
            kwargs.setdefault("assume_scheme", "https")  # Django 6's default: «zk.example» means https://
        # an id its column cannot hold («abc», 10**30) is a form error, not a 500 (core/http_guard.py)
        return bound_formfield(super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return CountedChangeList

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        if self.visible_to is None:
            return super().get_queryset(request)
        queryset = self.visible_to(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset


class ReadOnlyModelAdmin(CorridorModelAdmin):
    """Records written by the system (consents, logs): people look at them, never edit them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def reregister(model: type[Model], admin_class: type[BaseModelAdmin]) -> None:
    """Swap a third-party app's registration for one in the cabinet's look. Import that app's admin module
    first (subclassing its ModelAdmin does); a model it chose not to register stays unregistered."""
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, admin_class)
