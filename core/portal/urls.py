from django.contrib.auth import views as auth_views
from django.urls import path

from core.portal import api_tokens, appeals, faq, notifications, privacy, project_meetings, projects, views
from core.portal.navigation import CABINET_TABS

app_name = "portal"

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
    path("faq/", faq.FaqView.as_view(), name="faq"),
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
    path("profile/api-tokens/", api_tokens.ApiTokensView.as_view(), name="api_tokens"),
    path("profile/api-tokens/<int:pk>/revoke/", api_tokens.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
    path("profile/consent/", privacy.ConsentAcceptView.as_view(), name="consent"),
    path("profile/withdraw-consent/", privacy.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("profile/personal-data/", privacy.PersonalDataExportView.as_view(), name="personal_data_export"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path("notifications/preferences/", notifications.PreferencesView.as_view(), name="notification_preferences"),
    path("notifications/<int:pk>/", notifications.NotificationOpenView.as_view(), name="notification_open"),
    path("cabinet/", appeals.AppealListView.as_view(), name="cabinet"),
    # Built tabs come before the generic one, which shows an honest empty state.
    path("cabinet/appeals/", appeals.AppealListView.as_view(), name="appeal_list"),
    path("cabinet/appeals/new/", appeals.AppealCreateView.as_view(), name="appeal_create"),
    path("cabinet/appeals/faq-suggestions/", faq.FaqSuggestionsView.as_view(), name="faq_suggestions"),
    path("cabinet/appeals/director/", appeals.AppealCreateView.as_view(to_director=True), name="appeal_director"),
    path("cabinet/appeals/files/<int:pk>/", appeals.AppealFileView.as_view(), name="appeal_file"),
    path("cabinet/appeals/<int:pk>/", appeals.AppealDetailView.as_view(), name="appeal_detail"),
    path("cabinet/appeals/<int:pk>/meetings/<int:meeting_pk>.ics", appeals.AppealMeetingIcsView.as_view(),
         name="appeal_meeting_ics"),
    path("cabinet/appeals/<int:pk>/docx/", appeals.AppealDocxView.as_view(), name="appeal_docx"),
    path("cabinet/appeals/<int:pk>/<slug:action>/", appeals.AppealActionView.as_view(), name="appeal_action"),
    path("cabinet/legacy-appeals/", appeals.LegacyAppealListView.as_view(), name="legacy_appeal_list"),
    path(
        "cabinet/legacy-appeals/<int:pk>/", appeals.LegacyAppealDetailView.as_view(), name="legacy_appeal_detail"
    ),
    path("cabinet/projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("cabinet/projects/new/", projects.ProjectApplyView.as_view(), name="project_apply"),
    path("cabinet/projects/<int:pk>/", projects.PassportView.as_view(), name="project_passport"),
    path("cabinet/projects/<int:pk>/passport/", projects.PassportEditView.as_view(), name="project_passport_edit"),
    path("cabinet/projects/<int:pk>/passport.docx", projects.PassportDocxView.as_view(), name="project_passport_docx"),
    path("cabinet/projects/<int:pk>/land-plots/", projects.LandPlotAddView.as_view(), name="project_land_plot_add"),
    path("cabinet/projects/<int:pk>/land-plots/<int:plot_pk>/", projects.LandPlotChangeView.as_view(),
         name="project_land_plot_change"),
    path("cabinet/projects/<int:pk>/land-plots/<int:plot_pk>/remove/", projects.LandPlotRemoveView.as_view(),
         name="project_land_plot_remove"),
    path("cabinet/projects/<int:pk>/withdraw/", projects.WithdrawView.as_view(), name="project_withdraw"),
    path("cabinet/projects/<int:pk>/documents/", projects.DocumentsView.as_view(), name="project_documents"),
    path(
        "cabinet/projects/<int:pk>/documents/<int:document_pk>/",
        projects.DocumentFileView.as_view(),
        name="project_document_file",
    ),
    path("cabinet/projects/<int:pk>/tasks/", projects.TasksView.as_view(), name="project_tasks"),
    path(
        "cabinet/projects/<int:pk>/tasks/<int:task_pk>/cancel/",
        projects.TaskCancelView.as_view(),
        name="project_task_cancel",
    ),
    path("cabinet/projects/<int:pk>/meetings/", project_meetings.MeetingsView.as_view(), name="project_meetings"),
    path(
        "cabinet/projects/<int:pk>/meetings/<int:meeting_pk>.ics",
        project_meetings.MeetingIcsView.as_view(),
        name="project_meeting_ics",
    ),
    path(
        "cabinet/projects/<int:pk>/meetings/feed/",
        project_meetings.CalendarFeedResetView.as_view(),
        name="project_calendar_feed_reset",
    ),
    path("cabinet/projects/<int:pk>/roadmap/", projects.RoadmapView.as_view(), name="project_roadmap"),
    path("cabinet/projects/<int:pk>/history/", projects.HistoryView.as_view(), name="project_history"),
    # The cabinet's project tabs: straight to the project when the company has one, else a chooser.
    *(
        path(f"cabinet/{tab.slug}/", projects.ProjectListView.as_view(section=tab.slug, straight_to_single=True))
        for tab in CABINET_TABS
        if tab.project_tab and tab.slug != "projects"
    ),
    path("calendar/<str:token>.ics", project_meetings.calendar_feed, name="calendar_feed"),
    path("cabinet/<slug:section>/", views.CabinetView.as_view(), name="cabinet_section"),
]
