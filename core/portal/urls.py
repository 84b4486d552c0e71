from django.contrib.auth import views as auth_views
from django.urls import path

from core.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/done/", views.registration_done, name="registration_done"),
    path("confirm-email/", views.ResendConfirmationView.as_view(), name="resend_confirmation"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("after-login/", views.after_login, name="after_login"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="portal/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="portal/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("cabinet/", views.CabinetView.as_view(), name="cabinet"),
    path("cabinet/<slug:section>/", views.CabinetView.as_view(), name="cabinet_section"),
]
