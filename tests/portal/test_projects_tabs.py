"""The project page's tabs: documents, tasks, meetings with the month calendar, .ics and the private feed, the
read-only roadmap and the history. Lists keep a constant number of queries."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import ProjectEventKind, TaskStatus
from core.models import CalendarFeed, Project, Task
from core.services.projects import document_upload, meeting_save, meeting_set_status, roadmap_item_save
from core.workflows.projects import project_transition
from core.workflows.tasks import task_create, task_transition
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16
TODAY = date(2026, 3, 10)


def url(project, name: str, *args) -> str:
    return reverse(f"portal:project_{name}", args=[project.pk, *args])


def at(day: date, hour: int = 11) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@pytest.fixture
def project(apply_project):
    return apply_project()


@pytest.fixture
def logged_in(client, investor):
    client.force_login(investor)
    return client


def add_meeting(project, manager, day: date, title: str = "Установочная встреча по проекту", **fields):
    fields.setdefault("format", "video")
    fields.setdefault("link", "https://vks.example/room-7")
    return meeting_save(project=project, actor=manager, title=title, starts_at=at(day), **fields)


def add_item(project, manager, title: str, start: date, end: date):
    return roadmap_item_save(project=project, actor=manager, title=title, planned_start=start, planned_end=end)


# --- Мои документы ----------------------------------------------------------------------------------------------
def test_investor_uploads_documents_and_downloads_them(logged_in, project):
    response = logged_in.post(url(project, "documents"), {
        "kind": "presentation", "title": "",
        "files": [SimpleUploadedFile("Презентация проекта.pdf", PDF), SimpleUploadedFile("Бизнес-план.pdf", PDF)],
    }, follow=True)

    assert "Загружено 2 документа." in response.text
    assert "Презентация проекта.pdf" in response.text and "Бизнес-план.pdf" in response.text
    document = project.documents.get(original_name="Бизнес-план.pdf")
    assert document.kind == "presentation" and not document.is_internal
    download = logged_in.get(url(project, "document_file", document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "filename*=utf-8''%D0%91" in download["Content-Disposition"]
    assert project.events.filter(kind=ProjectEventKind.DOCUMENT).count() == 2
    assert_russian(response.text)


def test_a_file_whose_content_does_not_match_is_refused(logged_in, project):
    response = logged_in.post(url(project, "documents"), {
        "kind": "other", "files": [SimpleUploadedFile("Скан.pdf", PNG)],
    })

    assert response.status_code == 200
    assert "Проверьте форму" in response.text
    assert not project.documents.exists()


def test_documents_page_keeps_its_query_count(logged_in, project, investor, manager):
    document_upload(project=project, actor=investor, upload=SimpleUploadedFile("1.pdf", PDF), kind="other")
    with CaptureQueriesContext(connection) as one:
        logged_in.get(url(project, "documents"))
    for number in range(4):
        document_upload(project=project, actor=manager, upload=SimpleUploadedFile(f"{number}.pdf", PDF), kind="land")
    with CaptureQueriesContext(connection) as five:
        logged_in.get(url(project, "documents"))

    assert len(five) == len(one)


# --- Задачи ---------------------------------------------------------------------------------------------------
@time_machine.travel(TODAY, tick=False)
def test_investor_sets_a_task_for_the_personal_manager(logged_in, project, manager, investor):
    page = logged_in.get(url(project, "tasks")).text
    assert f'<option value="{manager.pk}">{manager.full_name}, персональный менеджер</option>' in page

    response = logged_in.post(url(project, "tasks"), {
        "assignee": manager.pk, "title": "Запросить технические условия на газ", "description": "1200 м³/ч",
        "due_date": "2026-03-20",
    }, follow=True)

    task = Task.objects.get()
    assert (task.author, task.assignee, task.project, task.due_date) == (investor, manager, project, date(2026, 3, 20))
    assert f"Задача поставлена: {manager.full_name}, срок 20.03.2026" in response.text
    assert "Запросить технические условия на газ" in response.text and "Новая" in response.text
    assert_russian(response.text)


@time_machine.travel(TODAY, tick=False)
def test_a_task_for_someone_else_or_in_the_past_is_refused(logged_in, project, head):
    someone = logged_in.post(url(project, "tasks"), {"assignee": head.pk, "title": "Т", "due_date": "2026-03-20"})
    past = logged_in.post(url(project, "tasks"), {"assignee": project.personal_manager_id, "title": "Т",
                                                  "due_date": "2026-03-01"})

    assert "Выберите корректный вариант" in someone.text
    assert "Срок не может быть в прошлом" in past.text
    assert not Task.objects.exists()


def test_without_a_manager_there_is_nobody_to_set_a_task_for(logged_in, project):
    Project.objects.filter(pk=project.pk).update(personal_manager=None)

    page = logged_in.get(url(project, "tasks")).text

    assert "когда агентство назначит проекту персонального менеджера" in page
    assert 'name="title"' not in page


def test_tasks_show_status_and_overdue_and_the_author_cancels(logged_in, project, investor, manager):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        mine = task_create(author=investor, assignee=manager, project=project, title="Согласовать съезд",
                           due_date=date(2026, 3, 5))
        taken = task_create(author=investor, assignee=manager, project=project, title="Подготовить письмо в РСО",
                            due_date=date(2026, 3, 20))
        task_transition(task=taken, name="start", actor=manager)
        staff_own = task_create(author=manager, assignee=manager, project=project, title="Внутренняя проверка",
                                due_date=date(2026, 3, 20))
    with time_machine.travel(TODAY, tick=False):
        page = logged_in.get(url(project, "tasks")).text
        assert "просрочена" in page and 'class="is-overdue"' in page
        assert "В работе" in page
        assert staff_own.title not in page  # staff's own work on the project is not the investor's list
        assert page.count("Отменить задачу") == 2
        assert url(project, "task_cancel", mine.pk) in page

        version = page.split(url(project, "task_cancel", mine.pk))[1].split('name="version" value="')[1].split('"')[0]
        response = logged_in.post(url(project, "task_cancel", mine.pk), {"version": version}, follow=True)

    mine.refresh_from_db()
    assert mine.status == TaskStatus.CANCELLED
    assert "Задача «Согласовать съезд» отменена" in response.text


def test_a_stale_cancel_changes_nothing(logged_in, project, investor, manager):
    task = task_create(author=investor, assignee=manager, project=project, title="Согласовать съезд",
                       due_date=timezone.localdate() + timedelta(days=5))
    stale = task.updated_at.isoformat()
    task_transition(task=task, name="start", actor=manager)

    response = logged_in.post(url(project, "task_cancel", task.pk), {"version": stale}, follow=True)

    task.refresh_from_db()
    assert task.status == TaskStatus.IN_WORK
    assert "Задача уже изменена другим пользователем" in response.text


def test_tasks_page_keeps_its_query_count(logged_in, project, investor, manager):
    due = timezone.localdate() + timedelta(days=5)
    task_create(author=investor, assignee=manager, project=project, title="Задача 0", due_date=due)
    with CaptureQueriesContext(connection) as one:
        logged_in.get(url(project, "tasks"))
    for number in range(1, 5):
        task_create(author=investor, assignee=manager, project=project, title=f"Задача {number}", due_date=due)
    with CaptureQueriesContext(connection) as five:
        logged_in.get(url(project, "tasks"))

    assert len(five) == len(one)


# --- Встречи, календарь, .ics и подписка ---------------------------------------------------------------------------
@time_machine.travel(TODAY, tick=False)
def test_meetings_are_listed_and_put_on_the_month_calendar(logged_in, project, manager):
    held = add_meeting(project, manager, date(2026, 3, 3), title="Знакомство с площадкой", format="in_person",
                       place="Тосно, ул. Промышленная, 1", link="", agenda="Осмотр участка")
    meeting_set_status(meeting=held, actor=manager, status="held", minutes="Участок подходит.")
    add_meeting(project, manager, date(2026, 3, 24), title="Обсуждение техусловий")
    add_item(project, manager, "Подбор участка", date(2026, 1, 10), date(2026, 3, 5))

    response = logged_in.get(url(project, "meetings"))

    text = response.text
    assert "Март 2026" in text
    assert 'aria-current="date"' in text
    assert "11:00 Знакомство с площадкой" in text and "11:00 Обсуждение техусловий" in text
    assert 'class="cal-entry cal-milestone is-overdue" title="Контрольная точка: Подбор участка">Подбор участка' in text
    assert "Тосно, ул. Промышленная, 1" in text and "https://vks.example/room-7" in text
    assert "Проведена" in text and "Участок подходит." in text and "Осмотр участка" in text
    assert url(project, "meeting_ics", held.pk) in text
    assert "?month=2026-02#calendar-title" in text and "?month=2026-04#calendar-title" in text
    assert_russian(text)


@time_machine.travel(TODAY, tick=False)
def test_the_calendar_moves_by_month(logged_in, project, manager):
    add_meeting(project, manager, date(2026, 4, 7), title="Апрельская встреча")

    march = logged_in.get(url(project, "meetings")).text
    april = logged_in.get(url(project, "meetings") + "?month=2026-04").text
    broken = logged_in.get(url(project, "meetings") + "?month=весна").text

    assert "В этом месяце встреч и контрольных точек нет" in march
    assert "11:00 Апрельская встреча" in april and "Апрель 2026" in april
    assert "Март 2026" in broken


def test_a_meeting_downloads_as_ics(logged_in, project, manager):
    meeting = add_meeting(project, manager, timezone.localdate() + timedelta(days=2))

    response = logged_in.get(url(project, "meeting_ics", meeting.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and f"UID:{meeting.uid}" in body
    assert "Установочная встреча" in body and project.registry_number in body


def test_the_private_feed_needs_no_login_and_dies_when_revoked(client, logged_in, project, manager, investor):
    add_meeting(project, manager, timezone.localdate() + timedelta(days=2))
    add_item(project, manager, "Получение ГПЗУ", timezone.localdate(), timezone.localdate() + timedelta(days=30))
    page = logged_in.get(url(project, "meetings")).text
    token = CalendarFeed.objects.get(user=investor).token
    feed = reverse("portal:calendar_feed", args=[token])
    assert f'value="http://testserver{feed}"' in page

    logged_in.logout()
    response = client.get(feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "Установочная встреча" in body and "Получение ГПЗУ" in body

    client.force_login(investor)
    reset = client.post(url(project, "calendar_feed_reset"), follow=True)
    assert "Прежняя ссылка отключена" in reset.text
    new_token = CalendarFeed.objects.get(user=investor).token
    assert new_token != token and new_token in reset.text
    client.logout()
    assert client.get(feed).status_code == 404
    assert client.get(reverse("portal:calendar_feed", args=[new_token])).status_code == 200
    assert client.get(reverse("portal:calendar_feed", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("portal:calendar_feed", args=[new_token])).status_code == 405


def test_the_feed_of_a_disabled_account_answers_404(client, logged_in, project, investor):
    logged_in.get(url(project, "meetings"))
    token = CalendarFeed.objects.get(user=investor).token
    investor.is_active = False
    investor.save()

    assert client.get(reverse("portal:calendar_feed", args=[token])).status_code == 404


def test_meetings_page_keeps_its_query_count(logged_in, project, manager, investor):
    day = timezone.localdate() + timedelta(days=1)
    add_meeting(project, manager, day, participants=[investor, manager])
    add_item(project, manager, "Пункт 0", day, day)
    logged_in.get(url(project, "meetings"))  # the first visit creates the feed address
    with CaptureQueriesContext(connection) as one:
        logged_in.get(url(project, "meetings"))
    for number in range(1, 5):
        add_meeting(project, manager, day, title=f"Встреча {number}", participants=[investor, manager])
        add_item(project, manager, f"Пункт {number}", day, day)
    with CaptureQueriesContext(connection) as five:
        logged_in.get(url(project, "meetings"))

    assert len(five) == len(one)


# --- Дорожная карта -------------------------------------------------------------------------------------------------
@time_machine.travel(TODAY, tick=False)
def test_the_roadmap_is_a_read_only_gantt_with_a_table(logged_in, project, manager):
    item = add_item(project, manager, "Подбор участка", date(2026, 1, 10), date(2026, 3, 1))
    add_item(project, manager, "Получение ГПЗУ", date(2026, 3, 2), date(2026, 5, 1))
    roadmap_item_save(project=project, actor=manager, item=item, planned_end=date(2026, 3, 5))

    response = logged_in.get(url(project, "roadmap"))

    text = response.text
    assert "<svg" in text and "zk-gantt" in text
    assert "Подбор участка" in text and "Получение ГПЗУ" in text
    assert "10.01.2026 – 05.03.2026" in text and "10.01.2026 – 01.03.2026" in text  # plan and the first plan
    assert text.count("просрочен</strong>") == 1
    assert "<form" not in text.split('id="tab-title"')[1]  # nothing to change here
    assert_russian(text)


def test_roadmap_keeps_its_query_count(logged_in, project, manager, agency):
    add_item(project, manager, "Пункт 0", date(2026, 1, 1), date(2026, 2, 1))
    with CaptureQueriesContext(connection) as one:
        logged_in.get(url(project, "roadmap"))
    for number in range(1, 5):
        item = add_item(project, manager, f"Пункт {number}", date(2026, 1, 1), date(2026, 2, 1))
        roadmap_item_save(project=project, actor=manager, item=item, responsible_user=manager,
                          responsible_organisation=agency)
    with CaptureQueriesContext(connection) as five:
        response = logged_in.get(url(project, "roadmap"))

    assert response.text.count(agency.short_name) >= 4
    assert len(five) == len(one)


def test_an_empty_roadmap_says_when_it_comes(logged_in, project):
    text = logged_in.get(url(project, "roadmap")).text

    assert "Дорожная карта появится" in text and "<svg" not in text


# --- История проекта ---------------------------------------------------------------------------------------
def test_history_shows_the_public_events_and_filters_by_kind(logged_in, project, manager, investor):
    project_transition(project=project, name="start_review", actor=manager)
    document_upload(project=project, actor=manager, upload=SimpleUploadedFile("Служебная.pdf", PDF), kind="other",
                    is_internal=True)
    task_create(author=investor, assignee=manager, project=project, title="Позвонить в РСО",
                due_date=timezone.localdate() + timedelta(days=3))

    response = logged_in.get(url(project, "history"))

    text = response.text
    assert "Подана заявка на сопровождение проекта" in text
    assert f"{investor.full_name} (вы)" in text
    assert f"{manager.full_name}, персональный менеджер" in text
    assert "Заявка → <strong>На рассмотрении</strong>" in text
    assert "Позвонить в РСО" in text
    assert "Служебная" not in text
    assert_russian(text)
    tasks_only = logged_in.get(url(project, "history") + "?kind=task").text
    assert "Позвонить в РСО" in tasks_only and "Подана заявка" not in tasks_only
    assert '<option value="task" selected>' in tasks_only
    nothing = logged_in.get(url(project, "history") + "?kind=meeting").text
    assert "Событий этого вида пока нет" in nothing


def test_history_keeps_its_query_count(logged_in, project, investor, manager):
    due = timezone.localdate() + timedelta(days=5)
    task_create(author=investor, assignee=manager, project=project, title="Задача 0", due_date=due)
    with CaptureQueriesContext(connection) as few:
        logged_in.get(url(project, "history"))
    for number in range(1, 6):
        task_create(author=manager if number % 2 else investor, assignee=manager, project=project,
                    title=f"Задача {number}", due_date=due)
    with CaptureQueriesContext(connection) as more:
        logged_in.get(url(project, "history"))

    assert len(more) == len(few)


@pytest.mark.parametrize("tab", ["passport", "documents", "tasks", "meetings", "roadmap", "history"])
def test_every_tab_is_russian_and_marks_itself(logged_in, project, tab):
    response = logged_in.get(url(project, tab))

    assert response.status_code == 200
    assert 'aria-current="page"' in response.text
    assert_russian(response.text)
