"""The system actor: who background jobs act as in history and in the audit log. It cannot log in."""

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext

from core.models import User

SYSTEM_EMAIL = "system@zk.invalid"


def system_user() -> User:
    user, _created = User.objects.get_or_create(
        email=SYSTEM_EMAIL,
        defaults={"last_name": gettext("Система"), "first_name": gettext("«Зелёный коридор»"),
                  "is_active": False, "is_staff": False, "password": make_password(None)},
    )
    return user
