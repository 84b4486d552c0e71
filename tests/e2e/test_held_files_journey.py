"""An investor whose appeal comes back with an error finds the chosen file still there, ticked, and sends the appeal
with it without choosing it again (core.services.held_uploads); a manager's answer dialog the same; on a wide and a
narrow screen."""

import re

import pytest

from core.models import Appeal, HeldUpload
from tests.e2e.test_appeal_journey import cabinet_login, portal_login
from tests.e2e.test_keep_typed_journey import ANSWER_LABEL, answer_dialog, card_button

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FILE_NAME = "Схема примыкания к дороге общего пользования.pdf"


@pytest.mark.parametrize("width", [1440, 390])
def test_a_file_chosen_before_an_error_is_sent_with_the_appeal(page, investor, problem_fact, private_media,
                                                               screenshot_dir, tmp_path, width):
    attachment = tmp_path / FILE_NAME
    attachment.write_bytes(PDF)
    fact = problem_fact
    page.set_viewport_size({"width": width, "height": 900})
    portal_login(page, investor)
    page.goto("/cabinet/appeals/new/")
    page.locator("[data-step]").first.wait_for(state="detached")
    category = fact.subcategory.category  # listed by its short name when it has one
    page.get_by_label("Выберите категорию").select_option(label=category.short_name or category.name)
    page.get_by_label("Выберите подкатегорию").select_option(label=fact.subcategory.name)
    page.get_by_label("Выберите факт обращения").select_option(label=fact.name)
    page.get_by_label("Описание").fill("Просим согласовать примыкание к дороге общего пользования.")
    page.locator('input[type="file"][name="files"]').set_input_files(attachment)
    page.get_by_role("button", name="Отправить обращение").click()  # the subject is left empty

    held = page.get_by_role("group", name="Уже полученные файлы")
    held.wait_for()
    box = held.get_by_role("checkbox", name=re.compile(re.escape(FILE_NAME)))
    assert box.is_checked()
    assert "Этот файл уже получен: выбирать его снова не нужно." in held.text_content()
    assert page.locator('input[type="file"][name="files"]').evaluate("input => input.files.length") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the long name wraps on a phone
    page.screenshot(path=screenshot_dir / f"held-files-{width}.png", full_page=True)
    assert not Appeal.objects.exists()

    page.get_by_label("Тема обращения").fill("Примыкание к дороге общего пользования")
    page.get_by_role("button", name="Отправить обращение").click()

    page.wait_for_url(re.compile(r"/cabinet/appeals/\d+/$"))
    page.get_by_role("link", name=FILE_NAME).wait_for()
    assert [f.original_name for f in Appeal.objects.get().files.all()] == [FILE_NAME]
    assert not HeldUpload.objects.exists()


@pytest.mark.parametrize("width", [1440, 390])
def test_a_manager_sends_the_answer_with_the_file_chosen_before_the_error(page, answered_and_current, manager,
                                                                         private_media, screenshot_dir, tmp_path,
                                                                         width):
    _answered, current = answered_and_current
    attachment = tmp_path / FILE_NAME
    attachment.write_bytes(PDF)
    page.set_viewport_size({"width": width, "height": 900})
    cabinet_login(page, manager)
    page.goto(f"/admin/core/appeal/{current.pk}/change/")
    card_button(page, ANSWER_LABEL)
    form = answer_dialog(page)
    form.locator('input[type="file"][name="files"]').set_input_files(attachment)
    with page.expect_navigation():
        form.get_by_role("button", name=ANSWER_LABEL).click()  # no text: refused, shown again as a page

    held = page.get_by_role("group", name="Уже полученные файлы")
    held.wait_for()
    assert held.get_by_role("checkbox", name=re.compile(re.escape(FILE_NAME))).is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    held.scroll_into_view_if_needed()  # the form's body scrolls above its fixed buttons
    page.screenshot(path=screenshot_dir / f"held-files-cabinet-{width}.png")
    page.locator('textarea[name="answer_text"]').fill("Примыкание согласовано, схема во вложении.")
    with page.expect_navigation():
        page.locator("#appeal-action-form").get_by_role("button", name=ANSWER_LABEL).click()

    page.get_by_text(f"«{ANSWER_LABEL}»: готово.").wait_for()
    assert [f.original_name for f in Appeal.objects.get(pk=current.pk).files.all()] == [FILE_NAME]
    assert not HeldUpload.objects.exists()


def test_choosing_a_file_in_the_cabinet_fills_no_other_field_and_breaks_no_script(page, apply_project, manager,
                                                                                  coordinator, tmp_path):
    """unfold's script writes a chosen file's name into the nearest text box: not into «Название» any more."""
    project = apply_project()
    attachment = tmp_path / FILE_NAME
    attachment.write_bytes(PDF)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1440, "height": 900})
    cabinet_login(page, manager)
    page.goto(f"/admin/core/project/{project.pk}/do/document/")
    page.locator('input[type="file"][name="upload"]').set_input_files(attachment)
    page.wait_for_timeout(200)
    assert page.locator('[name="title"]').input_value() == ""
    page.context.clear_cookies()
    cabinet_login(page, coordinator)
    page.goto("/admin/core/appeal/add/")
    page.locator('input[type="file"][name="files"]').set_input_files(attachment)
    page.wait_for_timeout(200)
    assert errors == []
