"""Staff get their private calendar address in the cabinet and can revoke it."""

import pytest
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


def meeting_in(project, manager, days: int, title: str):
    from datetime import timedelta

    from django.utils import timezone

    from core.services.projects import meeting_save

    return meeting_save(project=project, actor=manager, title=title, format="video",
                        link="https://vks.zk.example/room", starts_at=timezone.now() + timedelta(days=days))


def test_the_month_shows_the_persons_meetings_as_links_at_a_constant_cost(login, manager, apply_project):
    """This month's grid (Monday first, today marked) holds the meetings, each a link to the meeting; 2 or 6
    meetings cost the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    project = apply_project()
    client = login(manager)
    month = f"{timezone.localdate():%Y-%m}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("admin:my_calendar"), {"month": month})
        assert response.status_code == 200
        return len(captured)

    meetings = [meeting_in(project, manager, 0, f"Встреча {number}") for number in range(2)]
    queries()  # the first visit creates the feed's address
    few = queries()
    meetings += [meeting_in(project, manager, 0, f"Встреча {number}") for number in range(2, 6)]
    assert queries() == few

    html = client.get(reverse("admin:my_calendar")).content.decode()
    assert html.index(">Пн<") < html.index(">Вт<") < html.index(">Вс<")
    today = f'data-date="{timezone.localdate():%Y-%m-%d}" aria-current="date"'
    assert today in html
    cell = html[html.index(today):]
    for meeting in meetings:
        assert reverse("admin:core_meeting_change", args=[meeting.pk]) in cell.split("</td>")[0]


@pytest.mark.parametrize("query", [
    {"month": "13"}, {"month": "2026-13"}, {"week": "abc"}, {"week": "2026-02-30"}, {"month": "99999-01"},
    {"week": "٢٠٢٦-٠١-٠١"},
])
def test_nonsense_dates_show_this_month_with_a_note(login, manager, query):
    from django.utils import timezone
    from django.utils.dates import MONTHS

    from tests.admin_site.helpers import page_text

    response = login(manager).get(reverse("admin:my_calendar"), query)

    assert response.status_code == 200
    text = page_text(response)
    assert "Не удалось понять дату в адресе — показан текущий месяц." in text
    assert f"{MONTHS[timezone.localdate().month]} {timezone.localdate().year}" in text


def test_the_week_view_and_its_navigation(login, manager):
    from tests.admin_site.helpers import page_text

    response = login(manager).get(reverse("admin:my_calendar"), {"week": "2026-12-09"})  # a Wednesday

    text = page_text(response)
    assert "7 – 13 декабря 2026" in text and "Понедельник, 7 декабря" in text and "Воскресенье, 13 декабря" in text
    html = response.content.decode()
    assert "?week=2026-11-30" in html and "?week=2026-12-14" in html  # ‹ Предыдущий / Следующий ›
    assert "?month=2026-12" in html  # the switch back to the month


def test_someone_elses_calendar_is_refused_with_a_note(login, manager, coordinator, executor, head):
    from tests.admin_site.helpers import page_text

    for user, staff in ((manager, coordinator.pk), (manager, "all"), (head, executor.pk), (head, "x")):
        response = login(user).get(reverse("admin:my_calendar"), {"staff": staff})
        assert response.status_code == 200
        assert "Календарь этого сотрудника вам недоступен — показан ваш." in page_text(response)


def test_a_head_picks_one_of_their_people_or_all(login, head, manager, coordinator, executor, apply_project):
    from tests.admin_site.helpers import page_text

    project = apply_project()
    meeting = meeting_in(project, manager, 0, "Встреча менеджера")
    client = login(head)

    own = client.get(reverse("admin:my_calendar"))
    html = own.content.decode()
    assert 'id="calendar-staff"' in html
    assert f'value="{manager.pk}"' in html and f'value="{coordinator.pk}"' in html
    assert f'value="{executor.pk}"' not in html  # another organisation's people are not offered
    assert "Встреча менеджера" not in page_text(own)

    for staff in (manager.pk, "all"):
        response = client.get(reverse("admin:my_calendar"), {"staff": staff})
        assert reverse("admin:core_meeting_change", args=[meeting.pk]) in response.content.decode()
    assert manager.full_name in page_text(client.get(reverse("admin:my_calendar"), {"staff": manager.pk}))


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_kind_has_a_colour_readable_in_both_themes():
    """WCAG AA: each kind's text on its own tint is at least 4.5:1, in the light and the dark theme."""
    import re
    from pathlib import Path

    from django.conf import settings

    from core.selectors.personal_calendar import EntryKind

    css = (Path(settings.BASE_DIR) / "static" / "admin_site" / "calendar.css").read_text()
    for theme in ("", ".dark "):
        for kind in EntryKind:
            selector = re.escape(f"{theme}.zk-kind-{kind.value}")
            rule = re.search(rf"^{selector} \{{ color: (#\w{{6}}); background: (#\w{{6}});", css, re.MULTILINE)
            assert rule, f"no {theme or 'light '}colour for {kind.value}"
            light, dark = sorted(map(_luminance, rule.groups()), reverse=True)
            assert (light + 0.05) / (dark + 0.05) >= 4.5, (theme, kind.value, rule.groups())
