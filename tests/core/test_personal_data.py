"""core.services.personal_data: what consent withdrawal erases and keeps, and what the subject access zip holds."""

import io
import json
import zipfile

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.consent import consent_text, consent_version
from core.models import Appeal, CalendarFeed, Notification, PersonalDataConsent, User
from core.models.notifications import Channel
from core.services.personal_data import (
    PLACEHOLDER,
    WITHDRAWAL_EVENT,
    consent_withdraw,
    subject_access_allowed,
    subject_access_write,
)
from tests.portal.support import PASSWORD

pytestmark = pytest.mark.django_db


def _session_of(user) -> str:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    return store.session_key


@pytest.fixture
def consent(investor):
    return PersonalDataConsent.objects.create(user=investor, version=consent_version(), text=consent_text(),
                                              ip_address="10.0.0.5")


def test_withdrawal_erases_the_person_and_keeps_the_company_records(investor, consent, file_appeal, other_investor):
    appeal = file_appeal()
    old_email = investor.email
    Notification.objects.create(recipient=investor, channel=Channel.EMAIL, event="x", object_kind="appeal",
                                object_id=appeal.pk, email=old_email, subject="Письмо", body_text="Текст")
    CalendarFeed.objects.create(user=investor, token="secret-token")
    AccessAttempt.objects.create(username=old_email, ip_address="10.0.0.5", user_agent="ua",
                                 failures_since_start=2, get_data="", post_data="", path_info="/login/",
                                 http_accept="*/*")
    theirs, others = _session_of(investor), _session_of(other_investor)

    user = consent_withdraw(user=investor, password=PASSWORD, ip_address="10.0.0.9")

    user.refresh_from_db()
    assert (user.last_name, user.first_name, user.middle_name, user.phone, user.position) == (
        str(PLACEHOLDER), "", "", "", "")
    assert user.email == f"withdrawn-{user.pk}@zk.invalid"
    assert not user.is_active and not user.has_usable_password()
    assert str(user) == "Персональные данные удалены"
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert Appeal.objects.get(pk=appeal.pk).applicant_id == user.pk  # the appeal stays with the company
    assert not Notification.objects.filter(recipient=user).exists()
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert not AccessAttempt.objects.filter(username=old_email).exists()
    assert not Session.objects.filter(pk=theirs).exists()
    assert Session.objects.filter(pk=others).exists()


def test_withdrawal_is_in_the_audit_log_and_the_log_forgets_the_old_values(investor, consent):
    investor.phone = "+7 911 123-45-67"
    investor.save()  # an earlier change the audit log recorded with its values
    old_email, old_name = investor.email, investor.first_name

    consent_withdraw(user=investor, password=PASSWORD, ip_address="10.0.0.9")

    entry = LogEntry.objects.get(additional_data__event=WITHDRAWAL_EVENT)
    assert entry.actor_id == investor.pk and entry.object_pk == str(investor.pk)
    assert entry.remote_addr == "10.0.0.9"
    dump = json.dumps(list(LogEntry.objects.values("changes", "changes_text", "object_repr", "actor_email",
                                                   "serialized_data")), ensure_ascii=False)
    for old in (old_email, old_name, "+7 911 123-45-67"):
        assert old not in dump


def test_wrong_password_changes_nothing(investor, consent):
    with pytest.raises(ValidationError) as raised:
        consent_withdraw(user=investor, password="не тот пароль")

    assert raised.value.message_dict["password"] == ["Неверный пароль. Согласие не отозвано."]
    fresh = User.objects.get(pk=investor.pk)
    assert (fresh.email, fresh.first_name, fresh.is_active) == (investor.email, investor.first_name, True)
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert not LogEntry.objects.filter(additional_data__event=WITHDRAWAL_EVENT).exists()


def test_only_administrators_may_export(users_by_role, superuser):
    allowed = {role for role, user in users_by_role.items() if subject_access_allowed(user)}
    assert {str(role) for role in allowed} == {"administrator"}
    assert subject_access_allowed(superuser)


def test_the_zip_holds_every_kind_of_record(investor, consent, file_appeal, manager):
    appeal = file_appeal(subject="Подключение к сетям")
    Notification.objects.create(recipient=investor, channel=Channel.SITE, event="x", object_kind="appeal",
                                object_id=appeal.pk, subject="Уведомление о ходе", body_text="Текст",
                                attachment=b"binary")
    AccessLog.objects.create(username=investor.email, ip_address="10.0.0.5", user_agent="ua", path_info="/login/",
                             http_accept="*/*", attempt_time=timezone.now())
    AccessLog.objects.create(username=manager.email, ip_address="10.0.0.6", user_agent="ua", path_info="/login/",
                             http_accept="*/*", attempt_time=timezone.now())
    investor.phone = "+7 900 000-00-01"
    investor.save()  # an entry of the audit log about the person (the fixture made them without one)
    out = io.BytesIO()

    subject_access_write(person=investor, out=out)

    archive = zipfile.ZipFile(out)
    read = lambda name: json.loads(archive.read(name))  # noqa: E731
    assert read("user.json")[0]["email"] == investor.email and "password" not in read("user.json")[0]
    assert read("consents.json")[0]["ip_address"] == "10.0.0.5"
    assert [row["subject"] for row in read("appeals_filed.json")] == ["Подключение к сетям"]
    notices = read("notifications.json")
    assert "Уведомление о ходе" in [row["subject"] for row in notices]
    assert {row["recipient_id"] for row in notices} == {investor.pk}
    assert "attachment" not in notices[0]
    assert [row["username"] for row in read("logins_and_lockouts.json")] == [investor.email]
    user_type = ContentType.objects.get_for_model(User).pk
    about_them = [row for row in read("audit_log.json")
                  if row["content_type_id"] == user_type and row["object_pk"] == str(investor.pk)]
    assert [row["changes"]["phone"][1] for row in about_them] == ["+7 900 000-00-01"]
    assert read("appeal_events_written.json")  # the filing itself is an event the investor wrote


def test_the_zip_holds_the_files_of_unsent_forms_tokens_and_devices_but_no_secret(investor, manager):
    from django.core.files.base import ContentFile

    from core.models import ExportJob, HeldUpload
    from core.services.api_tokens import api_token_create
    from core.services.calendar_feed import calendar_feed_token_for
    from core.services.two_factor import otp_pending_device

    held = HeldUpload.objects.create(user=investor, file=ContentFile(b"%PDF-1.4 plan", name="held.pdf"),
                                     original_name="План участка.pdf", size=13)
    issued = api_token_create(user=investor, name="Учёт в 1С")
    feed = calendar_feed_token_for(investor)
    device = otp_pending_device(user=manager)
    ExportJob.objects.create(user=manager, register="appeals", file_format="xlsx", query="status=registered")

    theirs, staff = io.BytesIO(), io.BytesIO()
    subject_access_write(person=investor, out=theirs)
    subject_access_write(person=manager, out=staff)

    archive = zipfile.ZipFile(theirs)
    read = lambda name: json.loads(archive.read(name))  # noqa: E731
    [unsent] = read("files_of_unsent_forms.json")
    assert unsent["original_name"] == "План участка.pdf" and "token" not in unsent
    [listed] = [row for row in read("files.json") if row["record"] == f"core.HeldUpload:{held.pk}"]
    assert archive.read(listed["path"]) == b"%PDF-1.4 plan"
    [token] = read("api_tokens.json")
    assert token["name"] == "Учёт в 1С" and "secret_hash" not in token
    assert read("calendar_feed.json") and "token" not in read("calendar_feed.json")[0]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert issued.plain.encode() not in everything and feed.encode() not in everything
    assert str(held.token).encode() not in everything

    staff_archive = zipfile.ZipFile(staff)
    assert [row["query"] for row in json.loads(staff_archive.read("register_downloads.json"))] == ["status=registered"]
    [app] = json.loads(staff_archive.read("second_factor.json"))
    assert (app["kind"], app["confirmed"]) == ("app", False)
    staff_everything = b"".join(staff_archive.read(name) for name in staff_archive.namelist())
    assert device.key.encode() not in staff_everything


def test_a_withdrawal_on_request_is_an_administrators_and_only_for_an_investor(investor, manager, administrator):
    from django.core.exceptions import PermissionDenied

    from core.services.personal_data import consent_withdraw_on_request

    with pytest.raises(PermissionDenied):
        consent_withdraw_on_request(person=investor, actor=manager, basis="заявление № 1")
    with pytest.raises(ValidationError) as staff:
        consent_withdraw_on_request(person=manager, actor=administrator, basis="заявление № 1")
    assert "учётная запись сотрудника" in staff.value.message_dict["basis"][0]
    investor.refresh_from_db()
    manager.refresh_from_db()
    assert investor.is_active and manager.is_active

    consent_withdraw_on_request(person=investor, actor=administrator, basis="заявление № 1", ip_address="10.1.1.1")
    entry = LogEntry.objects.get(additional_data__event=WITHDRAWAL_EVENT)
    assert (entry.actor_id, entry.remote_addr, entry.additional_data["basis"]) == (administrator.pk, "10.1.1.1",
                                                                                   "заявление № 1")
    with pytest.raises(ValidationError, match="Согласие уже отозвано"):
        consent_withdraw_on_request(person=investor, actor=administrator, basis="заявление № 1")


def test_a_staff_members_zip_names_the_appeals_and_companies_they_were_put_on_without_their_texts(
        file_appeal, coordinator, manager, company):
    from core.workflows.appeals import appeal_transition

    appeal = file_appeal(subject="Техприсоединение", description="Просим ускорить подключение к сетям.")
    appeal = appeal_transition(appeal=appeal, name="assign", actor=coordinator,
                               executor_organisation=manager.organisation, manager=manager)
    company.personal_manager = manager
    company.save(update_fields=["personal_manager"])

    archive = _zip_of(manager)
    rows = json.loads(archive.read("assignments.json"))

    assert {"record": f"core.Appeal:{appeal.pk}", "role": "менеджер", "number": appeal.number,
            "status": appeal.status} == {key: value for key, value in rows[0].items() if key != "received_at"}
    assert {"record": f"core.Organisation:{company.pk}", "role": "персональный менеджер",
            "short_name": company.short_name, "inn": company.inn} in rows
    assert "Просим ускорить".encode() not in b"".join(archive.read(name) for name in archive.namelist())
    coordinators = json.loads(_zip_of(coordinator).read("assignments.json"))
    assert [(row["record"], row["role"]) for row in coordinators] == [(f"core.Appeal:{appeal.pk}", "координатор")]


def _zip_of(person) -> zipfile.ZipFile:
    out = io.BytesIO()
    subject_access_write(person=person, out=out)
    return zipfile.ZipFile(out)
