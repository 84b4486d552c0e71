"""Portal forms: they parse and check the shape of input; the rules live in core.services.accounts."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.consent import consent_paragraphs
from core.services.accounts import email_confirmation_required
from core.validators import validate_inn, validate_ogrn, validate_phone


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else above the form."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in by_field.items():
        form.add_error(field if field in form.fields else None, messages)


def _input(autocomplete: str, **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, **attrs})


class PersonForm(forms.Form):
    required_css_class = "required"

    last_name = forms.CharField(label=_("Фамилия"), max_length=100, widget=_input("family-name"))
    first_name = forms.CharField(label=_("Имя"), max_length=100, widget=_input("given-name"))
    middle_name = forms.CharField(
        label=_("Отчество"), max_length=100, required=False, widget=_input("additional-name"), help_text=_("Если есть.")
    )
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=32,
        validators=[validate_phone],
        widget=_input("tel", type="tel", placeholder="+7 921 000-00-00"),
    )
    position = forms.CharField(
        label=_("Должность"), max_length=200, required=False, widget=_input("organization-title")
    )


class RegistrationForm(PersonForm):
    email = forms.EmailField(
        label=_("Электронная почта"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("На этот адрес придёт письмо для подтверждения; это ваш логин."),
    )
    password = forms.CharField(
        label=_("Пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password_repeat = forms.CharField(
        label=_("Пароль ещё раз"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    inn = forms.CharField(
        label=_("ИНН компании"),
        max_length=12,
        validators=[validate_inn],
        help_text=_(
            "10 цифр для организации, 12 — для ИП. Если компания уже зарегистрирована в "
            "системе, вы присоединитесь к ней."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    ogrn = forms.CharField(
        label=_("ОГРН или ОГРНИП"),
        max_length=15,
        required=False,
        validators=[validate_ogrn],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    full_name = forms.CharField(
        label=_("Полное наименование"),
        max_length=500,
        required=False,
        help_text=_("Можно не заполнять, если компания уже зарегистрирована."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    short_name = forms.CharField(
        label=_("Краткое наименование"), max_length=200, required=False, help_text=_("Например, ООО «Ромашка».")
    )
    consent_accepted = forms.BooleanField(
        label=_("Даю согласие на обработку моих персональных данных на условиях, изложенных выше"),
        error_messages={"required": _("Без согласия на обработку персональных данных регистрация невозможна.")},
    )

    sections = (
        (_("Учётная запись"), ("email", "password", "password_repeat")),
        (_("О вас"), ("last_name", "first_name", "middle_name", "phone", "position")),
        (_("Компания"), ("inn", "ogrn", "full_name", "short_name")),
    )
    @property
    def consent_text_paragraphs(self) -> list[str]:
        return consent_paragraphs()  # the installed region's operator (core.consent)

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password")
            and cleaned.get("password_repeat")
            and cleaned["password"] != cleaned["password_repeat"]
        ):
            self.add_error("password_repeat", _("Пароли не совпадают."))
        return cleaned

    def registration_data(self) -> dict:
        """The keyword arguments of core.services.accounts.investor_register that come from the form."""
        return {key: value for key, value in self.cleaned_data.items() if key != "password_repeat"}


class ProfileForm(PersonForm):
    pass


class EmailForm(forms.Form):
    required_css_class = "required"

    email = forms.EmailField(
        label=_("Электронная почта"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class LoginForm(AuthenticationForm):
    """Email and password; the field keeps the name "username" that django-axes counts failures by."""

    error_messages = {
        "invalid_login": _("Неверная электронная почта или пароль."),
        "inactive": _("Учётная запись отключена. Обратитесь в агентство."),
        "email_unconfirmed": _(
            "Электронная почта ещё не подтверждена. Откройте ссылку из письма, которое мы отправили после регистрации."
        ),
    }

    required_css_class = "required"
    unconfirmed_email = ""
    remember = forms.BooleanField(label=_("Запомнить меня"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Электронная почта")
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs["autocomplete"] = "email"
        self.fields["password"].label = _("Пароль")
        days = settings.INVESTOR_SESSION_REMEMBER_DAYS
        self.fields["remember"].help_text = ngettext(
            "Вход сохранится на этом устройстве на %(days)s день. Не отмечайте на чужом компьютере.",
            "Вход сохранится на этом устройстве на %(days)s дней. Не отмечайте на чужом компьютере.", days,
        ) % {"days": days}

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if email_confirmation_required(user):
            self.unconfirmed_email = user.email
            raise ValidationError(self.error_messages["email_unconfirmed"], code="email_unconfirmed")

