"""«Составить черновик» in a browser (issue 15): the manager asks the (fake, local) language model for a draft in the
answer dialog; the marked text lands in the answer field, nothing is sent until the manager sends the form."""

import pytest

from core.models import Appeal
from core.services.drafts import DRAFT_MARK
from tests.admin_site.appeals.helpers import act, action_url
from tests.e2e.test_appeal_journey import cabinet_login
from tests.fake_llm import serve


@pytest.fixture
def fake_model(settings):
    yield from serve(settings)


@pytest.mark.parametrize("width", [1440, 390])
def test_the_manager_drafts_an_answer_and_edits_it(page, fake_model, file_appeal, coordinator, manager, head,
                                                  screenshot_dir, width):
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    appeal = act(appeal, "take_into_work", manager)
    page.set_viewport_size({"width": width, "height": 900})
    cabinet_login(page, manager)
    if width > 800:  # the card's button opens the dialog in unfold's modal
        page.goto(f"/admin/core/appeal/{appeal.pk}/change/")
        page.get_by_role("link", name="Направить ответ на согласование").click()
        form = page.locator("#modal-content #appeal-action-form")
    else:  # on a phone the buttons sit in a menu; the dialog's own page is the same form
        page.goto(action_url(appeal, "submit_for_approval"))
        form = page.locator("#appeal-action-form")
    form.wait_for()
    form.get_by_role("button", name="Составить черновик").click()
    area = form.locator('[name="answer_text"]')
    page.wait_for_function("el => el.value.length > 0", arg=area.element_handle())
    assert area.input_value() == f"{DRAFT_MARK}\n\nУважаемый инвестор!"
    form.get_by_text("Черновик вставлен.").wait_for()
    page.screenshot(path=screenshot_dir / f"draft-answer-{width}.png")
    assert Appeal.objects.get(pk=appeal.pk).answer_text == ""  # nothing sent: the person edits and sends it


@pytest.mark.parametrize("width", [1440, 390])
def test_the_manager_drafts_a_project_brief_to_copy(page, fake_model, apply_project, manager, screenshot_dir, width):
    project = apply_project()
    page.set_viewport_size({"width": width, "height": 900})
    cabinet_login(page, manager)
    page.goto(f"/admin/core/project/{project.pk}/brief-draft/")
    page.get_by_text("Черновиков справки по этому проекту вы ещё не составляли.").wait_for()
    page.get_by_role("button", name="Составить черновик").click()
    text = page.locator("#zk-draft-text")
    text.wait_for()
    assert text.input_value() == f"{DRAFT_MARK}\n\nУважаемый инвестор!"
    page.screenshot(path=screenshot_dir / f"draft-brief-{width}.png")
    assert project.name in fake_model.prompt()


def test_a_failed_draft_is_explained_in_the_dialog(page, fake_model, file_appeal, coordinator, manager, head):
    fake_model.status = 503
    appeal = act(file_appeal(), "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    appeal = act(appeal, "take_into_work", manager)
    cabinet_login(page, manager)
    page.goto(action_url(appeal, "submit_for_approval"))
    form = page.locator("#appeal-action-form")
    form.get_by_role("button", name="Составить черновик").click()
    form.get_by_text("Языковая модель ответила ошибкой (код 503).").wait_for()
    assert form.locator('[name="answer_text"]').input_value() == ""
