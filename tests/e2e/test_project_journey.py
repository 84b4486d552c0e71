"""Issue 4's browser journey: an investment project from the investor's application to its first meeting.

The investor applies for a project on the portal («Мои проекты» → «Подать заявку на проект»); the company's personal
manager, in the cabinet, takes it into review and accepts it (the stage buttons), builds a three-item roadmap (the
second item after the first), creates a task from the first item and schedules a ВКС for next week; the investor
then sees the stage, the meeting in the list and the month calendar, downloads it as .ics and finds the events in
«История проекта». Every person works in a browser context of their own (own cookies).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.choices import MeetingFormat, MeetingStatus, ProjectStage, TaskStatus
from core.models import Industry, Project
from tests.factories import TEST_PASSWORD, DistrictFactory

pytestmark = pytest.mark.e2e

PROJECT_NAME = "Завод металлоконструкций «Северный»"
DESCRIPTION = (
    "Строительство завода по производству металлоконструкций для мостов и промышленных зданий: "
    "два цеха, склад готовой продукции и железнодорожный тупик."
)
INVESTMENT = "2500000000"
JOBS = "240"
INDUSTRY = "Металлургия и металлообработка"
DISTRICT = "Кировский муниципальный район"
ROADMAP = (  # title, start and end in days from today
    ("Подбор и оформление земельного участка", 10, 40),
    ("Технические условия на подключение к электросетям", 41, 80),
    ("Разработка проектной документации", 30, 120),
)
ACCEPT_COMMENT = "Проект соответствует критериям сопровождения."
TASK_TITLE = "Запросить выписку ЕГРН на земельный участок"
MEETING_TITLE = "Установочная встреча по проекту «Северный»"
MEETING_LINK = "https://vks.example.ru/j/project-severny"
MEETING_AGENDA = "Знакомство с командой проекта, дорожная карта, земельный участок."


# --- the two doors: the investor portal and the manager cabinet ----------------------------------------------
def portal_login(page, user) -> None:
    page.goto("/login/")
    page.locator('[name="username"]').fill(user.email)
    page.locator('[name="password"]').fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/cabinet/")


def cabinet_login(page, user) -> None:
    page.goto("/admin/login/")
    page.locator('[name="username"]').fill(user.email)
    page.locator('[name="password"]').fill(TEST_PASSWORD)
    page.locator('button[type="submit"]').click()
    page.wait_for_url("**/admin/")


def cabinet_scripts_ready(page) -> None:
    """unfold's buttons open their forms in a modal through htmx and Alpine: a click before both are running
    would open the form as a page of its own."""
    page.wait_for_function("() => window.htmx !== undefined && window.Alpine !== undefined")


def cabinet_tab(page, label: str, slug: str) -> None:
    page.locator("#project-tabs").get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(re.compile(rf"/admin/core/project/\d+/change/\?tab={slug}"))
    page.locator(f'#project-tab[data-tab="{slug}"]').wait_for()
    cabinet_scripts_ready(page)


def cabinet_dialog(page, button, submit: str, fill=None, *, shot=None) -> None:
    """Click a button of the project page, fill its form in unfold's modal and submit it; the page the cabinet
    returns to says «…: готово»."""
    button.click()
    form = page.locator("#modal-content #action-form")
    form.wait_for()
    if fill:
        fill(form)
    if shot:  # once the modal has faded in
        page.wait_for_function("() => document.getAnimations().every(animation => animation.playState !== 'running')")
        page.screenshot(path=shot)
    with page.expect_navigation():
        form.get_by_role("button", name=submit, exact=True).click()
    page.get_by_text(f"«{submit}»: готово.").wait_for()
    cabinet_scripts_ready(page)


def project_tab(page, label: str) -> None:
    """A tab of the project page on the portal."""
    page.locator("nav.tabs").get_by_role("link", name=label, exact=True).click()
    page.locator("nav.tabs").get_by_role("link", name=label, exact=True).and_(
        page.locator('[aria-current="page"]')
    ).wait_for()
    page.get_by_role("heading", name=label, exact=True).wait_for()


@pytest.fixture
def passport_choices(district):
    """The industries and a second district the investor picks from (the live server's database starts empty)."""
    Industry.objects.create(code="metal", name=INDUSTRY, order=1)
    Industry.objects.create(code="logistics", name="Транспорт и логистика", order=2)
    DistrictFactory(code="41625000", name=DISTRICT)


def test_investor_applies_the_manager_accepts_and_plans_and_the_investor_sees_the_meeting(
    person_page, investor, manager, company, passport_choices, screenshot_dir,
):
    company.personal_manager = manager  # project_apply puts the company's personal manager on the project
    company.save()
    today = timezone.localdate()
    meeting_day = today + timedelta(days=7)

    # --- the investor applies for a project on the portal --------------------------------------------------
    page = person_page()
    portal_login(page, investor)
    page.locator("nav.tabs").get_by_role("link", name="Мои проекты", exact=True).click()
    page.get_by_role("heading", name="Мои проекты").wait_for()
    page.get_by_text("У вашей компании пока нет проектов.").wait_for()
    page.get_by_role("link", name="Подать заявку на проект").click()
    page.get_by_role("heading", name="Подать заявку на проект").wait_for()
    form = page.locator("form.project-form")
    form.get_by_label("Название проекта:", exact=True).fill(PROJECT_NAME)
    form.get_by_label("Район:", exact=True).select_option(label=DISTRICT)
    form.get_by_label("Отрасль:", exact=True).select_option(label=INDUSTRY)
    form.get_by_label("Описание:", exact=True).fill(DESCRIPTION)
    form.get_by_label("Объём инвестиций, ₽:", exact=True).fill(INVESTMENT)
    form.get_by_label("Рабочих мест:", exact=True).fill(JOBS)
    page.screenshot(path=screenshot_dir / "project-1-investor-application.png", full_page=True)
    form.get_by_role("button", name="Подать заявку", exact=True).click()

    page.wait_for_url(re.compile(r"/cabinet/projects/\d+/$"))
    message = page.locator(".messages").text_content()
    filed = re.search(r"Заявка подана, проекту присвоен номер (ИП-\d{4}-\d{5})", message)
    assert filed, message
    number = filed.group(1)
    project = Project.objects.get(registry_number=number)
    assert project.stage == ProjectStage.APPLICATION and project.personal_manager == manager
    head = page.locator("header.project-head")
    head.get_by_role("heading", name=PROJECT_NAME).wait_for()
    head.locator(".badge", has_text="Заявка").wait_for()
    page.screenshot(path=screenshot_dir / "project-1-investor-filed.png", full_page=True)
    page.context.close()

    # --- the personal manager accepts it in the cabinet -------------------------------------------------------
    page = person_page()
    cabinet_login(page, manager)
    page.goto("/admin/core/project/")
    page.get_by_role("link", name=number, exact=True).click()
    page.wait_for_url(re.compile(rf"/admin/core/project/{project.pk}/change/$"))
    page.get_by_role("heading", name=PROJECT_NAME).first.wait_for()
    cabinet_scripts_ready(page)
    page.screenshot(path=screenshot_dir / "project-2-cabinet-application.png", full_page=True)

    cabinet_dialog(page, page.get_by_role("link", name="Взять на рассмотрение"), "Взять на рассмотрение")
    page.locator('.zk-steps [aria-current="step"]', has_text="На рассмотрении").wait_for()
    cabinet_dialog(
        page, page.get_by_role("link", name="Принять на сопровождение"), "Принять на сопровождение",
        lambda form: form.locator('textarea[name="reason"]').fill(ACCEPT_COMMENT),
        shot=screenshot_dir / "project-2-accept-dialog.png",
    )
    page.locator('.zk-steps [aria-current="step"]', has_text="Принят на сопровождение").wait_for()
    assert page.get_by_role("link", name="Принять на сопровождение").count() == 0

    # --- a three-item roadmap, the second after the first ------------------------------------------------------
    cabinet_tab(page, "Дорожная карта", "roadmap")
    page.get_by_text("Дорожная карта ещё не составлена.").wait_for()
    for index, (title, start, end) in enumerate(ROADMAP):

        def fill_item(form, title=title, start=start, end=end, after=ROADMAP[0][0] if index == 1 else None):
            form.locator('input[name="title"]').fill(title)
            form.locator('input[name="planned_start"]').fill(f"{today + timedelta(days=start):%Y-%m-%d}")
            form.locator('input[name="planned_end"]').fill(f"{today + timedelta(days=end):%Y-%m-%d}")
            form.locator('select[name="responsible_user"]').select_option(value=str(manager.pk))
            if after:
                form.locator('select[name="predecessors"]').select_option(label=after)

        cabinet_dialog(
            page, page.get_by_role("link", name="Добавить пункт"), "Добавить пункт дорожной карты",
            fill_item, shot=screenshot_dir / "project-3-roadmap-item-dialog.png" if index == 1 else None,
        )
        page.locator("#roadmap-items").get_by_text(title, exact=True).wait_for()
    rows = page.locator("#roadmap-items tbody tr")
    assert rows.count() == 3
    rows.filter(has_text=ROADMAP[1][0]).get_by_text("после пунктов: 1").wait_for()
    page.locator("#gantt svg").wait_for()

    # --- a task from the first item: its due date is the item's planned end ------------------------------------
    first_row = rows.filter(has_text=ROADMAP[0][0])
    first_end = today + timedelta(days=ROADMAP[0][2])

    def fill_task(form):
        form.get_by_text(f"Срок задачи — окончание пункта по плану, {first_end:%d.%m.%Y}").wait_for()
        assert form.locator('input[name="title"]').input_value() == ROADMAP[0][0]  # the item's title to start from
        form.locator('input[name="title"]').fill(TASK_TITLE)
        assert form.locator('input[name="due_date"]').count() == 0  # the date follows the item

    cabinet_dialog(
        page, first_row.get_by_role("link", name="Создать задачу"), "Создать задачу", fill_task,
        shot=screenshot_dir / "project-3-task-dialog.png",
    )
    first_row = page.locator("#roadmap-items tbody tr").filter(has_text=ROADMAP[0][0])
    first_row.get_by_role("link", name=TASK_TITLE).wait_for()
    first_row.get_by_text(f"срок {first_end:%d.%m.%Y}").wait_for()
    page.screenshot(path=screenshot_dir / "project-3-cabinet-roadmap.png", full_page=True)

    # --- a ВКС next week on the «Встречи» tab -------------------------------------------------------------------
    cabinet_tab(page, "Встречи", "meetings")

    def fill_meeting(form):
        form.locator('input[name="title"]').fill(MEETING_TITLE)
        form.locator('input[name="starts_at"]').fill(f"{meeting_day:%Y-%m-%d}T11:00")
        form.locator('select[name="format"]').select_option(value=MeetingFormat.VIDEO)
        form.locator('input[name="link"]').fill(MEETING_LINK)
        form.locator('select[name="participants"]').select_option(value=[str(manager.pk), str(investor.pk)])
        form.locator('textarea[name="agenda"]').fill(MEETING_AGENDA)

    cabinet_dialog(
        page, page.get_by_role("link", name="Назначить встречу"), "Назначить встречу", fill_meeting,
        shot=screenshot_dir / "project-4-meeting-dialog.png",
    )
    upcoming = page.locator("#meetings-upcoming")
    upcoming.get_by_text(MEETING_TITLE).wait_for()
    upcoming.get_by_text(f"{meeting_day:%d.%m.%Y} 11:00").wait_for()
    upcoming.get_by_role("link", name=MEETING_LINK).wait_for()
    page.screenshot(path=screenshot_dir / "project-4-cabinet-meetings.png", full_page=True)
    page.context.close()

    # --- the investor sees the stage, the meeting and its calendar, and the history -----------------------------
    page = person_page()
    portal_login(page, investor)
    page.locator("nav.tabs").get_by_role("link", name="Мои проекты", exact=True).click()
    row = page.locator("tr", has=page.get_by_role("link", name=number, exact=True))
    row.locator(".badge", has_text="Принят на сопровождение").wait_for()
    row.get_by_role("link", name=PROJECT_NAME).click()
    page.wait_for_url(f"**/cabinet/projects/{project.pk}/")
    page.locator("header.project-head .badge", has_text="Принят на сопровождение").wait_for()
    page.locator('.stage-progress [aria-current="step"]', has_text="Принят на сопровождение").wait_for()

    project_tab(page, "Встречи")
    meeting = page.locator("article.meeting", has=page.get_by_role("heading", name=MEETING_TITLE))
    meeting.locator(".badge", has_text="Запланирована").wait_for()
    meeting.get_by_role("link", name=MEETING_LINK).wait_for()
    meeting.get_by_text(MEETING_AGENDA).wait_for()
    if meeting_day.month != today.month:  # next week is in the next month: turn the calendar's page
        page.locator(".month-calendar a[rel=next]").click()
        page.wait_for_url(re.compile(rf"\?month={meeting_day:%Y-%m}"))
    calendar = page.locator(".month-calendar")
    day_cell = calendar.locator("td", has=page.locator(f'time[datetime="{meeting_day:%Y-%m-%d}"]'))
    day_cell.locator("a.cal-meeting", has_text=f"11:00 {MEETING_TITLE}").wait_for()
    page.screenshot(path=screenshot_dir / "project-5-investor-meetings.png", full_page=True)

    with page.expect_download() as download:
        meeting.get_by_role("link", name="Добавить в календарь (файл .ics)").click()
    assert download.value.suggested_filename == f"vstrecha-{meeting_day:%Y-%m-%d}.ics"
    raw = download.value.path().read_bytes()
    ics = raw.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode()  # iCalendar folds long lines by octets
    assert "BEGIN:VCALENDAR" in ics and "BEGIN:VEVENT" in ics and "END:VEVENT" in ics
    assert MEETING_TITLE in ics.replace("\\,", ",").replace("\\;", ";")

    # the first item's planned end is a milestone of the calendar, in its own month
    shown = meeting_day.replace(day=1)
    while shown < first_end.replace(day=1):
        page.locator(".month-calendar a[rel=next]").click()
        shown = (shown + timedelta(days=31)).replace(day=1)
        page.wait_for_url(re.compile(rf"\?month={shown:%Y-%m}"))
    milestone_cell = calendar.locator("td", has=page.locator(f'time[datetime="{first_end:%Y-%m-%d}"]'))
    milestone_cell.locator(".cal-milestone", has_text=ROADMAP[0][0]).wait_for()

    project_tab(page, "История проекта")
    timeline = page.locator("ol.timeline")
    stage_change = timeline.locator(".timeline-item", has_text="Смена этапа").filter(
        has=page.locator(".timeline-change", has_text="На рассмотрении → Принят на сопровождение")
    )
    stage_change.wait_for()
    for title, start, end in ROADMAP:
        dates = f"{today + timedelta(days=start):%d.%m.%Y} – {today + timedelta(days=end):%d.%m.%Y}"
        timeline.locator(".timeline-item", has_text=f"Добавлен пункт дорожной карты «{title}»: {dates}").wait_for()
    scheduled = f"Назначена встреча «{MEETING_TITLE}» на {meeting_day:%d.%m.%Y} 11:00"
    timeline.locator(".timeline-item", has_text=scheduled).wait_for()
    stage_change.get_by_text(ACCEPT_COMMENT).wait_for()
    timeline.locator(".timeline-item", has_text="Подана заявка на сопровождение проекта").wait_for()
    page.screenshot(path=screenshot_dir / "project-6-investor-history.png", full_page=True)
    page.get_by_label("События:").select_option(label="Дорожная карта")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url(re.compile(r"\?kind=roadmap"))
    assert timeline.locator(".timeline-item").count() == 3
    assert timeline.locator(".timeline-item", has_text="Дорожная карта").count() == 3

    # --- what was stored ---------------------------------------------------------------------------------------
    project.refresh_from_db()
    assert project.stage == ProjectStage.ACCEPTED and project.accepted_at == today
    assert project.name == PROJECT_NAME and project.description == DESCRIPTION
    assert project.district.name == DISTRICT and project.industry.name == INDUSTRY
    assert project.investment_volume == int(INVESTMENT) and project.jobs == int(JOBS)
    assert project.investor == investor.organisation and project.personal_manager == manager
    stages = list(project.events.filter(kind="stage").order_by("created_at", "pk").values_list("name", "actor"))
    assert stages == [("apply", investor.pk), ("start_review", manager.pk), ("accept", manager.pk)]

    items = {item.title: item for item in project.roadmap.all()}
    assert list(items) and sorted(items) == sorted(title for title, _start, _end in ROADMAP)
    for title, start, end in ROADMAP:
        item = items[title]
        assert (item.planned_start, item.planned_end) == (today + timedelta(days=start), today + timedelta(days=end))
        assert (item.baseline_start, item.baseline_end) == (item.planned_start, item.planned_end)
        assert item.responsible_user == manager
    first, second, third = (items[title] for title, _start, _end in ROADMAP)
    assert list(second.predecessors.all()) == [first]
    assert not first.predecessors.exists() and not third.predecessors.exists()

    task = project.tasks.get()
    assert task.title == TASK_TITLE and task.roadmap_item == first and task.due_date == first.planned_end
    assert task.author == manager and task.assignee == manager and task.status == TaskStatus.NEW

    meeting = project.meetings.get()
    assert meeting.title == MEETING_TITLE and meeting.format == MeetingFormat.VIDEO and meeting.link == MEETING_LINK
    assert meeting.status == MeetingStatus.PLANNED and meeting.created_by == manager
    starts = timezone.localtime(meeting.starts_at)
    assert (starts.date(), f"{starts:%H:%M}") == (meeting_day, "11:00")
    assert set(meeting.participants.all()) == {manager, investor}
