"""The base of every ModelAdmin in the cabinet: unfold's look and the one visibility rule of core."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import ModelAdmin as BaseModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field, IntegerField, Model, QuerySet, URLField
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from unfold.admin import ModelAdmin
from unfold.views import ChangeList

from admin_site import grammar
from admin_site.counts import count_text
from core.filters import FilterError
from core.http_guard import bound_formfield, parse_int


class CountedChangeList(ChangeList):
    """unfold's changelist with the row count in Russian plural forms, for the footer
    (templates/unfold/helpers/pagination_default.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = grammar.list_title(self.opts)  # «Организации», not «Выберите организация для изменения»

    @property
    def result_count_text(self) -> str:
        return count_text(self.model, self.result_count)


class FilteredChangeList(CountedChangeList):
    """The list of a ModelAdmin that names a `list_selector` (core.selectors.appeals.appeal_list, project_list…):
    the rows are the selector's — visibility, the filters and the search of core's FilterSet, read from the
    address — so the list, its register and its background export choose the same rows. The sidebar's list
    filters only draw themselves (their parameters are the FilterSet's); the order is the list's own (`o`, its
    column headers). A filter core cannot apply raises FilterError (CorridorModelAdmin.changelist_view)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_facets = self.is_facets_optional = False  # facet counts would filter through the sidebar's classes

    def get_queryset(self, request: HttpRequest, exclude_parameters=None) -> QuerySet:
        self.filter_specs, self.has_filters, remaining, _duplicates, self.has_active_filters = self.get_filters(
            request)
        queryset = self.model_admin.list_selector(user=request.user, filters=request.GET)
        if not queryset.query.select_related:
            queryset = self.apply_select_related(queryset)
        queryset = queryset.order_by(*self.get_ordering(request, self.root_queryset))
        self.clear_all_filters_qs = self.get_query_string(new_params=remaining, remove=self.get_filters_params())
        return queryset


class CorridorModelAdmin(ModelAdmin):
    """Set `visible_to` to a `core.selectors.visibility.*_visible_to` selector and the changelist, the
    change form, autocompletes and the sidebar search show only the rows that selector lets the user see.
    Opening a row outside them answers «Нет доступа» (403); only an id that exists nowhere is «не найдена»."""

    visible_to: Callable[..., QuerySet] | None = None
    # `list_selector(*, user, filters) -> QuerySet` (a core list selector): the list's rows come from it
    # (FilteredChangeList); `search_fields` then only shows the search box, the search itself is the FilterSet's.
    list_selector: Callable[..., QuerySet] | None = None
    list_per_page = 50
    list_filter_submit = True
    warn_unsaved_form = True

    def formfield_for_dbfield(self, db_field: Field, request: HttpRequest, **kwargs):
        if isinstance(db_field, URLField):
            kwargs.setdefault("assume_scheme", "https")  # Django 6's default: «zk.example» means https://
        # an id its column cannot hold («abc», 10**30) is a form error, not a 500 (core/http_guard.py)
        return bound_formfield(super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return CountedChangeList if self.list_selector is None else FilteredChangeList

    def changelist_view(self, request: HttpRequest, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except FilterError as error:  # a filter of the address core cannot apply: the list without filters
            self.message_user(request, gettext("Фильтры списка заданы неверно, список открыт без них. %(errors)s")
                              % {"errors": error}, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts, object_id: str):
        """Django's change, delete and history views call this when get_object() found nothing for the user."""
        names = {"name": opts.verbose_name, "key": unquote(object_id)}
        if self._exists_for_anyone(unquote(object_id)):
            raise PermissionDenied(gettext("Запись «%(name)s» с ID %(key)s есть в системе, но у вас нет к ней доступа.")
                                   % names)
        self.message_user(
            request, gettext("Запись «%(name)s» с ID %(key)s не найдена: возможно, её удалили.") % names,
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:index", current_app=self.admin_site.name))

    def _exists_for_anyone(self, key: str) -> bool:
        pk = self.model._meta.pk
        if isinstance(pk, IntegerField):  # «abc» or 10**30 in the address: no such row, and no database error
            value = parse_int(key, minimum=1, maximum=2**63 - 1)
            return value is not None and self.model._default_manager.filter(pk=value).exists()
        try:
            return self.model._default_manager.filter(pk=pk.to_python(key)).exists()
        except (ValidationError, ValueError, TypeError):  # not an id of this model
            return False

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Django's «delete selected» action calls this, then reports «Успешно удалены 5 районы.» (the count with
        # verbose_name_plural): remember the count so message_user can say it in Russian plural forms instead.
        request.deleted_count = queryset.count()
        super().delete_queryset(request, queryset)

    def message_user(self, request: HttpRequest, message, level=messages.INFO, *args, **kwargs) -> None:
        deleted = getattr(request, "deleted_count", None)
        if deleted is not None and level == messages.SUCCESS:
            del request.deleted_count
            message = gettext("Удалено: %(items)s.") % {"items": count_text(self.model, deleted)}
        elif level == messages.SUCCESS:  # «Организация “…“ был успешно добавлен.» → «Добавлено: Организация «…».»
            message = grammar.neutral_success_message(self.opts, message) or message
        super().message_user(request, message, level, *args, **kwargs)

    def render_change_form(self, request: HttpRequest, context, add=False, change=False, form_url="", obj=None):
        # Django's «Добавить %s» / «Изменить %s» / «Просмотреть %s» glue the nominative; a page that sets its own
        # title (extra_context) keeps it.
        opts, title = self.opts, context.get("title")
        if title == gettext("Add %s") % opts.verbose_name:  # Django chose the title: add, change or view
            context["title"] = grammar.form_title(opts, add=True, can_change=True)
        elif title == gettext("Change %s") % opts.verbose_name:
            context["title"] = grammar.form_title(opts, add=False, can_change=True)
        elif title == gettext("View %s") % opts.verbose_name:
            context["title"] = grammar.form_title(opts, add=False, can_change=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_changelist_instance(self, request: HttpRequest):
        changelist = super().get_changelist_instance(request)
        for spec in changelist.filter_specs:  # «Статус», not the field's lower-case verbose name «статус»
            spec.title = capfirst(spec.title)
        return changelist

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
