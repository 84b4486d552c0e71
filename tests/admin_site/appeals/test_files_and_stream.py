"""Downloads from the appeal card (attachments, DOCX) and the fact's stream page (seed «Поток»)."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse

from core.choices import AppealStatus
from tests.admin_site.appeals.helpers import act, card_url, pdf
from tests.admin_site.helpers import page_text

NAME = "Схема участка западнее 226.pdf"


@pytest.fixture
def attachment(file_appeal):
    return file_appeal(files=[pdf(NAME)]).files.get()


def test_staff_downloads_an_attachment_with_its_cyrillic_name(login, director, attachment):
    client = login(director)
    url = reverse("admin:core_appeal_file", args=[attachment.pk])
    assert f'href="{url}"' in client.get(card_url(attachment.appeal)).content.decode()  # linked from the card
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"filename*=utf-8''{quote(NAME)}" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_attachment_of_an_appeal_one_does_not_see_answers_404(login, executor, attachment):
    assert login(executor).get(reverse("admin:core_appeal_file", args=[attachment.pk])).status_code == 404


def test_investors_get_no_cabinet_download(login, investor, attachment):
    response = login(investor).get(reverse("admin:core_appeal_file", args=[attachment.pk]))
    assert response.status_code == 302  # to the cabinet's login page: investors download in the portal


def test_stream_counts_the_facts_appeals_per_status(login, director, file_appeal, coordinator, manager, problem_fact):
    first, second, third = file_appeal(), file_appeal(), file_appeal()
    act(second, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    act(third, "reject", coordinator, reason="Дубль")
    act(first, "extend_deadline", coordinator, new_deadline=first.deadline + timedelta(days=5), reason="Ждём РСО")
    url = reverse("admin:core_appeal_stream", args=[problem_fact.pk])
    assert f'href="{url}"' in login(director).get(card_url(first)).content.decode()  # linked from the card

    response = login(director).get(url)
    assert response.status_code == 200
    counts = {label: count for label, count, colour in response.context["counters"]}
    assert counts[AppealStatus.MODERATION.label] == 1
    assert counts[AppealStatus.ASSIGNED.label] == 1
    assert counts[AppealStatus.REJECTED.label] == 1
    assert counts[AppealStatus.RESOLVED.label] == 0
    assert counts["Срок обработки обращения перенесен"] == 1
    assert len(counts) == len(AppealStatus) + 1
    text = page_text(response)
    assert f"Поток: {problem_fact.name}" in text
    assert f"Запрос #{first.number}" in text and "Крайний срок обработки обращения до:" in text


def test_stream_shows_only_what_the_user_sees(login, executor, file_appeal, problem_fact):
    file_appeal()
    response = login(executor).get(reverse("admin:core_appeal_stream", args=[problem_fact.pk]))
    assert response.status_code == 200
    assert all(count == 0 for _, count, _ in response.context["counters"])
    assert "Обращений по этому факту вам не видно." in page_text(response)


def test_docx_download(login, director, file_appeal):
    appeal = file_appeal()
    response = login(director).get(reverse("admin:core_appeal_download_docx", args=[appeal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert f'filename="obrashchenie-{appeal.number}.docx"' in response["Content-Disposition"]
    assert response.content.startswith(b"PK")
