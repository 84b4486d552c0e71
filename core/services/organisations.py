"""Investor companies known to the agency before anyone of them signs up: found by ИНН or created from what staff
were told on the phone, in a letter or at a visit. A company created here has no users, so it opens nothing in the
portal; its people get access only through the portal's own sign-up and membership confirmation."""

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.choices import OrganisationKind
from core.models import Organisation, User
from core.validators import is_valid_inn, is_valid_ogrn

NAME_NEEDED = _("Компании с таким ИНН ещё нет в системе: укажите её название.")


def investor_find_by_inn(inn: str) -> Organisation | None:
    return Organisation.objects.filter(inn=inn.strip()).first() if inn.strip() else None


def investor_get_or_create(*, inn: str, ogrn: str = "", name: str = "", actor: User) -> tuple[Organisation, bool]:
    """The investor company with this ИНН, or a new one from the checked ИНН, ОГРН and name.

    Returns (company, created). Raises a Russian ValidationError keyed by `organisation_inn`, `organisation_ogrn`
    or `organisation_name`: a bad checksum, an ИНН of an agency or a public body, a new company without a name, an
    ОГРН that does not fit the ИНН or already belongs to another company."""
    inn, ogrn, name = inn.strip(), ogrn.strip(), " ".join(name.split())
    if not is_valid_inn(inn):
        raise ValidationError({"organisation_inn": [
            _("Неверный ИНН: нужно 10 цифр (организация) или 12 (ИП), контрольные цифры должны сходиться.")]})
    found = investor_find_by_inn(inn)
    if found is not None:
        if found.kind != OrganisationKind.INVESTOR:
            raise ValidationError({"organisation_inn": [
                _("ИНН %(inn)s принадлежит участнику системы «%(name)s», а не компании-инвестору.")
                % {"inn": inn, "name": found.short_name}]})
        return found, False
    errors: dict[str, list] = {}
    if not name:
        errors["organisation_name"] = [NAME_NEEDED]
    if ogrn:
        if not is_valid_ogrn(ogrn):
            errors["organisation_ogrn"] = [
                _("Неверный ОГРН: нужно 13 цифр (или 15 для ОГРНИП), контрольная цифра должна сходиться.")]
        elif (len(inn), len(ogrn)) not in {(10, 13), (12, 15)}:
            errors["organisation_ogrn"] = [
                _("ОГРН не подходит к ИНН: у организации ИНН из 10 цифр и ОГРН из 13, у ИП — 12 и 15.")]
        elif Organisation.objects.filter(ogrn=ogrn).exists():
            errors["organisation_ogrn"] = [_("Этот ОГРН уже указан у другой организации с другим ИНН.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), set_actor(actor):
            company = Organisation.objects.create(
                kind=OrganisationKind.INVESTOR, inn=inn, ogrn=ogrn, full_name=name[:500], short_name=name[:200],
            )
    except IntegrityError:  # someone registered the same company a moment ago
        found = investor_find_by_inn(inn)
        if found is None or found.kind != OrganisationKind.INVESTOR:
            raise
        return found, False
    return company, True
