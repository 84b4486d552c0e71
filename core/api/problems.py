"""RFC 9457 problem details: every refusal of the API is `application/problem+json` with a Russian title and
detail, and field errors under `errors` (the door's and the services' Russian messages, keyed by field)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Schema

PROBLEM_TYPE = "about:blank"
CONTENT_TYPE = "application/problem+json"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = PROBLEM_TYPE
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Raised by a route to answer with a problem; the API's handler turns it into the response."""

    def __init__(self, status: int, title: str, detail: str = "", *, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, str(title), str(detail)
        self.errors, self.headers = errors or [], headers or {}


def problem_response(request: HttpRequest, problem: ApiProblem) -> JsonResponse:
    body = {"type": PROBLEM_TYPE, "title": problem.title, "status": problem.status, "detail": problem.detail}
    if problem.errors:
        body["errors"] = problem.errors
    response = JsonResponse(body, status=problem.status, content_type=CONTENT_TYPE,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in problem.headers.items():
        response[name] = value
    return response


def invalid(errors: list[dict], detail: str = "") -> ApiProblem:
    return ApiProblem(400, gettext("Неверные данные"), detail or gettext("Исправьте поля, указанные в errors."),
                      errors=errors)


def field_error(field: str, message) -> ApiProblem:
    return invalid([{"field": field, "message": str(message)}])


def from_validation_error(error: ValidationError) -> ApiProblem:
    """A service's or door's Russian ValidationError: messages by field, the rest under «__all__»."""
    if hasattr(error, "error_dict"):
        errors = [{"field": field, "message": message} for field, messages in error.message_dict.items()
                  for message in messages]
    else:
        errors = [{"field": "__all__", "message": message} for message in error.messages]
    detail = errors[0]["message"] if len(errors) == 1 else ""
    return invalid(errors, detail)


_PYDANTIC_MESSAGES = {
    "missing": _("Обязательное поле."),
    "int_parsing": _("Нужно целое число."),
    "int_type": _("Нужно целое число."),
    "bool_parsing": _("Нужно true или false."),
    "bool_type": _("Нужно true или false."),
    "string_type": _("Нужна строка."),
    "date_from_datetime_parsing": _("Нужна дата в формате ГГГГ-ММ-ДД."),
    "date_parsing": _("Нужна дата в формате ГГГГ-ММ-ДД."),
    "datetime_parsing": _("Нужны дата и время в формате ISO 8601 (ГГГГ-ММ-ДДTЧЧ:ММ:СС+03:00)."),
    "datetime_from_date_parsing": _("Нужны дата и время в формате ISO 8601 (ГГГГ-ММ-ДДTЧЧ:ММ:СС+03:00)."),
    "timezone_aware": _("Укажите часовой пояс (например, +03:00)."),
    "json_invalid": _("Тело запроса — не JSON."),
    "model_attributes_type": _("Нужен JSON-объект."),
    "dict_type": _("Нужен JSON-объект."),
    "list_type": _("Нужен список."),
    "string_too_long": _("Слишком длинная строка."),
    "greater_than_equal": _("Слишком маленькое значение."),
    "less_than_equal": _("Слишком большое значение."),
    "literal_error": _("Недопустимое значение."),
    "enum": _("Недопустимое значение."),
    "extra_forbidden": _("Лишнее поле."),
}


def from_schema_errors(errors: list[dict]) -> ApiProblem:
    """django-ninja's (pydantic's) errors, which are English, as Russian field errors."""
    rows = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in {"body", "payload", "query", "path",
                                                                                 "form", "file"}]
        message = _PYDANTIC_MESSAGES.get(error.get("type", ""), _("Недопустимое значение."))
        if not location and error.get("type") == "missing":
            message = _("Нужно тело запроса: объект JSON с заголовком Content-Type: application/json (у действия без "
                        "полей — пустой объект {}).")
        rows.append({"field": ".".join(location) or "__all__", "message": str(message)})
    return invalid(rows)

