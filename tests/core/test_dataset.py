"""generate_dataset: reproducible volume data with valid numbers and statuses that agree with their fields."""

import hashlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from core.choices import AppealStatus, OrganisationKind, ProjectStage
from core.models import Appeal, AppealAnswer, AppealEvent, Counter, Organisation, Project, RoadmapItem, User
from core.roles import Role
from core.services.dataset import DatasetRefused, dataset_director, dataset_domain, dataset_generate
from core.validators import is_valid_inn, is_valid_kpp, is_valid_ogrn
from core.workflows.appeals import appeal_deadline

TODAY = date(2025, 6, 16)
ANSWERED = {AppealStatus.ANSWERED, *AppealStatus.outcomes()}


def generate(seed: int = 7):
    return dataset_generate(projects=30, appeals=200, seed=seed, today=TODAY, force=True)  # pytest runs DEBUG off


def digest() -> str:
    """The key fields of every generated row, by natural keys only (primary keys differ between runs)."""
    lines = []
    for org in Organisation.objects.order_by("inn").values_list("inn", "ogrn", "kpp", "kind", "short_name",
                                                                  "district__code", "personal_manager__email"):
        lines.append(repr(org))
    for user in User.objects.order_by("email").values_list("email", "last_name", "first_name", "organisation__inn",
                                                           "groups__name", "is_staff"):
        lines.append(repr(user))
    for project in Project.objects.order_by("registry_number").values_list(
        "registry_number", "name", "investor__inn", "district__code", "industry__code", "stage",
        "investment_volume", "jobs", "submitted_at", "accepted_at", "personal_manager__email",
    ).annotate(roadmap=Count("roadmap", distinct=True), tasks=Count("tasks", distinct=True),
               meetings=Count("meetings", distinct=True)):
        lines.append(repr(project))
    for appeal in Appeal.objects.order_by("number").values_list(
        "number", "organisation_inn", "applicant__email", "fact__code", "status", "created_at", "deadline",
        "answered_at", "closed_at", "rating", "rework_count", "manager__email", "executor_organisation__inn",
        "head__email", "project__registry_number",
    ):
        lines.append(repr(appeal))
    lines.extend(repr(e) for e in AppealEvent.objects.order_by("appeal__number", "created_at", "name").values_list(
        "appeal__number", "name", "from_status", "to_status", "actor__email", "created_at"))
    lines.extend(repr(a) for a in AppealAnswer.objects.order_by("appeal__number", "number").values_list(
        "appeal__number", "number", "approved_at", "approved_by__email", "rating", "sent_back_at"))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_same_seed_gives_the_same_rows(db):
    digests = []
    for seed in (7, 7, 8):
        with transaction.atomic():  # each run on the same empty database
            generate(seed)
            digests.append(digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1] != digests[2]


@pytest.fixture
def dataset(db):
    return generate()


def test_numbers_are_valid_and_counters_move_past_them(dataset):
    organisations = Organisation.objects.all()
    assert organisations.filter(kind=OrganisationKind.INVESTOR).count() >= 10
    assert {OrganisationKind.AGENCY, OrganisationKind.OIV, OrganisationKind.OMSU} <= set(
        organisations.values_list("kind", flat=True)
    )
    for org in organisations:
        assert is_valid_inn(org.inn) and is_valid_ogrn(org.ogrn) and is_valid_kpp(org.kpp), org
    assert Appeal.objects.count() == 200 and Project.objects.count() == 30
    assert Counter.objects.get(name="appeal").value == max(Appeal.objects.values_list("number", flat=True)) == 200
    assert Counter.objects.get(name="project").value == 30
    assert Project.objects.values("registry_number").distinct().count() == 30


def test_statuses_agree_with_their_fields(dataset):
    appeals = list(Appeal.objects.select_related("fact__appeal_type", "executor_organisation"))
    assert {a.status for a in appeals} >= {AppealStatus.MODERATION, AppealStatus.IN_WORK, AppealStatus.RESOLVED}
    for appeal in appeals:
        assert appeal.created_at.date() < TODAY and appeal.created_at.date() >= TODAY - timedelta(days=731)
        assert appeal.deadline == appeal_deadline(fact=appeal.fact, start=timezone.localdate(appeal.created_at))
        # filed on the portal: received when filed, so the deadline sweep counts from the same moment
        assert appeal.received_at == appeal.created_at and appeal.channel == "portal"
        answered = appeal.status in ANSWERED
        assert (appeal.answered_at is not None) == answered, appeal.status
        assert (appeal.closed_at is not None) == (appeal.status in AppealStatus.closed()), appeal.status
        assert appeal.rating is None or answered
        assert appeal.rework_count == 0 or answered
        if answered:
            assert appeal.answered_at > appeal.created_at and appeal.answer_text
        working = appeal.status not in {AppealStatus.MODERATION, AppealStatus.REJECTED}
        assert (appeal.manager_id is not None) == working
        assert (appeal.executor_organisation_id is not None) == (working or appeal.to_director)
        if appeal.status == AppealStatus.REDIRECTED:
            assert appeal.executor_organisation.kind != OrganisationKind.AGENCY
    events = AppealEvent.objects.values("appeal").annotate(n=Count("pk"))
    assert len(events) == 200 and min(e["n"] for e in events) >= 1
    last = {}
    for appeal_id, to_status in AppealEvent.objects.exclude(name="rate").order_by("created_at", "pk").values_list(
        "appeal", "to_status"
    ):
        last[appeal_id] = to_status
    assert all(last[a.pk] == a.status for a in appeals)  # the history ends in the appeal's status


def test_every_answer_has_its_rounds_as_the_doors_write_them(dataset):
    """The dashboard's days to the first answer, the investor's page and the rating report read the rounds."""
    rounds = {}
    for answer in AppealAnswer.objects.order_by("number"):
        rounds.setdefault(answer.appeal_id, []).append(answer)
    answered = Appeal.objects.filter(status__in=ANSWERED)
    assert answered.exists() and answered.filter(rework_count__gt=0).exists()
    assert set(rounds) == set(answered.values_list("pk", flat=True))
    for appeal in answered:
        *sent_back, last = rounds[appeal.pk]
        assert [r.number for r in rounds[appeal.pk]] == list(range(1, appeal.rework_count + 2))
        assert (last.approved_at, last.text, last.rating, last.sent_back_at) == (
            appeal.answered_at, appeal.answer_text, appeal.rating, None)
        assert last.approved_by_id == appeal.head_id and last.author_id == appeal.answered_by_id
        for earlier in sent_back:
            assert earlier.rework_reason and earlier.approved_at < earlier.sent_back_at < last.approved_at
            assert earlier.rating is None
        assert (last.rated_at is not None) == (appeal.rating is not None)
    rated = AppealEvent.objects.filter(name="rate").select_related("appeal")
    assert rated and all(event.data["round"] == event.appeal.rework_count + 1 for event in rated)


def test_people_have_roles_and_projects_have_their_details(dataset):
    director = dataset_director(seed=7)
    assert director.has_role(Role.DIRECTOR) and director.is_staff
    assert director.organisation.kind == OrganisationKind.AGENCY
    investors = User.objects.filter(groups__name=Role.INVESTOR.group_name, email__endswith=dataset_domain(7))
    assert investors.exists() and not investors.filter(is_staff=True).exists()
    for role in (Role.MANAGER, Role.COORDINATOR, Role.HEAD, Role.EXECUTOR, Role.COMMISSIONER):
        assert User.objects.filter(groups__name=role.group_name, is_staff=True).exists(), role
    supported = Project.objects.filter(stage__in=ProjectStage.supported())
    assert supported.exists() and not supported.filter(accepted_at__isnull=True).exists()
    assert RoadmapItem.objects.exists()
    assert not RoadmapItem.objects.filter(baseline_end__gt=F("planned_end")).exists()  # plans only moved later


def test_refuses_without_debug_or_twice_with_the_same_seed(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="только при DEBUG=true"):
        call_command("generate_dataset", projects=1, appeals=1, stdout=StringIO())
    assert not Appeal.objects.exists()
    out = StringIO()
    call_command("generate_dataset", projects=3, appeals=12, seed=5, force=True, batch_size=5, stdout=out)
    assert "Обращения: 10 / 12" in out.getvalue() and "Обращения: 12 / 12" in out.getvalue()
    with pytest.raises(DatasetRefused, match="seed 5 уже загружен"):
        dataset_generate(projects=1, appeals=1, seed=5, force=True)
    with pytest.raises(DatasetRefused, match="Размер пачки"):
        dataset_generate(projects=1, appeals=1, seed=6, force=True, batch_size=0)
