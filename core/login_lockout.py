"""django-axes with a limit per lockout rule.

Axes counts failures for each combination in AXES_LOCKOUT_PARAMETERS and compares the largest count with one
AXES_FAILURE_LIMIT. We want two rules with their own limits: a user name from one address (AXES_FAILURE_LIMIT)
and every failure from one address whatever the user name — password spraying — (AXES_IP_FAILURE_LIMIT, higher).
So the address-only count is reported scaled to the common limit: it reaches AXES_FAILURE_LIMIT exactly when the
raw count reaches AXES_IP_FAILURE_LIMIT. The records and `axes_reset_ip` stay axes' own; the lockout page is the
face's own (`lockout_response`, AXES_LOCKOUT_CALLABLE): the portal's for investors, the cabinet's for staff.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.http_guard import cabinet_context, is_cabinet

LOCKED_OUT = 429  # axes' own status: Too Many Requests


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        worst = 0
        rules = self._rules(request, credentials)
        for rule, attempts in zip(rules, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if _address_only(rule):
                failures = failures * limit // settings.AXES_IP_FAILURE_LIMIT
            worst = max(worst, failures)
        return worst

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful login forgets that user's failures, not every failure from the address: else a sprayer
        would clear the address rule by logging into an account of their own between rounds."""
        count = 0
        rules = self._rules(request, credentials)
        for rule, attempts in zip(rules, self.filter_user_attempts(request, credentials), strict=True):
            if not _address_only(rule):
                count += attempts.delete()[0]
        return count

    @staticmethod
    def _rules(request, credentials: dict | None) -> list[dict]:
        """The filters axes builds from AXES_LOCKOUT_PARAMETERS, in the order of its attempt querysets."""
        username = get_client_username(request, credentials)
        return get_client_parameters(username, request.axes_ip_address, request.axes_user_agent, request, credentials)


def _address_only(rule: dict) -> bool:
    return set(rule) == {"ip_address"}


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """The lockout page of the face the person tried to sign in to: a staff member locked out of the cabinet's login
    sees the cabinet's page (sign in again later, or ask the administrator to lift the lock), not the investor
    portal's with its password reset."""
    cool_off = get_cool_off(request)
    context = {"cooloff_timedelta": cool_off, "failure_limit": get_failure_limit(request, credentials)}
    if not is_cabinet(request):
        return render(request, "portal/locked_out.html", context, status=LOCKED_OUT)
    context.update(cabinet_context(request), status=LOCKED_OUT, title=_("Вход временно заблокирован"), text=_(
        "Вход заблокирован после нескольких неудачных попыток с этой учётной записью или с этого адреса, чтобы "
        "защитить учётные записи."))
    return render(request, "admin_site/locked_out.html", context, status=LOCKED_OUT)
