from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from admin_site.admin.base import CorridorModelAdmin, reregister


class GroupAdmin(DjangoGroupAdmin, CorridorModelAdmin):
    """Roles are groups (core.roles); `seed_reference` resets the permissions of the built-in ones."""

    list_display = ("name", "user_count")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(user_count=Count("user"))

    @display(description=_("пользователей"), ordering="user_count")
    def user_count(self, obj: Group) -> int:
        return obj.user_count


reregister(Group, GroupAdmin)
