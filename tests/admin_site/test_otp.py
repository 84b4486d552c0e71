"""The second factor of the manager cabinet (django-otp): enrolment, sign-in with a code or a recovery code, the
pause after wrong codes, the administrator's reset, and that no cabinet page opens without it."""

import re
import uuid
from base64 import b32encode
from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.services.two_factor import otp_pending_device, otp_recovery_codes_renew

SETUP = reverse("admin:otp_setup")
VERIFY = reverse("admin:otp_verify")
WRONG = "Неверный код"
PAUSED = "Слишком много неверных кодов подряд"


@pytest.fixture(autouse=True)
def otp_required(settings):
    settings.OTP_REQUIRED = True


def app_code(device: TOTPDevice) -> str:
    """What the person's phone shows now (django-otp's own arithmetic, RFC 6238)."""
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that are none of the codes accepted now (the current one and one step either side)."""
    accepted = set()
    for shift in (-1, 0, 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + shift)
        accepted.add(f"{totp.token():06d}")
    return next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in accepted)


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = otp_pending_device(user=user)
    device.confirmed = True
    device.save()
    return device, otp_recovery_codes_renew(user=user)


def signed_in(client, user):
    """A fresh browser that has passed the password (force_login), not the code."""
    client.force_login(user)
    return client


def test_staff_member_without_an_app_is_sent_to_enrolment_and_comes_back_to_the_page(client, manager):
    signed_in(client, manager)
    response = client.get("/admin/core/appeal/?status__exact=new")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/admin/core/appeal/%3Fstatus__exact%3Dnew"


def test_enrolment_shows_a_local_qr_code_and_the_secret_then_ten_recovery_codes_once(client, manager):
    signed_in(client, manager)
    page = client.get(f"{SETUP}?next=/admin/core/appeal/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Настройка второго фактора" in html
    assert '<svg' in html and 'class="segno"' in html  # drawn by the server, no image from elsewhere
    assert "otpauth" not in html and "chart.googleapis" not in html
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', html).group(1)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()

    response = client.post(SETUP, {"code": app_code(device), "next": "/admin/core/appeal/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:otp_recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get(response["Location"])
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", codes_page.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=manager).values_list("token", flat=True))
    download = client.get(reverse("admin:otp_recovery_codes_download"))
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    assert all(code in download.content.decode() for code in codes)

    done = client.post(reverse("admin:otp_recovery_codes"), {"next": "/admin/core/appeal/"})
    assert done["Location"] == "/admin/core/appeal/"
    assert client.get(reverse("admin:otp_recovery_codes"))["Location"] == reverse("admin:otp")  # shown once
    assert client.get("/admin/core/appeal/").status_code == 200
    entry = LogEntry.objects.get_for_object(manager).latest("timestamp")
    assert entry.changes_dict == {"второй фактор": ["не настроен", "настроен"]}


def test_a_wrong_enrolment_code_is_refused_in_russian_and_changes_nothing(client, manager):
    signed_in(client, manager)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=manager)
    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=manager).exists()
    assert client.get("/admin/")["Location"].startswith(SETUP)


@pytest.mark.parametrize("code", ["\x00", "1" * 100_000, "١٢٣٤٥٦", "12 34 5", "<script>", ""])
def test_bad_input_in_the_code_field_is_a_form_error_not_a_500(client, manager, code):
    enrolled(manager)
    signed_in(client, manager)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code in (200, 400)  # 400: the site's guard against control characters answers first
    assert response.status_code == 400 or "errors" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_enrolled_staff_member_signs_in_with_the_app_code(client, manager):
    device, _ = enrolled(manager)
    signed_in(client, manager)
    response = client.get("/admin/core/project/")
    assert response["Location"] == f"{VERIFY}?next=/admin/core/project/"
    page = client.get(response["Location"])
    assert "Код подтверждения" in page.content.decode()
    session_before = client.session.session_key

    response = client.post(VERIFY, {"code": app_code(device), "next": "/admin/core/project/"})
    assert response["Location"] == "/admin/core/project/"
    assert client.session.session_key != session_before  # a new session id once the second factor is passed
    assert client.get("/admin/core/project/").status_code == 200


def test_the_same_app_code_does_not_work_twice(client, manager):
    device, _ = enrolled(manager)
    code = app_code(device)
    assert signed_in(client, manager).post(VERIFY, {"code": code}).status_code == 302
    client.logout()
    response = signed_in(client, manager).post(VERIFY, {"code": code})
    assert WRONG in response.content.decode()


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(client, manager):
    _, codes = enrolled(manager)
    response = signed_in(client, manager).post(VERIFY, {"code": codes[0].upper(), "next": "/admin/"}, follow=True)
    assert "Осталось кодов: 9" in response.content.decode()
    client.logout()
    response = signed_in(client, manager).post(VERIFY, {"code": codes[0]})
    assert WRONG in response.content.decode()


def test_five_wrong_codes_pause_the_next_try_with_a_russian_message(client, manager):
    device, codes = enrolled(manager)
    signed_in(client, manager)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(4):
            assert WRONG in client.post(VERIFY, {"code": wrong_code(device)}).content.decode()
        assert PAUSED in client.post(VERIFY, {"code": "wrongcode"}).content.decode()  # a wrong recovery code counts
        # paused: even the right code and a recovery code are refused, and nothing is used up
        for code in (app_code(device), codes[0]):
            response = client.post(VERIFY, {"code": code})
            assert PAUSED in response.content.decode()
            assert DEVICE_ID_SESSION_KEY not in client.session
        assert StaticToken.objects.filter(token=codes[0]).exists()

        traveller.shift(timedelta(minutes=16))
        assert client.post(VERIFY, {"code": app_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_pause_holds_for_a_new_session_too(client, manager):
    device, _ = enrolled(manager)
    signed_in(client, manager)
    for _ in range(5):
        client.post(VERIFY, {"code": wrong_code(device)})
    client.logout()
    response = signed_in(client, manager).post(VERIFY, {"code": app_code(device)})
    assert PAUSED in response.content.decode()


def test_a_superuser_passes_it_too_and_investors_are_never_asked(client, superuser, investor):
    assert signed_in(client, superuser).get("/admin/")["Location"].startswith(SETUP)
    client.logout()
    assert signed_in(client, investor).get(reverse("portal:cabinet")).status_code == 200


def test_without_otp_required_nobody_is_asked(client, manager, settings):
    settings.OTP_REQUIRED = False
    assert signed_in(client, manager).get("/admin/").status_code == 200


def test_next_never_leads_off_the_site(client, manager):
    device, _ = enrolled(manager)
    response = signed_in(client, manager).post(VERIFY, {"code": app_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:index")


def test_a_person_with_an_app_cannot_replace_it_before_giving_a_code(client, manager):
    enrolled(manager)
    response = signed_in(client, manager).get(SETUP)
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_logging_out_works_before_the_code(client, manager):
    signed_in(client, manager)
    client.post(reverse("admin:logout"))
    assert SESSION_KEY not in client.session


def test_the_user_menu_links_to_the_second_factor_and_keeps_change_password(client, manager):
    device, old_codes = enrolled(manager)
    signed_in(client, manager).post(VERIFY, {"code": app_code(device)})
    html = client.get("/admin/").content.decode()
    assert f'href="{reverse("admin:otp")}"' in html
    assert f'href="{reverse("admin:password_change")}"' in html
    page = client.get(reverse("admin:otp")).content.decode()
    assert "Осталось кодов восстановления: 10" in page

    renewed = client.post(reverse("admin:otp"))
    assert renewed["Location"].startswith(reverse("admin:otp_recovery_codes"))
    assert StaticToken.objects.filter(device__user=manager).count() == 10
    assert not StaticToken.objects.filter(token__in=old_codes).exists()


def test_an_administrator_resets_a_lost_phone_and_the_log_says_who(client, administrator, manager, settings):
    settings.OTP_REQUIRED = False  # the administrator's own session is not what this test is about
    enrolled(manager)
    client.force_login(administrator)
    url = reverse("admin:core_user_reset_otp", args=[manager.pk])
    change_page = client.get(reverse("admin:core_user_change", args=[manager.pk])).content.decode()
    assert url in change_page and "Сбросить второй фактор" in change_page
    assert "Приложение-аутентификатор и все коды" in client.get(url).content.decode()

    response = client.post(url, follow=True)
    assert "сброшен" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert not StaticDevice.objects.filter(user=manager).exists()
    entry = LogEntry.objects.get_for_object(manager).latest("timestamp")
    assert entry.actor == administrator
    assert entry.changes_dict == {"второй фактор": ["настроен", "сброшен администратором"]}

    settings.OTP_REQUIRED = True
    client.logout()
    assert signed_in(client, manager).get("/admin/")["Location"].startswith(SETUP)


def test_only_who_may_edit_the_person_resets(client, administrator, manager, superuser, settings):
    settings.OTP_REQUIRED = False
    enrolled(superuser)
    client.force_login(manager)  # may only view users
    page = client.get(reverse("admin:core_user_change", args=[administrator.pk])).content.decode()
    assert "Сбросить второй фактор" not in page
    assert client.post(reverse("admin:core_user_reset_otp", args=[administrator.pk])).status_code == 403
    client.force_login(administrator)  # a superuser's phone only by a superuser
    assert client.post(reverse("admin:core_user_reset_otp", args=[superuser.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=superuser).exists()


def test_device_admins_of_django_otp_are_not_in_the_cabinet():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)  # they would show the app's secret
    assert not admin.site.is_registered(StaticDevice)


# Every URL of the cabinet, generated from the URLconf: a new page is covered the day it lands.
OPEN_BEFORE_THE_CODE = {"login", "logout", "jsi18n", "otp_setup", "otp_verify"}
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "1", "uuid": str(uuid.uuid4())}


def _sample(pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m[1] or "str"], text)
    text = re.sub(r"\(\?P<app_label>[^)]*\)", "core", text.removeprefix("^").removesuffix("$"))
    return re.sub(r"\(\?P<\w+>[^)]*\)", "1", text).replace("\\", "")


def _cabinet_urls(patterns, prefix):
    for entry in patterns:
        route = prefix + _sample(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _cabinet_urls(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield entry.name, route


def cabinet_urls():
    root = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "admin")
    return list(_cabinet_urls(root.url_patterns, "/" + _sample(root.pattern)))


def test_no_cabinet_page_opens_before_the_code(client, superuser):
    urls = cabinet_urls()
    assert len(urls) > 100
    signed_in(client, superuser)
    leaks = []
    for name, url in urls:
        if name in OPEN_BEFORE_THE_CODE:
            continue
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 302 or not response["Location"].startswith(SETUP):
                leaks.append((method.__name__, url, response.status_code))
    assert not leaks
