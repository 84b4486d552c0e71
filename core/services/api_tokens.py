"""Personal API tokens: made (and shown) once, kept as a SHA-256 hash, found by their public prefix, revoked by
their owner or an administrator. The cabinet and the portal only adapt these calls."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import ApiToken, ApiTokenScope, User
from core.roles import Role
from core.selectors.visibility import is_investor, is_staff_member, user_roles

TOKEN_START = "zk_"
ACTIVE_PER_USER = 20  # more than any program needs; a leaked session cannot mint tokens without end
LAST_USED_STEP = timedelta(minutes=1)  # last_used_at is written at most this often per token, not on every call
MAX_DAYS = 2 * 366


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plain: str  # the only time the secret exists outside the caller's hands


def _hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def api_token_expiry(day: date) -> datetime:
    """«Действует до 31.12.2027» in a form: to the end of that Moscow day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)) - timedelta(microseconds=1)


def api_token_may_hold(user: User) -> bool:
    """Staff of the cabinet and investors with a confirmed place in their company may hold tokens."""
    return is_staff_member(user) or (is_investor(user) and user.membership_confirmed)


def api_token_create(*, user: User, name: str, scope: str = ApiTokenScope.READ,
                     expires_at: datetime | None = None) -> IssuedToken:
    """A new token of `user`; the plain value is returned once and never stored. Russian ValidationError on bad
    input (keyed by field), PermissionDenied for a person who may not hold one."""
    if not api_token_may_hold(user):
        raise PermissionDenied(gettext("API-токены доступны сотрудникам и инвесторам с подтверждённым участием в "
                                       "компании."))
    now = timezone.now()
    errors: dict[str, list] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Назовите токен: по названию вы узнаете его в списке.")]
    elif len(name) > 100:
        errors["name"] = [_("Название — не длиннее 100 символов.")]
    if scope not in ApiTokenScope.values:
        errors["scope"] = [_("Выберите права: только чтение или чтение и запись.")]
    if expires_at is None:
        expires_at = now + timedelta(days=settings.API_TOKEN_DAYS)
    if expires_at <= now:
        errors["expires_at"] = [_("Срок действия должен быть в будущем.")]
    elif expires_at > now + timedelta(days=MAX_DAYS):
        errors["expires_at"] = [_("Срок действия — не больше двух лет.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # two parallel requests count one by one
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).count() >= ACTIVE_PER_USER:
            raise ValidationError({"name": [_("У вас уже %(count)s действующих токенов: отзовите ненужные.")
                                            % {"count": ACTIVE_PER_USER}]})
        for _attempt in range(5):
            prefix = secrets.token_hex(6)
            plain = f"{TOKEN_START}{prefix}.{secrets.token_urlsafe(32)}"
            try:
                with transaction.atomic():
                    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, secret_hash=_hash(plain),
                                                    scope=scope, expires_at=expires_at, created_at=now)
            except IntegrityError:  # the same prefix drawn twice: draw again
                continue
            return IssuedToken(token=token, plain=plain)
    raise RuntimeError("could not draw a free token prefix")


def api_token_may_revoke(*, token: ApiToken, actor: User) -> bool:
    return token.user_id == actor.pk or actor.is_superuser or Role.ADMINISTRATOR in user_roles(actor)


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """The token stops working at once; its row stays (who made it, when it was last used)."""
    if not api_token_may_revoke(token=token, actor=actor):
        raise PermissionDenied(gettext("Отозвать чужой токен может только администратор."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(plain: str) -> ApiToken | None:
    """The live token behind a presented value, its user loaded; None for an unknown, wrong, expired or revoked
    one, and for a disabled account."""
    if not plain.startswith(TOKEN_START) or "." not in plain:
        return None
    prefix = plain[len(TOKEN_START):].split(".", 1)[0]
    token = ApiToken.objects.select_related("user__organisation").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(plain)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
