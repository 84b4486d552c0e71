"""Investor accounts: registration, email confirmation, password-reset letters and the profile."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from core.choices import OrganisationKind
from core.consent import consent_text, consent_version
from core.models import Organisation, PersonalDataConsent, User
from core.roles import Role
from core.selectors.visibility import is_staff_member
from core.services.queue import enqueue_after_commit
from core.services.roles import user_set_roles
from core.services.throttle import Rate, throttle_hit

_CONFIRMATION_SALT = "core.accounts.email-confirmation"
_HOUR = 60 * 60


class RequestLimitReached(Exception):
    """Too many account letters asked for this address, or too many account requests from this IP: nothing was
    sent. The answer must not tell which, nor whether the address has an account."""


class ConfirmationLinkInvalid(Exception):
    """The link was altered, belongs to a changed or disabled account, or was never issued."""


class ConfirmationLinkExpired(ConfirmationLinkInvalid):
    """The link is genuine but older than EMAIL_CONFIRMATION_MAX_AGE."""


def investor_register(
    *,
    email: str,
    password: str,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    phone: str,
    position: str = "",
    inn: str,
    ogrn: str = "",
    full_name: str = "",
    short_name: str = "",
    consent_accepted: bool,
    ip_address: str | None,
    user_agent: str = "",
) -> User | None:
    """Create an unconfirmed investor in the company with this ИНН (registering the company if it is new),
    record the consent and queue the confirmation letter.

    When the e-mail already has an account nothing is created and None is returned after the same checks: its
    owner gets a letter instead (someone tried to register with your address), at most
    ACCOUNT_LETTERS_PER_ADDRESS_HOUR an hour, and the caller answers exactly as for a new account — the answer
    never tells whether an address is registered.

    Raises ValidationError keyed by argument name, or RequestLimitReached past ACCOUNT_REQUESTS_PER_IP_HOUR;
    nothing is saved then.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    owner = User.objects.filter(email__iexact=email).first()
    user, organisation = _investor_check(
        email=email,
        password=password,
        person={
            "last_name": last_name,
            "first_name": first_name,
            "middle_name": middle_name,
            "phone": phone,
            "position": position,
        },
        company={"inn": inn, "ogrn": ogrn, "full_name": full_name, "short_name": short_name},
        consent_accepted=consent_accepted,
        email_taken=owner is not None,
    )
    _count_ip(purpose="registration", ip_address=ip_address)
    if owner is not None:
        make_password(password)  # the same hashing time as a new account's
        if owner.is_active and throttle_hit(purpose="registration:address", subject=email, rate=_per_address()):
            enqueue_after_commit("core.tasks.send_registration_attempt", owner.pk)
        return None
    try:
        with transaction.atomic():
            user = _investor_save(user=user, organisation=organisation, password=password)
            PersonalDataConsent.objects.create(
                user=user,
                version=consent_version(),
                text=consent_text(),
                ip_address=ip_address,
                user_agent=user_agent[:300],
            )
            enqueue_after_commit("core.tasks.send_email_confirmation", user.pk)
    except IntegrityError as exc:  # someone registered the same email, ИНН or ОГРН a moment ago
        message = _("Такие данные только что были зарегистрированы. Проверьте их и попробуйте ещё раз.")
        raise ValidationError(message) from exc
    return user


def _investor_check(
    *, email: str, password: str, person: dict, company: dict, consent_accepted: bool, email_taken: bool
) -> tuple[User, Organisation]:
    """The unsaved investor and their (maybe unsaved) company, or ValidationError with every problem. A taken
    e-mail is no error here: the same checks run either way, so the answer cannot tell."""
    errors: dict = {}
    if not consent_accepted:
        errors["consent_accepted"] = [_("Без согласия на обработку персональных данных регистрация невозможна.")]
    organisation = _collect(errors, _company_for_registration, **{key: value.strip() for key, value in company.items()})
    user = User(email=email, **{field: value.strip() for field, value in person.items()})
    exclude = ["password", "organisation", *errors, *(["email"] if email_taken else [])]
    _collect(errors, user.full_clean, exclude=exclude, validate_constraints=not email_taken)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    return user, organisation


def _investor_save(*, user: User, organisation: Organisation, password: str) -> User:
    if organisation.pk is None:
        organisation.save()
        user.membership_confirmed_at = timezone.now()  # the first person registers the company itself
    user.organisation = organisation
    user.set_password(password)
    user.save()
    user_set_roles(user=user, roles={Role.INVESTOR})
    if not user.groups.exists():
        raise ImproperlyConfigured("The role groups are missing: run `manage.py seed_reference`.")
    return user


def _collect(errors: dict, check, **kwargs):
    """Run a validating call, merging its ValidationError into `errors` so the form shows every problem."""
    try:
        return check(**kwargs)
    except ValidationError as exc:
        exc.update_error_dict(errors)
        return None


def _company_for_registration(*, inn: str, ogrn: str, full_name: str, short_name: str) -> Organisation:
    """The investor company with this ИНН, or a new (unsaved, validated) one."""
    existing = Organisation.objects.filter(inn=inn).first()
    if existing is not None:
        if existing.kind != OrganisationKind.INVESTOR or not existing.is_active:
            raise ValidationError(
                {"inn": _("Организация с этим ИНН не может принимать регистрации инвесторов. Обратитесь в агентство.")}
            )
        if ogrn and existing.ogrn and ogrn != existing.ogrn:
            raise ValidationError(
                {
                    "ogrn": _(
                        "ОГРН не совпадает с ОГРН компании, уже зарегистрированной с этим ИНН. "
                        "Проверьте реквизиты или обратитесь в агентство."
                    )
                }
            )
        return existing
    errors = {}
    if ogrn and Organisation.objects.filter(ogrn=ogrn).exists():
        errors["ogrn"] = [_("Этот ОГРН уже указан у организации с другим ИНН. Проверьте ИНН и ОГРН.")]
    if not full_name:
        errors["full_name"] = [_("Укажите полное наименование: компания с этим ИНН регистрируется впервые.")]
    if not short_name:
        errors["short_name"] = [_("Укажите краткое наименование: компания с этим ИНН регистрируется впервые.")]
    company = Organisation(
        kind=OrganisationKind.INVESTOR, inn=inn, ogrn=ogrn, full_name=full_name, short_name=short_name
    )
    _collect(errors, company.full_clean, exclude=list(errors), validate_constraints=False)
    if errors:
        raise ValidationError(errors)
    return company


def email_confirmation_required(user: User) -> bool:
    """Investors log in only after confirming their email; staff accounts are vouched for by administrators."""
    return not user.email_confirmed and not is_staff_member(user)


def email_confirmation_link(*, user: User) -> str:
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=_CONFIRMATION_SALT)
    return settings.SITE_URL + reverse("portal:confirm_email", args=[token])


def email_confirmation_send(*, user: User) -> None:
    if user.email_confirmed or not user.is_active:
        return
    _send_templated_email(
        template="confirm_email",
        to=user.email,
        context={
            "user": user,
            "link": email_confirmation_link(user=user),
            "valid_until": timezone.now() + timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE),
        },
    )


def email_confirmation_request(*, email: str, ip_address: str | None) -> None:
    """Queue a fresh letter for an active unconfirmed account; silent otherwise, so no one can probe accounts.
    RequestLimitReached past the limits per address and per IP, whether the address has an account or not."""
    _count_letter_request(purpose="confirmation", email=email, ip_address=ip_address)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True, email_confirmed_at__isnull=True).first()
    if user is not None:
        enqueue_after_commit("core.tasks.send_email_confirmation", user.pk)


def user_confirm_email(*, token: str) -> User:
    """Mark the email of the link's account confirmed (again is harmless). The link names the email, so it stops
    working once the email changes."""
    try:
        payload = signing.loads(token, salt=_CONFIRMATION_SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ConfirmationLinkExpired from exc
    except signing.BadSignature as exc:
        raise ConfirmationLinkInvalid from exc
    user = User.objects.filter(pk=payload["user"], email=payload["email"], is_active=True).first()
    if user is None:
        raise ConfirmationLinkInvalid
    if not user.email_confirmed:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


def password_reset_request(*, email: str, ip_address: str | None) -> None:
    """Queue a reset letter for the active account with this email; silent when there is none.
    RequestLimitReached past the limits per address and per IP, whether the address has an account or not."""
    _count_letter_request(purpose="password-reset", email=email, ip_address=ip_address)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is not None and user.has_usable_password():
        enqueue_after_commit("core.tasks.send_password_reset", user.pk)


def password_reset_send(*, user: User) -> None:
    _send_templated_email(
        template="password_reset",
        to=user.email,
        context={
            "user": user,
            "link": _password_reset_link(user),
            "valid_until": timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        },
    )


def registration_attempt_send(*, user: User) -> None:
    """Tell the owner of an address that someone tried to register with it, with a reset link in case it was
    them and they forgot the password (and the confirmation page if the address was never confirmed)."""
    _send_templated_email(
        template="registration_attempt",
        to=user.email,
        context={
            "user": user,
            "link": _password_reset_link(user),
            "valid_until": timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
            "resend_link": None if user.email_confirmed else settings.SITE_URL + reverse("portal:resend_confirmation"),
        },
    )


def _password_reset_link(user: User) -> str:
    return settings.SITE_URL + reverse(
        "portal:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def _per_address() -> Rate:
    return Rate(limit=settings.ACCOUNT_LETTERS_PER_ADDRESS_HOUR, period=_HOUR)


def _count_ip(*, purpose: str, ip_address: str | None) -> None:
    rate = Rate(limit=settings.ACCOUNT_REQUESTS_PER_IP_HOUR, period=_HOUR)
    if ip_address and not throttle_hit(purpose=f"{purpose}:ip", subject=ip_address, rate=rate):
        raise RequestLimitReached


def _count_letter_request(*, purpose: str, email: str, ip_address: str | None) -> None:
    """Count a request for an account letter by IP, then by address (the address as typed, account or not)."""
    _count_ip(purpose=purpose, ip_address=ip_address)
    subject = User.objects.normalize_email(email.strip()).lower()
    if not throttle_hit(purpose=f"{purpose}:address", subject=subject, rate=_per_address()):
        raise RequestLimitReached


def user_update_profile(
    *, user: User, last_name: str, first_name: str, middle_name: str, phone: str, position: str
) -> User:
    values = {
        "last_name": last_name,
        "first_name": first_name,
        "middle_name": middle_name,
        "phone": phone,
        "position": position,
    }
    for field, value in values.items():
        setattr(user, field, value.strip())
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(values))
    return user


def user_confirm_membership(*, user: User) -> User:
    """The agency confirms that a person who joined an existing company by its ИНН really represents it."""
    if user.organisation_id and not user.membership_confirmed:
        user.membership_confirmed_at = timezone.now()
        user.save(update_fields=["membership_confirmed_at"])
    return user


def _send_templated_email(*, template: str, to: str, context: dict) -> None:
    """One letter from three templates: emails/<template>/subject.txt, body.txt and body.html."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}/subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"emails/{template}/body.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"emails/{template}/body.html", context), "text/html")
    message.send()
