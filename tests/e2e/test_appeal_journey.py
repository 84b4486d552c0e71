"""The seed's case «Контроль качества ответа» (тип «Помощь», a road junction agreed with an ОМСУ) through the real UI.

An investor files an appeal with a file on the portal; in the manager cabinet the agency's coordinator assigns it
to the agency manager, the manager redirects it to the district administration (ОМСУ), the ОМСУ executor takes it
into work (and so becomes its manager) and drafts the answer, the agency's head approves it (seed #737: the head
stays the agency's after a redirect), the coordinator closes it «Решено»; the investor sees
the answer and rates it 5. Every person works in a browser context of their own (own cookies).
"""

import re
import struct
import zlib

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from core.choices import AppealStatus, FileKind
from core.models import Appeal
from core.roles import Role
from core.workflows.appeals import appeal_deadline
from tests.e2e.pickers import choose, open_picker
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e

FILE_NAME = "ЗУ западнее участка 226.png"
SUBJECT = "Согласование проекта съезда на ул. Промышленную"
DESCRIPTION = (
    "Просим помочь согласовать с администрацией района проект примыкания промышленной площадки "
    "к ул. Промышленной: согласование ведём самостоятельно около шести месяцев."
)
REDIRECT_COMMENT = "Прошу рассмотреть проект примыкания и провести ВКС с инвестором."
ANSWER = "Проект примыкания согласован, решение администрации района направлено инвестору."


def png_1x1() -> bytes:
    """A valid one-pixel PNG (the upload check reads the signature)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(b"\x00\xff\xff\xff")  # one row: no filter, one white RGB pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


# --- the two doors: the investor portal and the manager cabinet ----------------------------------------------
def portal_login(page, user) -> None:
    page.goto("/login/")
    page.locator('[name="username"]').fill(user.email)
    page.locator('[name="password"]').fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/cabinet/")


def cabinet_login(page, user) -> None:
    page.goto("/admin/login/")
    page.locator('[name="username"]').fill(user.email)
    page.locator('[name="password"]').fill(TEST_PASSWORD)
    page.locator('button[type="submit"]').click()
    page.wait_for_url("**/admin/")


def cabinet_open_appeal(page, number: int) -> None:
    """From the appeals list to the card, as a person finds it."""
    page.goto("/admin/core/appeal/")
    page.get_by_role("link", name=f"#{number}", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/core/appeal/\d+/change/$"))
    page.get_by_role("heading", name="История работ по обращению").wait_for()


def cabinet_action(page, label: str, fill=None, *, shot=None) -> None:
    """Click the card's button, fill the form in unfold's modal and submit it; the cabinet says «…: готово»."""
    link = page.get_by_role("link", name=label)
    dialog = link.get_attribute("hx-get")
    with page.expect_response(lambda response: response.url.endswith(dialog)) as answer:
        link.click()
    assert answer.value.status == 200, f"{dialog} answered {answer.value.status}"
    form = page.locator("#modal-content #appeal-action-form")
    try:
        form.wait_for()
    except PlaywrightTimeoutError:  # say which step failed (it once timed out here on a busy machine)
        raise AssertionError(f"the dialog of «{label}» did not open: the page is {page.url}, the modal holds "
                             f"{page.locator('#modal-content').inner_html()[:300]!r}") from None
    if fill:
        fill(form)
    if shot:
        page.screenshot(path=shot)
    with page.expect_navigation():
        form.get_by_role("button", name=label).click()
    page.get_by_text(f"«{label}»: готово.").wait_for()


def status_badge(page, text: str):
    """The appeal's own status badge (not the badges of «Что означают статусы»), by its whole text."""
    return page.locator(".appeal-status", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def test_investor_files_an_appeal_the_omsu_answers_and_the_investor_rates_it(
    person_page, investor, coordinator, manager, executor, head, omsu, make_user, problem_fact, private_media,
    screenshot_dir, tmp_path,
):
    make_user(Role.HEAD, organisation=omsu, email="omsu-head@test.zk.example")
    attachment = tmp_path / FILE_NAME
    attachment.write_bytes(png_1x1())
    fact = problem_fact

    # --- the investor files the appeal on the portal -------------------------------------------------------
    page = person_page()
    portal_login(page, investor)
    page.get_by_role("link", name="Мои обращения", exact=True).click()
    page.get_by_role("link", name="Создать обращение").click()
    page.get_by_role("heading", name="Создать обращение").wait_for()
    # the page's script removes the no-JavaScript step buttons once it has taken over the selects
    page.locator("[data-step]").first.wait_for(state="detached")
    category = fact.subcategory.category
    page.get_by_label("Выберите категорию").select_option(label=category.short_name or category.name)
    page.get_by_label("Выберите подкатегорию").select_option(label=fact.subcategory.name)
    page.get_by_label("Выберите факт обращения").select_option(label=fact.name)
    days = fact.appeal_type.period_days
    assert days % 10 not in (1, 2, 3, 4) or days % 100 in (11, 12, 13, 14)  # the fixture's 20: «дней»
    page.get_by_text(f"Срок ответа — {days} дней").wait_for()  # the chosen fact's hint, in words
    page.get_by_label("Тема обращения").fill(SUBJECT)
    page.get_by_label("Описание").fill(DESCRIPTION)
    assert page.get_by_label("ИНН").input_value() == investor.organisation.inn  # prefilled from the company
    page.locator('input[type="file"][name="files"]').set_input_files(attachment)
    page.get_by_role("button", name="Отправить обращение").click()

    page.wait_for_url(re.compile(r"/cabinet/appeals/\d+/$"))
    message = page.locator(".messages").text_content()
    registered = re.search(r"Обращение №(\d+) зарегистрировано\. Ответ будет дан до (\d\d\.\d\d\.\d{4})", message)
    assert registered, message
    number = int(registered.group(1))
    appeal = Appeal.objects.get(number=number)
    expected_deadline = appeal_deadline(fact=fact, start=timezone.localdate(appeal.created_at))  # 20 calendar days
    assert registered.group(2) == f"{expected_deadline:%d.%m.%Y}"
    assert appeal.status == AppealStatus.MODERATION and appeal.fact == fact
    page.get_by_role("heading", name=f"Обращение №{number}").wait_for()
    assert f"ответ до {expected_deadline:%d.%m.%Y}" in page.locator(".facts").text_content()
    page.get_by_role("link", name=FILE_NAME).wait_for()
    page.screenshot(path=screenshot_dir / "appeal-1-investor-filed.png", full_page=True)
    page.context.close()

    # --- the coordinator assigns it to the agency manager --------------------------------------------------
    page = person_page()
    cabinet_login(page, coordinator)
    cabinet_open_appeal(page, number)
    page.get_by_role("link", name=FILE_NAME).first.wait_for()  # among the request's files and in the history
    page.screenshot(path=screenshot_dir / "appeal-2-cabinet-new.png", full_page=True)

    def assign(form):
        form.locator('select[name="executor_organisation"]').select_option(value=str(manager.organisation_id))
        open_picker(page, form, "manager", manager.last_name)  # the organisation's people, searchable
        choose(page, manager)
        form.locator('textarea[name="comment"]').fill("Проект примыкания, работаем с администрацией района.")

    cabinet_action(page, "Назначить менеджера", assign, shot=screenshot_dir / "appeal-2-assign-dialog.png")
    page.get_by_text("Обращение передано на исполнение").first.wait_for()
    page.context.close()

    # --- the manager redirects it to the ОМСУ ---------------------------------------------------------------
    page = person_page()
    cabinet_login(page, manager)
    cabinet_open_appeal(page, number)

    def redirect(form):
        form.locator('select[name="executor_organisation"]').select_option(value=str(omsu.pk))
        form.locator('textarea[name="comment"]').fill(REDIRECT_COMMENT)

    cabinet_action(page, "Перенаправить", redirect, shot=screenshot_dir / "appeal-3-redirect-dialog.png")
    # The manager is no longer on the appeal (the coordinator keeps it), so the card it returns to is not theirs.
    page.screenshot(path=screenshot_dir / "appeal-3-manager-after-redirect.png", full_page=True)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REDIRECTED and appeal.executor_organisation == omsu
    page.context.close()

    # --- the ОМСУ executor takes it into work and drafts the answer ------------------------------------------
    page = person_page()
    cabinet_login(page, executor)
    cabinet_open_appeal(page, number)
    page.get_by_text(REDIRECT_COMMENT).wait_for()
    cabinet_action(page, "Взять в работу")
    cabinet_action(
        page, "Направить ответ на согласование",
        lambda form: form.locator('textarea[name="answer_text"]').fill(ANSWER),
    )
    page.get_by_text("Проект ответа на согласовании (инвестор его ещё не видит)").wait_for()
    page.context.close()

    # --- the agency's head approves the answer ---------------------------------------------------------------
    page = person_page()
    cabinet_login(page, head)
    cabinet_open_appeal(page, number)
    cabinet_action(page, "Согласовать ответ")
    page.get_by_text("Ответ 1", exact=True).wait_for()
    page.context.close()

    # --- the coordinator, who still follows it, closes it «Решено» ---------------------------------------------
    page = person_page()
    cabinet_login(page, coordinator)
    cabinet_open_appeal(page, number)
    cabinet_action(
        page, "Закрыть с итогом",
        lambda form: form.locator('select[name="outcome"]').select_option(value=AppealStatus.RESOLVED),
    )
    page.screenshot(path=screenshot_dir / "appeal-4-cabinet-resolved.png", full_page=True)
    page.context.close()

    # --- the investor sees the answer and rates it 5 --------------------------------------------------------
    page = person_page()
    portal_login(page, investor)
    page.get_by_role("link", name="Мои обращения", exact=True).click()
    row = page.locator("tr", has=page.get_by_role("link", name=f"№{number}", exact=True))
    row.locator(".badge", has_text="Решено").wait_for()
    row.get_by_role("link", name=f"№{number}", exact=True).click()
    page.get_by_role("heading", name=f"Обращение №{number}").wait_for()
    status_badge(page, "Решено").wait_for()
    answer = page.locator("#answer")
    answer.get_by_text(ANSWER).wait_for()
    page.screenshot(path=screenshot_dir / "appeal-5-investor-answered.png", full_page=True)

    rate = page.locator("#action-rate")
    rate.get_by_label("5 — отлично").check()
    rate.get_by_label("Комментарий к оценке").fill("Согласовали за неделю, спасибо.")
    rate.get_by_role("button", name="Оценить ответ").click()
    page.get_by_text("Спасибо за оценку ответа.").wait_for()
    answer.get_by_text("Ваша оценка: 5 из 5").wait_for()
    assert page.locator("#action-rate").count() == 0  # rated once
    with page.expect_download() as download:
        page.get_by_role("link", name=FILE_NAME).click()
    assert download.value.suggested_filename == FILE_NAME
    page.screenshot(path=screenshot_dir / "appeal-6-investor-rated.png", full_page=True)

    # --- what was stored ---------------------------------------------------------------------------------------
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RESOLVED
    assert appeal.rating == 5
    assert appeal.executor_organisation == omsu
    assert (appeal.coordinator, appeal.head, appeal.manager) == (coordinator, head, executor)
    assert appeal.answer_text == ANSWER and appeal.answered_by == executor and appeal.answered_at
    assert appeal.deadline == expected_deadline
    history = list(appeal.events.order_by("created_at", "pk").values_list("name", "actor", "to_status"))
    assert history == [
        ("submit", investor.pk, AppealStatus.MODERATION),
        ("assign", coordinator.pk, AppealStatus.ASSIGNED),
        ("assign_note", coordinator.pk, ""),  # what the coordinator typed stays among staff
        ("redirect", manager.pk, AppealStatus.REDIRECTED),
        ("redirect_note", manager.pk, ""),
        ("take_into_work", executor.pk, AppealStatus.IN_WORK),
        ("submit_for_approval", executor.pk, AppealStatus.APPROVAL),
        ("approve", head.pk, AppealStatus.ANSWERED),
        ("close", coordinator.pk, AppealStatus.RESOLVED),
        ("rate", investor.pk, AppealStatus.RESOLVED),
    ]
    stored = appeal.files.get()
    assert stored.kind == FileKind.REQUEST and stored.original_name == FILE_NAME and stored.is_public
    assert stored.file.name.startswith("appeals/") and FILE_NAME not in stored.file.name  # a random private name
    with stored.file.open("rb") as handle:
        assert handle.read() == attachment.read_bytes()
