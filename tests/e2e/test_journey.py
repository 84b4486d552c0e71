import re

import pytest
from django.core import mail

from core.models import User
from core.roles import Role
from tests.portal.support import PASSWORD, VALID_INN, VALID_OGRN

pytestmark = pytest.mark.e2e

INVESTOR_EMAIL = "a.kedrova@kedr-logistika.example"


def fill(page, values: dict) -> None:
    for name, value in values.items():
        page.locator(f'[name="{name}"]').fill(value)


def test_investor_registers_confirms_logs_in_and_a_manager_opens_the_cabinet(
    page, roles, make_user, agency, screenshot_dir
):
    page.goto("/")
    page.get_by_role("link", name="Зарегистрироваться").click()
    fill(
        page,
        {
            "email": INVESTOR_EMAIL,
            "password": PASSWORD,
            "password_repeat": PASSWORD,
            "last_name": "Кедрова",
            "first_name": "Алина",
            "middle_name": "Павловна",
            "phone": "+7 921 555-03-04",
            "position": "Директор по развитию",
            "inn": VALID_INN,
            "ogrn": VALID_OGRN,
            "full_name": "Общество с ограниченной ответственностью «Кедр Логистика»",
            "short_name": "ООО «Кедр Логистика»",
        },
    )
    page.get_by_label("Даю согласие на обработку").check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    page.get_by_role("heading", name="Подтвердите электронную почту").wait_for()

    assert User.objects.get(email=INVESTOR_EMAIL).email_confirmed_at is None
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)

    page.goto(link)
    page.get_by_text("Электронная почта подтверждена").wait_for()
    fill(page, {"username": INVESTOR_EMAIL, "password": PASSWORD})
    page.get_by_role("button", name="Войти").click()

    page.wait_for_url("**/cabinet/")
    page.get_by_role("heading", name="Личный кабинет инвестора").wait_for()
    body = page.locator("body").text_content()
    assert "ООО «Кедр Логистика»" in body  # the header: name and company
    assert "«Кедр Логистика» · ИНН 9704098567" in body
    assert "Ваш персональный менеджер" in body
    assert "Менеджер будет назначен" in body
    page.screenshot(path=screenshot_dir / "cabinet.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "cabinet-mobile.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/")

    manager = make_user(Role.MANAGER, organisation=agency, email="e2e-manager@test.zk.example")
    page.goto("/admin/login/")
    fill(page, {"username": manager.email, "password": PASSWORD})
    page.locator('button[type="submit"]').click()
    page.wait_for_url("**/admin/")
    assert "Зелёный коридор" in page.title()
    assert "Кабинет менеджера" in page.locator("body").text_content()
