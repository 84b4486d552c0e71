"""Bad input never reaches the code, and every error is a styled Russian page (issue 11).

* `BadInputGuardMiddleware` answers 400 when the path, a query-string or a form key or value holds a character no
  field may hold: NUL (PostgreSQL cannot store it) and the other C0 control characters XML 1.0 cannot hold (the
  xlsx/ods/docx downloads could not render them). Tab, line feed and carriage return stay allowed.
* `bad_request`, `permission_denied`, `page_not_found`, `server_error` (core/urls.py's handler400…500) and
  `csrf_failure` (CSRF_FAILURE_VIEW) render the face the request came from: the cabinet's (unfold's look) under
  /admin/, the portal's everywhere else.
* The 500 page touches no database: it is rendered without the request, so no context processor runs (the user,
  the session and the notices bell all live in the database, which may be the thing that is down).
"""

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# C0 controls except \t \n \r, and the two non-characters XML cannot hold either.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ASCII_INT = re.compile(r"-?[0-9]+\Z")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def parse_int(value: object, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """The integer written in ASCII digits (Python's int() also takes «٣» and «１»), within the bounds; else None."""
    if not isinstance(value, str) or not ASCII_INT.match(value.strip()) or len(value.strip()) > 18:
        return None
    number = int(value.strip())
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def has_forbidden_characters(text: str) -> bool:
    return bool(FORBIDDEN_CHARACTERS.search(text))


def _request_is_bad(request: HttpRequest) -> bool:
    if has_forbidden_characters(request.path):
        return True
    sources = [request.GET]
    if request.method == "POST":
        sources.append(request.POST)
    for data in sources:
        for key, values in data.lists():
            if has_forbidden_characters(key) or any(has_forbidden_characters(value) for value in values):
                return True
    return False


class BadInputGuardMiddleware:
    """400 with the styled page, before any view, form or query sees the input."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _request_is_bad(request):
            logger.info("Rejected a request with control characters: %s %r", request.method, request.path)
            return bad_request(request, None)
        return self.get_response(request)


# --- the error pages -------------------------------------------------------------------------------------------
def is_cabinet(request: HttpRequest) -> bool:
    return request.path.startswith("/admin/")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def cabinet_context(request: HttpRequest | None) -> dict:
    """unfold's colours and titles from the UNFOLD setting; nothing that asks the database."""
    context: dict = {"site_url": "/"}
    try:
        from django.contrib import admin

        context["colors"] = admin.site._get_colors("COLORS", request)
    except Exception:  # the page must render whatever is broken
        context["colors"] = {}
    return context


MESSAGES = {
    400: (
        "Неверный запрос",
        "В адресе страницы или в отправленной форме есть недопустимые данные (например, служебные символы или "
        "значение не того вида). Ничего не изменено. Вернитесь назад и проверьте введённое.",
    ),
    403: (
        "Нет доступа",
        "У вас нет прав на эту страницу или действие. Если вы считаете, что это ошибка, обратитесь к "
        "администратору системы.",
    ),
    404: (
        "Страница не найдена",
        "Такой страницы нет: возможно, адрес набран с ошибкой или запись удалена либо недоступна вам.",
    ),
    500: (
        "Внутренняя ошибка сервера",
        # The error is in the server's log with the request id; nobody is paged, so the page promises no call-back.
        "Что-то пошло не так на нашей стороне. Ошибка записана в журнал сервера. Попробуйте повторить через "
        "несколько минут; если ошибка повторяется, сообщите о ней в поддержку.",
    ),
}


def _render(request: HttpRequest, status: int, *, with_request: bool = True, reason: str = "") -> HttpResponse:
    title, text = MESSAGES[status]
    if is_api(request):  # the REST API (docs/api.md) answers with RFC 9457 problem details, never an HTML page
        problem = {"type": "about:blank", "title": _(title), "status": status, "detail": reason or _(text)}
        return JsonResponse(problem, status=status, content_type="application/problem+json",
                            json_dumps_params={"ensure_ascii": False})
    face = "admin_site" if is_cabinet(request) else "portal"
    context = {"status": status, "title": _(title), "text": _(text), "reason": reason,
               "request_id": getattr(request, "request_id", "")}  # core/request_id.py; the 500 page shows it
    if face == "admin_site":
        context.update(cabinet_context(request if with_request else None))
    template = loader.get_template(f"{face}/{status}.html")
    body = template.render(context, request if with_request else None)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A PermissionDenied raised with a Russian message of ours says why; one in another language is not shown.
    reason = str(exception) if exception is not None and exception.args else ""
    if not CYRILLIC.search(reason):
        reason = ""
    return _render(request, 403, reason=reason)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _render(request, 500, with_request=False)
    except Exception:  # a broken template must not hide the error page: plain text, still Russian
        logger.exception("The 500 page could not be rendered")
        text = _("Внутренняя ошибка сервера. Попробуйте повторить позже.")
        if getattr(request, "request_id", ""):
            text += " " + _("Код запроса:") + " " + request.request_id
        return HttpResponse(text, status=500, content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was open too long, or cookies are off — say so in Russian."""
    return _render(request, 403, reason=_(
        "Форма устарела (например, вы вышли и снова вошли в другой вкладке) или в браузере отключены cookie, поэтому "
        "запрос не принят (защита от подделки запросов). Введённое не пропало: нажмите в браузере «Назад», скопируйте "
        "текст, обновите страницу и отправьте форму ещё раз."
    ))




# --- foreign keys in forms: a posted id that is not one -----------------------------------------------------------
# Django lets through ids the database cannot hold: a ModelChoiceField given 10**30 overflows SQLite's integer
# (OverflowError, not a form error), and the admin's autocomplete widget, re-showing an invalid form, filters
# `pk__in` with the raw posted text («abc» → ValueError). Both become «choose a valid option» / an empty select.
BIGINT = 2**63 - 1


def _holds(model_field, value) -> bool:
    """Whether `value` is a value the key column can hold (an integer key: ASCII digits within 64 bits)."""
    from django.db import models

    if isinstance(model_field, models.ForeignKey):
        model_field = model_field.target_field
    if isinstance(model_field, (models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField)):
        return parse_int(str(value), minimum=-BIGINT, maximum=BIGINT) is not None
    try:
        model_field.to_python(value)
    except Exception:  # a ValidationError, or a ValueError from a custom field
        return False
    return True


def _key_field(queryset, to_field_name):
    opts = queryset.model._meta
    return opts.get_field(to_field_name) if to_field_name else opts.pk


def _bounded_field_classes():
    from django import forms
    from django.core.exceptions import ValidationError

    class BoundedModelChoiceField(forms.ModelChoiceField):
        def to_python(self, value):
            if value not in self.empty_values and not _holds(_key_field(self.queryset, self.to_field_name), value):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": value})
            return super().to_python(value)

    class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
        def _check_values(self, value):
            key = _key_field(self.queryset, self.to_field_name)
            for pk in value:
                if not _holds(key, pk):
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": pk})
            return super()._check_values(value)

    return BoundedModelChoiceField, BoundedModelMultipleChoiceField


_BOUNDED: dict[type, type] = {}


def _bounded_subclass(cls: type, mixin: type) -> type:
    if cls not in _BOUNDED:
        _BOUNDED[cls] = type(f"Bounded{cls.__name__}", (mixin, cls), {})
    return _BOUNDED[cls]


class _SafeOptgroupsMixin:
    """For the admin's autocomplete widgets: drop the selected values the key column cannot hold."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        value = [v for v in value if v in (None, "") or _holds(key, v)]
        return super().optgroups(name, value, attr)


def bound_formfield(formfield):
    """The same form field, refusing ids its column cannot hold with a form error instead of a 500 (used by the
    cabinet's ModelAdmin base for every foreign key and many-to-many field). Returns the field."""
    from django import forms
    from django.contrib.admin.widgets import AutocompleteMixin

    if formfield is None:
        return formfield
    single, multiple = _bounded_field_classes_cached()
    if isinstance(formfield, forms.ModelMultipleChoiceField) and not isinstance(formfield, multiple):
        formfield.__class__ = _bounded_subclass(type(formfield), multiple)
    elif isinstance(formfield, forms.ModelChoiceField) and not isinstance(formfield, (single, multiple)):
        formfield.__class__ = _bounded_subclass(type(formfield), single)
    widget = getattr(formfield.widget, "widget", formfield.widget)  # inside RelatedFieldWidgetWrapper
    if isinstance(widget, AutocompleteMixin) and not isinstance(widget, _SafeOptgroupsMixin):
        widget.__class__ = _bounded_subclass(type(widget), _SafeOptgroupsMixin)
    return formfield


_FIELD_CLASSES: tuple[type, type] | None = None


def _bounded_field_classes_cached() -> tuple[type, type]:
    global _FIELD_CLASSES
    if _FIELD_CLASSES is None:
        _FIELD_CLASSES = _bounded_field_classes()
    return _FIELD_CLASSES
