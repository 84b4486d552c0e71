"""Appeals: list (keyset by number), the card (history public-only for investors, full for staff — the portal's and
the cabinet's rule, core.selectors.appeals), filing (the portal's rules for investors, the staff intake for staff),
actions by name through the one door (core.workflows.appeals.appeal_transition) with the version in If-Match,
comments, and files up and down through the attachment services."""

from datetime import date, datetime
from typing import Annotated

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field
from pydantic import ValidationError as PydanticError

from core.api.common import (
    READ_ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    InSchema,
    filter_schema,
    list_filters,
    person,
    refuse_ordering,
)
from core.api.pagination import PageMeta, keyset_page
from core.api.problems import ApiProblem, field_error, from_schema_errors, invalid
from core.api.versions import etag, if_match
from core.choices import OrganisationKind
from core.filters.appeals import AppealFilterSet
from core.http import private_file_response
from core.models import Appeal, AppealFile, Fact, User
from core.selectors.appeal_people import appeal_meeting_invitees
from core.selectors.appeals import (
    LIST_RELATED,
    appeal_file_get_for_user,
    appeal_files_for,
    appeal_history_for,
    appeal_list,
    appeal_list_for_user,
    appeal_rounds_for,
)
from core.selectors.classifier import facts_active
from core.selectors.visibility import (
    is_staff_member,
    organisations_visible_to,
    projects_visible_to,
    users_visible_to,
)
from core.services.organisations import investor_get_or_create
from core.workflows.appeals import ACTIONS, appeal_actions_for, appeal_submit, appeal_transition

router = Router(tags=["Обращения"])
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a row's id: what a bigint column holds
Small = Annotated[int, Field(ge=0, le=32767)]


# --- schemas -------------------------------------------------------------------------------------------------
class Named(Schema):
    id: int
    name: str


class AppealOut(Schema):
    number: int
    status: str
    status_label: str
    subject: str
    organisation_name: str
    organisation_inn: str
    fact: Named
    appeal_type: str
    channel: str
    created_at: datetime
    received_at: datetime
    deadline: date
    is_overdue: bool
    executor_organisation: str | None
    manager: str | None
    answered_at: datetime | None
    rating: int | None

    @staticmethod
    def resolve_status_label(obj: Appeal) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_fact(obj: Appeal) -> dict:
        return {"id": obj.fact_id, "name": obj.fact.name}

    @staticmethod
    def resolve_appeal_type(obj: Appeal) -> str:
        return obj.appeal_type.name

    @staticmethod
    def resolve_executor_organisation(obj: Appeal) -> str | None:
        return obj.executor_organisation.short_name if obj.executor_organisation_id else None

    @staticmethod
    def resolve_manager(obj: Appeal) -> str | None:
        return person(obj.manager)


class AppealPage(PageMeta):
    items: list[AppealOut]


class EventOut(Schema):
    id: int
    created_at: datetime
    kind: str
    kind_label: str
    name: str
    actor: str | None
    actor_organisation: str | None
    from_status: str
    to_status: str
    text: str
    is_public: bool
    data: dict


class FileOut(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    is_public: bool
    uploaded_at: datetime
    event_id: int | None
    download_url: str


class RoundOut(Schema):
    number: int
    text: str
    approved_at: datetime | None
    rating: int | None
    rating_comment: str
    rework_reason: str
    files: list[FileOut]


class AppealDetail(AppealOut):
    description: str
    project_id: int | None
    to_director: bool
    rejection_reason: str
    answers: list[RoundOut]
    history: list[EventOut]
    files: list[FileOut]
    actions: list[str] = Field(description="Действия, доступные вам сейчас (имена для /transitions/{name}).")

    @staticmethod
    def resolve_answers(obj: Appeal) -> list[dict]:
        return obj.api_card["answers"]

    @staticmethod
    def resolve_history(obj: Appeal) -> list[dict]:
        return obj.api_card["history"]

    @staticmethod
    def resolve_files(obj: Appeal) -> list[dict]:
        return obj.api_card["files"]

    @staticmethod
    def resolve_actions(obj: Appeal) -> list[str]:
        return obj.api_card["actions"]


AppealFilters = filter_schema("AppealFilters", AppealFilterSet)


class AppealCreateIn(InSchema):
    fact: Id
    subject: str
    description: str
    project: Id | None = None
    to_director: bool = False
    organisation_inn: str = Field("", description="Инвестор: ИНН своей компании (проверяется); сотрудник: ИНН "
                                                   "компании-инвестора (найдётся или будет создана).")
    organisation_ogrn: str = Field("", description="Только сотрудник: ОГРН новой компании.")
    organisation_name: str = Field("", description="Только сотрудник: название новой компании.")
    channel: str = Field("", description="Только сотрудник: канал поступления (phone, email, letter, visit, pos, "
                                         "event).")
    received_at: datetime | None = Field(None, description="Только сотрудник: когда поступило.")
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


class TransitionIn(InSchema):
    """The fields of the cabinet's and the portal's dialogs; each action reads its own (see docs/api.md)."""

    comment: str | None = None
    reason: str | None = None
    text: str | None = None
    is_public: bool | None = None
    text_public: bool | None = None
    answer_text: str | None = None
    outcome: str | None = None
    new_deadline: date | None = None
    subject: str | None = None
    description: str | None = None
    executor_organisation: Id | None = None
    manager: Id | None = None
    head: Id | None = None
    fact: Id | None = None
    project: Id | None = None
    title: str | None = None
    starts_at: datetime | None = None
    duration_minutes: Small | None = None
    format: str | None = None
    place: str | None = None
    link: str | None = None
    participants: list[Id] | None = None
    agenda: str | None = None
    meeting: Id | None = None
    change: str | None = None
    minutes: str | None = None
    session_date: date | None = None
    decision: str | None = None
    follow_up_deadline: date | None = None
    rating: Small | None = None
    round_number: Small | None = None


class CommentIn(InSchema):
    text: str
    is_public: bool = Field(False, description="Сотрудник: видно ли инвестору. Комментарий инвестора виден всегда.")


# the keyword arguments each action of the door takes (core.workflows.appeals), as the dialogs send them
ACTION_FIELDS: dict[str, set[str]] = {
    "reject": {"reason"},
    "assign": {"executor_organisation", "manager", "head", "comment"},
    "correct": {"subject", "description", "comment"},
    "redirect": {"executor_organisation", "manager", "comment"},
    "appoint_manager": {"manager", "comment"},
    "take_into_work": {"comment"},
    "request_clarification": {"comment"},
    "provide_clarification": {"comment"},
    "submit_for_approval": {"answer_text"},
    "approve": {"comment"},
    "return_to_executor": {"comment"},
    "send_back_for_rework": {"reason"},
    "close": {"outcome", "comment"},
    "extend_deadline": {"new_deadline", "reason"},
    "reclassify": {"fact", "comment"},
    "rate": {"rating", "comment", "round_number"},
    "link_project": {"project"},
    "schedule_meeting": {"title", "starts_at", "duration_minutes", "format", "place", "link", "participants",
                         "agenda"},
    "change_meeting": {"meeting", "change", "starts_at", "minutes"},
    "escalate": {"session_date", "decision", "follow_up_deadline"},
    "comment": {"text", "is_public"},
}
assert set(ACTION_FIELDS) == set(ACTIONS)


# --- adapters ------------------------------------------------------------------------------------------------
def _file_out(file: AppealFile) -> dict:
    return {"id": file.pk, "name": file.original_name, "kind": file.kind, "content_type": file.content_type,
            "size": file.size, "is_public": file.is_public, "uploaded_at": file.uploaded_at,
            "event_id": file.event_id,
            "download_url": reverse("api:appeal_file_download", kwargs={"file_id": file.pk})}


def _event_out(event) -> dict:
    actor = event.actor
    return {"id": event.pk, "created_at": event.created_at, "kind": event.kind,
            "kind_label": str(event.get_kind_display()), "name": event.name, "actor": person(actor),
            "actor_organisation": actor.organisation.short_name if actor and actor.organisation_id else None,
            "from_status": event.from_status, "to_status": event.to_status, "text": event.text,
            "is_public": event.is_public, "data": event.data or {}}


def _appeal_for(request: HttpRequest, number: int) -> Appeal:
    return appeal_list_for_user(request.user).select_related("project").get(number=number)


def _detail(request: HttpRequest, appeal: Appeal, response: HttpResponse) -> Appeal:
    """The appeal with what its card shows this person (AppealDetail's resolvers read these), and its ETag."""
    user = request.user
    appeal.api_card = {
        "answers": [{"number": r.number, "text": r.text, "approved_at": r.approved_at, "rating": r.rating,
                     "rating_comment": r.rating_comment, "rework_reason": r.rework_reason,
                     "files": [_file_out(f) for f in r.visible_files]}
                    for r in appeal_rounds_for(appeal=appeal, user=user)],
        "history": [_event_out(e) for e in appeal_history_for(appeal=appeal, user=user)],
        "files": [_file_out(f) for f in appeal_files_for(appeal=appeal, user=user)],
        "actions": [a.name for a in appeal_actions_for(appeal=appeal, user=user)],
    }
    response["ETag"] = etag(appeal.updated_at)
    return appeal


def _pick(queryset, pk: int | None, field: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise field_error(field, gettext("Не найдено среди доступных вам: проверьте идентификатор."))
    return found


def _door_data(appeal: Appeal, user: User, name: str, payload: TransitionIn) -> dict:
    """The body as the door's keyword arguments: ids become the rows this person may pick (as the dialogs' lists);
    a field the action does not take is refused rather than silently dropped."""
    given = payload.dict(exclude_unset=True)
    allowed = ACTION_FIELDS[name] | {"text_public"}
    extra = sorted(set(given) - allowed)
    if extra:
        raise invalid([{"field": key, "message": gettext("Действие «%(action)s» не принимает это поле.")
                        % {"action": ACTIONS[name].label}} for key in extra])
    data = {key: value for key, value in given.items() if value is not None or key == "project"}
    staff = users_visible_to(user).filter(is_staff=True, is_active=True)
    if "executor_organisation" in data:
        participants = organisations_visible_to(user).filter(kind__in=OrganisationKind.participants(),
                                                             is_active=True)
        data["executor_organisation"] = _pick(participants, data["executor_organisation"], "executor_organisation")
    for field in ("manager", "head"):
        if field in data:
            data[field] = _pick(staff, data[field], field)
    if "fact" in data:
        data["fact"] = _pick(Fact.objects.all(), data["fact"], "fact")
    if "project" in data:
        data["project"] = _pick(projects_visible_to(user), data["project"], "project")
    if "meeting" in data:
        data["meeting"] = _pick(appeal.meetings.all(), data["meeting"], "meeting")
    if "participants" in data:  # whom the ВКС dialog offers (core.selectors.appeal_people)
        ids = set(data["participants"])
        people = list(appeal_meeting_invitees(appeal).filter(pk__in=ids))
        if len(people) != len(ids):
            raise field_error("participants", gettext("Не найдено среди доступных вам: проверьте идентификатор."))
        data["participants"] = people
    return data


def _seen(request: HttpRequest, appeal: Appeal, *, required: bool) -> Appeal:
    seen = if_match(request, required=required)
    if seen is not None:
        appeal.updated_at = seen  # the door compares it with the row it locks: a stale one is 409
    return appeal


# --- routes --------------------------------------------------------------------------------------------------
@router.get("", response={200: AppealPage, **READ_ERRORS}, operation_id="appeals_list",
            summary="Обращения, видимые вам, новые первыми")
def appeals_list(request: HttpRequest, filters: Query[AppealFilters]):
    """The cabinet list's filters (core.filters.appeals.AppealFilterSet: status__exact, q, overdue, …) through the
    same selector; pages by number, newest first."""
    refuse_ordering(request.GET)
    appeals = appeal_list(user=request.user, filters=list_filters(request)).select_related(*LIST_RELATED)
    items, cursor = keyset_page(appeals, key="number", cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": cursor}


@router.get("/{number}", response={200: AppealDetail, **READ_ERRORS}, operation_id="appeal_get",
            summary="Карточка обращения (ETag — версия для If-Match)")
def appeal_get(request: HttpRequest, number: int, response: HttpResponse):
    return _detail(request, _appeal_for(request, number), response)


@router.post("", response={201: AppealDetail, **WRITE_ERRORS}, operation_id="appeal_create",
             summary="Подать (инвестор) или зарегистрировать (сотрудник) обращение")
def appeal_create(request: HttpRequest, payload: AppealCreateIn, response: HttpResponse):
    user = request.user
    fact = _pick(facts_active(), payload.fact, "fact")
    project = _pick(projects_visible_to(user), payload.project, "project")
    common = {"fact": fact, "subject": payload.subject, "description": payload.description, "project": project}
    if is_staff_member(user):
        if payload.to_director:
            raise field_error("to_director", gettext("Письмо директору пишет инвестор на портале."))
        with transaction.atomic():
            company, _created = investor_get_or_create(inn=payload.organisation_inn, ogrn=payload.organisation_ogrn,
                                                       name=payload.organisation_name, actor=user)
            appeal = appeal_submit(actor=user, organisation=company, channel=payload.channel,
                                   received_at=payload.received_at, contact_name=payload.contact_name,
                                   contact_email=payload.contact_email, contact_phone=payload.contact_phone, **common)
    else:
        staff_only = [key for key in ("organisation_ogrn", "organisation_name", "channel", "received_at",
                                      "contact_name", "contact_email", "contact_phone")
                      if key in payload.dict(exclude_unset=True)]
        if staff_only:
            raise invalid([{"field": key, "message": gettext("Это поле заполняет сотрудник при регистрации.")}
                           for key in staff_only])
        appeal = appeal_submit(applicant=user, organisation_inn=payload.organisation_inn,
                               to_director=payload.to_director, **common)
    response["Location"] = reverse("api:appeal_get", kwargs={"number": appeal.number})
    return Status(201, _detail(request, _appeal_for(request, appeal.number), response))


@router.post("/{number}/transitions/{name}", response={200: AppealDetail, **VERSIONED_ERRORS},
             operation_id="appeal_transition", summary="Действие над обращением (If-Match: ETag карточки)")
def appeal_transition_run(request: HttpRequest, number: int, name: str, payload: TransitionIn,
                          response: HttpResponse):
    return _transition(request, number, name, payload, response)


@router.post("/{number}/transitions/{name}/files", response={200: AppealDetail, **VERSIONED_ERRORS},
             operation_id="appeal_transition_with_files",
             summary="Действие с файлами (multipart: поле fields — JSON полей действия, files — файлы)")
def appeal_transition_with_files(request: HttpRequest, number: int, name: str, response: HttpResponse,
                                 files: File[list[UploadedFile]], fields: Form[str] = "{}"):
    """The same action with files (an answer's letter, a clarification's documents): the door checks and stores
    them with the action's history line, as the dialogs do."""
    try:
        payload = TransitionIn.model_validate_json(fields)
    except PydanticError as error:
        raise from_schema_errors(error.errors()) from None
    return _transition(request, number, name, payload, response, files=files)


def _transition(request: HttpRequest, number: int, name: str, payload: TransitionIn, response: HttpResponse,
                files: list | None = None) -> Appeal:
    appeal = _appeal_for(request, number)
    if name not in ACTIONS:
        raise ApiProblem(404, gettext("Нет такого действия"),
                         gettext("Доступные действия: %(names)s.") % {"names": ", ".join(ACTIONS)})
    data = _door_data(appeal, request.user, name, payload)
    appeal_transition(appeal=_seen(request, appeal, required=True), name=name, actor=request.user,
                      files=files or [], **data)
    return _detail(request, _appeal_for(request, number), response)


@router.post("/{number}/comments", response={201: AppealDetail, **VERSIONED_ERRORS},
             operation_id="appeal_comment_create", summary="Комментарий (If-Match необязателен)")
def appeal_comment_create(request: HttpRequest, number: int, payload: CommentIn, response: HttpResponse):
    appeal = _seen(request, _appeal_for(request, number), required=False)
    appeal_transition(appeal=appeal, name="comment", actor=request.user, text=payload.text,
                      is_public=payload.is_public)
    return Status(201, _detail(request, _appeal_for(request, number), response))


@router.post("/{number}/files", response={201: AppealDetail, **VERSIONED_ERRORS},
             operation_id="appeal_files_upload",
             summary="Файлы с комментарием (multipart/form-data; те же ограничения, что в кабинете)")
def appeal_files_upload(request: HttpRequest, number: int, response: HttpResponse, text: Form[str],
                        files: File[list[UploadedFile]], is_public: Form[bool] = False):
    appeal = _seen(request, _appeal_for(request, number), required=False)
    appeal_transition(appeal=appeal, name="comment", actor=request.user, text=text, is_public=is_public,
                      files=files)
    return Status(201, _detail(request, _appeal_for(request, number), response))


@router.get("/files/{file_id}", response={200: None, **READ_ERRORS}, operation_id="appeal_file_download",
            url_name="appeal_file_download", summary="Скачать файл обращения")
def appeal_file_download(request: HttpRequest, file_id: int):
    attachment = appeal_file_get_for_user(user=request.user, pk=file_id)
    try:
        return private_file_response(file=attachment.file, filename=attachment.original_name,
                                     content_type=attachment.content_type)
    except FileNotFoundError:
        raise ApiProblem(404, gettext("Не найдено"), gettext("Файл не найден в хранилище.")) from None


