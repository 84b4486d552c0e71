"""Where the cabinet lands after an action, and who approves after a redirect."""

from django.urls import reverse

from core.models import Appeal
from core.roles import Role
from core.workflows.appeals import appeal_actions_for
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
    # seed #737: the coordinator keeps control; with no head at the agency the executor body's head approves
    assert (redirected.head, redirected.coordinator, redirected.manager) == (None, coordinator, None)
    Appeal.objects.filter(pk=appeal.pk).update(status="approval")
    redirected = Appeal.objects.get(pk=appeal.pk)
    assert any(a.name == "approve" for a in appeal_actions_for(appeal=redirected, user=omsu_head))
