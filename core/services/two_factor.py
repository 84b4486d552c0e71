"""The staff's second factor (django-otp): an authenticator app (TOTP) and ten single-use recovery codes.

A person enrols once (the app's secret is confirmed with a code), then proves the app at every sign-in to the
manager cabinet; a recovery code stands in for a lost phone. Wrong codes are counted on the app's device
(django-otp's throttling fields, so the count survives a new session and is shared by every process): after
OTP_FAILURE_LIMIT in a row each next try waits OTP_PAUSE_MINUTES. An administrator's reset deletes the devices,
and the person enrols again at the next sign-in. Enrolment, new codes and resets go to the audit log.
"""

import logging
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime, timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import User

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
APP_CODE = re.compile(r"[0-9]{6}", re.ASCII)
AUDIT_FIELD = _("второй фактор")


class CodeRejected(Exception):
    """The code was wrong (`paused_until` is None) or trying is paused until `paused_until`."""

    def __init__(self, paused_until: datetime | None = None):
        super().__init__(paused_until)
        self.paused_until = paused_until


@dataclass(frozen=True)
class Verified:
    device: Device
    recovery_codes_left: int | None  # None when the app's code was used


def otp_is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_pending_device(*, user: User) -> TOTPDevice:
    """The app device waiting for its first code, created once: the QR code stays the same across reloads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=str(_("Приложение-аутентификатор")), confirmed=False)


def otp_secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def otp_paused_until(device: TOTPDevice) -> datetime | None:
    if device.throttling_failure_count < settings.OTP_FAILURE_LIMIT or device.throttling_failure_timestamp is None:
        return None
    until = device.throttling_failure_timestamp + timedelta(minutes=settings.OTP_PAUSE_MINUTES)
    return until if until > timezone.now() else None


def normalise_code(code: str) -> str:
    """«123 456» and «ABCD-EFGH» as typed or pasted: spaces and hyphens go, recovery codes are lower case."""
    return re.sub(r"[\s-]", "", code).lower()


def otp_enrol(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending app device with its first code; returns it and the new recovery codes (shown once).

    A person who already had an app (replacing it while signed in with it) loses the old one here."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise CodeRejected
        paused_until = otp_paused_until(device)
        accepted = paused_until is None and _app_code_accepted(device, code)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _recovery_codes_replace(user)
            _audit(user=user, actor=user, change=[str(_("не настроен")), str(_("настроен"))])
    if not accepted:
        raise CodeRejected(paused_until or otp_paused_until(device))
    return device, codes


def otp_verify(*, user: User, code: str) -> Verified:
    """Check an app code or a recovery code at sign-in; a used recovery code is gone."""
    with transaction.atomic():
        app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if app is None:
            raise CodeRejected
        paused_until = otp_paused_until(app)
        verified = None if paused_until else _check(user=user, app=app, code=code)
    if verified is None:
        paused_until = paused_until or otp_paused_until(app)
        logger.warning("Second factor rejected for user %s (%s wrong in a row)", user.pk,
                       app.throttling_failure_count)
        raise CodeRejected(paused_until)
    return verified


def _app_code_accepted(device: TOTPDevice, code: str) -> bool:
    """Six ASCII digits checked by django-otp (which counts a miss itself); anything else is a miss too."""
    if APP_CODE.fullmatch(code):
        return device.verify_token(code)
    device.throttle_increment()
    return False


def _check(*, user: User, app: TOTPDevice, code: str) -> Verified | None:
    if APP_CODE.fullmatch(code):
        return Verified(device=app, recovery_codes_left=None) if app.verify_token(code) else None
    spare = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if spare is not None and 0 < len(code) <= 16 and spare.verify_token(code):
        app.throttle_reset()
        return Verified(device=spare, recovery_codes_left=spare.token_set.count())
    app.throttle_increment()  # a wrong recovery code counts like a wrong app code
    return None


def otp_recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for a person signed in with the app; the old ones stop working."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        _audit(user=user, actor=user, change=[str(_("коды восстановления")), str(_("новые коды восстановления"))])
    return codes


def otp_recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def otp_reset(*, user: User, actor: User) -> None:
    """A lost phone: the person's devices are deleted, and they enrol again at their next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit(user=user, actor=actor, change=[str(_("настроен")), str(_("сброшен администратором"))])


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=str(_("Коды восстановления")), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _audit(*, user: User, actor: User, change: list[str]) -> None:
    LogEntry.objects.log_create(user, action=LogEntry.Action.UPDATE, changes={str(AUDIT_FIELD): change}, actor=actor)
