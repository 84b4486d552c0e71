"""Session lifetimes (core/sessions.py): staff 30 minutes idle and 12 hours at most; investors 2 hours idle with a
browser-session cookie, or 14 days with «Запомнить меня»."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD

IDLE = "долго не было действий"
TOO_LONG = "истёк наибольший срок"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def log_in(client, user, *, remember: bool = False):
    data = {"username": user.email, "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("portal:login"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_staff_are_logged_out_after_30_idle_minutes_with_a_russian_message(client, manager, clock):
    client.force_login(manager)
    assert client.get("/admin/").status_code == 200
    clock.shift(timedelta(minutes=29))
    assert client.get("/admin/").status_code == 200  # activity moves the idle clock on
    clock.shift(timedelta(minutes=29))
    assert client.get("/admin/core/appeal/").status_code == 200
    clock.shift(timedelta(minutes=31))
    response = client.get("/admin/core/appeal/?status__exact=new")
    assert response["Location"] == f"{reverse('admin:login')}?next=/admin/core/appeal/%3Fstatus__exact%3Dnew"
    assert SESSION_KEY not in client.session
    assert IDLE in client.get(response["Location"]).content.decode()


def test_staff_sessions_end_after_12_hours_however_busy(client, manager, clock):
    client.force_login(manager)
    for _ in range(11 * 3):  # a request every 20 minutes for 11 hours
        clock.shift(timedelta(minutes=20))
        assert client.get("/admin/").status_code == 200
    clock.shift(timedelta(minutes=61))
    response = client.get("/admin/", follow=True)
    assert SESSION_KEY not in client.session
    assert TOO_LONG in response.content.decode()


def test_an_investor_without_remember_me_gets_a_browser_session_and_2_idle_hours(client, investor, clock):
    response = log_in(client, investor)
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    clock.shift(timedelta(minutes=119))
    assert client.get(reverse("portal:cabinet")).status_code == 200
    clock.shift(timedelta(minutes=121))
    response = client.get(reverse("portal:cabinet"), follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('portal:login')}?next=/cabinet/"
    assert IDLE in response.content.decode()


def test_an_investor_with_remember_me_stays_14_days_then_logs_in_again(client, investor, clock):
    response = log_in(client, investor, remember=True)
    assert int(response.cookies["sessionid"]["max-age"]) == 14 * 24 * 3600
    clock.shift(timedelta(days=3))  # three days without a visit: still signed in
    assert client.get(reverse("portal:cabinet")).status_code == 200
    clock.shift(timedelta(days=10, hours=23))
    assert client.get(reverse("portal:cabinet")).status_code == 200
    clock.shift(timedelta(hours=2))
    response = client.get(reverse("portal:cabinet"))
    assert response["Location"].startswith(reverse("portal:login"))
    assert SESSION_KEY not in client.session


def test_remember_me_does_not_stretch_a_staff_session(client, manager, clock):
    response = log_in(client, manager, remember=True)
    assert response.cookies["sessionid"]["max-age"] == ""
    clock.shift(timedelta(minutes=31))
    assert client.get("/admin/")["Location"].startswith(reverse("admin:login"))


def test_the_portal_login_offers_remember_me(client):
    html = client.get(reverse("portal:login")).content.decode()
    assert 'name="remember"' in html and "Запомнить меня" in html


def test_limits_come_from_the_settings(client, manager, clock, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    client.force_login(manager)
    client.get("/admin/")
    clock.shift(timedelta(minutes=6))
    assert client.get("/admin/")["Location"].startswith(reverse("admin:login"))


def test_a_post_after_the_timeout_is_not_carried_out(client, manager, clock):
    client.force_login(manager)
    client.get("/admin/")
    clock.shift(timedelta(minutes=31))
    response = client.post(reverse("admin:otp"))
    assert response["Location"] == reverse("admin:login")
    assert SESSION_KEY not in client.session


# --- typing keeps the session (static/forms/keep-typed.js asks session_alive) ------------------------------------
def test_a_manager_typing_a_long_answer_keeps_the_session_and_sends_it(client, manager, clock):
    client.force_login(manager)
    assert client.get("/admin/").status_code == 200
    for _ in range(4):  # 40 minutes of typing: the page asks every few minutes while keys are pressed
        clock.shift(timedelta(minutes=10))
        assert client.get(reverse("session_alive")).status_code == 204
    clock.shift(timedelta(minutes=10))
    assert client.get("/admin/core/appeal/").status_code == 200  # 50 minutes after the last page: still signed in
    clock.shift(timedelta(minutes=31))
    assert client.get(reverse("session_alive")).status_code == 302  # stopped typing: the idle limit holds
    assert SESSION_KEY not in client.session


def test_session_alive_answers_401_to_nobody_and_only_to_get(client, manager):
    assert client.get(reverse("session_alive")).status_code == 401
    client.force_login(manager)
    assert client.post(reverse("session_alive")).status_code == 405
    response = client.get(reverse("session_alive"))
    assert response.status_code == 204 and "no-cache" in response["Cache-Control"]


def test_the_page_script_asks_no_more_often_than_the_server_expects():
    from pathlib import Path

    from django.conf import settings

    from core.sessions import KEEP_ALIVE_SECONDS

    script = (Path(settings.BASE_DIR) / "static" / "forms" / "keep-typed.js").read_text()
    assert f"window.zkKeepAliveSeconds || {KEEP_ALIVE_SECONDS})" in script
    assert 60 * min(settings.STAFF_SESSION_IDLE_MINUTES, settings.INVESTOR_SESSION_IDLE_MINUTES) > KEEP_ALIVE_SECONDS


# --- a form sent after its session ended: not carried out, its typed text shown back -----------------------------
def test_an_answer_sent_after_the_session_ended_is_shown_back_to_copy(client, manager, file_appeal, clock):
    appeal = file_appeal()
    client.force_login(manager)
    card = f"/admin/core/appeal/{appeal.pk}/change/"
    client.get(card)
    clock.shift(timedelta(minutes=31))

    response = client.post(f"/admin/core/appeal/{appeal.pk}/comment/", {
        "version": appeal.updated_at.isoformat(), "csrfmiddlewaretoken": "x", "is_public": "on",
        "text": "Договорились о встрече с администрацией района во вторник.",
    }, HTTP_REFERER=f"http://testserver{card}")

    assert response.status_code == 401 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Сеанс завершён: долго не было действий. Войдите снова." in html
    assert "Форма не отправлена. Ниже — то, что вы набрали" in html
    assert ">Договорились о встрече с администрацией района во вторник.</textarea>" in html
    assert '<label class="block font-medium mb-2' in html and '>Текст</label>' in html  # which box it came from
    assert f'href="{reverse("admin:login")}?next={card}"' in html
    assert SESSION_KEY not in client.session
    assert not appeal.events.filter(kind="comment").exists()


def test_an_investors_appeal_sent_after_the_session_ended_keeps_its_text_on_the_page(
        client, investor, problem_fact, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import Appeal

    client.force_login(investor)
    clock.shift(timedelta(minutes=121))

    response = client.post(reverse("portal:appeal_create"), {
        "fact": problem_fact.pk, "subject": "Подключение к сетям",
        "description": "Просим помочь с техническими условиями на подключение к сетям водоснабжения.",
        "organisation_inn": investor.organisation.inn, "password": "секретное слово",
        "files": [SimpleUploadedFile("Схема.pdf", b"%PDF-1.4\n%%EOF\n")],
    })

    html = response.content.decode()
    assert response.status_code == 401
    assert "Просим помочь с техническими условиями на подключение к сетям водоснабжения." in html
    assert "Подключение к сетям" in html
    # each text under the name of its box, seen by everyone (it was a label for screen readers only)
    assert '<label class="typed-label" for="typed-1">Тема</label>' in html
    assert '<label class="typed-label" for="typed-2">Описание</label>' in html
    assert "Выбранные файлы не сохранены: после входа выберите их снова." in html
    assert "секретное слово" not in html and investor.organisation.inn not in html
    assert not Appeal.objects.exists()


def test_a_text_posted_by_another_site_is_not_shown_back(manager, file_appeal, clock):
    from django.test import Client

    appeal = file_appeal()
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.get(reverse("admin:password_change")).status_code == 200  # a page with a form sets the cookie
    token = client.cookies["csrftoken"].value  # what the page's forms send (masked) stands for this secret
    clock.shift(timedelta(minutes=31))
    url = f"/admin/core/appeal/{appeal.pk}/comment/"

    forged = client.post(url, {"text": "Позвоните по номеру 8-800-000-00-00, чтобы продлить доступ."})

    assert forged.status_code == 302 and forged["Location"] == reverse("admin:login")  # no CSRF token: nothing echoed
    client.force_login(manager)
    client.get("/admin/")
    clock.shift(timedelta(minutes=31))
    own = client.post(url, {"csrfmiddlewaretoken": token, "text": "Встреча перенесена на четверг."})
    assert own.status_code == 401 and "Встреча перенесена на четверг." in own.content.decode()


def test_a_form_sent_after_signing_out_in_another_tab_keeps_its_text(investor, file_appeal):
    """The trial: the investor typed a comment, signed out in another tab, pressed «Добавить комментарий» — and got
    the login page, the text gone. Now the same «Сеанс завершён» page as for a timed-out session shows it back; a
    form without the page's own CSRF token still echoes nothing, and the sign-in form itself is untouched."""
    from django.test import Client

    appeal = file_appeal()
    client = Client(enforce_csrf_checks=True)
    client.force_login(investor)
    page = f"/cabinet/appeals/{appeal.pk}/"
    assert client.get(page).status_code == 200  # the page with the form sets the cookie
    token = client.cookies["csrftoken"].value
    client.post(reverse("portal:logout"), {"csrfmiddlewaretoken": token})  # «Выйти» in another tab
    assert SESSION_KEY not in client.session

    sent = client.post(f"{page}comment/", {"csrfmiddlewaretoken": token, "version": "x",
                                           "text": "Прилагаем уточнённую схему съезда"}, HTTP_REFERER=f"http://testserver{page}")

    assert sent.status_code == 401
    html = sent.content.decode()
    assert "вы вышли из кабинета" in html and ">Прилагаем уточнённую схему съезда</textarea>" in html
    assert f'href="{reverse("portal:login")}?next={page}"' in html
    assert not appeal.events.filter(kind="comment").exists()
    forged = client.post(f"{page}comment/", {"text": "Перейдите по ссылке"})
    assert forged.status_code in (302, 403) and "Перейдите по ссылке" not in forged.content.decode()
    login = client.post(reverse("portal:login"), {"csrfmiddlewaretoken": token, "username": "nobody@zk.example",
                                                  "password": "wrong password"})
    assert login.status_code == 200 and "Сеанс завершён" not in login.content.decode()
