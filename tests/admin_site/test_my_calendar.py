"""Staff get their private calendar address in the cabinet and can revoke it."""

from django.urls import reverse

from core.models import CalendarFeed


def test_my_calendar_gives_a_private_address_and_revokes_it(login, manager, client):
    page = login(manager).get(reverse("admin:my_calendar"))
    assert page.status_code == 200
    token = CalendarFeed.objects.get(user=manager).token
    feed_path = reverse("portal:calendar_feed", args=[token])
    assert feed_path in page.content.decode()
    assert client.get(feed_path).status_code == 200

    response = client.post(reverse("admin:my_calendar_reset"))
    assert response.status_code == 302
    assert client.get(feed_path).status_code == 404  # the old address no longer works
    new_token = CalendarFeed.objects.get(user=manager).token
    assert new_token != token
    assert client.get(reverse("portal:calendar_feed", args=[new_token])).status_code == 200


def test_investors_have_no_cabinet_calendar(login, investor):
    response = login(investor).get(reverse("admin:my_calendar"))
    assert response.status_code == 302 and "/login/" in response.url


def test_the_page_lists_the_coming_meetings_at_a_constant_cost(login, manager, apply_project):
    """Meetings of the person's projects and appeals, with what each is about; 2 or 6 rows cost the same queries."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.services.projects import meeting_save
    from tests.admin_site.helpers import page_text

    project = apply_project()
    client = login(manager)

    def add(count: int) -> None:
        for number in range(count):
            meeting_save(project=project, actor=manager, title=f"Встреча {number}", format="video",
                         link="https://vks.zk.example/room", starts_at=timezone.now() + timedelta(days=number + 1))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("admin:my_calendar"))
        assert response.status_code == 200
        return len(captured)

    add(2)
    queries()  # the first visit creates the feed's address
    few = queries()
    add(4)
    assert queries() == few
    text = page_text(client.get(reverse("admin:my_calendar")))
    assert "Встреча 0" in text and str(project) in text
