"""Browser journey of the second factor: a manager enrols the app, keeps the recovery codes, logs out, logs in
again with a code (a wrong one first) and reaches the dashboard."""

import re
import time
from base64 import b32decode
from binascii import hexlify

import pytest
from django_otp.oath import TOTP

from core.roles import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e
CABINET = re.compile(r"^[^?]*/admin/$")  # the dashboard itself, not /admin/otp/verify/?next=/admin/


def code_for(secret: str, *, at: float) -> str:
    """What the phone would show: the secret read off the page, through django-otp's RFC 6238 arithmetic."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = at
    return f"{totp.token():06d}"


def wrong_code(secret: str) -> str:
    """Six digits the server accepts at no step of its window (now and one step either side)."""
    window = {code_for(secret, at=time.time() + shift) for shift in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in window)


def next_code(secret: str, device) -> str:
    """The code of the step after the server's present one, as the server counts steps for this device.

    django-otp accepts one step either side of the present one and remembers two things from the enrolment: the last
    step used (a code works once) and the clock drift it saw (a code typed at 29 s and checked at 31 s leaves the
    device one step behind). The next step is always unused and still inside the window should the 30-second step
    end between this call and the server's check."""
    device.refresh_from_db()
    step = int(time.time() - device.t0) // device.step + device.drift + 1
    assert step > device.last_t
    return code_for(secret, at=device.t0 + step * device.step + device.step / 2)


def sign_in(page, email: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.locator('[name="username"]').fill(email)
    page.locator('[name="password"]').fill(TEST_PASSWORD)
    page.locator('button[type="submit"]').click()


def test_a_manager_enrols_logs_out_and_logs_in_with_a_code(page, make_user, agency, settings, screenshot_dir):
    settings.OTP_REQUIRED = True
    manager = make_user(Role.MANAGER, organisation=agency, email="otp-manager@test.zk.example")

    sign_in(page, manager.email)
    page.wait_for_url("**/admin/otp/setup/**")
    page.get_by_role("heading", name="Настройка второго фактора").wait_for()
    assert page.locator("svg.segno").is_visible()  # the QR code, drawn by our server
    secret = page.get_by_test_id("otp-secret").text_content().strip()
    assert hexlify(b32decode(secret.replace(" ", ""))).decode() == manager.totpdevice_set.get().key
    page.screenshot(path=screenshot_dir / "otp-setup.png", full_page=True)

    page.get_by_label("Код").fill(code_for(secret, at=time.time()))
    page.get_by_role("button", name="Подтвердить").click()
    page.wait_for_url("**/admin/otp/recovery-codes/**")
    codes = page.get_by_test_id("recovery-codes").locator("li").all_text_contents()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать").click()
    assert all(code in download.value.path().read_text() for code in codes)
    page.get_by_role("button", name="Я сохранил коды — продолжить").click()
    page.wait_for_url(CABINET)
    assert "Кабинет менеджера" in page.locator("body").text_content()

    page.set_viewport_size({"width": 1440, "height": 900})  # unfold folds the sidebar away up to 1280 px
    page.reload()
    user_menu = page.get_by_text(manager.email)  # the user menu at the foot of the sidebar
    user_menu.click()
    page.get_by_role("link", name="Второй фактор").wait_for()  # the menu opens with a transition
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(lambda url: "/admin/" not in url or "/admin/logout/" in url)
    page.goto("/admin/")
    page.wait_for_url("**/admin/login/**")

    sign_in(page, manager.email)
    page.wait_for_url("**/admin/otp/verify/**")
    page.get_by_label("Код").fill(wrong_code(secret))
    page.get_by_role("button", name="Войти", exact=True).click()
    page.get_by_text("Неверный код").wait_for()
    page.screenshot(path=screenshot_dir / "otp-wrong-code.png", full_page=True)

    # a code works once, and the enrolment's may be this 30-second step's: the phone's next one (the server accepts
    # one step of clock drift) instead of waiting for it
    page.get_by_label("Код").fill(next_code(secret, manager.totpdevice_set.get()))
    page.get_by_role("button", name="Войти", exact=True).click()
    page.wait_for_url(CABINET)
    assert "Кабинет менеджера" in page.locator("body").text_content()
