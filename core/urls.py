from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("core.portal.urls")),
]

# Styled Russian error pages for both faces (core/http_guard.py: the cabinet's under /admin/, the portal's elsewhere).
handler400 = "core.http_guard.bad_request"
handler403 = "core.http_guard.permission_denied"
handler404 = "core.http_guard.page_not_found"
handler500 = "core.http_guard.server_error"
