"""The demo's eighteen months of appeals (seed_demo): about 300 appeals played through the doors, every status,
channel, type and federal category, answer rounds, redirects, extensions and ratings, with dates that agree with
each other; the dashboard and the reports have something to show; a second run adds nothing; the outbox is calm;
nobody real is in it.

The seed takes about twenty seconds, so it runs once for the module, inside a transaction rolled back at the end.
"""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.choices import AppealChannel, AppealStatus, OrganisationKind
from core.models import (
    Appeal,
    AppealAnswer,
    AppealEvent,
    AppealType,
    Category,
    Notification,
    Organisation,
    User,
)
from core.models.notifications import Channel, OutboxStatus
from core.reports.registry import ReportParams, report_build
from core.selectors.dashboard import dashboard_figures
from core.services.deadlines import appeal_next_alert_at, deadline_sweep
from core.workflows.appeals import appeal_deadline

# Real people of the seed presentation (its screenshots): no demo person may carry these names
REAL_SURNAMES = {"Богомазова", "Журбина", "Иваненко", "Лесохин", "Маслова", "Михальченко", "Петров", "Лебедева",
                 "Яркова", "Ярковая", "Майер", "Рахман", "Гизатуллина", "Крутов", "Лебедев"}
REAL_FIRST_AND_PATRONYMIC = {
    "Анастасия Викторовна", "Анна Анатольевна", "Виктория Николаевна", "Виталий Борисович", "Евгений Наумович",
    "Евгений Сергеевич", "Инга Сергеевна", "Константин Витальевич", "Михаил Сергеевич", "Нелли Викторовна",
    "Серафима Олеговна", "Юлия Владимировна",
}
DEMO_PHONE = re.compile(r"^\+7 (900|812|813) \d{3}-\d{2}-\d{2}$")

# One worker builds the module's seeded world once (with the tests spread over workers, each would build it).
pytestmark = pytest.mark.xdist_group("demo-history")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True):
                call_command("seed_reference", verbosity=0)
                call_command("seed_demo", verbosity=0)
            yield timezone.now()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    """Each test runs inside the module's seeded transaction, in a savepoint of its own, with the clock back at the
    moment the seed ended (ticking from there): a test run after midnight must not find «yesterday's» deadlines
    that the seed, still before midnight, rightly left unwarned."""
    with time_machine.travel(seeded, tick=True):
        yield


def counts(field: str) -> dict:
    return dict(Appeal.objects.values_list(field).annotate(n=Count("pk")).order_by())


def test_about_three_hundred_appeals_cover_every_status_channel_type_and_category(demo):
    assert 290 <= Appeal.objects.count() <= 320
    statuses = counts("status")
    assert set(statuses) == set(AppealStatus.values)
    # realistic proportions: most answered and closed, a minority open, some overdue
    closed = sum(statuses[s] for s in AppealStatus.closed())
    assert closed > 0.6 * Appeal.objects.count()
    open_now = Appeal.objects.filter(status__in=AppealStatus.open())
    assert 10 <= open_now.count() <= 90
    assert 5 <= open_now.filter(deadline__lt=timezone.localdate()).count() <= 40
    assert set(counts("channel")) == set(AppealChannel.values)
    assert counts("channel")[AppealChannel.PORTAL] > 0.35 * Appeal.objects.count()
    assert set(counts("appeal_type")) == set(AppealType.objects.values_list("pk", flat=True))
    assert set(counts("fact__subcategory__category")) == set(Category.objects.values_list("pk", flat=True))
    assert Category.objects.count() == 7


def test_rework_redirects_extensions_clarifications_rejections_and_ratings(demo):
    reworked = Appeal.objects.filter(rework_count__gt=0)
    assert reworked.count() >= 10
    for appeal in reworked.filter(answered_at__isnull=False)[:10]:  # (a recent one may wait for its new answer)
        rounds = list(appeal.answers.order_by("number"))
        assert len(rounds) >= 2 and rounds[0].rework_reason and rounds[0].sent_back_at
        assert rounds[0].sent_back_at <= rounds[1].approved_at
    bodies = Organisation.objects.filter(appeals_to_execute__events__name="redirect").exclude(
        kind=OrganisationKind.AGENCY).distinct()
    assert bodies.filter(kind=OrganisationKind.OIV).count() >= 3
    assert bodies.filter(kind=OrganisationKind.OMSU).count() >= 3
    assert bodies.filter(kind__in=[OrganisationKind.RSO, OrganisationKind.FEDERAL]).count() == 2
    # each body's own people took the appeals into work
    taken = AppealEvent.objects.filter(name="take_into_work", appeal__executor_organisation__in=bodies,
                                       actor__organisation=F("appeal__executor_organisation"))
    assert taken.values("actor").distinct().count() >= 8
    names = set(AppealEvent.objects.values_list("name", flat=True))
    assert {"extend_deadline", "reject", "request_clarification", "provide_clarification", "return_to_executor",
            "reclassify", "escalate", "approve_by_executor", "correct"} <= names
    assert set(AppealAnswer.objects.exclude(rating=None).values_list("rating", flat=True)) == {1, 2, 3, 4, 5}
    answered = Appeal.objects.filter(answered_at__isnull=False)
    late = answered.filter(answered_at__date__gt=F("deadline")).count()
    assert 0.05 * answered.count() < late < 0.3 * answered.count()  # most on time, some late


def test_dates_spread_over_eighteen_months_and_agree_with_each_other(demo):
    now, today = timezone.now(), timezone.localdate()
    received = Appeal.objects.values_list("received_at", flat=True)
    months = {(r.year, r.month) for r in received}
    assert len(months) >= 17 and min(received) >= now - datetime.timedelta(days=560)
    assert not AppealEvent.objects.filter(created_at__lt=F("appeal__received_at")).exists()
    assert not AppealEvent.objects.filter(created_at__gt=now).exists()
    assert not Appeal.objects.filter(created_at__lt=F("received_at")).exists()
    assert not Appeal.objects.filter(closed_at__lt=F("answered_at")).exists()
    assert not AppealAnswer.objects.filter(approved_at__lt=F("appeal__received_at")).exists()
    assert not AppealAnswer.objects.filter(rated_at__lt=F("approved_at")).exists()
    # an appeal that reached «рассмотрено» has its answer round, approved when the appeal says
    answered = Appeal.objects.filter(status__in=[AppealStatus.ANSWERED, *AppealStatus.outcomes()])
    assert not answered.filter(answers__isnull=True).exists()
    for appeal in answered.filter(rework_count=0)[:40]:
        assert appeal.answers.get().approved_at == appeal.answered_at
    # the deadline is the real calendar's, counted from the day of receipt (unless moved or reclassified)
    plain = Appeal.objects.exclude(events__name__in=["extend_deadline", "reclassify"]).select_related("fact")
    for appeal in plain[:80]:
        assert appeal.deadline == appeal_deadline(fact=appeal.fact, start=timezone.localdate(appeal.received_at))
    moved = Appeal.objects.filter(events__name="extend_deadline").first()
    event = moved.events.get(name="extend_deadline")
    assert moved.deadline.isoformat() == event.data["new_deadline"] > event.data["old_deadline"]
    assert Appeal.objects.filter(received_at__date__gte=today - datetime.timedelta(days=14)).count() >= 5


def test_the_outbox_is_calm_and_the_first_sweep_has_nothing_to_say_about_old_appeals(demo):
    assert not Notification.objects.filter(channel=Channel.EMAIL).exclude(status=OutboxStatus.SENT).exists()
    old = timezone.now() - datetime.timedelta(days=8)
    assert not Notification.objects.filter(channel=Channel.SITE, created_at__lt=old, read_at__isnull=True).exists()
    overdue = Appeal.objects.filter(status__in=AppealStatus.open(), deadline__lt=timezone.localdate())
    assert overdue.exists()
    for appeal in overdue:  # warned once, the morning after the deadline, as the sweep would have done
        warning = appeal.events.get(kind="deadline_warning")
        assert timezone.localdate(warning.created_at) == appeal.deadline + datetime.timedelta(days=1)
    # each appeal's next warning counts from its planned receipt and deadline, not from the moment it was loaded
    assert [a.number for a in Appeal.objects.all() if a.next_alert_at != appeal_next_alert_at(a)] == []
    about_appeals = Notification.objects.filter(object_kind="appeal")
    before = about_appeals.count()
    assert deadline_sweep()["appeals"] == 0  # (the demo projects' overdue tasks are told, as before)
    assert about_appeals.count() == before


def test_the_dashboard_and_the_reports_look_alive(demo, client):
    director = User.objects.get(email="director@zk.example")
    figures = dashboard_figures(director)
    assert figures.appeals_answered >= 100 and figures.appeals_rated >= 50 and figures.appeals_overdue >= 5
    assert figures.average_rating is not None and figures.appeals_reworked >= 5
    assert len([bar for bar in figures.appeals_by_category if bar.value]) >= 7
    assert len(figures.most_overdue) >= 5
    for slug, rows in (("appeals-by-type", 3), ("appeals-by-executor", 20), ("authorities", 8),
                       ("staff-workload", 3)):
        assert len(report_build(slug, user=director, params=ReportParams()).as_dicts()) >= rows, slug
    client.force_login(director)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200


def test_seed_demo_again_adds_nothing(demo):
    before = (Appeal.objects.count(), AppealEvent.objects.count(), Notification.objects.count(),
              User.objects.count(), Organisation.objects.count())
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    assert (Appeal.objects.count(), AppealEvent.objects.count(), Notification.objects.count(),
            User.objects.count(), Organisation.objects.count()) == before


def test_only_invented_people_and_contacts(demo):
    people = User.objects.exclude(email__endswith=".invalid")
    assert people.count() >= 30
    for user in people:
        assert user.email.endswith("@zk.example"), user.email
        assert user.last_name not in REAL_SURNAMES, user
        assert f"{user.first_name} {user.middle_name}" not in REAL_FIRST_AND_PATRONYMIC, user
        assert not user.phone or DEMO_PHONE.match(user.phone), user.phone
    contacts = Appeal.objects.exclude(contact_name="").values_list("contact_name", "contact_email", "contact_phone")
    assert contacts.exists()
    for name, email, phone in contacts.distinct():
        last, first, middle = name.split()
        assert last not in REAL_SURNAMES and f"{first} {middle}" not in REAL_FIRST_AND_PATRONYMIC, name
        assert not email or email.endswith(".zk.example"), email
        assert not phone or DEMO_PHONE.match(phone), phone
    assert not Organisation.objects.exclude(Q(email="") | Q(email__endswith="zk.example")).exists()


def test_at_any_hour_of_the_seed_the_plans_keep_the_doors_rules_and_reach_every_body(demo, seeded):
    """The lives are drawn against the moment of the seed, so each hour gives another demo. Drawn (not played) for
    a week of hours: a draft is returned by the head whose turn it is (a body that approves its own answers first,
    or the door refuses and `seed_demo` fails), and every body of the history gets some appeal."""
    import random
    from datetime import timedelta

    from core.services.demo import _organisations_by_key
    from core.services.demo_history import APPEALS, SEED, _Cast, _history, _Planner

    history = _history()
    organisations = {org.inn: org for org in Organisation.objects.all()}
    keyed = {**_organisations_by_key(), **{row["key"]: organisations[row["inn"]]
                                           for row in history["organisations"]}}
    cast = _Cast(history, keyed)
    expected = {key for fact in history["facts"].values() for key in fact["bodies"]}
    for hours in range(0, 24 * 7, 7):
        planner = _Planner(random.Random(SEED), cast, seeded + timedelta(hours=hours))
        reached = set()
        for _ in range(APPEALS):
            body = cast.agency
            for step in planner.plan().steps:
                if step.name == "redirect":
                    body = step.data["executor_organisation"]
                    reached.add(next(key for key, org in keyed.items() if org.pk == body.pk))
                elif step.name == "return_to_executor":
                    first = cast.body_heads[body.pk][0] if body.approves_own_answers else cast.agency_head
                    assert step.actor == first, (hours, body, step.actor)
        assert reached == expected, (hours, expected - reached)
