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
