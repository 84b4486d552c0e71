"""Styled Russian 400, 403, 404 and 500 pages in both faces (core/http_guard.py, issue 11).

The cabinet's pages (under /admin/) carry unfold's stylesheet; the portal's extend portal/base.html. No page says
Django's English «Server Error», «Forbidden», «Not Found» or «Bad Request». The 500 page renders when the
database is down."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from core.http_guard import parse_int

ENGLISH = ("Server Error", "Forbidden", "Not Found", "Bad Request", "Traceback", "CSRF verification failed")


def _assert_page(response, status: int, title: str, *, cabinet: bool) -> str:
    assert response.status_code == status
    text = response.content.decode()
    assert title in text
    assert f'data-status="{status}"' in text
    for english in ENGLISH:
        assert english not in text
    if cabinet:
        assert "unfold/css/styles.css" in text and "В кабинет менеджера" in text
    else:
        assert "portal/portal.css" in text and "Зелёный коридор" in text
    return text


@pytest.fixture
def quiet_client():
    client = Client()
    client.raise_request_exception = False
    return client


# --- 400 --------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_nul_in_a_cabinet_list_filter_is_the_cabinets_russian_400(quiet_client, coordinator):
    quiet_client.force_login(coordinator)
    response = quiet_client.get("/admin/core/appeal/", {"status__exact": "\x00"})
    _assert_page(response, 400, "Неверный запрос", cabinet=True)


@pytest.mark.django_db
def test_nul_in_the_ics_token_is_the_portals_russian_400(quiet_client):
    response = quiet_client.get("/calendar/%00.ics")
    _assert_page(response, 400, "Неверный запрос", cabinet=False)


@pytest.mark.django_db
def test_a_control_character_in_a_posted_form_is_refused_and_changes_nothing(quiet_client, investor):
    from core.models import User

    quiet_client.force_login(investor)
    before = User.objects.get(pk=investor.pk).last_name
    response = quiet_client.post("/profile/", {"last_name": "Иванов\x07", "first_name": "Иван"})
    _assert_page(response, 400, "Неверный запрос", cabinet=False)
    assert User.objects.get(pk=investor.pk).last_name == before


@pytest.mark.django_db
def test_tabs_and_line_breaks_in_a_form_are_not_refused(quiet_client):
    response = quiet_client.get("/", {"q": "строка\tещё\r\nстрока"})
    assert response.status_code == 200


# --- 403 --------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_administrator_opening_the_reports_gets_the_cabinets_russian_403(quiet_client, administrator):
    quiet_client.force_login(administrator)
    response = quiet_client.get("/admin/reports/")
    _assert_page(response, 403, "Нет доступа", cabinet=True)


@pytest.mark.django_db
def test_a_csrf_failure_is_the_russian_403_in_both_faces(investor, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(investor)
    text = _assert_page(client.post("/profile/", {"last_name": "Иванов"}), 403, "Нет доступа", cabinet=False)
    assert "Форма устарела" in text
    client.force_login(coordinator)
    text = _assert_page(client.post("/admin/notifications/", {"mark": "1"}), 403, "Нет доступа", cabinet=True)
    assert "Форма устарела" in text


@pytest.mark.django_db
def test_a_portal_403_raised_by_a_view_is_the_portals_russian_page(quiet_client, investor, monkeypatch):
    from django.core.exceptions import PermissionDenied

    from core.portal import views

    def refuse(*args, **kwargs):
        raise PermissionDenied("Проверка: доступ закрыт.")

    monkeypatch.setattr(views.LandingView, "get", refuse)
    quiet_client.force_login(investor)
    text = _assert_page(quiet_client.get("/"), 403, "Нет доступа", cabinet=False)
    assert "Проверка: доступ закрыт." in text


# --- 404 --------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_404_in_both_faces(quiet_client, coordinator, investor):
    _assert_page(quiet_client.get("/no-such-page/"), 404, "Страница не найдена", cabinet=False)
    quiet_client.force_login(investor)
    _assert_page(quiet_client.get("/cabinet/appeals/999999/"), 404, "Страница не найдена", cabinet=False)
    quiet_client.force_login(coordinator)
    _assert_page(quiet_client.get("/admin/reports/no-such-report/"), 404, "Страница не найдена", cabinet=True)


# --- 500 --------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_500_in_the_portal_is_the_russian_page(quiet_client, investor, monkeypatch):
    from core.portal import views

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.LandingView, "get", crash)
    quiet_client.force_login(investor)
    text = _assert_page(quiet_client.get("/"), 500, "Внутренняя ошибка сервера", cabinet=False)
    assert "boom" not in text


@pytest.mark.django_db
def test_500_in_the_cabinet_is_the_russian_page(quiet_client, director, monkeypatch):
    from admin_site.views import reports

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(reports, "reports_available_to", crash)
    quiet_client.force_login(director)
    text = _assert_page(quiet_client.get("/admin/reports/"), 500, "Внутренняя ошибка сервера", cabinet=True)
    assert "boom" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "cabinet"), [("/admin/reports/", True), ("/cabinet/", False)])
def test_the_500_page_renders_when_the_database_is_down(quiet_client, director, investor, path, cabinet):
    """Every query fails (the database is down): the session cannot even be read, and the page still renders —
    the handler asks the database nothing."""
    quiet_client.force_login(director if cabinet else investor)
    queries = []

    def database_down(execute, sql, params, many, context):
        queries.append(sql)
        raise OperationalError("the database is down")

    with connection.execute_wrapper(database_down):
        response = quiet_client.get(path)
    _assert_page(response, 500, "Внутренняя ошибка сервера", cabinet=cabinet)
    assert queries, "the request should have tried the database and failed"


def test_parse_int_takes_only_ascii_digits_within_bounds():
    assert parse_int("42") == 42
    assert parse_int(" -7 ") == -7
    for bad in ("²", "٣", "１", "4²", "abc", "", None, "1e3", "10" * 20, ["1"]):
        assert parse_int(bad) is None
    assert parse_int("5", minimum=1, maximum=4) is None
    assert parse_int("0", minimum=1) is None
