"""Checksum validators for Russian registration numbers (ИНН, КПП, ОГРН/ОГРНИП) and phones."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from core.region import current_region

# Building numbers with a valid check digit (the demo dataset and test factories); checking is stdnum's job.
_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def _plain_digits(value: str) -> bool:
    """ASCII digits only: stdnum would strip spaces, and str.isdigit() takes «²» or Arabic-Indic digits."""
    return value.isascii() and value.isdigit()


def is_valid_inn(value: str) -> bool:
    """ИНН: 10 digits (organisation) or 12 (individual, individual entrepreneur), with check digits
    (python-stdnum's ru.inn)."""
    return _plain_digits(value) and stdnum_inn.is_valid(value)


def is_valid_ogrn(value: str) -> bool:
    """ОГРН (13 digits, not starting with 0) or ОГРНИП (15 digits starting with 3 or 4), check digit
    included (python-stdnum's ru.ogrn)."""
    return _plain_digits(value) and stdnum_ogrn.is_valid(value)


def is_valid_kpp(value: str) -> bool:
    """КПП: 4 digits (tax office), 2 digits or capital Latin letters (reason), 3 digits."""
    return bool(re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", value, flags=re.ASCII))


def validate_inn(value: str) -> None:
    if not is_valid_inn(value):
        raise ValidationError(
            _("Неверный ИНН: нужно 10 цифр (организация) или 12 (ИП), контрольные цифры должны сходиться."),
            code="invalid_inn",
        )


def validate_ogrn(value: str) -> None:
    if not is_valid_ogrn(value):
        raise ValidationError(
            _("Неверный ОГРН: нужно 13 цифр (или 15 для ОГРНИП), контрольная цифра должна сходиться."),
            code="invalid_ogrn",
        )


def validate_kpp(value: str) -> None:
    if not is_valid_kpp(value):
        raise ValidationError(_("Неверный КПП: нужно 9 знаков, например 470301001."), code="invalid_kpp")


def normalize_phone(value: str) -> str:
    """Keep a leading plus and the digits; 8XXXXXXXXXX becomes +7XXXXXXXXXX."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    return f"+{digits}" if digits else ""


def validate_phone(value: str) -> None:
    digits = re.sub(r"\D", "", value)
    if not 10 <= len(digits) <= 15 or re.search(r"[^\d\s()+\-]", value):
        raise ValidationError(
            _("Неверный номер телефона: укажите 10–15 цифр, например +7 921 000-00-00."), code="invalid_phone"
        )


CADASTRAL_RE = re.compile(r"\d{2}:\d{2}:\d{6,7}:\d{1,6}")


def validate_cadastral_number(value: str) -> None:
    """Кадастровый номер: округ:район:квартал:участок, e.g. the region pack's example (core/region.py)."""
    if not CADASTRAL_RE.fullmatch(value.strip()):
        raise ValidationError(
            _("Неверный кадастровый номер: нужен вид %(example)s."), code="invalid_cadastral_number",
            params={"example": current_region().cadastral_example},
        )
