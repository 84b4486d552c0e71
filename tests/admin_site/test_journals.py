"""The journals read in Russian and cannot be edited by anyone."""

from auditlog.context import set_actor
from django.urls import reverse

from core.consent import CONSENT_TEXT, CONSENT_VERSION
from core.models import PersonalDataConsent
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory


def test_change_log_names_the_changed_fields_and_who_changed_them(login, administrator, manager):
    organisation = OrganisationFactory(short_name="ООО «Было»")  # created outside a request: by the system
    with set_actor(manager):
        organisation.short_name = "ООО «Стало»"
        organisation.save()

    text = page_text(login(administrator).get(reverse("admin:auditlog_logentry_changelist")))
    assert "изменение Краткое наименование " + manager.full_name in text
    assert "создание система" in text


def test_nobody_edits_a_consent(login, superuser, investor):
    consent = PersonalDataConsent.objects.create(user=investor, version=CONSENT_VERSION, text=CONSENT_TEXT)
    client = login(superuser)
    assert client.get(reverse("admin:core_personaldataconsent_add")).status_code == 403
    assert client.get(reverse("admin:core_personaldataconsent_delete", args=[consent.pk])).status_code == 403
    text = page_text(client.get(reverse("admin:core_personaldataconsent_change", args=[consent.pk])))
    assert CONSENT_VERSION in text
    assert "Сохранить" not in text
