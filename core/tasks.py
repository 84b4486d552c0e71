"""django-q2 entry points: each takes ids only, loads the rows and calls one service."""

from core.models import User
from core.services.accounts import email_confirmation_send, password_reset_send


def send_email_confirmation(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is not None:  # deleted while the task waited: nothing to send
        email_confirmation_send(user=user)


def send_password_reset(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        password_reset_send(user=user)
