"""«Ответы для ПОС»: the public answers to ПОС messages of a period as an xlsx (core.selectors.pos, core.reports.pos);
internal comments and drafts never leave the system."""

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from core.choices import AppealChannel
from core.models import Appeal
from core.reports.pos import pos_answer_register
from core.reports.render import header_row_number, render_xlsx
from core.selectors.pos import pos_answers_for
from core.services.organisations import investor_get_or_create
from core.services.pos import pos_appeal_register
from core.workflows.appeals import appeal_transition

ANSWER = "Разрешение на ввод объекта выдано 20.11.2026, копия направлена на вашу почту."
INTERNAL = "Служебно: исполнитель просит не затягивать, проверить до пятницы."
DRAFT = "Черновик второго ответа, ещё не согласован."
REASON = "Сообщение не относится к инвестиционной деятельности."


def act(appeal, name, actor, **data):
    return appeal_transition(appeal=Appeal.objects.get(pk=appeal.pk), name=name, actor=actor, **data)


@pytest.fixture
def pos_message(classifier, coordinator, problem_fact):
    company, _ = investor_get_or_create(inn="4770281140", name="ООО «Северный терминал»", actor=coordinator)

    def make(number: str, **fields) -> Appeal:
        return pos_appeal_register(
            actor=coordinator, pos_number=number, received_at=timezone.now() - timedelta(days=2), fact=problem_fact,
            subject="Задержка ввода склада", text="Просим содействия.", inn=company.inn,
            contact_email="a.smirnova@severny-terminal.example", **fields,
        )

    return make


def xlsx_rows(appeals, today) -> tuple[list, list[list]]:
    table = pos_answer_register(appeals, start=today, end=today, today=today)
    out = BytesIO()
    render_xlsx(table, out)
    sheet = openpyxl.load_workbook(BytesIO(out.getvalue())).active
    rows = [list(row) for row in sheet.iter_rows(min_row=header_row_number(table), values_only=True)]
    return rows[0], rows[1:]


def test_the_file_holds_the_public_answer_never_an_internal_comment(pos_message, coordinator, manager, head,
                                                                     django_assert_max_num_queries):
    answered = pos_message("2871450311")
    act(answered, "assign", coordinator, executor_organisation=manager.organisation, manager=manager, head=head,
        comment=INTERNAL, text_public=False)
    act(answered, "comment", manager, text=INTERNAL, is_public=False)
    act(answered, "take_into_work", manager)
    act(answered, "submit_for_approval", manager, answer_text=ANSWER)
    act(answered, "approve", head)
    rejected = act(pos_message("2871452087"), "reject", coordinator, reason=REASON)
    pos_message("2871460519")  # not answered yet: nothing to upload
    today = timezone.localdate()

    with django_assert_max_num_queries(2):
        header, rows = xlsx_rows(pos_answers_for(user=coordinator, start=today, end=today), today)

    assert header == ["Номер сообщения", "Статус", "Текст ответа", "Дата ответа", "№ обращения", "Статус в системе"]
    assert [row[:3] for row in rows] == [["2871450311", "Ответ направлен", ANSWER],
                                         ["2871452087", "Отклонено", REASON]]
    assert rows[0][3].date() == today and rows[1][4] == rejected.number
    assert not any(INTERNAL in str(cell) for row in rows for cell in row)


def test_an_answer_sent_back_shows_the_approved_text_not_the_new_draft(pos_message, coordinator, manager, head):
    appeal = pos_message("2871450311")
    act(appeal, "assign", coordinator, executor_organisation=manager.organisation, manager=manager, head=head)
    act(appeal, "take_into_work", manager)
    act(appeal, "submit_for_approval", manager, answer_text=ANSWER)
    act(appeal, "approve", head)
    Appeal.objects.filter(pk=appeal.pk).update(answer_text=DRAFT)  # a new round being prepared
    today = timezone.localdate()

    _header, rows = xlsx_rows(pos_answers_for(user=coordinator, start=today, end=today), today)

    assert rows[0][2] == ANSWER


def test_only_pos_messages_answered_in_the_period_are_listed(pos_message, coordinator):
    act(pos_message("2871452087"), "reject", coordinator, reason=REASON)
    today = timezone.localdate()

    assert pos_answers_for(user=coordinator, start=today - timedelta(days=7), end=today).count() == 1
    assert not pos_answers_for(user=coordinator, start=today - timedelta(days=7), end=today - timedelta(days=1))
    Appeal.objects.update(channel=AppealChannel.LETTER, pos_number="")
    assert not pos_answers_for(user=coordinator, start=today, end=today)
