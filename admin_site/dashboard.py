"""The cabinet's start page (UNFOLD["DASHBOARD_CALLBACK"]): what is in the system, as far as the user may see.

Each card is one aggregate query over a visibility selector; reports and charts come with their issues.
"""

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from admin_site.navigation import may_view
from core.choices import OrganisationKind
from core.roles import Role
from core.selectors.visibility import organisations_visible_to, users_visible_to


def _counts(queryset: QuerySet, field: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(total=Count("pk", distinct=True)))


def _card(title: str, url_name: str, header: str, rows: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "title": title,
        "link": reverse(f"admin:{url_name}"),
        "table": {"headers": [header, _("Количество")], "rows": rows},
    }


def _organisations_card(request: HttpRequest) -> dict[str, Any]:
    counts = _counts(organisations_visible_to(request.user), "kind")
    rows = [(kind.label, counts.get(kind.value, 0)) for kind in OrganisationKind]
    return _card(_("Организации по видам"), "core_organisation_changelist", _("Вид"), rows)


def _users_card(request: HttpRequest) -> dict[str, Any]:
    counts = _counts(users_visible_to(request.user).filter(is_active=True), "groups__name")
    rows = [(role.label, counts.get(role.group_name, 0)) for role in Role]
    return _card(_("Активные пользователи по ролям"), "core_user_changelist", _("Роль"), rows)


CARDS = (("core.Organisation", _organisations_card), ("core.User", _users_card))


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    cards = [build(request) for model_label, build in CARDS if may_view(model_label)(request)]
    # Russian business address: имя и отчество («Здравствуйте, Иван Петрович!»).
    welcome_name = " ".join(part for part in (user.first_name, user.middle_name) if part) or user.email
    return {**context, "dashboard_cards": cards, "welcome_name": welcome_name}
