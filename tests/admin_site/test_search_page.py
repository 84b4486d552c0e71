"""«Поиск» in the cabinet (issue 15): the box in every page's header and the results page, grouped by kind and scoped
by core.search (the `*_visible_to` selectors). Written against core.search's interface: every assertion holds for its
first version (plain substring) and for the full-text index — words are found where they occur literally."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import OrganisationKind
from tests.admin_site.appeals.helpers import act
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:search")
WORD = "Теплотрасса"


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Rows made inside `with indexed():` are in the search index, which is written after the transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def section(html: str, kind: str) -> str:
    """The HTML of one group of results («appeal», «project», «organisation»), or "" when the page has none."""
    start = html.find(f'aria-labelledby="search-group-{kind}"')
    if start < 0:
        return ""
    return html[start : html.find("</section>", start)]


def links(fragment: str) -> list[str]:
    return re.findall(r'<a class="zk-hit-title[^"]*" href="([^"]+)"', fragment)


def test_every_cabinet_page_has_the_search_box(login, manager):
    client = login(manager)
    for url in (reverse("admin:index"), reverse("admin:core_appeal_changelist"), reverse("admin:notifications")):
        html = client.get(url).content.decode()
        box = html[html.index('id="header-search"') : html.index("</form>", html.index('id="header-search"'))]
        assert f'action="{URL}"' in box and 'name="q"' in box and 'role="search"' in box, url
        assert 'for="header-search-q"' in box  # a named field


def test_results_are_grouped_by_kind_with_links_badges_and_inn(login, director, file_appeal, apply_project, indexed):
    with indexed():
        appeal = file_appeal(subject=f"{WORD} к складу не подключена")
        project = apply_project(name=f"{WORD} квартала «Северный»")
        company = OrganisationFactory(short_name=f"ООО «{WORD}»", kind=OrganisationKind.INVESTOR)
        file_appeal(subject="Подключение к газу")  # not found

    html = login(director).get(URL, {"q": WORD}).content.decode()
    text = page_text_of(html)

    appeals, projects, organisations = (section(html, kind) for kind in ("appeal", "project", "organisation"))
    assert links(appeals) == [reverse("admin:core_appeal_change", args=[appeal.pk])]
    assert f"№{appeal.number}" in appeals and appeal.get_status_display().upper() in appeals.upper()
    assert links(projects) == [reverse("admin:core_project_change", args=[project.pk])]
    assert project.registry_number in projects and project.get_stage_display() in projects
    assert links(organisations) == [reverse("admin:core_organisation_change", args=[company.pk])]
    assert f"ИНН {company.inn}" in organisations
    assert f"<mark>{WORD}</mark> к складу не подключена" in appeals  # the found word marked in the title
    assert "Обращения · 1 обращение" in text and "Проекты · 1 проект" in text
    assert "Организации · 1 организация" in text
    assert "Найдено 3 результата по запросу «Теплотрасса»" in text
    assert "газу" not in text


def page_text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_show_all_leads_to_the_list_with_the_query(login, director, file_appeal, indexed):
    with indexed():
        for number in range(12):
            file_appeal(subject=f"{WORD} № {number}")

    response = login(director).get(URL, {"q": WORD})
    html = response.content.decode()
    appeals = section(html, "appeal")

    assert len(links(appeals)) == 10  # a page of the best ones
    assert "12 обращений" in page_text_of(appeals)
    more = re.search(r'<a class="text-primary-600 font-medium" href="([^"]+)">Показать все 12</a>', appeals)
    url = urlsplit(unescape(more.group(1)))
    assert url.path == reverse("admin:core_appeal_changelist") and parse_qs(url.query) == {"q": [WORD]}
    listed = login(director).get(unescape(more.group(1))).context["cl"]
    assert listed.result_count == 12  # the list finds the same appeals


def test_a_person_finds_only_what_they_may_open(login, executor, coordinator, head, file_appeal, indexed):
    """An executor sees the appeals assigned to their organisation only; the search never shows the others."""
    with indexed():
        theirs = act(file_appeal(subject=f"{WORD}: их обращение"), "assign", coordinator,
                     executor_organisation=executor.organisation, manager=executor, head=head)
        hidden = file_appeal(subject=f"{WORD}: чужое обращение")

    html = login(executor).get(URL, {"q": WORD}).content.decode()

    assert links(section(html, "appeal")) == [reverse("admin:core_appeal_change", args=[theirs.pk])]
    assert reverse("admin:core_appeal_change", args=[hidden.pk]) not in html
    assert "чужое обращение" not in html


def test_investors_never_reach_the_page(client, investor, file_appeal, indexed):
    with indexed():
        file_appeal(subject=f"{WORD} инвестора")
    client.force_login(investor)

    response = client.get(URL, {"q": WORD})

    assert response.status_code in (302, 403)
    assert WORD not in response.content.decode()


@pytest.mark.parametrize(("query", "says"), [
    ("", "Введите слова, которые нужно найти"),
    ("   ", "Введите слова, которые нужно найти"),
    ("я", "Слишком короткий запрос: введите хотя бы 2 символа."),
    ("Несуществующееслово", "По запросу «Несуществующееслово» ничего не найдено."),
    ("7", "По запросу «7» ничего не найдено."),  # a one-digit number is searched
])
def test_empty_short_and_fruitless_queries_say_so(login, manager, query, says):
    text = page_text(login(manager).get(URL, {"q": query}))

    assert says in text
    assert "Показать все" not in text


@pytest.mark.parametrize("query", [
    "я" * 10_000,  # far longer than anything searched
    "a\u200bb\u2028c\ufeff",  # zero-width characters, a line separator, a byte order mark
    "\u202eтекст справа налево",  # a bidirectional override
    "д\u0301орога 🚧 ℕ ﬁ",  # a combining accent, an emoji, compatibility letters
    "%_\\'\"; DROP TABLE core_appeal; --",  # LIKE wildcards, quotes, SQL
    '"',
    "№",
])
def test_odd_input_never_breaks_the_page(login, manager, file_appeal, indexed, query):
    with indexed():
        file_appeal(subject="Дорога к площадке")

    response = login(manager).get(URL, {"q": query})

    assert response.status_code == 200
    assert 'id="search-page-q"' in response.content.decode()


@pytest.mark.parametrize("query", ["a\x00b", "a\x01b\x7f"])
def test_control_characters_are_refused_before_the_page(login, manager, query):
    response = login(manager).get(URL, {"q": query})

    assert response.status_code == 400  # the request guard (core.http_guard), a Russian error page


def test_the_query_is_escaped(login, director, file_appeal, indexed):
    with indexed():
        file_appeal(subject="<b>жирный</b> заголовок")

    html = login(director).get(URL, {"q": "<b>жирный"}).content.decode()

    assert "<b>жирный</b>" not in html
    assert "&lt;b&gt;жирный" in html


def test_queries_do_not_grow_with_the_hits(login, director, file_appeal, apply_project, indexed):
    client = login(director)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": WORD}).status_code == 200
        return len(captured)

    with indexed():
        file_appeal(subject=f"{WORD} первая")
        apply_project(name=f"{WORD} первый")
        OrganisationFactory(short_name=f"{WORD} 1", kind=OrganisationKind.INVESTOR)
    few = count()
    with indexed():
        for number in range(8):
            file_appeal(subject=f"{WORD} ещё {number}")
            OrganisationFactory(short_name=f"{WORD} {number + 2}", kind=OrganisationKind.INVESTOR)
        apply_project(name=f"{WORD} второй")
    html = client.get(URL, {"q": WORD}).content.decode()
    assert len(links(section(html, "appeal"))) == 9 and len(links(section(html, "organisation"))) == 9

    assert count() == few


def test_a_number_shows_the_lists_exact_hits_apart_from_the_words(login, director, file_appeal, indexed):
    """Digits are an appeal's number, ИНН or ПОС number for the appeal list: the page shows those first, with
    «Показать все» to the list, and the appeals that only mention the number in their text as a part of their own,
    which the list would not show, so without a link that promises them."""
    with indexed():
        target = file_appeal(subject="Подключение к газу")
    number = str(target.number)
    with indexed():
        mentions = [file_appeal(subject=f"Повторно по обращению {number} вариант {n}") for n in range(11)]
    client = login(director)

    html = client.get(URL, {"q": number}).content.decode()
    appeals = section(html, "appeal")
    text = page_text_of(appeals)

    assert "12 обращений" in text  # each appeal once
    assert "Номер, ИНН или номер ПОС · 1 обращение" in text and "Упоминания в тексте · 11 обращений" in text
    found = links(appeals)
    assert found[0] == reverse("admin:core_appeal_change", args=[target.pk])  # the exact hit first
    assert len(found) == 11 and set(found[1:]) <= {reverse("admin:core_appeal_change", args=[a.pk]) for a in mentions}
    assert "Показать все" not in text  # the exact part is whole; the list would not show the mentions
    assert client.get(reverse("admin:core_appeal_changelist"), {"q": number}).context["cl"].result_count == 1


def test_an_inn_with_many_appeals_links_to_the_list_that_shows_them(login, director, file_appeal, indexed):
    with indexed():
        appeals = [file_appeal(subject=f"Тема {n}") for n in range(11)]
    inn = appeals[0].organisation_inn
    client = login(director)

    html = client.get(URL, {"q": inn}).content.decode()
    part = section(html, "appeal")

    assert "Номер, ИНН или номер ПОС · 11 обращений" in page_text_of(part) and len(links(part)) == 10
    more = re.search(r'<a class="text-primary-600 font-medium" href="([^"]+)">Показать все 11</a>', part)
    assert client.get(unescape(more.group(1))).context["cl"].result_count == 11  # the list shows what it promised


def test_a_number_query_costs_the_same_queries_whatever_the_hits(login, director, file_appeal, indexed):
    client = login(director)
    with indexed():
        target = file_appeal(subject="Подключение к газу")
    number = str(target.number)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": number}).status_code == 200
        return len(captured)

    few = count()
    with indexed():
        for n in range(5):
            file_appeal(subject=f"По обращению {number} ещё {n}")
    assert count() == few


def test_show_all_counts_the_rows_the_list_shows_where_a_part_of_a_word_finds_more(login, director, file_appeal,
                                                                                     indexed):
    """The list also finds a part of a word in its columns («теплотрасс» in «Автотеплотрассы»), which the full-text
    search does not: the group counts, and «Показать все» promises, what the list shows."""
    with indexed():
        file_appeal(subject=f"{WORD} у школы")
        for number in range(11):
            file_appeal(subject=f"Автотеплотрассы квартала № {number}")

    client = login(director)
    appeals = section(client.get(URL, {"q": "теплотрасс"}).content.decode(), "appeal")

    assert len(links(appeals)) >= 1
    assert "12 обращений" in page_text_of(appeals)
    more = re.search(r'<a class="text-primary-600 font-medium" href="([^"]+)">Показать все 12</a>', appeals)
    assert more, appeals
    assert client.get(unescape(more.group(1))).context["cl"].result_count == 12


def test_the_organisations_list_finds_what_the_page_counts_in_any_word_form(login, director, indexed):
    """«теплотрасса» finds «Теплотрассы Севера» in the full-text search; the organisations list, which looked only
    for the letters in its columns, now finds it too, so the page's count and its list agree."""
    with indexed():
        found = OrganisationFactory(short_name="Теплотрассы Севера", full_name="ООО «Теплотрассы Севера»",
                                    kind=OrganisationKind.INVESTOR)
        OrganisationFactory(short_name="Водоканал", kind=OrganisationKind.INVESTOR)

    client = login(director)
    organisations = section(client.get(URL, {"q": "теплотрасса"}).content.decode(), "organisation")
    assert "1 организация" in page_text_of(organisations)
    listed = client.get(reverse("admin:core_organisation_changelist"), {"q": "теплотрасса"}).context["cl"]
    assert [organisation.pk for organisation in listed.result_list] == [found.pk]
