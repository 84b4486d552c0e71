"""«Поиск»: the results page of the search box in the cabinet's header, grouped by kind.

Only adapts: what a query finds, ranks and highlights, and what this person may see of it, is core.search (scoped by
the `*_visible_to` selectors); here a kind is offered only to those whose role opens its section, and each hit
becomes a row with a link to its cabinet page.

A query the appeal list reads as a number (digits: an appeal's number, an investor's ИНН, a ПОС number — the list
finds only those, core/filters/appeals.py) shows the appeals in two labelled parts: those exact hits first, with
«Показать все» to the list (which shows the same rows), then the appeals whose text holds the number as a word,
without a link (the list would not show them).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import search as core_search
from core.choices import AppealStatus, ProjectStage
from core.models import Appeal, Organisation, Project
from core.selectors.appeals import appeal_number_or_inn_q
from core.selectors.visibility import appeals_visible_to

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
class Part:
    heading: str  # "" for a kind's only part
    total: int
    total_label: str  # «12 обращений»
    rows: list[Row]
    all_url: str  # the kind's cabinet list with the same query, "" when the list would not show these rows


@dataclass(frozen=True)
class Group:
    kind: str
    heading: str
    total: int
    total_label: str  # «12 обращений»
    parts: list[Part]


def search_page(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    query = core_search.normalise_query(_printable(request.GET.get("q", "")))
    kinds = [(kind, model, heading) for kind, model, heading in KINDS if _may_view(site, request, model)]
    too_short = bool(query) and len(query) < MIN_LENGTH and not query.isdigit()  # «7» is appeal №7
    groups = []
    if query and not too_short and kinds:
        # a number's exact appeals are shown apart: ask for more, so the word part still has a page of its own
        number = appeal_number_or_inn_q(query.lstrip("№#").strip()) is not None
        found = core_search.search(user=request.user, query=query, kinds=[kind for kind, _m, _h in kinds],
                                   limit=PER_KIND * 2 if number else PER_KIND)
        groups = [_group(kind, model, heading, found, query, request, site=site) for kind, model, heading in kinds]
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


def _list_count(site: AdminSite, request: HttpRequest, model, query: str) -> int:
    """How many rows the kind's cabinet list shows for `?q=query`: its own search — the words in its columns or the
    full-text search's hits (core/filters) — so «Показать все N» opens a list of N rows. The full-text search alone
    may count fewer: a part of a word («Старо») is found only in the columns."""
    model_admin = site._registry[model]
    if model_admin.list_selector is not None:
        return model_admin.list_selector(user=request.user, filters={"q": query}).count()
    rows, _may_repeat = model_admin.get_search_results(request, model_admin.get_queryset(request), query)
    return rows.count()


def _group(kind: str, model, heading, found: core_search.SearchResults, query: str, request: HttpRequest, *,
           site: AdminSite) -> Group:
    total = found.totals.get(kind, 0)
    opts = model._meta
    all_url = f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{urlencode({'q': query})}"
    hits = found.groups.get(kind, [])
    digits = query.lstrip("№#").strip()
    number = appeal_number_or_inn_q(digits) if kind == core_search.APPEAL else None
    if number is None:
        total = _list_count(site, request, model, query) if total else 0
        parts = [Part(heading="", total=total, total_label=_count_label(kind, total),
                      rows=[_row(hit, query) for hit in hits[:PER_KIND]], all_url=all_url)]
    else:
        parts = _number_parts(request, number, digits, hits, total, query, all_url)
    total = sum(part.total for part in parts)
    return Group(kind=kind, heading=heading, total=total, total_label=_count_label(kind, total),
                 parts=[part for part in parts if part.total])


def _number_parts(request: HttpRequest, number, digits: str, hits: list, total: int, query: str,
                  all_url: str) -> list[Part]:
    """The exact hits the appeal list shows for these digits, then the other appeals the words found (three
    queries whatever the number of hits)."""
    exact = appeals_visible_to(request.user).filter(number)
    exact_rows = list(exact.select_related("organisation").order_by("-number")[:PER_KIND])
    exact_total = exact.count()
    in_both = core_search.matching(kind=core_search.APPEAL, user=request.user, query=query).filter(
        pk__in=exact.values("pk")).count()
    exact_hits = [core_search.Hit(kind=core_search.APPEAL, obj=appeal, title=str(appeal), snippet=mark_safe(""),
                                  rank=0.0) for appeal in exact_rows]
    words_total = total - in_both
    return [
        Part(heading=_("Номер, ИНН или номер ПОС"), total=exact_total,
             total_label=_count_label(core_search.APPEAL, exact_total),
             rows=[_row(hit, query) for hit in exact_hits], all_url=all_url),
        Part(heading=_("Упоминания в тексте"), total=words_total,
             total_label=_count_label(core_search.APPEAL, words_total),
             rows=[_row(hit, query) for hit in hits if not _is_exact(hit.obj, digits)][:PER_KIND], all_url=""),
    ]


def _is_exact(appeal: Appeal, digits: str) -> bool:
    """The appeal is one the list finds for these digits (appeal_number_or_inn_q, read in Python)."""
    return appeal.number == int(digits) or appeal.organisation_inn == digits or (
        bool(appeal.pos_number) and appeal.pos_number == digits)


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
