"""The REST API (issue 14, docs/api.md, docs/adr/0006-rest-api.md): django-ninja under /api/v1/, its OpenAPI
schema at /api/v1/openapi.json and Swagger UI from the package's own static files at /api/v1/docs.

Like the portal, it only adapts: every route reads through the `*_visible_to` selectors and writes through the
doors and services, as the person behind the token or the session. Every refusal is a Russian problem detail."""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, RawPostDataException
from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.renderers import JSONRenderer

from core.api import appeals, classifier, organisations, projects, reports
from core.api.auth import PageSessionAuth, TokenAuth, unauthorized
from core.api.problems import ApiProblem, from_schema_errors, from_validation_error, invalid, problem_response
from core.filters.base import FilterError
from core.workflows.door import Conflict

log = logging.getLogger(__name__)


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 Cyrillic as it is («Не решено»), not «\\u041d…»: the same bytes a person reads in the problem details."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="«Зелёный коридор» API",
    version="1",
    description="REST API «Зелёного коридора»: те же данные и те же правила, что в кабинете и на портале. "
    "Аутентификация — персональный API-токен (`Authorization: Bearer …`). Ошибки — RFC 9457 (problem details).",
    auth=[TokenAuth(), PageSessionAuth()],
    renderer=ReadableJSONRenderer(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None}),  # no badge fetched from swagger.io: nothing leaves the site
)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(request, exc)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, unauthorized())


@api.exception_handler(SchemaError)
def _schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    return problem_response(request, from_schema_errors(exc.errors))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(request, from_validation_error(exc))


@api.exception_handler(FilterError)
def _bad_filter(request: HttpRequest, exc: FilterError) -> HttpResponse:
    """A list filter core cannot apply (a wrong value, an unknown key): the FilterSet's Russian errors by field."""
    errors = [{"field": "__all__" if name == "__all__" else name, "message": " ".join(messages)}
              for name, messages in exc.form.errors.items()]
    return problem_response(request, invalid(errors, " ".join(exc.messages)))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(request, ApiProblem(403, gettext("Действие запрещено"),
                                                str(exc) or gettext("У вас нет права на это действие.")))


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return problem_response(request, ApiProblem(409, gettext("Конфликт версий"), str(exc)))


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, ApiProblem(404, gettext("Не найдено"),
                                                gettext("Объект не найден или недоступен вам.")))


api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(ObjectDoesNotExist, _not_found)


def _not_json() -> ApiProblem:
    return ApiProblem(400, gettext("Запрос отклонён"),
                      gettext("Тело запроса не удалось прочитать: отправьте объект JSON в кодировке UTF-8 с заголовком "
                              "Content-Type: application/json."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals, whose texts are English. The one it raises here is a body it cannot parse (400):
    the person is told in Russian what to send instead."""
    if exc.status_code == 400:
        return problem_response(request, _not_json())
    return problem_response(request, ApiProblem(exc.status_code, gettext("Запрос отклонён"),
                                                gettext("Сервер не может выполнить этот запрос.")))


@api.exception_handler(RawPostDataException)
def _form_where_json_goes(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    """A multipart form sent to a call that takes JSON: the upload guard has already read it from the stream, so the
    body can no longer be read — a 400 saying what to send, not a 500."""
    return problem_response(request, _not_json())


api.add_router("/classifier", classifier.router)
api.add_router("/organisations", organisations.router)
api.add_router("/appeals", appeals.router)
api.add_router("/projects", projects.router)
api.add_router("", reports.router)  # /reports/… and /registers/…
