"""Personal data under 152-ФЗ: the investor withdraws consent, an administrator exports what is held about a person.

Withdrawal keeps the company's appeals, projects and history (their foreign keys stay; the person shows as the
placeholder) and erases the person: names, e-mail, phone, position, their notifications and calendar address; the
account can no longer log in, and every session of it ends. The audit log keeps that it happened, with the person as
the actor, and loses the erased values it had recorded about them.
"""

import json
import zipfile
from collections.abc import Iterable
from functools import partial
from pathlib import PurePosixPath
from typing import IO

from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.consent import consent_text, consent_version
from core.models import (
    ApiToken,
    Appeal,
    AppealAnswer,
    AppealEvent,
    AppealFile,
    CalendarFeed,
    DraftJob,
    ExportJob,
    HeldUpload,
    Meeting,
    Notification,
    NotificationOptOut,
    Organisation,
    ParticipantRequest,
    PersonalDataConsent,
    Project,
    ProjectDocument,
    ProjectEvent,
    RoadmapItem,
    SavedFilter,
    Task,
    User,
)
from core.roles import Role
from core.selectors.visibility import is_investor, is_staff_member, user_roles
from core.services.held_uploads import held_discard

PLACEHOLDER = _("Персональные данные удалены")
# the fields of core.models.User that describe the person (the rest is account state and dates)
PERSONAL_FIELDS = ("last_name", "first_name", "middle_name", "email", "phone", "position")
WITHDRAWAL_EVENT = "personal_data_consent_withdrawn"
SUBJECT_ACCESS_EVENT = "personal_data_exported"
WITHDRAWAL_BASIS_MAX = 300  # «заявление вх. № … от …, получено почтой»
DATABASE_SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


# --- the consent in force ----------------------------------------------------------------------------------------
def consent_is_current(user: User) -> bool:
    """The person has accepted the consent text in force (core.consent.consent_version) and not withdrawn it. An
    investor without it — an account made by staff, or a text or operator changed since — is asked to accept it
    before the portal opens."""
    return PersonalDataConsent.objects.filter(user=user, version=consent_version(), withdrawn_at__isnull=True).exists()


def consent_missing(user: User) -> bool:
    """An investor without the consent text in force: the portal's pages ask for it, the API refuses them and their
    calendar feed gives nothing until they accept it. Staff are not asked (their data are processed under their
    employment, not this consent)."""
    return is_investor(user) and not is_staff_member(user) and not consent_is_current(user)


def consent_give(*, user: User, ip_address: str | None = None, user_agent: str = "") -> PersonalDataConsent:
    """Record that the person accepted the text in force, with the text itself, the time, the address and the
    browser, as at registration; once (a second call returns the row already there)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # two tabs accepting at once record one row
        text = consent_text()
        existing = PersonalDataConsent.objects.filter(user=user, version=consent_version(),
                                                      withdrawn_at__isnull=True).first()
        if existing is not None:
            return existing
        return PersonalDataConsent.objects.create(user=user, version=consent_version(), text=text,
                                                  ip_address=ip_address, user_agent=(user_agent or "")[:300])


def withdrawn_email(user: User) -> str:
    """Unique per account and undeliverable (.invalid, RFC 2606), so the e-mail constraint keeps holding."""
    return f"withdrawn-{user.pk}@zk.invalid"


def user_is_withdrawn(user: User) -> bool:
    return user.email == withdrawn_email(user)


# --- consent withdrawal ---------------------------------------------------------------------------------------------
def consent_withdraw(*, user: User, password: str, ip_address: str | None = None) -> User:
    """The person withdraws consent to processing: confirmed by their password, then erased and deactivated.

    Raises ValidationError keyed «password» when the password is wrong; nothing changes then.
    """
    if not user.is_active or user_is_withdrawn(user):
        raise ValidationError({"password": [gettext("Согласие уже отозвано.")]})
    if not password or not user.check_password(password):
        raise ValidationError({"password": [gettext("Неверный пароль. Согласие не отозвано.")]})
    return _withdraw(user=user, actor=user, ip_address=ip_address, data={})


def consent_withdraw_on_request(*, person: User, actor: User, basis: str, ip_address: str | None = None) -> User:
    """An administrator carries out a withdrawal the person sent on paper or by letter: the same erasure as the
    portal's, with the administrator as the actor and the request's details («basis») in the audit log.

    Only for an investor's account (a staff member's is closed in «Пользователи»). Raises PermissionDenied for anyone
    but an administrator, and ValidationError keyed «basis» for an empty or too long basis, an account already
    withdrawn or a staff account; nothing changes then.
    """
    if not subject_access_allowed(actor):
        raise PermissionDenied
    basis = " ".join((basis or "").split())
    if not basis:
        raise ValidationError({"basis": [gettext("Укажите основание: заявление, его номер и дату.")]})
    if len(basis) > WITHDRAWAL_BASIS_MAX:
        raise ValidationError({"basis": [gettext("Основание длиннее %(limit)s знаков: сократите его.")
                                         % {"limit": WITHDRAWAL_BASIS_MAX}]})
    if user_is_withdrawn(person):
        raise ValidationError({"basis": [gettext("Согласие уже отозвано.")]})
    if not consent_withdrawal_possible(person):
        raise ValidationError({"basis": [gettext(
            "Это учётная запись сотрудника: согласие отзывают только инвесторы. Чтобы закрыть доступ сотрудника, "
            "снимите отметку «Активен».")]})
    return _withdraw(user=person, actor=actor, ip_address=ip_address, data={"basis": basis})


def consent_withdrawal_possible(person: User) -> bool:
    """An investor's account whose data are still there: a staff member's is closed, not withdrawn."""
    return not (user_is_withdrawn(person) or person.is_staff or person.is_superuser
                or set(user_roles(person)) - {Role.INVESTOR})


def _withdraw(*, user: User, actor: User, ip_address: str | None, data: dict) -> User:
    """Erase the person, close the account, end its sessions and record it: one transaction, the row locked."""
    now = timezone.now()
    with transaction.atomic(), set_actor(actor, remote_addr=ip_address):
        user = User.objects.select_for_update().get(pk=user.pk)
        if user_is_withdrawn(user):  # someone else was quicker
            raise ValidationError({"basis" if data else "password": [gettext("Согласие уже отозвано.")]})
        old_email = user.email
        user.last_name = str(PLACEHOLDER)
        user.first_name = user.middle_name = user.phone = user.position = ""
        user.email = withdrawn_email(user)
        user.is_active = False
        user.set_unusable_password()  # changes the session hash: every session of the account is refused
        user.save()
        for consent in PersonalDataConsent.objects.filter(user=user, withdrawn_at__isnull=True):
            consent.withdrawn_at = now
            consent.save(update_fields=["withdrawn_at"])
        # letters and notices are addressed to the person by name; pending ones must not go out
        Notification.objects.filter(recipient=user).delete()
        NotificationOptOut.objects.filter(user=user).delete()
        CalendarFeed.objects.filter(user=user).delete()
        for held in HeldUpload.objects.filter(user=user):  # files of forms never sent (core.services.held_uploads)
            transaction.on_commit(partial(held_discard, held))
        AccessAttempt.objects.filter(username__iexact=old_email).delete()  # a lockout of an account that is gone
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(User),
            object_pk=str(user.pk),
            object_id=user.pk,
            object_repr=str(PLACEHOLDER),
            action=LogEntry.Action.UPDATE,
            changes={"consent": [gettext("дано"), gettext("отозвано")], "is_active": ["True", "False"]},
            actor=actor,
            actor_email=withdrawn_email(user) if actor.pk == user.pk else actor.email,
            remote_addr=ip_address,
            timestamp=now,
            additional_data={"event": WITHDRAWAL_EVENT, **data},
        )
        _audit_scrub(user)
        _sessions_end(user.pk)
    return user


def _audit_scrub(user: User) -> None:
    """Replace the values the audit log recorded about the person's own fields with the placeholder. Who did what
    and when stays; rows about other objects only ever stored the account's id."""
    placeholder = str(PLACEHOLDER)
    for entry in LogEntry.objects.get_for_object(user):
        changes = entry.changes or {}
        for field in PERSONAL_FIELDS:
            if field in changes:
                changes[field] = [placeholder if value not in (None, "", "None") else value
                                  for value in changes[field]]
        entry.changes, entry.changes_text, entry.object_repr = changes, "", placeholder
        entry.serialized_data = None
        entry.save(update_fields=["changes", "changes_text", "object_repr", "serialized_data"])
    LogEntry.objects.filter(actor=user).update(actor_email=withdrawn_email(user))
    consent_type = ContentType.objects.get_for_model(PersonalDataConsent)
    consent_ids = [str(pk) for pk in PersonalDataConsent.objects.filter(user=user).values_list("pk", flat=True)]
    LogEntry.objects.filter(content_type=consent_type, object_pk__in=consent_ids).update(object_repr=placeholder)


def _sessions_end(user_id: int) -> None:
    """Delete the account's stored sessions (database session engines); the changed password hash and the inactive
    flag already refuse them on any engine."""
    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        return
    theirs = [
        session.pk for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=theirs).delete()


# --- subject access export ------------------------------------------------------------------------------------------
def subject_access_allowed(user: User) -> bool:
    """Only administrators export everything held about a person."""
    return user.is_authenticated and user.is_active and (
        user.is_superuser or Role.ADMINISTRATOR in user_roles(user)
    )


def subject_access_filename(person: User) -> str:
    return f"personal-data-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip"


def subject_access_export(*, person: User, actor: User, out: IO[bytes], ip_address: str | None = None) -> None:
    """Write the zip about `person` into `out` and record in the audit log who exported it."""
    subject_access_write(person=person, out=out)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(person.pk),
        object_id=person.pk,
        object_repr=str(person),
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=actor,
        actor_email=actor.email,
        remote_addr=ip_address,
        additional_data={"event": SUBJECT_ACCESS_EVENT},
    )


def subject_access_write(*, person: User, out: IO[bytes]) -> None:
    """Write the zip: one JSON file per kind of record about `person`, and the files they uploaded, copied in chunks
    from storage (the archive goes to `out`, a temporary file, so nothing big is held in memory)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in _sections(person):
            archive.writestr(f"{name}.json", json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        manifest = []
        for prefix, queryset in (("appeals", AppealFile.objects.filter(uploaded_by=person)),
                                 ("projects", ProjectDocument.objects.filter(uploaded_by=person)),
                                 ("unsent", HeldUpload.objects.filter(user=person))):
            for row in queryset.order_by("pk"):
                original = getattr(row, "original_name", "") or PurePosixPath(row.file.name).name
                path = f"files/{prefix}/{row.pk}-{PurePosixPath(original).name}"
                try:
                    with row.file.open("rb") as source, archive.open(path, "w") as target:
                        for chunk in source.chunks():
                            target.write(chunk)
                except FileNotFoundError:
                    path = None
                manifest.append({"record": f"{row._meta.label}:{row.pk}", "name": original, "path": path})
        archive.writestr("files.json", json.dumps(manifest, ensure_ascii=False, indent=2))


def _sections(person: User) -> Iterable[tuple[str, list[dict]]]:
    yield "user", [{**_row(person, exclude={"password"}),
                    "roles": [group.name for group in person.groups.all()]}]
    yield "consents", _rows(PersonalDataConsent.objects.filter(user=person))
    yield "appeals_filed", _rows(Appeal.objects.filter(applicant=person))
    yield "assignments", _assignments(person)
    yield "appeal_events_written", _rows(AppealEvent.objects.filter(actor=person))
    yield "appeal_answers", _rows(AppealAnswer.objects.filter(Q(author=person) | Q(approved_by=person)))
    yield "notifications", _rows(Notification.objects.filter(recipient=person), exclude={"attachment"})
    yield "notification_optouts", _rows(NotificationOptOut.objects.filter(user=person))
    yield "project_events_written", _rows(ProjectEvent.objects.filter(actor=person))
    yield "project_tasks", _rows(Task.objects.filter(Q(author=person) | Q(assignee=person)))
    yield "meetings", _rows(Meeting.objects.filter(Q(participants=person) | Q(created_by=person)).distinct())
    yield "roadmap_items", _rows(RoadmapItem.objects.filter(responsible_user=person))
    yield "participant_requests", _rows(ParticipantRequest.objects.filter(Q(author=person) | Q(answered_by=person)))
    yield "saved_filters", _rows(SavedFilter.objects.filter(user=person))
    # files chosen in a form that came back with an error and was not sent yet (kept UPLOAD_HOLD_HOURS); the token
    # that lets the person attach them is left out, as are every secret below
    yield "files_of_unsent_forms", _rows(HeldUpload.objects.filter(user=person), exclude={"token"})
    yield "register_downloads", _rows(ExportJob.objects.filter(user=person), exclude={"uid"})
    yield "drafts", _rows(DraftJob.objects.filter(user=person))
    yield "api_tokens", _rows(ApiToken.objects.filter(user=person), exclude={"secret_hash"})
    yield "calendar_feed", _rows(CalendarFeed.objects.filter(user=person), exclude={"token"})
    yield "second_factor", [
        {"kind": kind, **{field: getattr(device, field) for field in ("id", "name", "confirmed", "created_at",
                                                                      "last_used_at")}}
        for kind, devices in (("app", TOTPDevice.objects.filter(user=person)),
                              ("recovery_codes", StaticDevice.objects.filter(user=person)))
        for device in devices.order_by("pk")
    ]
    yield "logins_and_lockouts", [
        *({"kind": "attempt", **row} for row in _rows(AccessAttempt.objects.filter(username__iexact=person.email))),
        *({"kind": "login", **row} for row in _rows(AccessLog.objects.filter(username__iexact=person.email))),
        *({"kind": "failure", **row} for row in _rows(AccessFailureLog.objects.filter(username__iexact=person.email))),
    ]
    about_person = Q(content_type=ContentType.objects.get_for_model(User), object_pk=str(person.pk))
    yield "audit_log", _rows(LogEntry.objects.filter(about_person | Q(actor=person)).order_by("timestamp", "pk"))


# Where the person's name stands on records that are not theirs: the appeals, projects and companies they were put
# on, and in which role. Identifiers only: the appeal's or project's own texts belong to the company and the agency.
_APPEAL_ROLES = {"head": _("руководитель"), "coordinator": _("координатор"), "manager": _("менеджер"),
                 "answered_by": _("ответ подготовил"), "executor_approved_by": _("согласовал исполнитель"),
                 "registered_by": _("зарегистрировал")}
_COMPANY_ROLES = {"personal_manager": _("персональный менеджер"),
                  "district_commissioner": _("инвестиционный уполномоченный района")}
_PROJECT_ROLES = {**_COMPANY_ROLES, "director": _("директор")}


def _assignments(person: User) -> list[dict]:
    rows = []
    for model, roles, fields in ((Appeal, _APPEAL_ROLES, ("number", "status", "received_at")),
                                 (Project, _PROJECT_ROLES, ("registry_number", "name", "stage")),
                                 (Organisation, _COMPANY_ROLES, ("short_name", "inn"))):
        for field, role in roles.items():
            for values in (model.objects.filter(**{field: person}).order_by("pk")
                           .values("pk", *fields).iterator(chunk_size=500)):
                rows.append({"record": f"{model._meta.label}:{values.pop('pk')}", "role": str(role), **values})
    return rows


def _rows(queryset: QuerySet, exclude: set[str] | frozenset = frozenset()) -> list[dict]:
    return [_row(obj, exclude=exclude) for obj in queryset.iterator(chunk_size=500)]


def _row(obj: models.Model, exclude: set[str] | frozenset = frozenset()) -> dict:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or isinstance(field, models.BinaryField):
            continue
        value = getattr(obj, field.attname)
        row[field.attname] = value.name if isinstance(field, models.FileField) else value
    return row
