"""The changes the project page offers, each through its one service: passport, land plots, checklist, measures,
roadmap with tasks, meetings, documents, requests to participants and comments."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.choices import MeasureStatus, MeetingStatus, ProjectEventKind, RequestStatus, TaskStatus
from core.models import HeldUpload, Meeting, ParticipantRequest, Project, ProjectDocument, RoadmapItem, Task
from core.services.projects import (
    document_upload,
    meeting_save,
    project_update_passport,
    request_send,
    roadmap_item_save,
)
from tests.admin_site.helpers import page_text
from tests.admin_site.projects.helpers import op_url, page_url, pdf, post_task_step

TODAY = timezone.localdate()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


# --- passport ------------------------------------------------------------------------------------------------
def test_passport_changes_what_was_changed_and_records_it(login, manager, project, head, references):
    client = login(manager)
    assert client.get(op_url(project, "passport")).status_code == 200
    response = client.post(op_url(project, "passport"), {
        "version": project.updated_at.isoformat(), "name": project.name, "district": project.district_id,
        "industry": references["industry"].pk,
        "investment_volume": "2000000000", "jobs": "150", "electricity_kw": "2500", "personal_manager": head.pk,
        "governor_agreement_date": "2025-06-19", "governor_agreement_forum": "spief",
    }, follow=True)
    assert "«Изменить паспорт»: готово." in page_text(response)
    project = Project.objects.get(pk=project.pk)
    assert (project.jobs, project.personal_manager, project.governor_agreement_forum) == (150, head, "spief")
    event = project.events.get(kind=ProjectEventKind.CHANGE)
    assert "рабочих мест" in event.text and "персональный менеджер" in event.text


def test_passport_people_lists_follow_the_roles_and_keep_an_imported_holder(login, manager, project, head,
                                                                           executor, references):
    """The people fields offer only those with the field's role; a director who came in with imported data and has no
    such role stays offered, so a change of another field does not empty the field."""
    Project.objects.filter(pk=project.pk).update(director=executor)  # as an import may have set it
    project = Project.objects.get(pk=project.pk)
    client = login(manager)
    form = client.get(op_url(project, "passport")).context["form"]
    directors = set(form.fields["director"].queryset)
    managers = set(form.fields["personal_manager"].queryset)
    assert directors == {executor} | set(form.fields["director"].queryset.filter(groups__name="Директор"))
    assert head in managers and executor not in managers
    response = client.post(op_url(project, "passport"), {
        "version": project.updated_at.isoformat(), "name": project.name, "district": project.district_id,
        "industry": references["industry"].pk, "jobs": "151", "director": executor.pk,
        "personal_manager": project.personal_manager_id or "",
    }, follow=True)
    assert "«Изменить паспорт»: готово." in page_text(response)
    assert (Project.objects.get(pk=project.pk).jobs, Project.objects.get(pk=project.pk).director) == (151, executor)


def test_passport_change_over_someone_elses_is_refused(login, manager, director, project):
    seen = project.updated_at.isoformat()
    project_update_passport(project=Project.objects.get(pk=project.pk), actor=director, jobs=200)
    text = page_text(login(manager).post(op_url(project, "passport"), {"version": seen, "name": project.name,
                                                                       "jobs": "10"}, follow=True))
    assert "Проект уже изменён другим пользователем" in text
    assert Project.objects.get(pk=project.pk).jobs == 200


def test_land_plot_number_is_validated(login, manager, project):
    client = login(manager)
    text = page_text(client.post(op_url(project, "land_plot"), {"cadastral_number": "47-20-0112015"}, follow=True))
    assert "Добавить земельный участок" in text and not project.land_plots.exists()
    client.post(op_url(project, "land_plot"), {"cadastral_number": "47:20:0112015:226", "area_m2": "8222"})
    assert project.land_plots.get().area_m2 == 8222


def test_a_land_plot_is_corrected_and_removed_with_a_history_line(login, manager, project, investor):
    client = login(manager)
    client.post(op_url(project, "land_plot"), {"cadastral_number": "47:20:0112015:226", "area_m2": "8222"})
    plot = project.land_plots.get()
    passport = page_text(client.get(page_url(project)))
    assert "47:20:0112015:226" in passport and "Изменить" in passport and "Удалить" in passport

    form = client.get(op_url(project, "land_plot", plot)).content.decode()
    assert "Изменить земельный участок" in form and 'value="47:20:0112015:226"' in form
    assert 'value="8222"' in form  # the area as typed, not the column's «8222.00»
    client.post(op_url(project, "land_plot", plot), {"cadastral_number": "47:20:0112015:227", "area_m2": "8300",
                                                     "address": "Тосненский район, промзона «Южная»", "rights": ""})
    plot.refresh_from_db()
    assert (plot.cadastral_number, plot.area_m2) == ("47:20:0112015:227", 8300)
    # a bad number is refused on the form and changes nothing
    text = page_text(client.post(op_url(project, "land_plot", plot), {"cadastral_number": "47-20", "area_m2": "1"},
                                 follow=True))
    assert "Изменить земельный участок" in text
    plot.refresh_from_db()
    assert plot.cadastral_number == "47:20:0112015:227"

    assert "Удалить земельный участок" in client.get(op_url(project, "land_plot_remove", plot)).content.decode()
    client.post(op_url(project, "land_plot_remove", plot), {})
    assert not project.land_plots.exists()
    history = [event.text for event in project.events.filter(name="land_plot").order_by("pk")]
    assert history == ["Добавлен земельный участок 47:20:0112015:226",
                       "Изменены сведения о земельном участке 47:20:0112015:227",
                       "Удалён земельный участок 47:20:0112015:227"]


# --- checklist and measures ----------------------------------------------------------------------------------
def test_checklist_tick_and_measure_status(login, manager, supported, references):
    client = login(manager)
    client.post(op_url(supported, "checklist", references["land"]), {"comment": "Участок подобран"})
    mark = supported.checklist_marks.get()
    assert (mark.item, mark.done_by, mark.comment) == (references["land"], manager, "Участок подобран")
    client.post(op_url(supported, "measure"), {"measure": references["rip"].pk, "status": "requested"})
    row = supported.measures.get()
    assert client.get(op_url(supported, "measure", row)).status_code == 200
    client.post(op_url(supported, "measure", row), {"measure": references["rip"].pk, "status": "granted",
                                                      "comment": "Соглашение о РИП заключено"})
    row.refresh_from_db()
    assert (row.status, row.decided_at) == (MeasureStatus.GRANTED, TODAY)


# --- roadmap and tasks ---------------------------------------------------------------------------------------
def test_roadmap_item_with_predecessor_keeps_its_first_plan(login, manager, supported):
    client = login(manager)
    client.post(op_url(supported, "roadmap"), {"title": "Технические условия", "planned_start": day(0),
                                                "planned_end": day(30), "status": "planned", "order": 1})
    first = supported.roadmap.get()
    client.post(op_url(supported, "roadmap"), {"title": "Подключение к сетям", "planned_start": day(31),
                                                "planned_end": day(90), "status": "planned", "order": 2,
                                                "predecessors": [first.pk]})
    second = supported.roadmap.get(title="Подключение к сетям")
    assert list(second.predecessors.all()) == [first]
    text = page_text(client.post(op_url(supported, "roadmap", first), {
        "title": "Технические условия", "planned_start": day(10), "planned_end": day(5), "status": "planned",
        "order": 1, **seen(client, op_url(supported, "roadmap", first))}, follow=True))
    assert "Окончание не может быть раньше начала." in text
    client.post(op_url(supported, "roadmap", first), {"title": "Технические условия", "planned_start": day(0),
                                                       "planned_end": day(45), "status": "in_progress", "order": 1,
                                                       **seen(client, op_url(supported, "roadmap", first))})
    first.refresh_from_db()
    assert (first.planned_end, first.baseline_end) == (TODAY + timedelta(days=45), TODAY + timedelta(days=30))


def test_task_from_a_roadmap_item_follows_the_items_date(login, manager, head, supported):
    item = roadmap_item_save(project=supported, actor=manager, title="Разрешение на строительство",
                             planned_start=TODAY, planned_end=TODAY + timedelta(days=60))
    client = login(manager)
    form = client.get(op_url(supported, "roadmap_task", item))
    assert "Срок задачи — окончание пункта по плану" in page_text(form)
    client.post(op_url(supported, "roadmap_task", item), {"title": "Подать заявление на РНС", "assignee": head.pk})
    task = Task.objects.get(roadmap_item=item)
    assert (task.project, task.due_date, task.assignee) == (supported, item.planned_end, head)
    client.post(op_url(supported, "roadmap", item), {"title": item.title, "planned_start": day(0),
                                                      "planned_end": day(75), "status": "in_progress", "order": 0,
                                                      **seen(client, op_url(supported, "roadmap", item))})
    task.refresh_from_db()
    assert task.due_date == TODAY + timedelta(days=75)  # moved with the item
    text = page_text(client.get(page_url(supported, "roadmap")))
    assert "Подать заявление на РНС" in text and "Новая" in text  # the item shows its task's state


def test_task_created_started_and_finished_in_the_cabinet(login, manager, head, supported):
    client = login(manager)
    text = page_text(client.post(op_url(supported, "task"), {"title": " ", "assignee": head.pk}, follow=True))
    assert "Напишите, что нужно сделать." in text and "Укажите срок." in text
    client.post(op_url(supported, "task"), {"title": "Подготовить справку", "assignee": manager.pk,
                                             "due_date": day(3)})
    task = Task.objects.get(title="Подготовить справку")
    assert post_task_step(client, task, "start").status_code == 200
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_WORK
    response = post_task_step(client, task, "finish", result="Справка передана директору")
    assert "«Отметить выполненной»: готово." in page_text(response)
    task.refresh_from_db()
    assert (task.status, task.result) == (TaskStatus.DONE, "Справка передана директору")


def test_a_task_step_on_a_stale_page_is_refused(login, manager, supported):
    client = login(manager)
    client.post(op_url(supported, "task"), {"title": "Созвониться", "assignee": manager.pk, "due_date": day(1)})
    task = Task.objects.get()
    seen = task.updated_at.isoformat()
    post_task_step(client, task, "start")
    url = reverse("admin:core_task_action_cancel", args=[task.pk])
    text = page_text(client.post(url, {"version": seen}, follow=True))
    assert "Пока вы заполняли форму, задачу изменил другой пользователь" in text
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_WORK


def test_task_step_returns_to_the_projects_tab(login, manager, supported):
    client = login(manager)
    client.post(op_url(supported, "task"), {"title": "Созвониться", "assignee": manager.pk, "due_date": day(1)})
    task = Task.objects.get()
    url = reverse("admin:core_task_action_start", args=[task.pk]) + "?next=" + page_url(supported, "tasks")
    response = client.post(url, {"version": task.updated_at.isoformat()})
    assert response.url == page_url(supported, "tasks")
    evil = reverse("admin:core_task_action_finish", args=[task.pk]) + "?next=https://evil.example/"
    assert client.post(evil, {"version": Task.objects.get().updated_at.isoformat()}).url.startswith("/admin/")


# --- meetings ------------------------------------------------------------------------------------------------
def meeting_data(**fields) -> dict:
    starts = timezone.localtime() + timedelta(days=3)
    return {"title": "ВКС по техническим условиям", "starts_at": starts.strftime("%Y-%m-%dT10:00"),
            "duration_minutes": "60", "format": "video", **fields}


def test_meeting_scheduling_is_validated(login, manager, supported, investor, rso):
    client = login(manager)
    text = page_text(client.post(op_url(supported, "meeting"), meeting_data(), follow=True))
    assert "Для ВКС укажите ссылку на подключение." in text
    text = page_text(client.post(op_url(supported, "meeting"), meeting_data(format="in_person"), follow=True))
    assert "Для очной встречи укажите место." in text
    assert not Meeting.objects.exists()
    client.post(op_url(supported, "meeting"), meeting_data(link="https://vks.zk.example/room",
                                                           participants=[manager.pk, investor.pk],
                                                           organisations=[rso.pk]))
    meeting = Meeting.objects.get()
    assert set(meeting.participants.all()) == {manager, investor} and list(meeting.organisations.all()) == [rso]
    assert timezone.localtime(meeting.starts_at).hour == 10  # typed in Moscow time


def test_meeting_changed_held_and_downloaded_as_ics(login, manager, supported):
    client = login(manager)
    client.post(op_url(supported, "meeting"), meeting_data(link="https://vks.zk.example/room"))
    meeting = Meeting.objects.get()
    client.post(op_url(supported, "meeting", meeting), meeting_data(link="https://vks.zk.example/room",
                                                                    title="ВКС с сетевой организацией",
                                                                    **seen(client, op_url(supported, "meeting",
                                                                                          meeting))))
    meeting.refresh_from_db()
    assert (meeting.title, meeting.sequence) == ("ВКС с сетевой организацией", 1)
    assert "Итог встречи" in page_text(client.get(op_url(supported, "meeting_status", meeting) + "?status=held"))
    client.post(op_url(supported, "meeting_status", meeting), {
        "status": "held", "minutes": "ТУ выдадут до 1 марта",
        **seen(client, op_url(supported, "meeting_status", meeting) + "?status=held")})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (MeetingStatus.HELD, "ТУ выдадут до 1 марта")
    response = client.get(reverse("admin:core_meeting_download_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "ВКС с сетевой организацией" in body


def test_meeting_of_a_project_one_does_not_see(login, executor, supported, manager):
    login(manager).post(op_url(supported, "meeting"), meeting_data(link="https://vks.zk.example/room"))
    meeting = Meeting.objects.get()
    assert login(executor).get(reverse("admin:core_meeting_download_ics", args=[meeting.pk])).status_code == 404


# --- a page opened before someone else's change --------------------------------------------------------------
def seen_version_in(response) -> str:
    return re.search(r'name="seen_version" value="(\d+)"', response.content.decode()).group(1)


def seen(client, url: str) -> dict:
    """The hidden version the change's page shows, as the browser sends it back."""
    return {"seen_version": seen_version_in(client.get(url))}


def test_a_meeting_changed_meanwhile_is_refused_and_the_typed_form_comes_back(login, manager, head, supported):
    meeting = meeting_save(project=supported, actor=manager, title="ВКС по техническим условиям",
                           starts_at=timezone.now() + timedelta(days=3), format="video", link="https://vks.zk.example/1")
    client = login(manager)
    seen = seen_version_in(client.get(op_url(supported, "meeting", meeting)))  # the manager opens «Изменить встречу»
    meeting_save(project=supported, actor=head, meeting=Meeting.objects.get(pk=meeting.pk), title="ВКС перенесена",
                 starts_at=meeting.starts_at + timedelta(days=1), format="video", link="https://vks.zk.example/2")

    data = meeting_data(title="ВКС с сетевой организацией", link="https://vks.zk.example/3", seen_version=seen)
    response = client.post(op_url(supported, "meeting", meeting), data)

    text = page_text(response)
    assert "Пока вы заполняли форму, встречу изменил другой пользователь. Введённое вами сохранено" in text
    assert 'value="ВКС с сетевой организацией"' in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).title == "ВКС перенесена"  # nothing written over the other change
    current = seen_version_in(response)
    assert current == str(Meeting.objects.get(pk=meeting.pk).sequence) != seen
    client.post(op_url(supported, "meeting", meeting), {**data, "seen_version": current})
    assert Meeting.objects.get(pk=meeting.pk).title == "ВКС с сетевой организацией"  # sent again on purpose


def test_a_roadmap_item_changed_meanwhile_is_refused(login, manager, head, supported):
    item = roadmap_item_save(project=supported, actor=manager, title="Технические условия", planned_start=TODAY,
                             planned_end=TODAY + timedelta(days=30))
    client = login(manager)
    seen = seen_version_in(client.get(op_url(supported, "roadmap", item)))
    roadmap_item_save(project=supported, actor=head, item=RoadmapItem.objects.get(pk=item.pk),
                      title="Технические условия", planned_start=TODAY, planned_end=TODAY + timedelta(days=60))

    response = client.post(op_url(supported, "roadmap", item), {
        "title": "ТУ на газ", "planned_start": day(0), "planned_end": day(20), "status": "planned", "order": 1,
        "seen_version": seen})

    assert "пункт дорожной карты изменил другой пользователь" in page_text(response)
    item.refresh_from_db()
    assert (item.title, item.planned_end, item.version) == ("Технические условия", TODAY + timedelta(days=60), 1)


# --- documents -----------------------------------------------------------------------------------------------
def test_document_upload_and_download_permission(login, manager, supported, executor, investor):
    client = login(manager)
    client.post(op_url(supported, "document"), {"kind": "technical", "title": "ТУ на электроснабжение",
                                                 "upload": pdf(), "is_internal": "on"})
    document = ProjectDocument.objects.get()
    assert document.is_internal and document.title == "ТУ на электроснабжение"
    url = reverse("admin:core_project_document", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(executor).get(url).status_code == 404  # does not see the project
    assert login(investor).get(url).status_code == 302  # investors have no cabinet


def test_a_wrong_file_stays_on_the_form(login, manager, supported):
    bad = SimpleUploadedFile("вирус.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    text = page_text(login(manager).post(op_url(supported, "document"), {"kind": "other", "upload": bad},
                                         follow=True))
    assert "Загрузить документ" in text and not ProjectDocument.objects.exists()


def test_a_document_form_with_an_error_keeps_its_file(login, manager, supported, django_capture_on_commit_callbacks):
    client = login(manager)
    response = client.post(op_url(supported, "document"), {"kind": "nonsense", "title": "ТУ", "upload": pdf()})

    html = response.content.decode()
    assert "Этот файл уже получен: выбирать его снова не нужно. Выберите другой, чтобы заменить его." in html
    token = re.search(r'name="upload-held" value="([^"]+)" checked', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(op_url(supported, "document"), {"kind": "technical", "title": "ТУ", "upload-held": token})

    assert ProjectDocument.objects.get().original_name == "Технические условия.pdf"
    assert not HeldUpload.objects.exists()


# --- requests to participants --------------------------------------------------------------------------------
def test_request_sent_and_answered_by_the_addressed_organisation(login, manager, supported, rso, rso_executor):
    client = login(manager)
    client.post(op_url(supported, "request"), {"organisation": rso.pk, "subject": "Возможность подключения",
                                                "text": "Просим сообщить о возможности подключения 2,5 МВт."})
    row = ParticipantRequest.objects.get()
    assert row.due_date == TODAY + timedelta(days=7)
    answer_url = op_url(supported, "request_answer", row)
    assert answer_url not in client.get(page_url(supported, "requests")).content.decode()  # not the addressee
    assert "вам сейчас недоступно" in page_text(client.get(answer_url, follow=True))

    participant = login(rso_executor)
    page = participant.get(reverse("admin:core_participantrequest_change", args=[row.pk]))
    assert "Ответить на запрос" in page_text(page)
    response = participant.post(
        answer_url + "?next=" + reverse("admin:core_participantrequest_changelist"),
        {"answer_text": "Подключение возможно в IV квартале.", "files": [pdf("Схема.pdf")]}, follow=True,
    )
    assert "«Ответить на запрос»: готово." in page_text(response)
    row.refresh_from_db()
    assert (row.status, row.answered_by) == (RequestStatus.ANSWERED, rso_executor)
    assert row.documents.get().original_name == "Схема.pdf"
    text = page_text(login(manager).get(page_url(supported, "requests")))
    assert "Подключение возможно в IV квартале." in text and "Схема.pdf" in text and "Получен ответ" in text


def test_an_overdue_request_is_marked(login, manager, supported, rso):
    row = request_send(project=supported, actor=manager, organisation=rso, subject="Подключение к газу",
                       text="Просим сообщить", due_date=date(2025, 1, 10))
    text = page_text(login(manager).get(page_url(supported, "requests")))
    assert "Просрочен" in text
    assert row.is_overdue


def test_comment_is_public_or_internal(login, manager, supported):
    client = login(manager)
    client.post(op_url(supported, "comment"), {"text": "Видно инвестору", "is_public": "on"})
    client.post(op_url(supported, "comment"), {"text": "Только для своих"})
    comments = dict(supported.events.filter(kind=ProjectEventKind.COMMENT).values_list("text", "is_public"))
    assert comments == {"Видно инвестору": True, "Только для своих": False}


def test_unknown_change_or_row_of_another_project_answers_404(login, manager, supported, apply_project):
    other = apply_project(name="Другой проект")
    item = roadmap_item_save(project=other, actor=manager, title="Чужой пункт", planned_start=TODAY,
                             planned_end=TODAY)
    client = login(manager)
    assert client.get(op_url(supported, "nonsense")).status_code == 404
    assert client.get(op_url(supported, "roadmap", item)).status_code == 404
    assert client.get(reverse("admin:core_project_op", args=[supported.pk, "roadmap_task"])).status_code == 404
    assert RoadmapItem.objects.count() == 1
    document = document_upload(project=other, actor=manager, upload=pdf(), kind="other")
    response = client.get(reverse("admin:core_project_document", args=[document.pk]))
    response.close()  # the download's file, as the server closes it (an open one warns in a later test)
    assert response.status_code == 200


def test_a_document_chosen_anew_replaces_the_one_kept(login, manager, supported, django_capture_on_commit_callbacks):
    client = login(manager)
    first = client.post(op_url(supported, "document"), {"kind": "nonsense", "upload": pdf("Старая схема.pdf")})
    token = re.search(r'name="upload-held" value="([^"]+)"', first.content.decode()).group(1)
    second = client.post(op_url(supported, "document"), {"kind": "nonsense", "upload-held": token,
                                                          "upload": pdf("Новая схема.pdf")})
    html = second.content.decode()
    assert "Новая схема.pdf" in html and "Старая схема.pdf" not in html  # one file: the latest chosen is shown
    latest = re.search(r'name="upload-held" value="([^"]+)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(op_url(supported, "document"), {"kind": "technical", "upload-held": latest})
    assert ProjectDocument.objects.get().original_name == "Новая схема.pdf"


@pytest.mark.parametrize("sent", [None, "", "abc"])
def test_a_change_sent_without_the_version_it_saw_comes_back_and_overwrites_nothing(login, manager, head, supported,
                                                                                     sent):
    """A page from before the hidden version existed, or one made by hand: last-writer-wins would be silent."""
    meeting = meeting_save(project=supported, actor=manager, title="ВКС по техническим условиям",
                           starts_at=timezone.now() + timedelta(days=3), format="video", link="https://vks.zk.example/1")
    meeting_save(project=supported, actor=head, meeting=Meeting.objects.get(pk=meeting.pk), title="ВКС перенесена",
                 starts_at=meeting.starts_at + timedelta(days=1), format="video", link="https://vks.zk.example/2")
    client = login(manager)
    data = meeting_data(title="ВКС с сетевой организацией", link="https://vks.zk.example/3")
    if sent is not None:
        data["seen_version"] = sent

    response = client.post(op_url(supported, "meeting", meeting), data)

    assert "Пока вы заполняли форму, встречу изменил другой пользователь" in page_text(response)
    assert "seen_version" not in page_text(response)  # no hidden field's own error on the page
    assert Meeting.objects.get(pk=meeting.pk).title == "ВКС перенесена"
    client.post(op_url(supported, "meeting", meeting), {**data, "seen_version": seen_version_in(response)})
    assert Meeting.objects.get(pk=meeting.pk).title == "ВКС с сетевой организацией"
