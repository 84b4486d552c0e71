"""The cabinet's start page: the director's dashboard «Основные показатели онлайн» (KPI cards, charts, the most
overdue appeals), scoped by role, at a constant cost, with Chart.js from our own static."""

import datetime
import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import AppealStatus, ProjectStage
from core.models import Appeal, Category, Fact, Project, Task
from core.workflows.tasks import task_create
from tests.admin_site.helpers import html_text, page_text

S = AppealStatus
CHART_TITLES = (
    "Проекты на сопровождении по этапам",
    "Принято на сопровождение по месяцам",
    "Обращения по статусам",
    "Обращения по категориям",
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def supported(apply_project, stage=ProjectStage.INVESTMENT, **passport) -> Project:
    project = apply_project(**passport)
    Project.objects.filter(pk=project.pk).update(stage=stage, accepted_at=timezone.localdate())
    return project


def appeal(file_appeal, status=S.IN_WORK, **fields) -> Appeal:
    filed = file_appeal()
    Appeal.objects.filter(pk=filed.pk).update(status=status, **fields)
    filed.refresh_from_db()
    return filed


def dashboard(login, user) -> str:
    response = login(user).get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The HTML of one section of the page, found by the id of its heading."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def kpis(html: str) -> str:
    return html_text(section(html, "dashboard-kpis-heading"))


@pytest.fixture
def data_set(apply_project, file_appeal, manager):
    """3 projects on support (3,75 bn ₽, 320 jobs) and one application; 3 open appeals (2 overdue), 3 answered
    in the last 12 months (2 on time, ratings 5 and 4, one reworked)."""
    supported(apply_project, ProjectStage.ACCEPTED, investment_volume=Decimal("1500000000"), jobs=120)
    supported(apply_project, ProjectStage.PRE_INVESTMENT, investment_volume=Decimal("2000000000"), jobs=200)
    supported(apply_project, ProjectStage.OPERATIONAL, investment_volume=Decimal("250000000"), jobs=None)
    apply_project(investment_volume=Decimal("9000000000"), jobs=900)  # an application: not on support
    overdue = [
        appeal(file_appeal, S.IN_WORK, deadline=days(-2), manager=manager),
        appeal(file_appeal, S.ASSIGNED, deadline=days(-7)),
    ]
    appeal(file_appeal, S.MODERATION, deadline=days(3))
    appeal(file_appeal, S.ANSWERED, deadline=days(-10), answered_at=at_noon(days(-10)), rating=5)
    appeal(file_appeal, S.RESOLVED, deadline=days(-10), answered_at=at_noon(days(-9)), rating=4, rework_count=1)
    appeal(file_appeal, S.ANSWERED, deadline=days(-40), answered_at=at_noon(days(-45)))
    return overdue


# --- the page ------------------------------------------------------------------------------------------------
def test_index_is_titled_green_corridor_and_greets_the_manager(login, manager):
    response = login(manager).get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert "Зелёный коридор" in title
    assert f"Здравствуйте, {manager.first_name} {manager.middle_name}!" in page_text(response)
    assert "Основные показатели онлайн" in page_text(response)


def test_investor_never_reaches_the_dashboard(login, investor):
    response = login(investor).get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_kpi_cards_on_a_constructed_data_set(login, director, data_set):
    text = kpis(dashboard(login, director))
    assert "Проектов на сопровождении 3 " in text
    assert "Объём инвестиций 3,8 млрд ₽" in text  # 3,75 rounded half up
    assert "Рабочих мест 320 " in text
    assert "Обращений в работе 3 " in text
    assert "Просрочено сейчас 2 " in text
    assert "Ответов в срок 67 % ответов за 12 месяцев: 3" in text
    assert "Средняя оценка ответов 4,5 оценок за 12 месяцев: 2" in text
    assert "Возвращено на доработку 33 %" in text


def test_charts_carry_their_numbers_for_screen_readers(login, director, data_set):
    html = dashboard(login, director)
    for title in CHART_TITLES:  # a visible heading and a table with the same title as its caption
        assert re.search(rf'<h3 id="dashboard-chart-[a-z]+-heading"[^>]*>{title}</h3>', html), title
        assert f"<caption>{title}</caption>" in html
    stages = html_text(section(html, "dashboard-chart-stages-heading"))
    assert ("Принят на сопровождение 1 Прединвестиционный этап 1 Инвестиционный этап 0 "
            "Эксплуатационный этап 1") in stages
    statuses = html_text(section(html, "dashboard-chart-statuses-heading"))
    assert "Обращение поступило на модерацию 1 Обращение передано на исполнение 1" in statuses
    assert "Обращение рассмотрено 2 Закрыты или отклонены 1" in statuses
    assert 'data-type="bar"' in html and 'data-type="line"' in html
    assert html.count('<canvas class="chart"') == 4
    # the months' counts joined by straight lines: Chart.js's curve (tension > 0) swung between 0 and 1 past both
    assert chart_data(html, "accepted")["datasets"][0]["tension"] == 0


def chart_data(html: str, key: str) -> dict:
    value = re.search(r'data-value="([^"]+)"', section(html, f"dashboard-chart-{key}-heading")).group(1)
    return json.loads(unescape(value))


def test_the_category_chart_shows_short_names_and_the_full_name_in_the_tooltip(login, director, file_appeal):
    construction = Fact.objects.get(code="03.01.002")
    appeal(file_appeal, fact=construction)
    appeal(file_appeal)  # the «Поток» fact: roads and transport
    Category.objects.filter(code="06").update(short_name="")  # a category nobody gave a short name
    html = dashboard(login, director)
    data = chart_data(html, "categories")
    labels = [" ".join(lines) for lines in data["labels"]]  # each label in lines short enough for a phone
    assert all(len(line) <= 20 for lines in data["labels"] for line in lines)
    cut = next(label for label in labels if label != "Строительство")
    assert cut.startswith("Вопросы бизнеса, связанные с") and cut.endswith("…") and len(cut) <= 32
    titles = [" ".join(lines) for lines in data["datasets"][0]["titles"]]
    assert set(titles) == {"Вопросы бизнеса, связанные со строительством",
                           "Вопросы бизнеса, связанные с автомобильными дорогами и транспортом"}
    assert all(len(line) <= 32 for lines in data["datasets"][0]["titles"] for line in lines)
    text = html_text(section(html, "dashboard-chart-categories-heading"))
    assert "Вопросы бизнеса, связанные со строительством 1" in text  # the text version keeps the full name
    assert "/static/admin_site/chart-tooltips.js" in re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)


def test_the_ten_most_overdue_appeals_oldest_first_and_linked(login, director, file_appeal, manager, company):
    late = [appeal(file_appeal, deadline=days(-day), manager=manager) for day in range(1, 13)]
    appeal(file_appeal, S.DECLINED, deadline=days(-50))  # closed
    appeal(file_appeal, deadline=days(0))  # due today

    table = section(dashboard(login, director), "dashboard-overdue-heading")

    links = re.findall(r'href="([^"]+)">№(\d+)</a>', table)
    expected = sorted(late, key=lambda a: a.deadline)[:10]
    assert links == [(reverse("admin:core_appeal_change", args=[a.pk]), str(a.number)) for a in expected]
    text = html_text(table)
    oldest = expected[0]
    assert (f"№{oldest.number} {oldest.subject} {company.short_name} {manager.full_name} "
            f"{oldest.deadline:%d.%m.%Y} 12") in text
    assert "Дней просрочки" in text


# --- who sees what -------------------------------------------------------------------------------------------
def test_an_omsu_executor_sees_only_their_organisation(login, director, executor, omsu, agency, file_appeal,
                                                        apply_project):
    ours = appeal(file_appeal, deadline=days(-3), executor_organisation=omsu, subject="Наше обращение")
    theirs = appeal(file_appeal, deadline=days(-5), executor_organisation=agency, subject="Чужое обращение")
    supported(apply_project, investment_volume=Decimal("4000000000"), jobs=40)  # no request to the ОМСУ

    own = dashboard(login, executor)
    everything = dashboard(login, director)

    assert "Обращений в работе 1 " in kpis(own) and "Просрочено сейчас 1 " in kpis(own)
    assert "Проектов на сопровождении 0 " in kpis(own) and "Объём инвестиций 0,0 млрд ₽" in kpis(own)
    overdue = section(own, "dashboard-overdue-heading")
    assert f"№{ours.number}<" in overdue and f"№{theirs.number}<" not in overdue
    assert "Обращений в работе 2 " in kpis(everything) and "Проектов на сопровождении 1 " in kpis(everything)
    assert "Объём инвестиций 4,0 млрд ₽" in kpis(everything)


# --- an empty database, static and cost ------------------------------------------------------------------------
def test_an_empty_database_renders_zeros_and_no_data(login, director):
    html = dashboard(login, director)
    text = kpis(html)
    assert "Проектов на сопровождении 0 " in text and "Объём инвестиций 0,0 млрд ₽" in text
    assert "Просрочено сейчас 0 " in text and "Ответов в срок — " in text
    for title in CHART_TITLES:
        assert html_text(section(html, f"dashboard-chart-{chart_key(html, title)}-heading")).endswith("нет данных")
    assert '<canvas class="chart"' not in html
    assert "Просроченных обращений нет." in html_text(section(html, "dashboard-overdue-heading"))


def chart_key(html: str, title: str) -> str:
    return re.search(rf'<h3 id="dashboard-chart-([a-z]+)-heading"[^>]*>{title}</h3>', html).group(1)


def test_chart_js_comes_from_our_static_and_nothing_from_a_cdn(login, director, data_set):
    html = dashboard(login, director)
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert "/static/unfold/js/chart/chart.js" in scripts
    assert finders.find("unfold/js/chart/chart.js")
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)


def test_the_page_costs_the_same_queries_for_more_data(login, director, apply_project, file_appeal, manager):
    client = login(director)

    def add(count: int) -> None:
        for index in range(count):
            supported(apply_project, ProjectStage.supported()[index % 4], investment_volume=Decimal(10**9), jobs=1)
            appeal(file_appeal, AppealStatus.open()[index % 6], deadline=days(-index - 1), manager=manager)
            appeal(file_appeal, S.RESOLVED, deadline=days(-5), answered_at=at_noon(days(-index)), rating=5)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("admin:index")).status_code == 200
        return len(captured)

    add(2)
    client.get(reverse("admin:index"))  # warm the per-process caches (content types, the sidebar)
    few = queries()
    add(14)  # more than the ten rows of the overdue table
    assert queries() == few


# --- «Основные показатели онлайн» ------------------------------------------------------------------------------
def online(html: str) -> str:
    return html_text(section(html, "dashboard-online-heading"))


def test_the_online_block_stands_beside_the_cards(login, director, manager, file_appeal, apply_project, omsu,
                                                  executor):
    """Processed: 21 answered or closed (a Russian «21 обращение», one form) plus one rejected = 22 (two forms);
    ratings 5 and 4 → 4,5; a first answer 3 days after receipt; the Администрация connected (the ready executor);
    one project accepted this year."""
    from core.models import AppealAnswer

    today = timezone.localdate()
    rated = [appeal(file_appeal, S.RESOLVED, rating=5 if index == 0 else (4 if index == 1 else None))
             for index in range(21)]
    received = at_noon(days(-10))
    Appeal.objects.filter(pk=rated[0].pk).update(received_at=received)
    AppealAnswer.objects.create(appeal=rated[0], number=1, text="Ответ", approved_at=received
                                + datetime.timedelta(days=3), rating=5)
    Project.objects.filter(pk=apply_project().pk).update(stage=ProjectStage.ACCEPTED, accepted_at=today)

    text = online(dashboard(login, director))
    launched = f"с {timezone.localdate(Appeal.objects.order_by('created_at').first().created_at):%d.%m.%Y}"
    assert "Основные показатели онлайн" in text
    assert f"21 обращение обработано {launched}" in text
    assert "4,5 из 5 — средняя оценка ответов оценок: 2" in text
    assert "3,0 дня в среднем до первого ответа за 12 месяцев первых ответов: 1; годом ранее ответов не было" in text
    assert "1 ОИВ и ОМСУ подключены к МОС ОИВ — 0, ОМСУ — 1" in text
    assert f"1 проект принят на сопровождение в этом году {today.year}: 1 проект" in text
    assert "0 просроченных задач" in text
    # the block is there for a manager too, and the KPI cards stay; two more projects, two overdue tasks
    appeal(file_appeal, S.REJECTED)
    for _ in range(2):
        Project.objects.filter(pk=apply_project().pk).update(stage=ProjectStage.ACCEPTED, accepted_at=today)
        task = task_create(author=director, assignee=manager, title="Справка", due_date=today)
        Task.objects.filter(pk=task.pk).update(due_date=days(-1))
    page = dashboard(login, manager)
    assert "обращения обработано" in online(page) or "обращений обработано" in online(page)
    assert "Обращений в работе" in kpis(dashboard(login, director))
    text = online(dashboard(login, director))
    assert "22 обращения обработано" in text
    assert f"3 проекта принято на сопровождение в этом году {today.year}: 3 проекта" in text
    assert "2 просроченные задачи" in text
