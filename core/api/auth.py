"""Who calls: a personal token (`Authorization: Bearer zk_…`) or the project's own pages' session (with the CSRF
token on writes and, for staff, the second factor the cabinet asks for). Either way the call runs as that person,
and each person (or token) has a rate limit."""

import math
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from core.api.problems import ApiProblem
from core.models import ApiTokenScope, User
from core.selectors.visibility import is_staff_member
from core.services.api_tokens import api_token_authenticate
from core.services.personal_data import consent_missing
from core.services.throttle import Rate, throttle_hit

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
RATE_PERIOD = 60


def unauthorized(detail: str = "") -> ApiProblem:
    return ApiProblem(
        401, gettext("Нужна аутентификация"),
        detail or gettext("Передайте действующий API-токен в заголовке «Authorization: Bearer …»."),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


def _rate_check(subject: str) -> None:
    rate = Rate(limit=settings.API_RATE_PER_MINUTE, period=RATE_PERIOD)
    if not throttle_hit(purpose="api", subject=subject, rate=rate):
        wait = max(1, math.ceil(RATE_PERIOD - time.time() % RATE_PERIOD))
        raise ApiProblem(429, gettext("Слишком много запросов"),
                         gettext("Не больше %(limit)s запросов в минуту. Повторите через %(wait)s с.")
                         % {"limit": rate.limit, "wait": wait}, headers={"Retry-After": str(wait)})


def _consent_check(user: User) -> None:
    """An investor works through the API only under the consent text in force, as on the portal's pages: one who
    has not accepted it (an account made by staff, a text changed since the token was made) is refused until they
    accept it in the portal (core.services.personal_data.consent_missing)."""
    if consent_missing(user):
        raise ApiProblem(403, gettext("Нужно согласие на обработку персональных данных"),
                         gettext("Текст согласия изменился или ещё не принят. Войдите в личный кабинет инвестора и "
                                 "примите его: после этого API снова ответит."))


class TokenAuth(HttpBearer):
    """A personal API token. A wrong, expired or revoked one is refused outright (never falls back to a session);
    a read-only token may not write."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = api_token_authenticate(token.strip())
        if found is None:
            raise unauthorized(gettext("Токен неизвестен, просрочен или отозван."))
        if request.method not in SAFE_METHODS and found.scope != ApiTokenScope.WRITE:
            raise ApiProblem(403, gettext("Недостаточно прав токена"),
                             gettext("Токен выдан только для чтения: для изменений нужен токен с правами на запись."))
        _rate_check(f"token:{found.pk}")
        _consent_check(found.user)
        request.user, request.api_token = found.user, found
        return found.user


class PageSessionAuth(SessionAuth):
    """The session of the project's own pages: CSRF checked on writes (Russian refusal), staff only after the
    second factor when the cabinet requires it."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # csrf stays on (Swagger UI then sends the token), but it is checked in `authenticate`, in Russian
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if is_staff_member(user) and settings.OTP_REQUIRED and not getattr(user, "is_verified", lambda: False)():
            return None
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise ApiProblem(403, gettext("Запрос отклонён"),
                             gettext("Нет CSRF-токена: передайте его в заголовке X-CSRFToken или используйте "
                                     "API-токен."))
        _rate_check(f"user:{user.pk}")
        _consent_check(user)
        return user
