"""Fixtures of the appeal tests in the cabinet."""

import pytest

from tests.admin_site.appeals.helpers import act


@pytest.fixture
def appeal(file_appeal):
    """A fresh appeal in moderation, filed by the ready investor."""
    return file_appeal()


@pytest.fixture
def assigned(appeal, coordinator, manager, head):
    """Assigned by the coordinator to the agency's manager, the agency's head approving."""
    return act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager, head=head)
