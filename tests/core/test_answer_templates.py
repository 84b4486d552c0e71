"""Filling an answer template for one appeal (core.services.answer_templates, issue 15)."""

import pytest

from core.models import AnswerTemplate
from core.services.answer_templates import answer_template_render

pytestmark = pytest.mark.django_db


def test_placeholders_are_filled_from_the_appeal_and_the_rest_left_visible(file_appeal, manager):
    appeal = file_appeal()
    template = AnswerTemplate(text="%Инвестор%, обращение №%номер% «%тема%» — ответ до %срок%. %проект% %оклад% "
                                   "Скидка 5% на 10%.")
    rendered = answer_template_render(template=template, appeal=appeal, user=manager)
    assert rendered.text == (f"{appeal.organisation_name}, обращение №{appeal.number} «{appeal.subject}» — ответ до "
                             f"{appeal.deadline:%d.%m.%Y}. %проект% %оклад% Скидка 5% на 10%.")
    assert rendered.unknown == ("%оклад%",) and rendered.empty == ("%проект%",)
