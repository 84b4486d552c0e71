from collections.abc import Callable

import pytest
from django.db.models import Model

from tests.admin_site.helpers import MAKERS


@pytest.fixture
def make_object(db) -> Callable[[type[Model]], Model]:
    def make(model: type[Model]) -> Model:
        assert model._meta.label in MAKERS, f"add a maker for {model._meta.label} to tests/admin_site/helpers.py"
        return MAKERS[model._meta.label]()

    return make


@pytest.fixture
def login(client):
    """login(user) -> the test client signed in as that user."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in
