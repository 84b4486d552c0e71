"""Migrations that reword history rows written before a wording changed (0027, 0028): the investor's page and the
documents read the new wording for old appeals too."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from core.models import AppealEvent

pytestmark = pytest.mark.django_db


def migration(name: str):
    return importlib.import_module(f"core.migrations.{name}")


def test_an_old_filing_row_names_the_due_date_instead_of_an_order(file_appeal):
    appeal = file_appeal()
    row = appeal.events.get(kind="submitted")
    assert row.text.startswith("Срок ответа — до ")  # written so now
    staff_row = "Зарегистрировано: Телефон, поступило 21.02.2025 12:47. Ответить до 13.03.2025"
    AppealEvent.objects.filter(pk=row.pk).update(text=staff_row)

    migration("0028_submitted_rows_name_the_due_date").reword(apps, None)

    row.refresh_from_db()
    assert row.text == "Зарегистрировано: Телефон, поступило 21.02.2025 12:47. Срок ответа — до 13.03.2025"


def test_an_old_correction_row_no_longer_repeats_its_name(file_appeal):
    appeal = file_appeal()
    row = AppealEvent.objects.create(appeal=appeal, kind="corrected", text="Текст обращения уточнён",
                                     from_status=appeal.status, to_status=appeal.status)
    comment = AppealEvent.objects.create(appeal=appeal, kind="comment", text="Текст обращения уточнён",
                                         from_status=appeal.status, to_status=appeal.status)

    migration("0027_corrected_rows_without_repeated_text").empty_repeated_text(apps, None)

    row.refresh_from_db()
    comment.refresh_from_db()
    assert row.text == "" and comment.text == "Текст обращения уточнён"  # only the correction's own row


def test_an_old_task_row_names_the_assignee_without_a_preposition(apply_project, manager):
    from core.workflows.tasks import task_create

    project = apply_project()
    task_create(author=manager, assignee=manager, project=project, title="Согласовать дату выезда",
                due_date=date(2026, 12, 10))
    row = project.events.get(name="task_create")
    assert row.text.startswith("Задача «Согласовать дату выезда»: исполнитель — ")  # written so now
    row.text = "Задача «Согласовать «Южный» выезд» для Кузнецова Ольга Игоревна до 10.12.2026"
    row.save()

    migration("0029_task_rows_without_a_preposition_before_the_name").reword(apps, None)

    row.refresh_from_db()
    assert row.text == "Задача «Согласовать «Южный» выезд»: исполнитель — Кузнецова Ольга Игоревна, срок — 10.12.2026"
