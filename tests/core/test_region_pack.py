"""Region packs (core/region.py, `manage.py install_region`): the invented test region installed into an empty
database names itself and its agency on every page, letter and file, uses its own periods, and nothing of the
Leningrad region shows anywhere; a pack never goes into another region's database."""

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.choices import OrganisationKind
from core.models import AppealType, District, Fact, Notification, RequestPeriod
from core.region import current_region
from core.reports.render import render
from core.reports.table import Column, Row, Table
from core.roles import Role
from core.services.personal_data import consent_give
from core.services.roles import user_set_roles
from core.workflows.appeals import appeal_submit
from tests.admin_site.helpers import html_text
from tests.conftest import module_transaction
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.xdist_group("region-pack")  # one worker installs the module's region once

TEST_PACK = Path(settings.BASE_DIR) / "regions" / "test_zarechye"
# What only the Leningrad pack says: its name, its agency and the agency's contacts, and its cadastral district
# (a number «47:07:…», not a time such as «T15:47:03» in a page's datetime attribute).
LENINGRAD = ("Ленинград", "Агентство экономического развития", "АЭРЛО", "lenoblinvest")
LENINGRAD_CADASTRE = re.compile(r"(?<![\d:])47:\d{2}:")


def leningrad_in(text: str) -> list[str]:
    found = [word for word in LENINGRAD if word.lower() in text.lower()]
    return found + LENINGRAD_CADASTRE.findall(text)


def test_the_leningrad_check_tells_a_cadastral_number_from_a_time():
    assert leningrad_in("участок 47:07:0000000:123") == ["47:07:"]
    assert leningrad_in('<time datetime="2026-12-06T15:47:03+03:00">15:47</time>') == []


def zip_text(data: bytes) -> str:
    """Every XML part of an xlsx, ods or docx (the page headers included) as one text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                       if name.endswith(".xml"))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The test region installed once into the empty test database, with its agency, a coordinator, an investor
    company in one of its districts, and an appeal the investor filed through the door."""
    with override_settings(REGION_PACK=str(TEST_PACK)), module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            assert not District.objects.exists()  # an empty installation
            call_command("install_region", str(TEST_PACK), stdout=io.StringIO())
            district = District.objects.get(code="00606000")
            agency = OrganisationFactory(kind=OrganisationKind.AGENCY, full_name="Корпорация развития (тест)",
                                         short_name="Корпорация (тест)")
            coordinator = user_set_roles(user=UserFactory(organisation=agency, email="coordinator@zarechye.example"),
                                         roles={Role.COORDINATOR})
            company = OrganisationFactory(kind=OrganisationKind.INVESTOR, district=district,
                                          short_name="ООО «Заречный терминал»")
            investor = user_set_roles(user=UserFactory(organisation=company, email="investor@zarechye.example"),
                                      roles={Role.INVESTOR})
            consent_give(user=investor)  # as at registration: the portal opens
            problem = Fact.objects.filter(appeal_type__code="problem").order_by("code").first()
            appeal = appeal_submit(applicant=investor, fact=problem, subject="Подключение склада к сетям",
                                   description="Просим помочь с техническими условиями.")
        yield {"coordinator": coordinator, "investor": investor, "appeal": appeal}


@pytest.fixture
def region(world, db):
    return world


def test_the_pack_is_installed_once_and_a_second_run_changes_nothing(region):
    assert sorted(District.objects.values_list("code", flat=True)) == [
        "00603000", "00606000", "00609000", "00701000"]
    assert AppealType.objects.get(code="problem").period_days == 15  # the test region's own period (Leningrad: 20)
    assert set(RequestPeriod.objects.values_list("days", flat=True)) == {10}
    assert Fact.objects.filter(code="01.01.090").exists()  # the region keeps its own classifier
    tables = (District, AppealType, Fact, RequestPeriod)
    before = [sorted(model.objects.values_list()) for model in tables], LogEntry.objects.count()

    out = io.StringIO()
    call_command("install_region", str(TEST_PACK), stdout=out)

    assert "Регион «Заречная область» установлен" in out.getvalue()
    assert ([sorted(model.objects.values_list()) for model in tables], LogEntry.objects.count()) == before


def test_a_pack_of_another_region_is_refused_and_nothing_changes(region):
    districts = District.objects.count()
    with override_settings(REGION_PACK="leningrad"), pytest.raises(CommandError) as refused:
        call_command("install_region", "leningrad", stdout=io.StringIO())
    assert "В базе уже установлен другой регион" in str(refused.value)
    assert "ничего не изменено" in str(refused.value)
    # and a pack other than the one the site is configured for (REGION_PACK)
    with pytest.raises(CommandError) as mismatch:
        call_command("install_region", "leningrad", stdout=io.StringIO())
    assert "не тот, что указан в настройке REGION_PACK" in str(mismatch.value)
    assert District.objects.count() == districts and not District.objects.filter(code__startswith="41").exists()


def test_a_pack_without_demo_data_refuses_seed_demo(region):
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="нет демо-данных"):
        call_command("seed_demo", "--no-history", stdout=io.StringIO())


def test_a_new_appeal_is_due_by_the_pack_period(region):
    appeal = region["appeal"]
    received = timezone.localdate(appeal.received_at)
    assert appeal.deadline == received + timedelta(days=15)


def test_pages_letters_and_files_name_the_test_region_and_nothing_of_leningrad(region, client):
    appeal, letterhead = region["appeal"], "ОТЧЁТ · ЗЕЛЁНЫЙ КОРИДОР · Заречная область · +7 (800) 555-00-99"
    seen: dict[str, str] = {}

    home = client.get(reverse("portal:landing"))
    seen["portal home"] = home.content.decode()
    client.force_login(region["investor"])
    seen["portal appeal"] = client.get(reverse("portal:appeal_detail", args=[appeal.pk])).content.decode()
    seen["appeal docx"] = zip_text(client.get(reverse("portal:appeal_docx", args=[appeal.pk])).content)
    client.force_login(region["coordinator"])
    report_url = reverse("admin:report", args=["appeals-by-type"])
    seen["report page"] = html_text(client.get(report_url).content.decode())
    for fmt in ("xlsx", "ods", "docx"):
        response = client.get(report_url, {"format": fmt})
        assert response.status_code == 200
        seen[f"report {fmt}"] = zip_text(response.content)
    letters = Notification.objects.filter(object_kind="appeal", object_id=appeal.pk)
    assert letters.exists()
    seen["letters"] = "".join(f"{n.subject}{n.body_text}{n.body_html}" for n in letters)

    for name, text in seen.items():
        assert not leningrad_in(text), name
    for name in ("portal home", "portal appeal"):
        assert "Корпорация развития Заречной области" in seen[name] and "invest.zarechye.example" in seen[name]
    assert letterhead in seen["report page"]
    for fmt in ("xlsx", "ods", "docx"):
        assert "Заречная область" in seen[f"report {fmt}"], fmt  # the letterhead at the top of every page
    assert "ЗЕЛЁНЫЙ КОРИДОР · Заречная область" in seen["appeal docx"]
    assert "Корпорация развития Заречной области" in seen["letters"]
    assert "+7 (800) 555-00-99 · invest@zarechye.example · invest.zarechye.example" in seen["letters"]


def test_the_cabinet_names_the_test_region_and_nothing_of_leningrad(region, client):
    client.force_login(region["coordinator"])
    for url in (reverse("admin:index"), reverse("admin:core_appeal_changelist")):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Заречная область" in html_text(html), url  # under «Зелёный коридор» in the sidebar's header
        assert not leningrad_in(html), url


def test_the_leningrad_pack_letterhead_on_a_report_file():
    """The default pack (no database): the seed's report header with the agency's email and site."""
    table = Table(slug="t", title="Отчёт", columns=[Column("a", "Тип")], rows=[Row(("Проблема",))])
    out = io.BytesIO()
    with override_settings(REGION_PACK="leningrad"):
        assert current_region().report_letterhead() == (
            "ОТЧЁТ · ЗЕЛЁНЫЙ КОРИДОР · Ленинградская область · aerlo@lenoblinvest.ru · lenoblinvest.ru")
        render(table, "xlsx", out)
    assert "Ленинградская область · aerlo@lenoblinvest.ru" in zip_text(out.getvalue())


def test_a_broken_pack_is_refused_in_russian_before_anything_is_written(tmp_path):
    settings_file = tmp_path / "region.toml"
    settings_file.write_text('code = "x"\nname = "Тестовая область"\noktmo_prefix = "0"\n'
                             'cadastral_example = "00:01:0000001:1"\n[agency]\nname = "Агентство"\nshort_name = "А"\n',
                             encoding="utf-8")
    with override_settings(REGION_PACK=str(tmp_path)):
        with pytest.raises(CommandError, match="«oktmo_prefix» — две цифры"):
            call_command("install_region", str(tmp_path))
        settings_file.write_text(settings_file.read_text(encoding="utf-8").replace('"0"', '"00"'), encoding="utf-8")
        with pytest.raises(CommandError, match=r"нет файлов fixtures/reference/: districts\.json"):
            call_command("install_region", str(tmp_path))  # no database access: the test has none
