from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.validators import validate_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, email_confirmed_at=timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: investor, agency or participant staff. The email is the login."""

    email = models.EmailField(_("электронная почта"), unique=True)
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True, validators=[validate_phone])
    position = models.CharField(_("должность"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    is_active = models.BooleanField(
        _("активен"), default=True, help_text=_("Снимите отметку вместо удаления пользователя.")
    )
    is_staff = models.BooleanField(
        _("доступ в кабинет менеджера"), default=False, help_text=_("Может входить в кабинет менеджера.")
    )
    email_confirmed_at = models.DateTimeField(_("почта подтверждена"), null=True, blank=True)
    # A person who registered into an existing company by its (public) ИНН sees none of the company's data
    # until the agency confirms they really represent it.
    membership_confirmed_at = models.DateTimeField(_("участие в компании подтверждено"), null=True, blank=True)
    date_joined = models.DateTimeField(_("зарегистрирован"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        ordering = ["last_name", "first_name", "middle_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        permissions = [("confirm_membership", _("Может подтверждать участие инвестора в компании"))]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        """Фамилия Имя Отчество, as in official documents."""
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def polite_name(self) -> str:
        """Имя Отчество Фамилия, as on the investor's contact cards."""
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    @property
    def salutation(self) -> str:
        """Whom a letter greets: «Андрей Павлович» (name and patronymic, as Russian business letters do), or the
        name in full when there is no patronymic."""
        if self.first_name and self.middle_name:
            return f"{self.first_name} {self.middle_name}"
        return self.polite_name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=role.group_name).exists()

    @property
    def membership_confirmed(self) -> bool:
        return self.membership_confirmed_at is not None

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None
