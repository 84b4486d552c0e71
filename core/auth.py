"""The sign-in backend: Django's ModelBackend with fewer queries per request.

Every cabinet page reads the signed-in person, their organisation (who sees which appeals and projects depends on
it), their roles and their permissions. Django's backend reads the person alone and the permissions in two queries
besides the roles; this one reads the person with their organisation, and the permissions with the roles in one
query (core.selectors.visibility.user_permissions). The rules — who may sign in, what a permission grants — are
Django's own.
"""

from django.contrib.auth.backends import ModelBackend

from core.models import User
from core.selectors.visibility import user_permissions


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)  # nothing, or (a superuser) every permission
        return user_permissions(user_obj)
