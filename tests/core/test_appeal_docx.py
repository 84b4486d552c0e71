"""«Скачать DOCX»: the card re-opened with python-docx says what the screen says, and no more to an investor."""

from datetime import date, datetime
from io import BytesIO

import time_machine
from docx import Document

from core.documents.appeal_docx import appeal_card_docx
from core.models import Appeal
from core.selectors.appeals import appeal_card_for
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

    text = text_of(appeal_card_docx(card=appeal_card_for(appeal=appeal, user=manager)))

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

    staff_copy = text_of(appeal_card_docx(card=appeal_card_for(appeal=appeal, user=manager)))
    investor_copy = text_of(appeal_card_docx(card=appeal_card_for(appeal=appeal, user=investor)))

    assert INTERNAL in staff_copy and "(Служебное)" in staff_copy
    assert DRAFT in staff_copy and "Проект ответа" in staff_copy
    assert INTERNAL not in investor_copy and "Служебное" not in investor_copy
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

    text = text_of(appeal_card_docx(card=appeal_card_for(appeal=appeal, user=investor)))

    for expected in ("Обращение №368", "21.02.2025", "13.03.2025", "10.03.2025", "Решено", "Из прежней системы",
                     "Загружено из прежней системы", "Проект примыкания согласован.", "не назначен"):
        assert expected in text, expected


def test_both_faces_show_the_rounds_and_only_staff_read_internal_lines(file_appeal, coordinator, manager, head,
                                                                       investor):
    appeal = answered_appeal(file_appeal, coordinator, manager, head)
    appeal = act(appeal, "approve", head)
    appeal = act(appeal, "rate", investor, rating=3, comment="Мало подробностей")
    appeal = act(appeal, "send_back_for_rework", investor, reason="Нет срока выдачи ТУ")
    appeal = act(appeal, "comment", manager, text="Запросить у сетевой компании срок", is_public=False)
    # a public line «срок перенесён» whose typed reason stays with the staff (an internal note row)
    appeal = act(appeal, "extend_deadline", coordinator, new_deadline=date(2025, 4, 30),
                 reason="Ждём письмо сетевой компании", text_public=False)
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Второй ответ: ТУ выдадут до 01.04.2025.")

    staff = text_of(appeal_card_docx(card=appeal_card_for(appeal=appeal, user=manager)))
    public = text_of(appeal_card_docx(card=appeal_card_for(appeal=appeal, user=investor)))

    for both in ("Ответ 1 от", DRAFT, "Оценка инвестора: 3 из 5", "Мало подробностей", "Нет срока выдачи ТУ",
                 "Отправлен на доработку", "Канал поступления"):
        assert both in staff and both in public, both
    assert "30.04.2025" in public  # the line itself is public
    for staff_only in ("Запросить у сетевой компании срок", "Ждём письмо сетевой компании", "Служебное",
                       "Второй ответ: ТУ выдадут", "Проект ответа (инвестору ещё не направлен)"):
        assert staff_only in staff and staff_only not in public, staff_only

    appeal = act(appeal, "approve", head)
    appeal = act(appeal, "rate", investor, rating=5)
    public = text_of(appeal_card_docx(card=appeal_card_for(appeal=appeal, user=investor)))
    assert "Ответ 2 от" in public and "Второй ответ: ТУ выдадут до 01.04.2025." in public
    assert "Оценка инвестора: 5 из 5" in public and "Итоговая оценка обращения: 5 из 5" in public
