"""«Ответы для ПОС»: the public answers to the federal platform's messages, as an xlsx to upload back to ПОС
(docs/integrations/pos.md). The rows come from core.selectors.pos.pos_answers_for; here only the columns."""

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.choices import AppealStatus
from core.reports.registers import CHUNK_SIZE, _day
from core.reports.table import DATE, INT, TEXT, Column, Row, Table
from core.selectors.pos import ANSWER_AT, ANSWER_TEXT

FIELDS = ("pos_number", "status", ANSWER_TEXT, ANSWER_AT, "number")


def pos_status(status: str) -> str:
    """The status ПОС is told: rejected, answered (whatever the outcome), or still being considered (an answer
    sent back by the investor is being reworked)."""
    if status == AppealStatus.REJECTED:
        return gettext("Отклонено")
    if status == AppealStatus.ANSWERED or status in AppealStatus.outcomes():
        return gettext("Ответ направлен")
    return gettext("На рассмотрении")


def pos_answer_register(queryset: QuerySet, *, start: date, end: date, today: date | None = None) -> Table:
    today = today or timezone.localdate()
    statuses = {value: str(label) for value, label in AppealStatus.choices}

    def rows() -> Iterator[Row]:
        for pos_number, status, text, answered_at, number in queryset.values_list(*FIELDS).iterator(
                chunk_size=CHUNK_SIZE):
            yield Row((pos_number, pos_status(status), text or "", _day(answered_at), number,
                       statuses.get(status, status)))

    columns = [
        Column("pos_number", gettext("Номер сообщения"), TEXT),
        Column("status", gettext("Статус"), TEXT),
        Column("answer", gettext("Текст ответа"), TEXT),
        Column("answered_at", gettext("Дата ответа"), DATE),
        Column("number", gettext("№ обращения"), INT),
        Column("our_status", gettext("Статус в системе"), TEXT),
    ]
    meta = [(gettext("Период ответа"), f"{start:%d.%m.%Y} — {end:%d.%m.%Y}"),
            (gettext("Дата выгрузки"), f"{today:%d.%m.%Y}")]
    return Table(slug="pos-answers", title=gettext("Ответы для ПОС"), columns=columns, rows=rows(), meta=meta)
