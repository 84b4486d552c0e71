"""Who reaches the appeal pages: another company's ids answer 404 everywhere, staff go to their cabinet, an
investor whose membership is not confirmed cannot file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Appeal
from core.roles import Role
from core.workflows.appeals import ACTIONS, appeal_transition
from tests.portal.test_pages_russian import assert_russian

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
INVESTOR_ACTIONS = [name for name, action in ACTIONS.items() if action.investor_facing] + ["comment"]


@pytest.fixture
def foreign(file_appeal, other_investor):
    """Another company's appeal with a file, and another company's legacy appeal."""
    appeal = file_appeal(applicant=other_investor, files=[SimpleUploadedFile("Чужой план.pdf", PDF)])
    legacy = file_appeal(applicant=other_investor)
    Appeal.objects.filter(pk=legacy.pk).update(is_legacy=True)
    return appeal, legacy


def foreign_urls(appeal, legacy) -> list[tuple[str, str]]:
    return [
        ("get", reverse("portal:appeal_detail", args=[appeal.pk])),
        ("get", reverse("portal:appeal_file", args=[appeal.files.get().pk])),
        ("get", reverse("portal:legacy_appeal_detail", args=[legacy.pk])),
        ("get", reverse("portal:appeal_docx", args=[appeal.pk])),
        ("get", reverse("portal:appeal_docx", args=[legacy.pk])),
        *(("post", reverse("portal:appeal_action", args=[appeal.pk, name])) for name in INVESTOR_ACTIONS),
    ]


def test_every_url_with_another_company_id_answers_404(client, investor, foreign):
    client.force_login(investor)
    appeal, legacy = foreign
    data = {"version": appeal.updated_at.isoformat(), "text": "x", "comment": "x", "reason": "x", "rating": "5"}

    for method, url in foreign_urls(appeal, legacy):
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, url
    assert appeal.events.count() == 1
    assert "Чужой" not in client.get(reverse("portal:appeal_list")).text


def test_the_urls_work_for_the_owner(client, other_investor, foreign):
    client.force_login(other_investor)
    appeal, legacy = foreign

    for _method, url in foreign_urls(appeal, legacy)[:5]:
        assert client.get(url).status_code == 200, url


def test_unknown_action_and_missing_ids_answer_404(client, investor, file_appeal):
    client.force_login(investor)
    appeal = file_appeal()

    assert client.post(reverse("portal:appeal_action", args=[appeal.pk, "approve"])).status_code == 404
    assert client.get(reverse("portal:appeal_detail", args=[appeal.pk + 1000])).status_code == 404
    assert client.get(reverse("portal:appeal_file", args=[999999])).status_code == 404


def test_internal_files_are_not_downloadable_by_the_investor(client, investor, file_appeal, coordinator, manager,
                                                             head):
    appeal = file_appeal()
    for name, actor, data in [
        ("assign", coordinator, {"executor_organisation": manager.organisation, "manager": manager}),
        ("take_into_work", manager, {}),
        ("submit_for_approval", manager, {"answer_text": "Проект ответа", "files": [SimpleUploadedFile("П.pdf", PDF)]}),
    ]:
        appeal = appeal_transition(appeal=appeal, name=name, actor=actor, **data)
    draft = appeal.files.get()
    client.force_login(investor)

    assert client.get(reverse("portal:appeal_file", args=[draft.pk])).status_code == 404
    appeal_transition(appeal=appeal, name="approve", actor=head)
    assert client.get(reverse("portal:appeal_file", args=[draft.pk])).status_code == 200


@pytest.mark.parametrize("staff", ["manager", "coordinator", "director", "superuser"])
def test_staff_are_sent_to_the_manager_cabinet(client, request, staff, file_appeal):
    appeal = file_appeal(files=[SimpleUploadedFile("План.pdf", PDF)])
    client.force_login(request.getfixturevalue(staff))
    urls = [
        reverse("portal:appeal_list"),
        reverse("portal:legacy_appeal_list"),
        reverse("portal:appeal_create"),
        reverse("portal:appeal_director"),
        reverse("portal:appeal_detail", args=[appeal.pk]),
        reverse("portal:legacy_appeal_detail", args=[appeal.pk]),
        reverse("portal:appeal_file", args=[appeal.files.get().pk]),
        reverse("portal:appeal_docx", args=[appeal.pk]),
    ]

    for url in urls:
        assert client.get(url).url == reverse("admin:index"), url
    assert client.post(reverse("portal:appeal_action", args=[appeal.pk, "comment"])).url == reverse("admin:index")
    assert not appeal.events.exclude(name="submit").exists()


def test_guests_are_sent_to_login(client, file_appeal):
    appeal = file_appeal()
    url = reverse("portal:appeal_detail", args=[appeal.pk])

    assert client.get(url).url == reverse("portal:login") + "?next=" + url


@pytest.fixture
def unconfirmed(make_user, company):
    return make_user(Role.INVESTOR, organisation=company, membership_confirmed_at=None)


@pytest.mark.parametrize("page", ["portal:appeal_create", "portal:appeal_director"])
def test_unconfirmed_member_sees_the_pending_notice_instead_of_the_form(client, unconfirmed, problem_fact, page):
    client.force_login(unconfirmed)

    shown = client.get(reverse(page))
    posted = client.post(reverse(page), {"fact": problem_fact.pk, "subject": "Тема", "description": "Текст"})

    for response in (shown, posted):
        assert response.status_code == 200
        assert "после того, как агентство подтвердит" in response.text
        assert 'name="subject"' not in response.text
    assert not Appeal.objects.exists()


def test_unconfirmed_member_sees_none_of_the_company_appeals(client, unconfirmed, file_appeal):
    appeal = file_appeal()
    client.force_login(unconfirmed)

    listing = client.get(reverse("portal:appeal_list")).text

    assert appeal.subject not in listing
    assert reverse("portal:appeal_create") not in listing.split('id="tab-title"')[1]
    assert client.get(reverse("portal:appeal_detail", args=[appeal.pk])).status_code == 404


def test_appeal_pages_are_russian(client, investor, file_appeal):
    appeal = file_appeal()
    legacy = file_appeal()
    Appeal.objects.filter(pk=legacy.pk).update(is_legacy=True)
    client.force_login(investor)

    for url in (
        reverse("portal:appeal_list"),
        reverse("portal:legacy_appeal_list"),
        reverse("portal:appeal_create"),
        reverse("portal:appeal_director"),
        reverse("portal:appeal_detail", args=[appeal.pk]),
        reverse("portal:legacy_appeal_detail", args=[legacy.pk]),
    ):
        assert_russian(client.get(url).text)
