"""A register prepared in the background holds exactly the rows its stored filters choose (ExportJob.query, the
list's address) for its owner — never rows the owner may not see, never every row when a filter is wrong — and a
job stored before the filters moved into core still runs."""

import pytest

from core.models import Appeal, ExportJob, Project
from core.models.exports import ExportStatus
from core.services.exports import export_job_create, export_job_run
from tests.core.test_filters import build_world
from tests.core.test_registers import xlsx_values


@pytest.fixture
def world(file_appeal, apply_project, investor, other_investor, other_company, coordinator, manager, head,
          problem_fact):
    return build_world(file_appeal=file_appeal, apply_project=apply_project, investor=investor,
                       other_investor=other_investor, other_company=other_company, coordinator=coordinator,
                       manager=manager, head=head, problem_fact=problem_fact)


@pytest.fixture
def run_job(django_capture_on_commit_callbacks):
    """run_job(user, register, query) -> (the finished job, the first column of its file's rows)."""

    def run(user, register: str, query: str):
        with django_capture_on_commit_callbacks(execute=True):  # q2 runs the task inline in tests
            job = export_job_create(user=user, register=register, fmt="xlsx", query=query)
        job.refresh_from_db()
        if not job.file:
            return job, None
        with job.file.open("rb") as stored:
            _, rows = xlsx_values(stored.read(), header="№" if register == "appeals" else "Реестровый №")
        return job, [row[0] for row in rows]

    return run


def numbers(*appeals: Appeal) -> list[int]:
    return [appeal.number for appeal in appeals]


def test_the_file_holds_the_filtered_rows_in_the_stored_order(world, director, run_job):
    job, rows = run_job(director, "appeals", "status__exact=moderation&o=1")
    assert job.status == ExportStatus.DONE and job.rows_total == 2
    assert rows == numbers(world["gas"], world["power"])  # `o=1`: the number, ascending
    job, rows = run_job(director, "projects", "stage__exact=accepted")
    assert rows == [world["north"].registry_number]


def test_the_file_holds_only_what_its_owner_sees(world, manager, run_job):
    job, rows = run_job(manager, "appeals", "")
    assert rows == numbers(world["gas"], world["road"])  # not the other company's appeal
    job, rows = run_job(manager, "appeals", "q=Электросети")  # that appeal's subject: still not theirs
    assert job.status == ExportStatus.DONE and job.rows_total == 0 and rows == []


def test_a_job_stored_before_the_filters_moved_to_core_still_runs(world, director):
    job = ExportJob.objects.create(user=director, register="appeals", file_format="xlsx",
                                   query="q=%D0%94%D0%BE%D1%80%D0%BE%D0%B3%D0%B0&overdue=no&o=-2.1")  # q=Дорога
    export_job_run(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as stored:
        _, rows = xlsx_values(stored.read())
    assert job.status == ExportStatus.DONE and [row[0] for row in rows] == numbers(world["power"])


@pytest.mark.parametrize(("query", "detail"), [
    ("appeal_type__id__exact=abc", "«Тип обращения»: Введите целое число."),
    ("status__exact=lost&q=Дорога", "«Статус»: Выберите корректный вариант."),
    ("created_at_from=31.02.2025", "«Создано с»: Введите правильную дату."),
    ("status=assigned", "Такого фильтра у списка нет: «status»."),
])
def test_wrong_stored_filters_fail_the_job_instead_of_exporting_every_row(world, director, run_job, query, detail):
    job, rows = run_job(director, "appeals", query)
    assert job.status == ExportStatus.FAILED and rows is None and job.rows_total == 0
    assert job.error.startswith("Фильтры списка заданы неверно:") and detail in job.error
    assert "закажите выгрузку ещё раз" in job.error


def test_a_job_whose_owner_lost_the_list_fails(world, manager, investor, run_job):
    manager.is_active = False
    manager.save()
    job, rows = run_job(manager, "appeals", "")
    assert job.status == ExportStatus.FAILED and rows is None and "Нет доступа к списку" in job.error
    job, rows = run_job(investor, "projects", "")  # an investor's own projects, yet not through the cabinet
    assert job.status == ExportStatus.FAILED and "Нет доступа к списку" in job.error
    assert Project.objects.filter(investor=investor.organisation).exists()
