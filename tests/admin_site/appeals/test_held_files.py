"""The cabinet's forms keep the files chosen in them when they come back with an error (core.services.held_uploads):
«Зарегистрировать обращение» and the answer's dialog, also when someone else changed the appeal meanwhile."""

import re
from datetime import timedelta
from html import unescape

import pytest

from core.choices import AppealStatus
from core.models import Appeal, HeldUpload
from tests.admin_site.appeals.helpers import act, pdf, post_action
from tests.admin_site.appeals.test_register import (
    ADD_URL,
    form,  # noqa: F401 (a fixture of that module, used here too)
)
from tests.admin_site.helpers import page_text
from tests.core.test_held_uploads import held_tokens

pytestmark = pytest.mark.django_db


def test_the_registration_form_keeps_the_files(login, coordinator, form,  # noqa: F811
                                               django_capture_on_commit_callbacks):
    client = login(coordinator)
    response = client.post(ADD_URL, {**form(subject=""), "files": [pdf()]})

    assert "Этот файл уже получен: выбирать его снова не нужно." in page_text(response)
    [token] = held_tokens(response.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD_URL, {**form(), "files-held": token})

    assert [f.original_name for f in Appeal.objects.get().files.all()] == ["Схема примыкания.pdf"]
    assert not HeldUpload.objects.exists()


def test_the_answer_dialog_keeps_its_files(login, assigned, manager, django_capture_on_commit_callbacks):
    client = login(manager)
    post_action(client, assigned, "take_into_work")

    response = post_action(client, assigned, "submit_for_approval", answer_text="",
                           files=[pdf("Письмо ресурсоснабжающей организации.pdf")])

    assert Appeal.objects.get(pk=assigned.pk).status == AppealStatus.IN_WORK  # refused: no text
    assert "Письмо ресурсоснабжающей организации.pdf" in page_text(response)
    [token] = held_tokens(response.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        post_action(client, assigned, "submit_for_approval", answer_text="Технические условия выданы.",
                    **{"files-held": token})

    appeal = Appeal.objects.get(pk=assigned.pk)
    assert appeal.status == AppealStatus.APPROVAL
    assert [f.original_name for f in appeal.files.all()] == ["Письмо ресурсоснабжающей организации.pdf"]
    assert not HeldUpload.objects.exists()


def test_an_answer_sent_from_a_stale_page_comes_back_with_its_text_and_files(
        login, assigned, manager, director, django_capture_on_commit_callbacks):
    client = login(manager)
    post_action(client, assigned, "take_into_work")
    seen = Appeal.objects.get(pk=assigned.pk).updated_at.isoformat()  # the manager opens the answer dialog…
    act(assigned, "extend_deadline", director, new_deadline=assigned.deadline + timedelta(days=5), reason="Ждём РСО")

    response = post_action(client, assigned, "submit_for_approval", version=seen,
                           answer_text="Технические условия выданы.", files=[pdf("ТУ.pdf")])

    text = page_text(response)
    assert "Пока вы заполняли форму, обращение изменил другой пользователь. Введённое вами сохранено" in text
    assert "Технические условия выданы." in text
    [token] = held_tokens(response.content.decode())
    current = unescape(re.search(r'name="version" value="([^"]+)"', response.content.decode()).group(1))
    assert Appeal.objects.get(pk=assigned.pk).status == AppealStatus.IN_WORK

    with django_capture_on_commit_callbacks(execute=True):
        post_action(client, assigned, "submit_for_approval", version=current,
                    answer_text="Технические условия выданы.", **{"files-held": token})

    appeal = Appeal.objects.get(pk=assigned.pk)
    assert (appeal.status, appeal.answer_text) == (AppealStatus.APPROVAL, "Технические условия выданы.")
    assert [f.original_name for f in appeal.files.all()] == ["ТУ.pdf"]
