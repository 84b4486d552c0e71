"""A report table's rows are built in Python (admin_site.report_rows), not cell by cell through the template: the
page must read and behave exactly as the template drew it — the same cells, classes, links, toggles and branch
links, every value escaped."""

import re
from html import unescape

import pytest
from django.template import engines
from django.urls import reverse

from admin_site.report_rows import rows_html
from admin_site.views.reports import Window, table_view
from core.reports.table import DATE, DECIMAL, INT, MONEY, TEXT, Column, Row, Table

# The rows as templates/admin_site/reports/table.html drew them before they were built in Python (verbatim).
TEMPLATE_ROWS = """{% load i18n %}
        {% for row in view.rows %}
          <tr id="{{ row.key }}" data-level="{{ row.level }}" class="zk-level-{{ row.level }}{% if row.kind %} zk-kind-{{ row.kind }}{% endif %}">
            {% for cell in row.cells %}
              {% if forloop.counter0 == view.label_index %}
                <th scope="row">
                  <span class="zk-first{% if view.tree and not row.children and not row.branch_url %} zk-leaf{% endif %}">
                    {% if row.branch_url %}<a class="zk-branch" href="{{ row.branch_url }}" aria-expanded="{{ row.expanded|yesno:'true,false' }}"><span class="material-symbols-outlined" aria-hidden="true">expand_more</span><span class="sr-only">{% if row.expanded %}{% blocktranslate with name=row.label %}Скрыть строки под «{{ name }}»{% endblocktranslate %}{% else %}{% blocktranslate with name=row.label %}Показать строки под «{{ name }}»{% endblocktranslate %}{% endif %}</span></a>{% elif row.children %}<button type="button" class="zk-toggle" aria-expanded="true" aria-controls="{{ row.children|join:' ' }}" hidden><span class="material-symbols-outlined" aria-hidden="true">expand_more</span><span class="sr-only">{% blocktranslate with name=row.label %}Строки под «{{ name }}»{% endblocktranslate %}</span></button>{% endif %}
                    {% if row.link %}<a href="{{ row.link }}" class="text-primary-600 hover:underline">{{ cell.text }}</a>{% else %}<span>{{ cell.text }}</span>{% endif %}
                  </span>
                </th>
              {% else %}
                <td{% if cell.css %} class="{{ cell.css }}"{% endif %}>{{ cell.text }}</td>
              {% endif %}
            {% endfor %}
          </tr>
        {% endfor %}"""  # noqa: E501


def template_rows(view) -> str:
    return engines["django"].from_string(TEMPLATE_ROWS).render({"view": view})


def markup(html: str) -> str:
    """The HTML as the browser lays it out: whitespace between tags is no text in a table row or in the
    inline-flex name cell, and any other run of whitespace reads as one space."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def visible_rows(html: str) -> list[list[str]]:
    """Each row's cells as a reader sees them (the screen-reader hints included)."""
    rows = re.findall(r"<tr\b.*?</tr>", markup(html))
    return [[unescape(re.sub(r"<[^>]+>", " ", cell)).split() for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row)]
            for row in rows]


TRICKY = 'Ведомство <b>«Рога & копыта»</b> "O\'Neil"'


def tree_table(*, built_in_part: bool = True) -> Table:
    """A tree; `built_in_part`: one top row's branch was not built (a page_build's), so the page comes collapsed."""
    columns = [Column("n", "№", INT), Column("name", "Название", TEXT), Column("money", "Сумма", MONEY),
               Column("share", "Доля", DECIMAL), Column("day", "Дата", DATE)]
    rows = [
        Row((1, TRICKY, 1500, 12.5, None), level=0, kind="executor", key="person-1"),
        Row((2, "Категория", 1000, 2.5, None), level=1, kind="category"),
        Row((3, "Факт", 500, None, None), level=2, kind="fact", link="/admin/core/fact/3/?a=1&b=2"),
        Row((4, "Второй", 0, 0, None), level=0, kind="executor", key="person-2",
            expandable=built_in_part),
        Row((5, "Лист", 10, 1, None), level=0, kind="", key="person-3"),
    ]
    return Table("tree", "Дерево <отчёт>", columns, rows)


def flat_table() -> Table:
    from datetime import date

    columns = [Column("name", "Название", TEXT), Column("count", "Число", INT), Column("day", "Дата", DATE)]
    rows = [Row((TRICKY, 3, date(2026, 2, 1)), link="/admin/core/project/1/"), Row(("Без ссылки", 0, None))]
    return Table("flat", "Плоский", columns, rows)


VIEWS = {
    "flat": lambda: table_view(flat_table(), "report", Window({})),
    "tree shown whole (toggles)": lambda: table_view(tree_table(built_in_part=False), "report", Window({"a": "1"})),
    "collapsed tree, a branch open": lambda: table_view(tree_table(), "report",
                                                         Window({"a": "1"}, frozenset({"person-1"}))),
    "collapsed tree, all closed": lambda: table_view(tree_table(), "sample", Window({})),
    "no window (the audit's sample)": lambda: table_view(flat_table(), "sample"),
}


@pytest.mark.parametrize("name", VIEWS)
def test_rows_built_in_python_are_the_template_rows(name):
    view = VIEWS[name]()
    assert view.rows
    assert markup(view.body) == markup(template_rows(view))
    assert visible_rows(view.body) == visible_rows(template_rows(view))


def test_what_the_rows_show_and_escape():
    view = VIEWS["collapsed tree, a branch open"]()
    html = str(view.body)
    assert "<b>" not in html and "&lt;b&gt;«Рога &amp; копыта»&lt;/b&gt; &quot;O&#x27;Neil&quot;" in html
    assert 'href="/admin/core/fact/3/?a=1&amp;b=2"' in html  # the link of a row, escaped
    assert 'class="zk-branch" href="?a=1" aria-expanded="true"' in html  # the open branch closes by its link
    assert "Скрыть строки под «Ведомство &lt;b&gt;" in html and "Показать строки под «Второй»" in html
    assert visible_rows(html)[1] == [["2"], ["expand_more", "Строки", "под", "«Категория»", "Категория"],
                                     ["1", "000"], ["2,5"], []]  # the category's toggle for its fact
    whole = str(VIEWS["tree shown whole (toggles)"]().body)
    assert 'class="zk-toggle" aria-expanded="true" aria-controls="report-1" hidden' in whole
    assert 'class="zk-first zk-leaf"' in whole  # a row without rows under it lines up with the toggled ones
    assert rows_html([], label_index=0, tree=False) == ""


def test_an_empty_report_still_says_so(login, director):
    response = login(director).get(reverse("admin:report", args=["crm-audit"]))
    assert response.context["report"].rows == []
    assert "Нет данных для выбранных фильтров." in response.content.decode()


def test_a_report_page_draws_the_rows_the_template_drew(login, director, apply_project):
    """End to end: the CRM audit page (a tree of managers and projects with links, and the flat sample)."""
    project = apply_project(name='Завод «Альфа» & <партнёры>')
    response = login(director).get(reverse("admin:report", args=["crm-audit"]))
    html = markup(response.content.decode())
    for view in (response.context["report"], response.context["sample"]):
        assert view.rows
        assert markup(template_rows(view)) in html
    assert reverse("admin:core_project_change", args=[project.pk]) in html
    assert "Завод «Альфа» &amp; &lt;партнёры&gt;" in html
