"""Organisations a staff member sees (core.selectors.visibility.organisations_visible_to); investors get 403: their
company is in their appeals and projects."""

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema

from core.api.common import READ_ERRORS
from core.api.pagination import PageMeta, keyset_page
from core.api.problems import ApiProblem, Problem
from core.selectors.visibility import is_staff_member, organisations_visible_to

router = Router(tags=["Организации"])


class OrganisationOut(Schema):
    id: int
    kind: str
    kind_label: str
    full_name: str
    short_name: str
    inn: str
    kpp: str
    ogrn: str
    district: str | None
    email: str
    phone: str
    website: str
    address: str
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_district(obj) -> str | None:
        return obj.district.name if obj.district_id else None


class OrganisationPage(PageMeta):
    items: list[OrganisationOut]


class OrganisationFilters(Schema):
    kind: str | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int | None = None


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise ApiProblem(403, gettext("Действие запрещено"), gettext("Список организаций доступен сотрудникам."))


@router.get("", response={200: OrganisationPage, 403: Problem, **READ_ERRORS}, operation_id="organisations_list",
            summary="Организации, видимые сотруднику")
def organisations_list(request: HttpRequest, filters: Query[OrganisationFilters]):
    _staff_only(request)
    organisations = organisations_visible_to(request.user).select_related("district")
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.q:
        term = filters.q.strip()
        organisations = organisations.filter(inn=term) if term.isdigit() else organisations.filter(
            short_name__icontains=term)
    items, cursor = keyset_page(organisations, key="id", cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": cursor}


@router.get("/{organisation_id}", response={200: OrganisationOut, 403: Problem, **READ_ERRORS},
            operation_id="organisation_get", summary="Организация")
def organisation_get(request: HttpRequest, organisation_id: int):
    _staff_only(request)
    return organisations_visible_to(request.user).select_related("district").get(pk=organisation_id)
