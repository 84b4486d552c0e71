"""The journals read in Russian and cannot be edited by anyone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from auditlog.context import set_actor
from django.urls import reverse

from core.consent import consent_text, consent_version
from core.models import PersonalDataConsent
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory

MOSCOW = ZoneInfo("Europe/Moscow")


def test_change_log_names_the_changed_fields_and_who_changed_them(login, administrator, manager):
    organisation = OrganisationFactory(short_name="ООО «Было»")  # created outside a request: by the system
    with set_actor(manager):
        organisation.short_name = "ООО «Стало»"
        organisation.save()

    text = page_text(login(administrator).get(reverse("admin:auditlog_logentry_changelist")))
    assert "изменение Краткое наименование " + manager.full_name in text
    assert "создание система" in text


def test_nobody_edits_a_consent(login, superuser, investor):
    consent = PersonalDataConsent.objects.create(user=investor, version=consent_version(), text=consent_text())
    client = login(superuser)
    assert client.get(reverse("admin:core_personaldataconsent_add")).status_code == 403
    assert client.get(reverse("admin:core_personaldataconsent_delete", args=[consent.pk])).status_code == 403
    text = page_text(client.get(reverse("admin:core_personaldataconsent_change", args=[consent.pk])))
    assert consent_version() in text
    assert "Сохранить" not in text


def test_the_change_log_drills_down_to_days_written_as_a_person_says_them(login, administrator, manager):
    with time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=MOSCOW), tick=False), set_actor(manager):
        OrganisationFactory(short_name="ООО «Декабрь»")
    with time_machine.travel(datetime(2026, 12, 8, 12, 0, tzinfo=MOSCOW), tick=False):
        client = login(administrator)
        months = page_text(client.get(reverse("admin:auditlog_logentry_changelist"), {"timestamp__year": 2026}))
        days = page_text(client.get(reverse("admin:auditlog_logentry_changelist"),
                                    {"timestamp__year": 2026, "timestamp__month": 12}))
    assert "Декабрь 2026 г." in months  # a month by itself: the nominative
    assert "7 декабря" in days and "7 Декабрь" not in days  # a day of it: the genitive


def test_the_consent_register_shows_and_filters_the_withdrawn(login, administrator, investor, other_investor):
    from django.utils import timezone

    PersonalDataConsent.objects.all().delete()  # the ones the fixtures recorded at «registration»
    PersonalDataConsent.objects.create(user=investor, version=consent_version(), text=consent_text())
    PersonalDataConsent.objects.create(user=other_investor, version=consent_version(), text=consent_text(),
                                       withdrawn_at=timezone.now())
    client = login(administrator)
    url = reverse("admin:core_personaldataconsent_changelist")

    assert "Отозвано" in page_text(client.get(url))  # the column and the filter's choice
    withdrawn = client.get(url, {"withdrawn": "yes"}).context["cl"].result_list
    in_force = client.get(url, {"withdrawn": "no"}).context["cl"].result_list
    assert [c.user for c in withdrawn] == [other_investor] and [c.user for c in in_force] == [investor]
