"""A row that exists but lies outside the user's scope answers «Нет доступа» (403), not «не существует»."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.admin_site.helpers import page_text

DENIED_TEXT = "есть в системе, но у вас нет к ней доступа."


@pytest.fixture
def appeal(file_appeal):
    return file_appeal()


@pytest.fixture
def project(apply_project):
    return apply_project()


@pytest.mark.parametrize(("row", "url_name", "name"), [
    ("appeal", "admin:core_appeal_change", "обращение"),
    ("project", "admin:core_project_change", "инвестиционный проект"),
])
def test_an_executor_of_another_body_is_told_there_is_no_access(request, login, executor, row, url_name, name):
    obj = request.getfixturevalue(row)
    response = login(executor).get(reverse(url_name, args=[obj.pk]))
    assert response.status_code == 403
    text = page_text(response)
    assert "Нет доступа" in text
    assert f"Запись «{name}» с ID {obj.pk} {DENIED_TEXT}" in text
    assert "не существует" not in text and "не найдена" not in text


@pytest.mark.parametrize(("url_name", "name"), [
    ("admin:core_appeal_change", "обращение"),
    ("admin:core_project_change", "инвестиционный проект"),
])
@pytest.mark.parametrize("key", ["987654", "abc", "1" * 30])
def test_an_id_that_exists_nowhere_is_not_found(login, executor, url_name, name, key):
    client = login(executor)
    response = client.get(reverse(url_name, args=[key]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert notes == [f"Запись «{name}» с ID {key} не найдена: возможно, её удалили."]


def test_the_people_in_scope_still_open_them(login, director, appeal, project):
    client = login(director)
    assert client.get(reverse("admin:core_appeal_change", args=[appeal.pk])).status_code == 200
    assert client.get(reverse("admin:core_project_change", args=[project.pk])).status_code == 200
