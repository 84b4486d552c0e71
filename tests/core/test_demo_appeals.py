"""The demo appeals as a user of `make run` meets them: the seed's #737 after a redirect, an answer reworked twice,
appeals registered by staff from other channels, a two-stage approval, МРГ and a moderator's correction."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core.choices import AppealChannel, AppealEventKind, AppealStatus
from core.models import Appeal, AppealEvent, Meeting, Organisation, User
from tests.admin_site.helpers import page_text
from tests.conftest import module_transaction

pytestmark = pytest.mark.xdist_group("demo-appeals")  # one worker loads the module's demo once


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once per module; each test starts from it (module_transaction)."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock(), override_settings(DEBUG=True):
            call_command("seed_reference", verbosity=0)
            call_command("seed_demo", "--no-history", verbosity=0)  # the named appeals (the rest: test_demo_history)
        yield


@pytest.fixture
def demo(demo_loaded, db, settings):
    settings.DEBUG = True


def person(name: str) -> User:
    return User.objects.get(email=f"{name}@zk.example")


def test_the_redirected_appeal_keeps_the_seed_737_roles(demo, client):
    appeal = Appeal.objects.get(subject="Ускорение получения разрешения на ввод склада")

    assert appeal.status == AppealStatus.ANSWERED
    assert appeal.executor_organisation.short_name == "Администрация Тосненского района (демо)"
    assert appeal.head == person("head")  # the agency head stays the head and approved the answer
    assert appeal.answers.get().approved_by == person("head")
    assert appeal.coordinator == person("manager")  # the personal manager keeps control
    assert appeal.manager == person("executor")  # the district's specialist who took it into work
    meeting = Meeting.objects.get(appeal=appeal)
    assert meeting.format == "video" and person("executor") in meeting.participants.all()
    notes = AppealEvent.objects.filter(appeal=appeal, is_public=False)
    assert notes.filter(kind=AppealEventKind.NOTE, name="redirect_note").exists()
    assert notes.filter(kind=AppealEventKind.COMMENT).exists()

    # the card shows the three roles; the investor's history keeps the staff notes out
    client.force_login(person("coordinator"))
    card = page_text(client.get(reverse("admin:core_appeal_change", args=[appeal.pk])))
    for someone in ("head", "manager", "executor"):
        assert person(someone).last_name in card
    client.force_login(person("investor"))
    history = page_text(client.get(reverse("portal:appeal_detail", args=[appeal.pk])))
    assert "ВКС с администрацией Тосненского района" in history
    assert "без выезда на осмотр: инвестор готов" not in history  # the redirect's instruction stays internal
    assert "держу на контроле" not in history


def test_the_twice_reworked_appeal_has_three_rated_rounds(demo):
    appeal = Appeal.objects.get(subject="Продление договора аренды участка под склад")

    assert [(r.number, r.rating) for r in appeal.answers.order_by("number")] == [(1, 2), (2, 3), (3, 5)]
    assert [bool(r.rework_reason) for r in appeal.answers.order_by("number")] == [True, True, False]
    assert appeal.rating == 5 and appeal.rework_count == 2
    assert appeal.status == AppealStatus.RESOLVED


def test_staff_registered_two_stage_escalated_and_corrected_appeals(demo):
    by_phone = Appeal.objects.get(channel=AppealChannel.PHONE)
    assert by_phone.applicant is None and by_phone.registered_by == person("manager")
    assert by_phone.received_at < by_phone.created_at
    by_letter = Appeal.objects.get(channel=AppealChannel.LETTER)
    assert by_letter.contact_email and not User.objects.filter(organisation=by_letter.organisation).exists()

    kingisepp = Organisation.objects.get(approves_own_answers=True)
    two_stage = Appeal.objects.get(executor_organisation=kingisepp)
    # the district's head said «да» first (an internal line), then the agency head approved the round
    assert two_stage.events.get(name="approve_by_executor").actor == person("head.kingisepp")
    assert two_stage.answers.get().approved_by == person("head")

    escalated = Appeal.objects.get(escalations__isnull=False)
    assert escalated.status == AppealStatus.NOT_RESOLVED

    corrected = Appeal.objects.get(events__name="correct")
    assert corrected.subject == "Встреча с дорожным комитетом по проекту съезда"
    assert corrected.events.get(name="correct_original").data["original"]["subject"] == "встреча"


def test_seed_demo_again_adds_no_appeal(demo):
    count = Appeal.objects.count()
    call_command("seed_demo", "--no-history", verbosity=0)
    assert Appeal.objects.count() == count == 9
