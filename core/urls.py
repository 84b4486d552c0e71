from django.contrib import admin
from django.urls import include, path

from core import probes
from core.api.api import api
from core.csp import csp_report
from core.http import favicon
from core.sessions import session_alive

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),  # the REST API (core/api/, docs/api.md)
    path("csp-report/", csp_report, name="csp_report"),  # Content-Security-Policy violations (core/csp.py)
    path("favicon.ico", favicon, name="favicon"),
    path("session/alive/", session_alive, name="session_alive"),  # typing keeps the session (core/sessions.py)
    path("healthz", probes.healthz, name="healthz"),  # answered by core.probes.ProbeMiddleware, before the rest
    path("readyz", probes.readyz, name="readyz"),
    path("", include("core.portal.urls")),
]

# Styled Russian error pages for both faces (core/http_guard.py: the cabinet's under /admin/, the portal's elsewhere).
handler400 = "core.http_guard.bad_request"
handler403 = "core.http_guard.permission_denied"
handler404 = "core.http_guard.page_not_found"
handler500 = "core.http_guard.server_error"
