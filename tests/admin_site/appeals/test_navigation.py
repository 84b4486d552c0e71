"""The sidebar opens the appeals to staff and hides them from whoever may not see them."""

from django.urls import reverse

from tests.admin_site.helpers import sidebar_text


def test_staff_find_appeals_and_the_classifier_in_the_sidebar(login, coordinator):
    text = sidebar_text(login(coordinator).get(reverse("admin:index")))
    assert "Обращения" in text
    assert "Классификатор МОС" in text and "Факты обращений" in text


def test_the_sidebar_link_opens_the_list(login, executor):
    client = login(executor)
    assert "Обращения" in sidebar_text(client.get(reverse("admin:index")))
    assert client.get(reverse("admin:core_appeal_changelist")).status_code == 200
