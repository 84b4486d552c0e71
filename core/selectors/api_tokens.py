"""Reads of personal API tokens: a person's own, or everyone's for an administrator."""

from django.db.models import QuerySet

from core.models import ApiToken, User
from core.roles import Role
from core.selectors.visibility import user_roles


def api_token_list_for(user: User) -> QuerySet[ApiToken]:
    """The tokens the person may see and revoke: their own; an administrator's list holds everyone's."""
    tokens = ApiToken.objects.select_related("user")
    if user.is_superuser or Role.ADMINISTRATOR in user_roles(user):
        return tokens
    return tokens.filter(user=user)
