"""/healthz and /readyz for load balancers and monitoring (docs/operations.md «Health and logs»).

* /healthz: the process answers — 200 {"status": "ok"}, touching neither the database nor the cache.
* /readyz: one entry per check of core.services.health (database, cache, storage, worker, deadline_sweep);
  200 when all pass, 503 naming the failing ones.

`ProbeMiddleware` (right after the request id in MIDDLEWARE) answers both paths itself, before anything else runs:
no HTTPS redirect and no ALLOWED_HOSTS check (a balancer asks a node by its address over plain HTTP), no session
read or write, no CSRF, no login, no lockout. The views stay in core/urls.py so the routes are named and listed.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import resolve, reverse
from django.views.decorators.cache import never_cache

from core.http_guard import has_forbidden_characters
from core.services import health

log = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = health.readiness()
    failing = [check.name for check in checks if not check.ok]
    body = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    response = JsonResponse(body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False})
    if failing:
        # one WARNING naming the checks instead of Django's ERROR «Service Unavailable» on every poll
        log.warning("not ready: %s", ", ".join(failing))
        response._has_been_logged = True  # the flag django.utils.log.log_response honours
    return response


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._paths is None:  # the URLconf is not loaded yet when middleware is built
            self._paths = frozenset({reverse("healthz"), reverse("readyz")})
        if request.path in self._paths:  # both with the script prefix, if any
            if _has_control_characters(request):  # the same rule as every page (core/http_guard.py)
                return JsonResponse({"status": "bad request"}, status=400)
            return resolve(request.path_info).func(request)
        return self.get_response(request)


def _has_control_characters(request: HttpRequest) -> bool:
    """The probes read nothing from the request, but answer a control character in the query string like any
    page does: 400. The body is never parsed."""
    return any(has_forbidden_characters(key) or any(map(has_forbidden_characters, values))
               for key, values in request.GET.lists())
