"""Where the cabinet lands after an action, and who approves after a redirect."""

from django.urls import reverse

from core.models import Appeal
from core.roles import Role
from tests.admin_site.appeals.helpers import act, action_url


def test_after_redirecting_away_the_manager_lands_on_the_list(login, appeal, coordinator, manager, omsu, make_user):
    omsu_head = make_user(Role.HEAD, organisation=omsu)
    assigned = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    assert assigned.head is None  # the agency has no head in this test
    response = login(manager).post(
        action_url(assigned, "redirect"),
        {"version": assigned.updated_at.isoformat(), "executor_organisation": omsu.pk, "comment": "Просим рассмотреть"},
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:core_appeal_changelist")  # not a «does not exist» page
    redirected = Appeal.objects.get(pk=appeal.pk)
    assert redirected.executor_organisation == omsu
    assert redirected.head == omsu_head  # the executor body's head now approves
