from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold import forms as unfold_forms
from unfold.decorators import action, display

from admin_site.admin.base import CorridorModelAdmin
from admin_site.views import otp as otp_views
from admin_site.views import personal_data as personal_data_views
from core.models import User
from core.selectors.visibility import users_visible_to
from core.services.accounts import user_confirm_membership
from core.services.personal_data import consent_withdrawal_possible, subject_access_allowed, user_is_withdrawn
from core.services.roles import user_refresh_staff_flag


class EmailLoginMixin:
    """The email is the login: compare it lower-cased, so «Ivan@X.ru» collides with «ivan@x.ru» on the
    field with a readable message instead of on the database constraint."""

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class UserCreationForm(EmailLoginMixin, unfold_forms.UserCreationForm):
    usable_password = None  # everyone signs in with a password; there is no SSO to fall back to

    class Meta:
        model = User
        fields = ("email", "last_name", "first_name", "middle_name")


class UserChangeForm(EmailLoginMixin, unfold_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:  # absent when the viewer may only look
            self.fields["groups"].label = _("Роли")
            self.fields["groups"].help_text = _(
                "Роли (группы) дают права в кабинете; любая роль, кроме «Инвестор», открывает кабинет менеджера."
            )


class MembershipFilter(admin.SimpleListFilter):
    title = _("участие в компании")
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return (("pending", _("Ожидает подтверждения")), ("confirmed", _("Подтверждено")))

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(organisation__isnull=False, membership_confirmed_at__isnull=True)
        if self.value() == "confirmed":
            return queryset.filter(membership_confirmed_at__isnull=False)
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin, CorridorModelAdmin):
    visible_to = staticmethod(users_visible_to)
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = unfold_forms.AdminPasswordChangeForm
    list_display = ("display_name", "email", "organisation", "roles", "is_active")
    list_select_related = ("organisation",)
    list_filter = ("groups", "organisation__kind", MembershipFilter, "is_active")
    actions = ["confirm_membership"]
    actions_detail = ["subject_access_export", "consent_withdraw", "reset_otp"]
    search_fields = ("last_name", "first_name", "middle_name", "email", "phone")
    ordering = ("last_name", "first_name", "middle_name")
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("groups",)
    # is_staff follows the roles (core.services.roles), it is shown but never typed in.
    readonly_fields = ("last_login", "date_joined", "email_confirmed_at", "membership_confirmed_at", "is_staff")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Личные данные"), {"fields": ("last_name", "first_name", "middle_name", "phone")}),
        (_("Организация"), {"fields": ("organisation", "position")}),
        (_("Роли и доступ"), {"fields": ("groups", "is_active", "is_staff", "is_superuser")}),
        (_("Даты"), {"fields": ("date_joined", "email_confirmed_at", "membership_confirmed_at", "last_login")}),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "password1", "password2")}),
        (_("Личные данные"), {"fields": ("last_name", "first_name", "middle_name")}),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.action(description=_("Подтвердить участие в компании"), permissions=["confirm_membership"])
    def confirm_membership(self, request: HttpRequest, queryset) -> None:
        pending = list(queryset.filter(organisation__isnull=False, membership_confirmed_at__isnull=True))
        for user in pending:
            user_confirm_membership(user=user)
        self.message_user(request, _("Подтверждено участие в компании: %(count)s.") % {"count": len(pending)})

    def has_confirm_membership_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.confirm_membership")

    @action(description=_("Выгрузить персональные данные"), url_path="personal-data", icon="download",
            permissions=["subject_access"])
    def subject_access_export(self, request: HttpRequest, object_id) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:subject_access_export", args=[object_id]))

    def has_subject_access_permission(self, request: HttpRequest, object_id=None) -> bool:
        return subject_access_allowed(request.user)

    @action(description=_("Отозвать согласие по заявлению"), url_path="withdraw-consent", icon="person_remove",
            permissions=["consent_withdraw"])
    def consent_withdraw(self, request: HttpRequest, object_id):
        return personal_data_views.withdrawal_view(request, object_id, model_admin=self)

    def has_consent_withdraw_permission(self, request: HttpRequest, object_id=None) -> bool:
        """Administrators, on an investor's account whose data are still there (core.services.personal_data)."""
        if not subject_access_allowed(request.user):
            return False
        person = self.get_object(request, str(object_id)) if object_id is not None else None
        # a withdrawn account's address opens too (a second tab, the form sent again): the view says «уже отозвано»
        # and returns to the person's page; its button is not shown (get_actions_detail)
        return person is not None and (consent_withdrawal_possible(person) or user_is_withdrawn(person))

    def get_actions_detail(self, request: HttpRequest, object_id):
        buttons = super().get_actions_detail(request, object_id)
        person = self.get_object(request, str(object_id))
        if person is None or not user_is_withdrawn(person):
            return buttons
        return [button for button in buttons if button.method.original_function_name != "consent_withdraw"]

    @action(description=_("Сбросить второй фактор"), url_path="reset-otp", icon="phonelink_erase",
            permissions=["reset_otp"])
    def reset_otp(self, request: HttpRequest, object_id):
        return otp_views.reset_view(request, object_id, model_admin=self)

    def has_reset_otp_permission(self, request: HttpRequest, object_id=None) -> bool:
        """Whoever may edit the person (a superuser's phone only by a superuser) resets a lost phone."""
        person = self.get_object(request, str(object_id)) if object_id is not None else None
        return person is not None and self.has_change_permission(request, person)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user_refresh_staff_flag(user=form.instance)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else (*readonly, "is_superuser")

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    @staticmethod
    def _may_touch(request: HttpRequest, obj: User | None) -> bool:
        """Only a superuser edits a superuser: otherwise an administrator could take the account over. An account
        whose consent was withdrawn is only looked at: its data are erased and nobody types them back in."""
        if obj is not None and user_is_withdrawn(obj):
            return False
        return obj is None or not obj.is_superuser or request.user.is_superuser

    @display(description=_("ФИО"), ordering="last_name")
    def display_name(self, obj: User) -> str:
        return obj.full_name

    @display(description=_("роли"), label=True)
    def roles(self, obj: User) -> list[str]:
        return [group.name for group in obj.groups.all()]


# The devices are managed on the cabinet's own pages (admin_site.views.otp): django-otp's admins would show the
# app's secret to anyone who may edit a device.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
