"""Investor accounts: registration, email confirmation, password-reset letters and the profile."""

from datetime import timedelta

from django.conf import settings
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
from core.consent import CONSENT_TEXT, CONSENT_VERSION
from core.models import Organisation, PersonalDataConsent, User
from core.roles import Role
from core.selectors.visibility import is_staff_member
from core.services.queue import enqueue_after_commit
from core.services.roles import user_set_roles

_CONFIRMATION_SALT = "core.accounts.email-confirmation"


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
) -> User:
    """Create an unconfirmed investor in the company with this ИНН (registering the company if it is new),
    record the consent and queue the confirmation letter.

    Raises ValidationError keyed by argument name; nothing is saved then.
    """
    try:
        with transaction.atomic():
            user = _investor_create(
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
            )
            PersonalDataConsent.objects.create(
                user=user,
                version=CONSENT_VERSION,
                text=CONSENT_TEXT,
                ip_address=ip_address,
                user_agent=user_agent[:300],
            )
            enqueue_after_commit("core.tasks.send_email_confirmation", user.pk)
    except IntegrityError as exc:  # someone registered the same email, ИНН or ОГРН a moment ago
        message = _("Такие данные только что были зарегистрированы. Проверьте их и попробуйте ещё раз.")
        raise ValidationError(message) from exc
    return user


def _investor_create(*, email: str, password: str, person: dict, company: dict, consent_accepted: bool) -> User:
    errors: dict = {}
    if not consent_accepted:
        errors["consent_accepted"] = [_("Без согласия на обработку персональных данных регистрация невозможна.")]
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [
            _("Пользователь с такой электронной почтой уже зарегистрирован. Войдите или восстановите пароль.")
        ]
    organisation = _collect(errors, _company_for_registration, **{key: value.strip() for key, value in company.items()})
    user = User(email=email, **{field: value.strip() for field, value in person.items()})
    _collect(errors, user.full_clean, exclude=["password", "organisation", *errors])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    if errors:
        raise ValidationError(errors)

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


def email_confirmation_request(*, email: str) -> None:
    """Queue a fresh letter for an active unconfirmed account; silent otherwise, so no one can probe accounts."""
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


def password_reset_request(*, email: str) -> None:
    """Queue a reset letter for the active account with this email; silent when there is none."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is not None and user.has_usable_password():
        enqueue_after_commit("core.tasks.send_password_reset", user.pk)


def password_reset_send(*, user: User) -> None:
    link = settings.SITE_URL + reverse(
        "portal:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    _send_templated_email(
        template="password_reset",
        to=user.email,
        context={
            "user": user,
            "link": link,
            "valid_until": timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        },
    )


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
