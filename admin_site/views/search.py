"""«Поиск»: the results page of the search box in the cabinet's header, grouped by kind.

Only adapts: what a query finds, ranks and highlights, and what this person may see of it, is core.search (scoped by
the `*_visible_to` selectors); here a kind is offered only to those whose role opens its section, and each hit
becomes a row with a link to its cabinet page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import search as core_search
from core.choices import AppealStatus, ProjectStage
from core.models import Appeal, Organisation, Project

MIN_LENGTH = 2  # characters: a single letter finds half of everything (a single digit is a number)
PER_KIND = 10
MAX_INPUT = 200  # what the box takes (core.search reads no more)
KINDS = (  # kind, model, the group's heading
    (core_search.APPEAL, Appeal, _("Обращения")),
    (core_search.PROJECT, Project, _("Проекты")),
    (core_search.ORGANISATION, Organisation, _("Организации")),
)


@dataclass(frozen=True)
class Row:
    title: SafeString  # escaped, the words the query finds in <mark>
    url: str
    badge: str  # a status or stage, or ""
    badge_colour: str
    details: list[str]  # short facts after the title: the number, the investor, the ИНН
    snippet: str  # safe HTML from core.search


@dataclass(frozen=True)
class Group:
    kind: str
    heading: str
    total: int
    total_label: str  # «12 обращений»
    rows: list[Row]
    all_url: str  # the kind's cabinet list with the same query


def search_page(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    query = core_search.normalise_query(_printable(request.GET.get("q", "")))
    kinds = [(kind, model, heading) for kind, model, heading in KINDS if _may_view(site, request, model)]
    too_short = bool(query) and len(query) < MIN_LENGTH and not query.isdigit()  # «7» is appeal №7
    groups = []
    if query and not too_short and kinds:
        found = core_search.search(user=request.user, query=query, kinds=[kind for kind, _m, _h in kinds],
                                   limit=PER_KIND)
        groups = [_group(kind, model, heading, found, query) for kind, model, heading in kinds]
    total = sum(group.total for group in groups)
    context = {
        **site.each_context(request),
        "title": _("Поиск"),
        "query": query,
        "too_short": too_short,
        "min_length": MIN_LENGTH,
        "max_length": MAX_INPUT,
        "groups": [group for group in groups if group.total],
        "searched": bool(groups),
        "total_label": ngettext("Найден %(count)s результат", "Найдено %(count)s результатов", total)
        % {"count": total},
    }
    return TemplateResponse(request, "admin_site/search.html", context)


def _printable(text: str) -> str:
    """The query without control characters (a pasted tab or a NUL byte is no part of a word)."""
    return "".join(char if char.isprintable() else " " for char in text[: MAX_INPUT * 4])


def _may_view(site: AdminSite, request: HttpRequest, model) -> bool:
    """The kind's section opens to this role (the same permission as its list in the sidebar)."""
    model_admin = site._registry.get(model)
    return model_admin is not None and model_admin.has_view_permission(request)


def _group(kind: str, model, heading, found: core_search.SearchResults, query: str) -> Group:
    total = found.totals.get(kind, 0)
    opts = model._meta
    return Group(
        kind=kind, heading=heading, total=total, total_label=_count_label(kind, total),
        rows=[_row(hit, query) for hit in found.groups.get(kind, [])],
        all_url=f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{urlencode({'q': query})}",
    )


def _count_label(kind: str, count: int) -> str:
    if kind == core_search.APPEAL:
        text = ngettext("%(count)s обращение", "%(count)s обращений", count)
    elif kind == core_search.PROJECT:
        text = ngettext("%(count)s проект", "%(count)s проектов", count)
    else:
        text = ngettext("%(count)s организация", "%(count)s организаций", count)
    return text % {"count": count}


def _row(hit: core_search.Hit, query: str) -> Row:
    obj = hit.obj
    if hit.kind == core_search.APPEAL:
        return Row(
            title=core_search.highlight(obj.subject or hit.title, query),
            url=reverse("admin:core_appeal_change", args=[obj.pk]),
            badge=obj.get_status_display(), badge_colour=AppealStatus.colour(obj.status),
            details=[f"№{obj.number}", *([obj.organisation_name] if obj.organisation_name else [])],
            snippet=hit.snippet,
        )
    if hit.kind == core_search.PROJECT:
        return Row(
            title=core_search.highlight(obj.name or hit.title, query),
            url=reverse("admin:core_project_change", args=[obj.pk]),
            badge=obj.get_stage_display(), badge_colour=ProjectStage.colour(obj.stage),
            details=[obj.registry_number] if obj.registry_number else [], snippet=hit.snippet,
        )
    return Row(
        title=core_search.highlight(obj.short_name or hit.title, query),
        url=reverse("admin:core_organisation_change", args=[obj.pk]),
        badge="", badge_colour="",
        details=[str(_("ИНН %(inn)s") % {"inn": obj.inn})] if obj.inn else [], snippet=hit.snippet,
    )
