"""The director's working day in the cabinet, measured in Chromium on a generated data set: the dashboard and
every report page fit a 1440 px screen without sideways scrolling, every column header is in view (the tree report's
inside its own box, under a sticky header), no number breaks across lines, and on a 390 px phone only a table's own
box scrolls sideways — never the page — while its first column stays in view.

The screenshots go to the test's temporary directory (pytest --basetemp=… to keep them).
"""

import pytest
from django.core.management import call_command

from core.reports.registry import reports
from core.services.dataset import DATASET_PASSWORD, dataset_domain, dataset_generate

pytestmark = pytest.mark.e2e

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
TREE = "appeals-by-executor"  # the one report that may scroll inside its own box

# Every report table on the page: its box, its headers and its figures (numbers and dates) as the browser laid
# them out. A figure wraps when its text is taller than one line of the cell.
MEASURE_TABLES = """
() => [...document.querySelectorAll("table.zk-report")].map((table) => {
  const box = table.closest(".zk-report-scroll");
  const rect = (element) => { const r = element.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const wrapped = [...table.querySelectorAll("td.zk-num, td.zk-fig")].filter((cell) => {
    if (!cell.textContent.trim()) return false;
    const range = document.createRange();
    range.selectNodeContents(cell);
    return range.getBoundingClientRect().height > parseFloat(getComputedStyle(cell).lineHeight) * 1.5;
  }).map((cell) => cell.textContent.trim());
  return {
    id: table.id,
    box: {...rect(box), scrollWidth: box.scrollWidth, clientWidth: box.clientWidth},
    headers: [...table.querySelectorAll("thead th")].map((th) => ({text: th.textContent.trim(), ...rect(th)})),
    figures: table.querySelectorAll("td.zk-num, td.zk-fig").length,
    wrapped,
  };
})
"""
PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"

# Each chart's category labels against the room its axis has: a wider label is clipped on the left.
CHART_LABELS = """
() => [...document.querySelectorAll("canvas.chart")].map((canvas) => {
  const chart = Chart.getChart(canvas);
  const scale = chart.options.indexAxis === "y" ? chart.scales.y : chart.scales.x;
  chart.ctx.save();
  chart.ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
  const widest = Math.max(...chart.data.labels.flat().map((line) => chart.ctx.measureText(line).width));
  chart.ctx.restore();
  return {id: canvas.closest("section").getAttribute("aria-labelledby"), horizontal: chart.options.indexAxis === "y",
          labels: chart.data.labels.map((label) => [].concat(label).join(" ")), widest, room: scale.width};
})
"""


@pytest.fixture
def demo(transactional_db):
    """The reference and a data set of 600 appeals over two years and 40 projects (manage.py generate_dataset):
    every status, body, category and report row the demo's history has, with larger figures, in a second of bulk
    inserts rather than the half minute of CPU the demo's eighteen months take through the doors (those are
    checked by tests/core/test_demo_history.py, the dashboard and the reports included)."""
    call_command("seed_reference", verbosity=0)
    dataset_generate(projects=40, appeals=600, force=True)


def log_in(page, email: str) -> None:
    page.goto("/admin/login/")
    page.locator('[name="username"]').fill(email)
    page.locator('[name="password"]').fill(DATASET_PASSWORD)
    page.locator('button[type="submit"]').last.click()
    page.wait_for_url("**/admin/")


def open_dashboard(page) -> None:
    page.goto("/admin/")
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas.chart')].every((canvas) => window.Chart.getChart(canvas))"
    )


def assert_charts_are_readable(page) -> list[dict]:
    charts = page.evaluate(CHART_LABELS)
    assert len(charts) == 4
    for chart in charts:
        if chart["horizontal"]:
            assert chart["widest"] <= chart["room"], f"{chart['id']}: labels clipped: {chart['labels']}"
    return charts


def assert_the_category_tooltip_names_the_whole_category(page) -> None:
    canvas = page.locator('section[aria-labelledby="dashboard-chart-categories-heading"] canvas')
    canvas.scroll_into_view_if_needed()
    bar = page.evaluate("""() => {
      const chart = Chart.getChart(document.querySelector(
        'section[aria-labelledby="dashboard-chart-categories-heading"] canvas'));
      const element = chart.getDatasetMeta(0).data[0];
      return {x: element.base + (element.x - element.base) / 2, y: element.y, label: chart.data.labels[0]};
    }""")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + bar["x"], box["y"] + bar["y"])
    page.wait_for_function("""() => {
      const chart = Chart.getChart(document.querySelector(
        'section[aria-labelledby="dashboard-chart-categories-heading"] canvas'));
      return chart.tooltip.opacity > 0 && chart.tooltip.title.length > 0;
    }""")
    title = page.evaluate("""() => Chart.getChart(document.querySelector(
        'section[aria-labelledby="dashboard-chart-categories-heading"] canvas')).tooltip.title.join(" ")""")
    assert title.startswith("Вопросы бизнеса, связанные с"), title
    assert title != " ".join(bar["label"])


def assert_report_fits(page, slug: str, width: int) -> None:
    assert page.evaluate(PAGE_OVERFLOW) <= 0, f"{slug}: the page scrolls sideways"
    tables = page.evaluate(MEASURE_TABLES)
    assert tables, f"{slug}: no report table"
    for table in tables:
        where = f"{slug} #{table['id']}"
        assert table["figures"], f"{where}: no figures to check"
        assert not table["wrapped"], f"{where}: numbers broken across lines: {table['wrapped']}"
        assert table["box"]["right"] <= width, f"{where}: the table's box is wider than the screen"
        if slug != TREE:
            assert table["box"]["scrollWidth"] <= table["box"]["clientWidth"], f"{where}: scrolls sideways"
        for header in table["headers"]:
            assert header["left"] >= table["box"]["left"] - 1, f"{where}: «{header['text']}» starts out of view"
            limit = table["box"]["right"] if slug != TREE else table["box"]["left"] + table["box"]["scrollWidth"]
            assert header["right"] <= limit + 1, f"{where}: «{header['text']}» is out of view"


def assert_the_tree_header_sticks(page) -> None:
    box = page.locator(".zk-report-scroll:has(#report)")
    first_header = page.locator("#report thead th").first
    top = first_header.bounding_box()["y"]
    scrolled = box.evaluate("(box) => { box.scrollTop = 400; return box.scrollTop; }")
    assert scrolled > 0, "the demo tree is long enough to scroll inside its box"
    assert abs(first_header.bounding_box()["y"] - top) < 1, "the tree's header scrolled away"


def test_the_dashboard_and_every_report_fit_a_1440_px_screen_and_a_phone(page, live_server, demo, tmp_path):
    """One test for both widths: the data set is loaded once."""
    director_on_a_wide_screen(page, tmp_path)
    page.context.clear_cookies()
    head_on_a_phone(page, tmp_path)


def director_on_a_wide_screen(page, tmp_path) -> None:
    page.set_viewport_size(WIDE)
    log_in(page, f"director@{dataset_domain(1)}")
    open_dashboard(page)
    assert page.evaluate(PAGE_OVERFLOW) <= 0
    charts = assert_charts_are_readable(page)
    categories = next(chart for chart in charts if chart["id"] == "dashboard-chart-categories-heading")
    assert categories["labels"], "the demo has appeals in several categories"
    assert not [label for label in categories["labels"] if label.startswith("Вопросы бизнеса")], categories
    assert_the_category_tooltip_names_the_whole_category(page)
    page.screenshot(path=tmp_path / "dashboard-1440.png", full_page=True)

    for slug, spec in reports().items():
        page.goto(f"/admin/reports/{slug}/")
        page.get_by_role("heading", name=str(spec.title)).first.wait_for()
        assert_report_fits(page, slug, WIDE["width"])
        if slug == TREE:
            assert_the_tree_header_sticks(page)
        page.screenshot(path=tmp_path / f"{slug}-1440.png", full_page=True)


def head_on_a_phone(page, tmp_path) -> None:
    """At 390 px only a table's own box scrolls sideways, and its first column stays in view."""
    page.set_viewport_size(PHONE)
    log_in(page, f"head.1@{dataset_domain(1)}")
    open_dashboard(page)
    assert page.evaluate(PAGE_OVERFLOW) <= 0, "the dashboard scrolls sideways at 390 px"
    assert_charts_are_readable(page)
    page.screenshot(path=tmp_path / "dashboard-390.png", full_page=True)

    for slug in reports():
        page.goto(f"/admin/reports/{slug}/")
        page.locator("table.zk-report").first.wait_for()
        assert page.evaluate(PAGE_OVERFLOW) <= 0, f"{slug}: the page scrolls sideways at 390 px"
        assert not [table["wrapped"] for table in page.evaluate(MEASURE_TABLES) if table["wrapped"]], slug
        page.screenshot(path=tmp_path / f"{slug}-390.png", full_page=True)

    page.goto("/admin/reports/staff-workload/")
    box = page.locator(".zk-report-scroll").first
    first_cell = page.locator("#report tbody tr").first.locator("th, td").first
    left = first_cell.bounding_box()["x"]
    scrolled = box.evaluate("(box) => { box.scrollLeft = 300; return box.scrollLeft; }")
    assert scrolled > 0, "the workload table is wider than a phone"
    assert abs(first_cell.bounding_box()["x"] - left) < 1, "the first column scrolled away"
    page.screenshot(path=tmp_path / "staff-workload-390-scrolled.png")
