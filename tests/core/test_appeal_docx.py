"""«Скачать DOCX»: the card re-opened with python-docx says what the screen says, and no more to an investor."""

from datetime import datetime
from io import BytesIO

import time_machine
from docx import Document

from core.documents.appeal_docx import appeal_card_docx
from core.models import Appeal
from core.services.legacy import legacy_appeal_build, legacy_appeal_save
from core.workflows.appeals import appeal_transition

INTERNAL = "Проверить полномочия подписанта"
DRAFT = "Проект примыкания согласован, съезд можно строить."


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


def text_of(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def answered_appeal(file_appeal, coordinator, manager, head):
    """Filed 21.02.2025 at 23:30 Moscow time (20:30 UTC): the Moscow date is the one printed."""
    with time_machine.travel("2025-02-21 23:30 +03:00", tick=False):
        appeal = file_appeal()
    with time_machine.travel("2025-03-03 10:00 +03:00", tick=False):
        appeal = act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                     head=head)
        appeal = act(appeal, "take_into_work", manager)
        appeal = act(appeal, "comment", manager, text=INTERNAL, is_public=False)
        appeal = act(appeal, "submit_for_approval", manager, answer_text=DRAFT)
    return appeal


def test_the_card_holds_the_request_roles_history_and_answer(file_appeal, coordinator, manager, head, investor):
    appeal = answered_appeal(file_appeal, coordinator, manager, head)
    with time_machine.travel("2025-03-04 09:00 +03:00", tick=False):
        appeal = act(appeal, "approve", head)
        appeal = act(appeal, "rate", investor, rating=5, comment="Спасибо!")

    text = text_of(appeal_card_docx(appeal=appeal, user=manager))

    company = investor.organisation
    for expected in (
        f"Обращение №{appeal.number}",
        appeal.subject,
        "21.02.2025",  # created, in Moscow time
        "13.03.2025",  # deadline: «Проблема», 20 calendar days
        "04.03.2025",  # answered
        "Обращение рассмотрено",
        f"ИНН {company.inn}",
        f"ОГРН {company.ogrn}",
        investor.full_name,
        "Вопросы бизнеса, связанные с автомобильными дорогами и транспортом → ",
        appeal.fact.name,
        appeal.appeal_type.name,
        appeal.description,
        "Руководитель", head.full_name, "Координатор", coordinator.full_name, "Менеджер", manager.full_name,
        manager.email,
        manager.organisation.short_name,
        INTERNAL,
        DRAFT,
        "Оценка инвестора: 5 из 5",
    ):
        assert expected in text, expected


def test_an_investors_copy_has_no_internal_comments_and_no_unapproved_answer(file_appeal, coordinator, manager,
                                                                             head, investor):
    appeal = answered_appeal(file_appeal, coordinator, manager, head)

    staff_copy = text_of(appeal_card_docx(appeal=appeal, user=manager))
    investor_copy = text_of(appeal_card_docx(appeal=appeal, user=investor))

    assert INTERNAL in staff_copy and "(внутреннее)" in staff_copy
    assert DRAFT in staff_copy and "Проект ответа" in staff_copy
    assert INTERNAL not in investor_copy and "(внутреннее)" not in investor_copy
    assert DRAFT not in investor_copy  # the draft waits for the head's approval
    assert "Ответа пока нет." in investor_copy
    assert f"Обращение №{appeal.number}" in investor_copy


def test_a_legacy_appeal_prints_its_answer_and_where_it_came_from(classifier, problem_fact, investor, data_clerk):
    appeal = legacy_appeal_save(appeal=legacy_appeal_build(
        number=368, created_at=datetime.fromisoformat("2025-02-21T00:30:00+03:00"),
        organisation=investor.organisation, fact=problem_fact, subject="Съезд", status="resolved",
        answer_text="Проект примыкания согласован.", answered_at=datetime.fromisoformat("2025-03-10T10:00:00+03:00"),
        rating=5,
    ), actor=data_clerk)

    text = text_of(appeal_card_docx(appeal=appeal, user=investor))

    for expected in ("Обращение №368", "21.02.2025", "13.03.2025", "10.03.2025", "Решено", "Из прежней системы",
                     "Загружено из прежней системы", "Проект примыкания согласован.", "не назначен"):
        assert expected in text, expected
