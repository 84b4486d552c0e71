"""Two investors of one new company register at the same moment (PostgreSQL: real concurrent transactions)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import Organisation, PersonalDataConsent, User
from core.services.accounts import investor_register
from tests.portal.support import PASSWORD, VALID_INN, VALID_OGRN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_create_one_company_and_nothing_half_written(roles):
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def register(email: str) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[email] = investor_register(
                email=email, password=PASSWORD, last_name="Тестова", first_name="Анна", phone="+7 900 000-00-01",
                inn=VALID_INN, ogrn=VALID_OGRN, full_name="ООО «Одновременная»", short_name="ООО «Одновременная»",
                consent_accepted=True, ip_address="192.0.2.10",
            )
        except ValidationError as exc:
            outcomes[email] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(f"same-moment-{i}@test.zk.example",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Organisation.objects.filter(inn=VALID_INN).count() == 1
    registered = [email for email, outcome in outcomes.items() if isinstance(outcome, User)]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, ValidationError)]
    assert len(registered) + len(refused) == 2 and registered
    for error in refused:  # the loser gets a Russian message and left no user or consent behind
        assert "только что были зарегистрированы" in " ".join(error.messages)
    assert set(User.objects.filter(organisation__inn=VALID_INN).values_list("email", flat=True)) == set(registered)
    assert PersonalDataConsent.objects.count() == len(registered)
