import pytest
from django.urls import reverse

from tests.portal.support import PASSWORD, VALID_INN, VALID_OGRN


@pytest.fixture
def registration_data() -> dict:
    """An invented investor and company (never real people from the seed)."""
    return {
        "email": "O.Zyablikova@Severny-Terminal.example",
        "password": PASSWORD,
        "password_repeat": PASSWORD,
        "last_name": "Зябликова",
        "first_name": "Ольга",
        "middle_name": "Игоревна",
        "phone": "+7 921 555-01-02",
        "position": "Генеральный директор",
        "inn": VALID_INN,
        "ogrn": VALID_OGRN,
        "full_name": "Общество с ограниченной ответственностью «Северный терминал»",
        "short_name": "ООО «Северный терминал»",
        "consent_accepted": "on",
    }


@pytest.fixture
def register(client, roles, registration_data, django_capture_on_commit_callbacks):
    """register(**changes) posts the registration form and runs what is queued on commit (the q2 task)."""

    def post(**changes):
        data = {key: value for key, value in {**registration_data, **changes}.items() if value is not None}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("portal:register"), data, headers={"user-agent": "pytest-browser/1.0"})

    return post


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
