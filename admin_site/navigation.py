"""The cabinet's sidebar as data: groups of items, each a link to a page and who may open it.

`sidebar_navigation` is UNFOLD["SIDEBAR"]["navigation"]: it keeps the items the user may open and drops groups
left empty.
"""

from collections.abc import Callable
from functools import cache
from urllib.parse import urlparse

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse, reverse_lazy
from django.utils.functional import lazy
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.selectors.reports import reports_available_to

Permission = Callable[[HttpRequest], bool]


def may_view(model_label: str) -> Permission:
    """The rule of the model's own ModelAdmin, so the sidebar never links to a page that answers 403."""

    def check(request: HttpRequest) -> bool:
        model = apps.get_model(model_label)
        if not admin.site.is_registered(model):
            return False
        return admin.site.get_model_admin(model).has_view_or_change_permission(request)

    return check


def may_see_reports(request: HttpRequest) -> bool:
    return reports_available_to(request.user)


def model_item(title: str, icon: str, model_label: str) -> dict:
    app_label, model_name = model_label.lower().split(".")
    return {
        "title": title,
        "icon": icon,
        "view": f"admin:{app_label}_{model_name}_changelist",
        "permission": may_view(model_label),
    }


NAVIGATION: list[dict] = [
    {
        "title": None,
        "items": [
            {"title": _("Главная"), "icon": "dashboard", "view": "admin:index", "permission": None},
            {"title": _("Мой календарь"), "icon": "calendar_month", "view": "admin:my_calendar",
             "permission": None},
            {"title": _("Уведомления"), "icon": "notifications", "view": "admin:notifications",
             "permission": None, "badge": "admin_site.views.notifications.unread_badge", "badge_variant": "danger",
             "aria_label": "admin_site.views.notifications.unread_label"},
            model_item(_("API-токены"), "key", "core.ApiToken"),
        ],
    },
    {
        "title": _("Обращения"),
        "items": [
            model_item(_("Обращения"), "forum", "core.Appeal"),
            model_item(_("Шаблоны ответов"), "text_snippet", "core.AnswerTemplate"),
            model_item(_("Частые вопросы"), "quiz", "core.FaqEntry"),
        ],
    },
    {
        "title": _("Проекты"),
        "items": [
            model_item(_("Проекты"), "domain", "core.Project"),
            model_item(_("Задачи"), "checklist", "core.Task"),
            model_item(_("Встречи"), "groups", "core.Meeting"),
            model_item(_("Запросы участникам"), "outgoing_mail", "core.ParticipantRequest"),
        ],
    },
    {
        "title": _("Отчёты"),
        "items": [
            {"title": _("Отчёты"), "icon": "summarize", "view": "admin:reports",
             "permission": may_see_reports},
        ],
    },
    {
        "title": _("Классификатор МОС"),
        "items": [
            model_item(_("Категории"), "category", "core.Category"),
            model_item(_("Подкатегории"), "account_tree", "core.Subcategory"),
            model_item(_("Факты обращений"), "list_alt", "core.Fact"),
            model_item(_("Типы обращений и сроки"), "timer", "core.AppealType"),
            model_item(_("Производственный календарь"), "calendar_month", "core.CalendarOverride"),
        ],
    },
    {
        "title": _("Справочники проектов"),
        "items": [
            model_item(_("Отрасли"), "category", "core.Industry"),
            model_item(_("Чек-лист этапов"), "fact_check", "core.ChecklistItem"),
            model_item(_("Меры поддержки"), "savings", "core.SupportMeasure"),
            model_item(_("Сроки ответов на запросы"), "timer", "core.RequestPeriod"),
            model_item(_("Шаблоны документов"), "description", "core.DocumentTemplate"),
        ],
    },
    {
        "title": _("Участники системы"),
        "items": [
            model_item(_("Организации"), "apartment", "core.Organisation"),
            model_item(_("Районы"), "map", "core.District"),
        ],
    },
    {
        "title": _("Пользователи и роли"),
        "items": [
            model_item(_("Пользователи"), "person", "core.User"),
            model_item(_("Роли"), "badge", "auth.Group"),
            model_item(_("Согласия на обработку ПДн"), "verified_user", "core.PersonalDataConsent"),
        ],
    },
    {
        "title": _("Журналы"),
        "items": [
            model_item(_("Журнал изменений"), "history", "auditlog.LogEntry"),
            model_item(_("Попытки входа"), "login", "axes.AccessAttempt"),
            model_item(_("Входы и выходы"), "how_to_reg", "axes.AccessLog"),
            model_item(_("Неудачные входы"), "gpp_bad", "axes.AccessFailureLog"),
            {**model_item(_("Исходящие письма"), "forward_to_inbox", "core.Notification"),
             "badge": "admin_site.admin.notifications.failed_badge", "badge_variant": "danger"},
        ],
    },
    {
        "title": _("Интеграции"),
        "items": [
            model_item(_("Вебхуки"), "webhook", "core.WebhookSubscription"),
            {**model_item(_("Доставки событий"), "outbox", "core.WebhookDelivery"),
             "badge": "admin_site.admin.webhooks.failed_badge", "badge_variant": "danger"},
        ],
    },
    {
        "title": _("Фоновые задачи"),
        "items": [
            model_item(_("Расписание"), "schedule", "django_q.Schedule"),
            model_item(_("Выполненные"), "task_alt", "django_q.Success"),
            model_item(_("С ошибками"), "error", "django_q.Failure"),
            model_item(_("Очередь"), "queue", "django_q.OrmQ"),
        ],
    },
]


def allowed(item: dict, request: HttpRequest) -> bool:
    return item["permission"] is None or item["permission"](request)


@cache
def _lazy_call(path: str, *resultclasses: type) -> Callable:
    return lazy(import_string(path), *resultclasses)  # once per path: lazy() builds a class on every call


def with_request(item: dict, request: HttpRequest) -> dict:
    """An item whose accessible name depends on the person ("aria_label": a dotted path to `f(request) -> str`,
    e.g. «Уведомления: 3 непрочитанных»), worked out only when the sidebar is drawn."""
    if "aria_label" not in item:
        return item
    label = _lazy_call(item["aria_label"], str)(request)
    return {**item, "link_attrs": {**item.get("link_attrs", {}), "aria-label": label}}


# Keys unfold's sidebar template reads of every group and item. Present, its lookups succeed; missing, each failed
# lookup lists the dict's attributes to find out why. "permission": None — asked here already, not again by unfold.
GROUP_DEFAULTS = {"collapsible": False, "separator": False}
ITEM_DEFAULTS = {"link_callback": None, "icon_template": None, "link_attrs": None, "permission": None}


_LINKS: dict[tuple[str, str, str], str] = {}


def link_to(view: str) -> str:
    """reverse(view), worked out once per URLconf and script prefix: the sidebar's links are the same on every page,
    and a lazy link is reversed again each time it is read (unfold's active-item check, the sidebar's markup key)."""
    key = (view, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    link = _LINKS.get(key)
    if link is None:
        link = _LINKS[key] = reverse(view)
    return link


def sidebar_navigation(request: HttpRequest) -> list[dict]:
    """Only what the user may open: unfold itself would reverse every link (the ORM queue has no page
    with a Redis broker) and print the titles of groups whose items it hides. Every group and item is a new dict,
    so the caller may change them."""
    groups = (
        {**GROUP_DEFAULTS, **group,
         "items": [{**ITEM_DEFAULTS, **with_request(item, request), "link": link_to(item["view"]), "permission": None}
                   for item in group["items"] if allowed(item, request)]}
        for group in NAVIGATION
    )
    return [group for group in groups if group["items"]]


def _is_active(path: str, link: str, index: str) -> bool:
    """unfold's rule for a sidebar item (UnfoldAdminSite._get_is_active, no tabs): the dashboard's link on the
    dashboard only, any other link on every page whose path contains it."""
    link_path = urlparse(link).path
    if link_path == path == index:
        return True
    return link_path != "" and link_path in path and link_path != index


def sidebar_list(request: HttpRequest) -> list[dict]:
    """What unfold's `get_sidebar_list` makes of sidebar_navigation: each item marked active or not, with its
    badge's callback. unfold deep-copies the navigation and reverses each link and the dashboard's again per item;
    here the items are new dicts already and their links plain strings. The result is the same
    (tests/admin_site/test_navigation.py compares them)."""
    index = link_to("admin:index")
    groups = sidebar_navigation(request)
    for group in groups:
        if isinstance(group.get("badge"), str):
            group["badge_callback"] = _lazy_call(group["badge"])(request)  # as unfold wraps it
        for item in group["items"]:
            item["active"] = _is_active(request.path, item["link"], index)
            item["has_permission"] = True  # "permission" is None: asked in sidebar_navigation already
            if isinstance(item.get("badge"), str):
                item["badge_callback"] = _lazy_call(item["badge"])(request)
    return groups


def account_links(request: HttpRequest) -> list[dict]:
    """The user menu's own entries (the site adds them to `account_links`). With any entry there unfold drops its
    «change password» link, so it comes back here."""
    if not request.user.is_authenticated:
        return []
    links = [{"title": _("Второй фактор"), "link": reverse_lazy("admin:otp")}]
    if request.user.has_usable_password():
        links.insert(0, {"title": _("Изменить пароль"), "link": reverse_lazy("admin:password_change")})
    return links
