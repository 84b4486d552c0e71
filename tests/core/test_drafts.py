"""Drafts from the optional language model (core.services.drafts, issue 15): a local fake server speaks the chat
completions API and records what it was sent; nothing here reaches the network."""

import pytest

from core.choices import AppealEventKind
from core.models import AppealEvent, DraftJob, DraftKind
from core.services.drafts import DRAFT_MARK, draft_job_create, mask_personal_data
from tests.admin_site.appeals.helpers import act
from tests.fake_llm import serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_model(settings):
    yield from serve(settings)


@pytest.fixture
def in_work(file_appeal, coordinator, manager, head):
    appeal = file_appeal(description="Отказ в согласовании съезда. Звоните: +7 (921) 123-45-67 или 8 812 555 44 33, "
                                     "пишите на ivanov.petr@example.ru.")
    appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                 head=head)
    return act(appeal, "take_into_work", manager)


def answer(file_appeal, coordinator, manager, head, text: str):
    """An appeal of the same fact answered through the door with `text`."""
    appeal = act(file_appeal(subject="Ещё один съезд"), "assign", coordinator,
                 executor_organisation=manager.organisation, manager=manager, head=head)
    appeal = act(appeal, "take_into_work", manager)
    act(appeal, "submit_for_approval", manager, answer_text=text)
    return act(appeal, "approve", head)


def run(django_capture_on_commit_callbacks, *, kind, obj, user) -> DraftJob:
    with django_capture_on_commit_callbacks(execute=True):  # the q2 task runs inline in tests (sync)
        job = draft_job_create(kind=kind, obj=obj, user=user)
    return DraftJob.objects.get(pk=job.pk)


@pytest.mark.parametrize("text", [
    "+7 (921) 123-45-67", "8 921 123 45 67", "89211234567", "+7-812-555-44-33", "+79211234567", "тел. 555-44-33",
])
def test_russian_phone_formats_are_masked(text):
    assert "[телефон]" in mask_personal_data(text) and not any(ch.isdigit() for ch in mask_personal_data(text))


def test_emails_are_masked_and_ordinary_numbers_stay():
    masked = mask_personal_data("Пишите: ivanov.petr@example.ru, Отдел@почта.рф; ИНН 7801234567, 2025 год, 15 га")
    assert masked == "Пишите: [e-mail], [e-mail]; ИНН 7801234567, 2025 год, 15 га"


def test_an_answer_draft_asks_with_the_appeal_and_similar_answers_and_lands_marked(
        fake_model, in_work, file_appeal, coordinator, manager, head, django_capture_on_commit_callbacks):
    for text in ("Съезд согласован письмом от 1 марта.", "Первый ответ по съезду.", "Повторный ответ по съезду."):
        answer(file_appeal, coordinator, manager, head, text)
    AppealEvent.objects.create(appeal=in_work, kind=AppealEventKind.COMMENT, text="СЕКРЕТНАЯ внутренняя заметка",
                               is_public=False, actor=manager)
    job = run(django_capture_on_commit_callbacks, kind=DraftKind.APPEAL_ANSWER, obj=in_work, user=manager)

    assert job.status == "done" and job.error == ""
    assert job.text == f"{DRAFT_MARK}\n\nУважаемый инвестор!"
    sent = fake_model.requests[-1]
    assert sent["path"] == "/v1/chat/completions" and sent["authorization"] == "Bearer secret-key"
    assert sent["body"]["model"] == "local-test" and [m["role"] for m in sent["body"]["messages"]] == ["system", "user"]
    prompt = fake_model.prompt()
    assert in_work.subject in prompt and "Отказ в согласовании съезда" in prompt
    assert in_work.fact.name in prompt
    assert prompt.count("Согласованный ответ на похожее обращение") == 3
    assert "Повторный ответ по съезду." in prompt and "Съезд согласован письмом от 1 марта." in prompt
    assert "[телефон]" in prompt and "[e-mail]" in prompt
    assert "123-45-67" not in prompt and "555 44 33" not in prompt and "ivanov.petr" not in prompt
    assert "СЕКРЕТНАЯ" not in prompt


def test_a_timeout_fails_the_job_with_a_russian_message(fake_model, settings, in_work, manager,
                                                        django_capture_on_commit_callbacks):
    settings.LLM_TIMEOUT_SECONDS = 1
    fake_model.delay = 2.5
    job = run(django_capture_on_commit_callbacks, kind=DraftKind.APPEAL_ANSWER, obj=in_work, user=manager)
    assert job.status == "failed" and job.text == ""
    assert job.error.startswith("Языковая модель не ответила за 1 с.")


@pytest.mark.parametrize(("status", "reply", "message"), [
    (500, {"error": "boom"}, "Языковая модель ответила ошибкой (код 500)."),
    (200, b"<html>not json</html>", "Языковая модель прислала ответ в непонятном виде."),
    (200, {"choices": []}, "Языковая модель прислала ответ в непонятном виде."),
])
def test_a_bad_answer_fails_the_job_with_a_russian_message(fake_model, in_work, manager, status, reply, message,
                                                           django_capture_on_commit_callbacks):
    fake_model.status, fake_model.reply = status, reply
    job = run(django_capture_on_commit_callbacks, kind=DraftKind.APPEAL_ANSWER, obj=in_work, user=manager)
    assert job.status == "failed" and job.error.startswith(message)


def test_a_refused_connection_fails_the_job(fake_model, settings, in_work, manager,
                                            django_capture_on_commit_callbacks):
    fake_model.server.shutdown()
    fake_model.server.server_close()
    job = run(django_capture_on_commit_callbacks, kind=DraftKind.APPEAL_ANSWER, obj=in_work, user=manager)
    assert job.status == "failed" and job.error.startswith("Не удалось связаться с языковой моделью.")


def test_a_brief_draft_summarises_the_project_as_the_person_sees_it(fake_model, apply_project, manager,
                                                                    django_capture_on_commit_callbacks):
    project = apply_project()
    project.description = "Завод. Контакт директора: +7 921 000-11-22, director@zavod.ru"
    project.save(update_fields=["description"])
    job = run(django_capture_on_commit_callbacks, kind=DraftKind.PROJECT_BRIEF, obj=project, user=manager)
    assert job.status == "done" and job.text.startswith(DRAFT_MARK)
    prompt = fake_model.prompt()
    assert project.name in prompt and project.get_stage_display() in prompt
    assert "Завод." in prompt and "000-11-22" not in prompt and "director@" not in prompt


def test_with_the_model_off_no_draft_can_be_asked(settings, in_work, manager):
    settings.LLM_URL = ""
    with pytest.raises(Exception, match="Черновик здесь составить нельзя"):
        draft_job_create(kind=DraftKind.APPEAL_ANSWER, obj=in_work, user=manager)
    assert not DraftJob.objects.exists()
