"""Abuse limits on account letters (password reset, confirmation resend) and password spraying, as a person sees
them: how many letters arrive, what the page says, who can still log in."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from core.portal.views import ACCOUNT_LIMIT_MESSAGE
from tests.factories import UserFactory
from tests.portal.support import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT_TEXT = str(ACCOUNT_LIMIT_MESSAGE)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """post(url_name, data, ip) — and run the queued letter task, as the q2 worker would."""

    def send(url_name: str, data: dict, ip: str = "10.0.0.1", browser=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (browser or client).post(reverse(url_name), data, REMOTE_ADDR=ip)

    return send


@pytest.mark.parametrize(
    ("url_name", "done_url_name"),
    [("portal:password_reset", "portal:password_reset_done"), ("portal:resend_confirmation", "portal:login")],
)
@pytest.mark.usefixtures("mid_hour")
def test_twenty_requests_for_one_address_send_three_letters(post, url_name, done_url_name):
    person = UserFactory(email="lena@test.zk.example", email_confirmed_at=None)

    responses = [post(url_name, {"email": "Lena@test.zk.example"}) for _ in range(20)]

    assert len(mail.outbox) == 3
    assert {letter.to[0] for letter in mail.outbox} == {person.email}
    assert [response.status_code for response in responses[:3]] == [302] * 3
    assert all(response.url == reverse(done_url_name) for response in responses[:3])
    fourth = responses[3]
    assert fourth.status_code == 429
    assert LIMIT_TEXT in fourth.text
    assert 'value="Lena@test.zk.example"' in fourth.text  # what was typed stays
    assert {response.status_code for response in responses[3:]} == {429}


@pytest.mark.usefixtures("mid_hour")
@pytest.mark.parametrize("url_name", ["portal:password_reset", "portal:resend_confirmation"])
def test_the_limit_answer_is_the_same_for_an_address_without_an_account(post, url_name):
    UserFactory(email="lena@test.zk.example", email_confirmed_at=None)
    known = [post(url_name, {"email": "lena@test.zk.example"}) for _ in range(4)]
    unknown = [post(url_name, {"email": "nobody@test.zk.example"}, ip="10.0.0.2") for _ in range(4)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [302, 302, 302, 429]
    assert [r.get("Location") for r in known] == [r.get("Location") for r in unknown]
    assert _page(known[3]).replace("lena@", "nobody@") == _page(unknown[3])
    assert len(mail.outbox) == 3  # letters only to the real account


def _page(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)


@pytest.mark.usefixtures("mid_hour")
def test_per_ip_limit_counts_all_addresses_and_spares_other_clients(post, settings):
    settings.ACCOUNT_REQUESTS_PER_IP_HOUR = 5
    people = [UserFactory(email=f"p{n}@test.zk.example") for n in range(7)]

    answers = [post("portal:password_reset", {"email": person.email}).status_code for person in people[:6]]
    elsewhere = post("portal:password_reset", {"email": people[6].email}, ip="10.9.9.9")

    assert answers == [302] * 5 + [429]
    assert elsewhere.status_code == 302
    assert sorted(letter.to[0] for letter in mail.outbox) == sorted(p.email for p in [*people[:5], people[6]])


def test_the_address_limit_opens_again_after_an_hour(post):
    UserFactory(email="lena@test.zk.example")
    # a minute into an hour, so half an hour later is the same window (the previous one then counts in part)
    with time_machine.travel(datetime(2026, 3, 2, 10, 1, tzinfo=UTC), tick=False) as clock:
        answers = [post("portal:password_reset", {"email": "lena@test.zk.example"}).status_code for _ in range(4)]
        clock.shift(timedelta(minutes=30))
        still_limited = post("portal:password_reset", {"email": "lena@test.zk.example"}).status_code
        clock.shift(timedelta(hours=1, minutes=31))
        later = post("portal:password_reset", {"email": "lena@test.zk.example"}).status_code

    assert answers == [302, 302, 302, 429]
    assert still_limited == 429
    assert later == 302
    assert len(mail.outbox) == 4


# Password spraying: axes has two rules — a user name from one address (AXES_FAILURE_LIMIT = 5) and every failure
# from one address whatever the user name (AXES_IP_FAILURE_LIMIT = 20).


@pytest.fixture
def axes_on(settings, roles):
    settings.AXES_ENABLED = True
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_IP_FAILURE_LIMIT) == (5, 20)


def _log_in(client, email: str, password: str, ip: str, url_name: str = "portal:login"):
    return client.post(reverse(url_name), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_spraying_ten_accounts_locks_the_address_on_both_faces(axes_on, client):
    targets = [UserFactory(email=f"target{n}@test.zk.example") for n in range(10)]
    bystander = UserFactory(email="bystander@test.zk.example")

    answers = [
        _log_in(client, target.email, f"Wrong-{attempt}", "10.6.6.6").status_code
        for target in targets
        for attempt in range(4)
    ]
    assert answers[:19] == [200] * 19  # the form again with «Неверная электронная почта или пароль»
    assert set(answers[19:]) == {429}  # the 20th failure from the address locks it

    for url_name in ("portal:login", "admin:login"):
        refused = _log_in(client, bystander.email, PASSWORD, "10.6.6.6", url_name)
        assert refused.status_code == 429
        assert "Вход временно заблокирован" in refused.text
        assert not get_user(client).is_authenticated

    elsewhere = _log_in(client, targets[0].email, PASSWORD, "10.7.7.7")
    assert elsewhere.status_code == 302
    assert get_user(client) == targets[0]


def test_a_successful_login_does_not_clear_the_address_rule(axes_on, client):
    """A sprayer's own account must not reset the count between rounds."""
    own = UserFactory(email="sprayer@test.zk.example")
    targets = [UserFactory(email=f"target{n}@test.zk.example") for n in range(5)]

    for _round in range(4):
        for target in targets:
            _log_in(client, target.email, "Wrong-password-1", "10.6.6.6")
        if _round < 3:
            assert _log_in(client, own.email, PASSWORD, "10.6.6.6").status_code == 302
            client.logout()

    assert _log_in(client, own.email, PASSWORD, "10.6.6.6").status_code == 429


def test_one_account_still_locks_after_its_own_limit(axes_on, client):
    target = UserFactory(email="target@test.zk.example")

    answers = [_log_in(client, target.email, "Wrong-password-1", "10.6.6.6").status_code for _ in range(5)]
    locked = _log_in(client, target.email, PASSWORD, "10.6.6.6")

    assert answers == [200] * 4 + [429]
    assert locked.status_code == 429
    assert "Вход временно заблокирован" in locked.text
    assert _log_in(client, UserFactory().email, PASSWORD, "10.6.6.6").status_code == 302  # the address is not
