from io import StringIO

from django.core.management import call_command

from core.choices import OrganisationKind
from core.models import District, Organisation, User
from core.roles import Role
from core.services.demo import DEMO_PASSWORD


def _run(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_seed_reference_loads_districts_and_roles_idempotently(db):
    assert "районов 18" in _run("seed_reference")
    assert "фактов классификатора 13" in _run("seed_reference")
    assert "отраслей 16, действий чек-листа 13, мер поддержки 9, сроков ответов на запросы 5" in _run("seed_reference")
    _run("seed_reference")
    assert District.objects.count() == 18
    assert District.objects.get(code="41648000").name == "Тосненский муниципальный район"
    assert District.objects.filter(name="Сосновоборский городской округ", kind="city_okrug").exists()


def test_seed_demo_creates_every_kind_and_one_user_per_role(db, settings, client):
    settings.DEBUG = True
    _run("seed_reference")
    # the named demo only; its eighteen months of appeals and their people: tests/core/test_demo_history.py
    _run("seed_demo", "--no-history")
    _run("seed_demo", "--no-history")
    kinds = list(Organisation.objects.values_list("kind", flat=True))
    assert sorted(kinds) == sorted(
        ["agency", "oiv", "omsu", "omsu", "rso", "federal", "investor", "investor", "investor"]
    )
    assert Organisation.objects.filter(kind=OrganisationKind.INVESTOR).count() == 3  # one without portal users
    # one person per role, an investor for two demo companies, and the Kingisepp administration's head and
    # specialist (it approves its own answers before the agency head)
    extra = {Role.INVESTOR: 1, Role.HEAD: 1, Role.EXECUTOR: 1}
    for role in Role:
        assert User.objects.filter(groups__name=role.group_name).count() == 1 + extra.get(role, 0), role
    manager = User.objects.get(email="manager@zk.example")
    assert manager.check_password(DEMO_PASSWORD) and manager.is_staff and manager.email_confirmed
    investor = User.objects.get(email="investor@zk.example")
    assert not investor.is_staff
    from core.models import PersonalDataConsent

    # each demo investor has the consent the portal records at registration, once however often the seed runs
    assert sorted(PersonalDataConsent.objects.values_list("user__email", flat=True)) == sorted(
        User.objects.filter(groups__name=Role.INVESTOR.group_name).values_list("email", flat=True))
    assert investor.organisation.personal_manager == manager
    # the demo's people read their notices as they came: a bell shows the newest few, not dozens
    from django.db.models import Count

    from core.models import Notification

    site = Notification.objects.filter(channel="site")
    assert site.filter(read_at__isnull=False).exists()
    unread = site.filter(read_at__isnull=True).values("recipient").annotate(n=Count("pk"))
    assert unread and max(row["n"] for row in unread) <= 5
    for org in Organisation.objects.all():
        org.full_clean()  # demo ИНН/ОГРН pass the checksums
    from core.models import Appeal

    assert sorted(Appeal.objects.values_list("status", flat=True)) == [
        "answered", "assigned", "assigned", "in_work", "moderation", "not_resolved", "resolved", "resolved",
        "resolved",
    ]
    assert Appeal.objects.get(subject="Согласование съезда на промышленную улицу").rating == 5
    from core.models import Project

    assert Project.objects.count() == 12  # loaded once, however many times the command runs


def test_banner_lists_both_urls_and_demo_logins(db, settings):
    settings.DEBUG = True
    out = _run("demo_banner")
    assert "/admin/" in out and "investor@zk.example" in out and DEMO_PASSWORD in out
