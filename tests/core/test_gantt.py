"""The roadmap's Gantt chart is a pure function: plain unsaved items in, SVG out, no database."""

import re
import xml.etree.ElementTree as ET
from datetime import date

from core.choices import RoadmapStatus
from core.documents.gantt import COLOURS, is_late, roadmap_gantt_svg
from core.models import RoadmapItem

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2025, 3, 13)


def item(title, start, end, *, baseline=None, actual=None, status=RoadmapStatus.PLANNED) -> RoadmapItem:
    baseline_start, baseline_end = baseline or (start, end)
    return RoadmapItem(title=title, planned_start=start, planned_end=end, baseline_start=baseline_start,
                       baseline_end=baseline_end, actual_end=actual, status=status)


def rows(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(f"{SVG}g[@class]")


def row_of(svg: str, title: str) -> ET.Element:
    for row in rows(svg):
        if row.get("class", "").startswith("zk-gantt-row") and title in row.find(f"{SVG}title").text:
            return row
    raise AssertionError(f"no row {title}")


def width(rect: ET.Element) -> float:
    return float(rect.get("width"))


def test_overdue_items_are_red_and_others_are_not():
    late = item("Получение ТУ на газ", date(2025, 1, 10), date(2025, 2, 28))
    done = item("Анализ ЗУ", date(2025, 1, 1), date(2025, 1, 31), actual=date(2025, 2, 3), status=RoadmapStatus.DONE)
    ahead = item("Получение РНС", date(2025, 3, 1), date(2025, 6, 30), status=RoadmapStatus.IN_PROGRESS)
    svg = roadmap_gantt_svg([late, done, ahead], today=TODAY)

    late_row = row_of(svg, "Получение ТУ на газ")
    assert late_row.get("data-overdue") == "1"
    assert late_row.find(f"{SVG}rect[@class='zk-gantt-plan']").get("fill") == COLOURS["overdue"] == "#dc2626"
    assert "просрочен" in late_row.find(f"{SVG}title").text
    for title in ("Анализ ЗУ", "Получение РНС"):
        row = row_of(svg, title)
        assert row.get("data-overdue") == "0"
        assert row.find(f"{SVG}rect[@class='zk-gantt-plan']").get("fill") != COLOURS["overdue"]
    assert row_of(svg, "Анализ ЗУ").find(f"{SVG}path[@class='zk-gantt-actual']") is not None  # the actual end
    assert row_of(svg, "Получение РНС").find(f"{SVG}path[@class='zk-gantt-actual']") is None
    assert not is_late(item("Закрыт без даты", date(2025, 1, 1), date(2025, 1, 2), status=RoadmapStatus.DONE), TODAY)


def test_baseline_is_a_thin_bar_kept_apart_from_the_moved_plan():
    moved = item("Подключение к сетям", date(2025, 4, 1), date(2025, 8, 31),
                 baseline=(date(2025, 3, 1), date(2025, 5, 31)))
    row = row_of(roadmap_gantt_svg([moved], today=TODAY), "Подключение к сетям")
    plan, baseline = row.find(f"{SVG}rect[@class='zk-gantt-plan']"), row.find(f"{SVG}rect[@class='zk-gantt-baseline']")
    assert float(baseline.get("height")) < float(plan.get("height"))  # thin
    assert float(baseline.get("x")) < float(plan.get("x"))  # the first plan started a month earlier
    assert width(plan) > width(baseline)  # five months planned now, three at first
    assert baseline.get("fill") == COLOURS["baseline"]
    assert "первый план: 01.03.2025 – 31.05.2025" in row.find(f"{SVG}title").text


def test_month_ticks_in_russian_and_a_today_line():
    svg = roadmap_gantt_svg([item("Пункт", date(2024, 12, 5), date(2025, 2, 20))], today=TODAY)
    months = [node.text for node in ET.fromstring(svg).iter(f"{SVG}text") if node.get("class") == "zk-gantt-month"]
    assert months == ["Декабрь 2024", "Январь 2025", "Февраль", "Март"]  # the range reaches today
    today = next(row for row in rows(svg) if row.get("class") == "zk-gantt-today")
    assert today.find(f"{SVG}title").text == "Сегодня, 13.03.2025"


def test_long_roadmaps_use_short_month_names():
    svg = roadmap_gantt_svg([item("Стройка", date(2025, 1, 1), date(2028, 12, 31))], today=TODAY)
    assert ">янв 2026<" in svg and ">фев<" in svg


def test_titles_are_escaped_and_every_row_is_described():
    svg = roadmap_gantt_svg([item('Склад <А&Б> "Север"', date(2025, 3, 1), date(2025, 3, 31))], today=TODAY)
    assert "<А&Б>" not in svg and "&lt;А&amp;Б&gt;" in svg
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img" and "пунктов — 1, просрочено — 0" in root.get("aria-label")
    assert root.find(f"{SVG}title") is not None
    assert re.search(r"план: 01\.03\.2025 – 31\.03\.2025", row_of(svg, "Склад").find(f"{SVG}title").text)


def test_no_items_is_a_short_note():
    svg = roadmap_gantt_svg([], today=TODAY)
    assert "Пунктов дорожной карты пока нет." in svg
    ET.fromstring(svg)


def test_the_chart_says_where_to_open_and_keeps_its_titles_apart():
    late = item("Получение ТУ на газ", date(2025, 1, 10), date(2025, 2, 28))
    ahead = item("Получение РНС", date(2025, 3, 1), date(2027, 6, 30), status=RoadmapStatus.IN_PROGRESS)
    root = ET.fromstring(roadmap_gantt_svg([late, ahead], today=TODAY))
    today_line = next(row for row in rows(ET.tostring(root, encoding="unicode"))
                      if row.get("class") == "zk-gantt-today").find(f"{SVG}line")
    assert float(root.get("data-today-x")) == float(today_line.get("x1"))
    late_bar = row_of(ET.tostring(root, encoding="unicode"), "Получение ТУ").find(f"{SVG}rect[@class='zk-gantt-plan']")
    assert float(root.get("data-focus-x")) == float(late_bar.get("x")) + width(late_bar)  # the overdue item's end

    groups = [group.get("class") for group in root.findall(f"{SVG}g")]
    assert groups.index("zk-gantt-labels zk-gantt-pinned") > groups.index("zk-gantt-today")  # drawn over the bars
    labels = root.find(f"{SVG}g[@class='zk-gantt-labels zk-gantt-pinned']")
    texts = list(labels.iter(f"{SVG}text"))
    assert [text.find(f"{SVG}title").tail for text in texts] == ["1. Получение ТУ на газ", "2. Получение РНС"]
    assert "просрочен" in texts[0].find(f"{SVG}title").text and texts[0].get("fill") == COLOURS["overdue"]
    assert "zk-gantt-pinned" in root.find(f"{SVG}g[@class='zk-gantt-legend zk-gantt-pinned']").get("class")

    on_time = ET.fromstring(roadmap_gantt_svg([ahead], today=TODAY))
    assert on_time.get("data-focus-x") == on_time.get("data-today-x")  # nothing late: open at today
