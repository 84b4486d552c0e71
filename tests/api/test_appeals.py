"""Appeals through the API: the same visibility, history and doors as the two faces; versions, problems, pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT

from core.models import Appeal, AppealEvent
from core.workflows.appeals import CONCURRENT_CHANGE, appeal_submit, appeal_transition
from tests.api.schema_client import SchemaClient

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"]
    return body


# --- who sees what -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("person", "sees_own", "sees_other"), [
    ("investor", True, False),
    ("other_investor", False, True),
    ("coordinator", True, True),  # the agency's coordinators route every appeal
    ("executor", False, False),  # a district body sees only what it executes
])
def test_the_list_and_the_card_show_what_the_faces_show(world, api, person, sees_own, sees_other):
    listed = {row["number"] for row in api(person)("get", "appeals").json()["items"]}
    assert (world.appeal.number in listed) is sees_own
    assert (world.other_appeal.number in listed) is sees_other
    for appeal, seen in ((world.appeal, sees_own), (world.other_appeal, sees_other)):
        card = api(person)("get", f"appeals/{appeal.number}")
        if seen:
            assert card.status_code == 200
        else:
            assert problem(card, 404)["detail"] == "Объект не найден или недоступен вам."


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "transitions/comment", {"text": "Чужое"}),
    ("post", "comments", {"text": "Чужое"}),
])
def test_another_company_cannot_write_to_an_appeal_it_does_not_see(world, api, method, path, body):
    answer = api("other_investor")(method, f"appeals/{world.appeal.number}/{path}", body,
                                   headers={"If-Match": '"1"'})
    problem(answer, 404)
    assert not AppealEvent.objects.filter(appeal=world.appeal, text="Чужое").exists()


def test_an_executor_of_another_body_gets_404_for_an_appeal_assigned_elsewhere(world, api):
    appeal_transition(appeal=world.appeal, name="assign", actor=world.coordinator,
                      executor_organisation=world.omsu, manager=world.executor)
    assert api("executor")("get", f"appeals/{world.appeal.number}").status_code == 200
    problem(api("other_executor")("get", f"appeals/{world.appeal.number}"), 404)


def test_investors_read_the_public_history_staff_the_whole(world, api):
    appeal_transition(appeal=world.appeal, name="comment", actor=world.coordinator, text="Только для своих",
                      is_public=False)
    staff = api("coordinator")("get", f"appeals/{world.appeal.number}").json()
    investor = api("investor")("get", f"appeals/{world.appeal.number}").json()
    assert "Только для своих" in [event["text"] for event in staff["history"]]
    assert "Только для своих" not in [event["text"] for event in investor["history"]]
    assert all(event["is_public"] for event in investor["history"])
    assert investor["actions"] == ["comment"]  # the door's list for this person and status


# --- versions --------------------------------------------------------------------------------------------------
def test_a_stale_if_match_is_409_with_the_doors_russian_message_and_nothing_changes(world, api):
    card = api("coordinator")("get", f"appeals/{world.appeal.number}")
    appeal_transition(appeal=world.appeal, name="comment", actor=world.investor, text="Тем временем")
    stale = api("coordinator")("post", f"appeals/{world.appeal.number}/transitions/reject",
                               {"reason": "Не по теме"}, headers={"If-Match": card["ETag"]})
    assert problem(stale, 409)["detail"] == str(CONCURRENT_CHANGE)
    assert Appeal.objects.get(pk=world.appeal.pk).status == "moderation"
    fresh = api("coordinator")("get", f"appeals/{world.appeal.number}")
    done = api("coordinator")("post", f"appeals/{world.appeal.number}/transitions/reject",
                              {"reason": "Не по теме"}, headers={"If-Match": fresh["ETag"]})
    assert done.status_code == 200 and done.json()["status"] == "rejected"


def test_a_transition_without_if_match_is_428_and_a_garbled_one_412(world, api):
    url = f"appeals/{world.appeal.number}/transitions/reject"
    problem(api("coordinator")("post", url, {"reason": "x"}), 428)
    problem(api("coordinator")("post", url, {"reason": "x"}, headers={"If-Match": "yesterday"}), 412)
    problem(api("coordinator")("post", url, {"reason": "x"}, headers={"If-Match": '"9' + "9" * 40 + '"'}), 412)


# --- bad input is a Russian problem, never a 500 ------------------------------------------------------------
@pytest.mark.parametrize(("person", "name", "body", "status", "field", "message"), [
    ("coordinator", "reject", {"reason": "  "}, 400, "reason", "Укажите причину отклонения: её увидит инвестор."),
    ("coordinator", "reject", {"reason": "x", "rating": 5}, 400, "rating",
     "Действие «Отклонить» не принимает это поле."),
    ("coordinator", "assign", {"executor_organisation": 10**6}, 400, "executor_organisation",
     "Не найдено среди доступных вам: проверьте идентификатор."),
    ("coordinator", "assign", {"manager": "кто-то"}, 400, "manager", "Нужно целое число."),
    ("coordinator", "assign", {"manager": 10**30}, 400, "manager", "Слишком большое значение."),
    ("coordinator", "fly", {}, 404, None, None),
    ("investor", "reject", {"reason": "Сам себе"}, 403, None, None),
])
def test_transition_refusals(world, api, person, name, body, status, field, message):
    card = api(person)("get", f"appeals/{world.appeal.number}")
    answer = api(person)("post", f"appeals/{world.appeal.number}/transitions/{name}", body,
                         headers={"If-Match": card["ETag"]})
    body = problem(answer, status)
    if field:
        assert {"field": field, "message": message} in body["errors"]
    assert Appeal.objects.get(pk=world.appeal.pk).status == "moderation"


def test_a_read_token_cannot_write_and_a_body_that_is_not_json_is_400(world, api):
    answer = api("coordinator", read=True)("post", f"appeals/{world.appeal.number}/comments", {"text": "x"})
    assert "только для чтения" in problem(answer, 403)["detail"]
    garbled = api("investor")("post", "appeals", "{not json", content_type="application/json")
    assert "отправьте объект JSON" in problem(garbled, 400)["detail"]
    plain = api("investor")("post", "appeals", "hello", content_type="text/plain")
    assert "Content-Type: application/json" in problem(plain, 400)["detail"]
    form = api("investor")("post", "appeals", {"subject": "Тема"}, content_type=MULTIPART_CONTENT)  # was a 500
    assert "Content-Type: application/json" in problem(form, 400)["detail"]
    assert Appeal.objects.count() == 2  # neither filed anything


def test_a_key_the_call_does_not_take_is_refused_not_dropped(world, api):
    """A misspelt «is_public» must not leave the comment internal without a word, nor «to_directr» file the appeal
    to the wrong desk: the key is named and nothing is written."""
    comments = AppealEvent.objects.filter(appeal=world.appeal).count()
    misspelt = api("coordinator")("post", f"appeals/{world.appeal.number}/comments",
                                  {"text": "Ответ готов", "is_publc": True})
    assert {"field": "is_publc", "message": "Лишнее поле."} in problem(misspelt, 400)["errors"]
    assert AppealEvent.objects.filter(appeal=world.appeal).count() == comments
    filed = api("investor")("post", "appeals", {"fact": world.fact.pk, "subject": "Тема", "description": "Суть",
                                                 "to_directr": True})
    assert {"field": "to_directr", "message": "Лишнее поле."} in problem(filed, 400)["errors"]
    assert Appeal.objects.count() == 2


def test_a_transition_without_a_body_says_what_to_send(world, api):
    card = api("coordinator")("get", f"appeals/{world.appeal.number}")
    bare = api("coordinator")("post", f"appeals/{world.appeal.number}/transitions/take_into_work", "",
                              headers={"If-Match": card["ETag"]})
    assert "пустой объект {}" in problem(bare, 400)["detail"] + problem(bare, 400)["errors"][0]["message"]
    assert Appeal.objects.get(pk=world.appeal.pk).status == "moderation"


def test_filing_follows_the_portal_rules(world, api):
    wrong_inn = api("investor")("post", "appeals", {"fact": world.fact.pk, "subject": "Тема", "description": "Суть",
                                                     "organisation_inn": world.other_company.inn})
    assert problem(wrong_inn, 400)["errors"][0]["field"] == "organisation_inn"
    staff_field = api("investor")("post", "appeals", {"fact": world.fact.pk, "subject": "Т", "description": "С",
                                                       "channel": "phone"})
    assert problem(staff_field, 400)["errors"][0]["field"] == "channel"
    assert Appeal.objects.count() == 2


def test_staff_register_through_the_intake(world, api):
    registered = api("coordinator")("post", "appeals", {
        "fact": world.fact.pk, "subject": "Звонок", "description": "Позвонил директор компании.",
        "organisation_inn": world.other_company.inn, "channel": "phone", "received_at": "2026-01-10T10:00:00+03:00",
        "contact_phone": "+7 900 000-00-01",
    })
    assert registered.status_code == 201, registered.content
    appeal = Appeal.objects.get(number=registered.json()["number"])
    assert (appeal.channel, appeal.organisation, appeal.registered_by) == ("phone", world.other_company,
                                                                            world.coordinator)
    missing = api("coordinator")("post", "appeals", {"fact": world.fact.pk, "subject": "Звонок", "description": "x",
                                                      "organisation_inn": world.other_company.inn})
    assert {error["field"] for error in problem(missing, 400)["errors"]} >= {"channel", "received_at"}


# --- pages, files --------------------------------------------------------------------------------------------
def test_keyset_pages_walk_every_appeal_once_in_constant_queries(world, api, django_assert_max_num_queries):
    for number in range(5):
        appeal_submit(applicant=world.investor, fact=world.fact, subject=f"Тема {number}", description="Суть")
    seen, cursor = [], None
    while True:
        with django_assert_max_num_queries(12):
            page = api("investor")("get", "appeals", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [row["number"] for row in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    own = list(Appeal.objects.filter(organisation=world.company).order_by("-number").values_list("number", flat=True))
    assert seen == own and len(own) == 6
    problem(api("investor")("get", "appeals", {"cursor": "!!"}), 400)
    problem(api("investor")("get", "appeals", {"status__exact": "lost"}), 400)
    problem(api("investor")("get", "appeals", {"limit": 0}), 400)


def test_files_go_up_with_a_comment_and_come_down_only_to_who_sees_them(world, api):
    answer = api("investor")("post", f"appeals/{world.appeal.number}/files",
                             {"text": "Схема съезда", "files": [SimpleUploadedFile("схема.pdf", PDF)]},
                             content_type=MULTIPART_CONTENT)
    assert answer.status_code == 201, answer.content
    file = next(f for f in answer.json()["files"] if f["name"] == "схема.pdf")
    download = api("coordinator")("get", file["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    problem(api("other_investor")("get", file["download_url"]), 404)
    refused = api("investor")("post", f"appeals/{world.appeal.number}/files",
                              {"text": "Вирус", "files": [SimpleUploadedFile("run.exe", b"MZ...")]},
                              content_type=MULTIPART_CONTENT)
    assert problem(refused, 400)["errors"][0]["field"] == "files"


def test_the_schema_client_sees_the_same_refusals(world):
    client = SchemaClient(world.tokens["other_investor"])
    assert client.call("appeal_get", path={"number": world.appeal.number}).status_code == 404


def test_the_list_takes_the_cabinet_list_s_filters(world, api):
    appeal_transition(appeal=world.appeal, name="assign", actor=world.coordinator,
                      executor_organisation=world.omsu, manager=world.executor)
    by_executor = api("coordinator")("get", "appeals", {"executor_organisation__id__exact": world.omsu.pk}).json()
    assert [row["number"] for row in by_executor["items"]] == [world.appeal.number]
    by_status = api("coordinator")("get", "appeals", {"status__exact": "moderation"}).json()
    assert [row["number"] for row in by_status["items"]] == [world.other_appeal.number]
    by_number = api("coordinator")("get", "appeals", {"q": f"№{world.other_appeal.number}"}).json()
    assert [row["number"] for row in by_number["items"]] == [world.other_appeal.number]
    unknown = problem(api("coordinator")("get", "appeals", {"colour": "green"}), 400)
    assert "Такого фильтра у списка нет" in unknown["detail"]
    wrong = problem(api("coordinator")("get", "appeals", {"executor_organisation__id__exact": "abc"}), 400)
    assert wrong["errors"][0]["field"] == "executor_organisation__id__exact"
    problem(api("coordinator")("get", "appeals", {"o": "1"}), 400)


def test_an_action_carries_files_the_door_checks_and_keeps_with_its_history_line(world, api):
    for name, actor, data in (("assign", world.coordinator, {"executor_organisation": world.agency,
                                                              "manager": world.manager}),
                              ("take_into_work", world.manager, {}),
                              ("request_clarification", world.manager, {"comment": "Пришлите схему"})):
        appeal_transition(appeal=Appeal.objects.get(pk=world.appeal.pk), name=name, actor=actor, **data)
    url = f"appeals/{world.appeal.number}/transitions/provide_clarification/files"
    etag = api("investor")("get", f"appeals/{world.appeal.number}")["ETag"]
    bad = api("investor")("post", url, {"fields": "{not json", "files": [SimpleUploadedFile("схема.pdf", PDF)]},
                          content_type=MULTIPART_CONTENT, headers={"If-Match": etag})
    problem(bad, 400)
    done = api("investor")("post", url, {"fields": '{"comment": "Схема во вложении"}',
                                         "files": [SimpleUploadedFile("схема.pdf", PDF)]},
                           content_type=MULTIPART_CONTENT, headers={"If-Match": etag})
    assert done.status_code == 200, done.content
    card = done.json()
    assert card["status"] == "in_work"
    line = next(event for event in card["history"] if event["text"] == "Схема во вложении")
    assert [f["name"] for f in card["files"] if f["event_id"] == line["id"]] == ["схема.pdf"]
