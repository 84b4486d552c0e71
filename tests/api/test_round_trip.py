"""«A client generated from the schema can file an appeal and read its answer»: the investor files through the
schema-driven client, staff route and answer it through transitions with If-Match, the investor reads the answer."""

from tests.api.schema_client import SchemaClient


def test_investor_files_staff_answer_through_transitions_investor_reads_the_answer(world):
    investor = SchemaClient(world.tokens["investor"])
    tree = investor.call("classifier_tree").json()
    fact = tree[-1]["subcategories"][0]["facts"][0]
    filed = investor.call("appeal_create", body={
        "fact": fact["id"], "subject": "Подключение к сетям", "description": "Просим помочь с техусловиями.",
        "organisation_inn": world.company.inn,
    })
    assert filed.status_code == 201
    number = filed.json()["number"]
    assert filed.json()["status"] == "moderation"

    def act(name: str, person: str, **fields) -> dict:
        client = SchemaClient(world.tokens[person])
        card = client.call("appeal_get", path={"number": number})
        assert name in card.json()["actions"]
        done = client.call("appeal_transition", path={"number": number, "name": name}, body=fields,
                           headers={"If-Match": card["ETag"]})
        assert done.status_code == 200, done.json()
        assert done["ETag"] != card["ETag"]
        return done.json()

    act("assign", "coordinator", executor_organisation=world.agency.pk, manager=world.manager.pk,
        comment="Возьмите в работу")
    act("take_into_work", "manager")
    act("submit_for_approval", "manager", answer_text="Техусловия выданы 10.12, письмо во вложении.")
    assert act("approve", "head")["status"] == "answered"

    card = investor.call("appeal_get", path={"number": number}).json()
    assert card["status"] == "answered"
    assert [answer["text"] for answer in card["answers"]] == ["Техусловия выданы 10.12, письмо во вложении."]
    assert "rate" in card["actions"]
    listed = investor.call("appeals_list", query={"status__exact": "answered"}).json()
    assert [row["number"] for row in listed["items"]] == [number]
