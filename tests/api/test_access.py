"""The API's door: the schema, the docs page without a CDN, tokens (hashed, expiring, revocable, scoped), the
session of the project's pages, the rate limit — and the cabinet's and the portal's token pages."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate

from core.models import ApiToken, PersonalDataConsent
from core.services.api_tokens import api_token_create, api_token_revoke
from core.services.personal_data import consent_give
from tests.api.conftest import Api
from tests.api.test_appeals import problem


def test_the_schema_is_valid_openapi_and_names_every_operation(world):
    schema = Client().get("/api/v1/openapi.json").json()
    validate(schema)
    operations = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    assert {"appeals_list", "appeal_get", "appeal_create", "appeal_transition", "appeal_comment_create",
            "appeal_files_upload", "appeal_file_download", "classifier_tree", "organisations_list", "projects_list",
            "project_get", "project_roadmap", "project_meetings", "project_tasks", "reports_list", "report_get",
            "register_export_start", "register_export_get", "register_export_download"} <= operations
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_docs_page_is_served_from_our_static_files_under_the_policy(db):
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/ninja/") for source in sources)
    assert "<script>" not in html  # only files and a JSON data block: nothing for script-src to allow inline
    assert "script-src 'self' 'nonce-" in page["Content-Security-Policy"]
    assert "unsafe" not in page["Content-Security-Policy"]


@pytest.mark.parametrize("header", [None, "Bearer zk_nothing.here", "Bearer something", "Basic dXNlcjpwYXNz"])
def test_no_or_a_wrong_token_is_401_in_russian(db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    answer = problem(Client().get("/api/v1/appeals", **extra), 401)
    assert answer["title"] == "Нужна аутентификация"


def test_expired_and_revoked_tokens_are_401_and_only_the_hash_is_kept(world):
    issued = api_token_create(user=world.investor, name="Скоро истечёт", scope="read",
                              expires_at=timezone.now() + timedelta(minutes=1))
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.plain.startswith(f"zk_{row.prefix}.") and issued.plain not in str(row.__dict__)
    assert Api(issued.plain)("get", "appeals").status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "просрочен" in problem(Api(issued.plain)("get", "appeals"), 401)["detail"]
    fresh = api_token_create(user=world.investor, name="Отзовём", scope="read")
    api_token_revoke(token=fresh.token, actor=world.investor)
    problem(Api(fresh.plain)("get", "appeals"), 401)
    tampered = fresh.plain[:-2] + ("AA" if not fresh.plain.endswith("AA") else "BB")
    problem(Api(tampered)("get", "appeals"), 401)


def test_a_disabled_person_s_token_stops_working(world):
    world.other_investor.is_active = False
    world.other_investor.save(update_fields=["is_active"])
    problem(Api(world.tokens["other_investor"])("get", "appeals"), 401)


@pytest.mark.usefixtures("mid_minute")
def test_the_rate_limit_answers_429_with_retry_after(world, settings):
    settings.API_RATE_PER_MINUTE = 3
    caller = Api(world.tokens["director"])
    assert [caller("get", "classifier").status_code for _ in range(3)] == [200, 200, 200]
    refused = caller("get", "classifier")
    problem(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Api(world.tokens["head"])("get", "classifier").status_code == 200  # per token, not for everyone


def test_the_pages_session_works_and_needs_csrf_to_write(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.investor)
    assert browser.get("/api/v1/appeals").status_code == 200
    refused = browser.post(f"/api/v1/appeals/{world.appeal.number}/comments", {"text": "Без CSRF"},
                           content_type="application/json")
    assert "CSRF" in problem(refused, 403)["detail"]


def test_an_investor_without_the_consent_in_force_is_refused_until_they_accept_it(world):
    """The consent text changed after the token was made: neither the token nor the session works for the investor
    until they accept the new text in the portal; staff go on as before."""
    PersonalDataConsent.objects.filter(user=world.investor).update(version="2025-01-01")
    refused = problem(Api(world.tokens["investor"])("get", "appeals"), 403)
    assert refused["title"] == "Нужно согласие на обработку персональных данных"
    assert "примите его" in refused["detail"]
    written = Api(world.tokens["investor"])("post", f"appeals/{world.appeal.number}/comments", {"text": "Вопрос"})
    problem(written, 403)
    assert not world.appeal.events.filter(text="Вопрос").exists()
    browser = Client()
    browser.force_login(world.investor)
    problem(browser.get("/api/v1/appeals"), 403)
    assert Api(world.tokens["manager"])("get", "appeals").status_code == 200

    consent_give(user=world.investor)

    assert Api(world.tokens["investor"])("get", "appeals").status_code == 200
    assert browser.get("/api/v1/appeals").status_code == 200


# --- the token pages -------------------------------------------------------------------------------------------
def test_staff_make_a_token_in_the_cabinet_see_it_once_and_revoke_it(world):
    browser = Client()
    browser.force_login(world.manager)
    assert browser.get("/admin/core/apitoken/add/").status_code == 200
    made = browser.post("/admin/core/apitoken/add/", {"name": "Выгрузка в 1С", "scope": "write",
                                                      "expires_on": ""})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    plain = re.search(r'value="(zk_[^"]+)"', made.content.decode()).group(1)
    token = ApiToken.objects.get(user=world.manager, name="Выгрузка в 1С")
    assert Api(plain)("get", "appeals").status_code == 200
    listed = browser.get("/admin/core/apitoken/").content.decode()
    assert "Выгрузка в 1С" in listed and plain not in listed
    assert browser.post(f"/admin/core/apitoken/{token.pk}/revoke/").status_code == 302
    problem(Api(plain)("get", "appeals"), 401)


def test_the_cabinet_refuses_a_bad_date_and_lists_only_ones_own_tokens_but_admins_see_all(world, make_user):
    from core.roles import Role

    browser = Client()
    browser.force_login(world.manager)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    refused = browser.post("/admin/core/apitoken/add/", {"name": "Вчера", "scope": "read", "expires_on": past})
    assert "Срок действия должен быть в будущем." in refused.content.decode()
    assert not ApiToken.objects.filter(name="Вчера").exists()
    mine = browser.get("/admin/core/apitoken/").content.decode()
    assert "zk_" + ApiToken.objects.filter(user=world.coordinator).first().prefix not in mine
    admin = make_user(Role.ADMINISTRATOR, organisation=world.agency)
    browser.force_login(admin)
    theirs = ApiToken.objects.filter(user=world.coordinator).first()
    assert browser.post(f"/admin/core/apitoken/{theirs.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is not None


def test_investors_make_and_revoke_tokens_in_their_profile(world):
    browser = Client()
    browser.force_login(world.investor)
    assert "API-токены" in browser.get("/profile/").content.decode()
    page = browser.post("/profile/api-tokens/", {"name": "CRM компании", "scope": "read", "expires_at": ""})
    assert page.status_code == 200
    plain = re.search(r'value="(zk_[^"]+)"', page.content.decode()).group(1)
    assert Api(plain)("get", "appeals").status_code == 200
    problem(Api(plain)("post", f"appeals/{world.appeal.number}/comments", {"text": "x"}), 403)
    token = ApiToken.objects.get(user=world.investor, name="CRM компании")
    other = ApiToken.objects.filter(user=world.other_investor).first()
    assert browser.post(f"/profile/api-tokens/{other.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None
    assert browser.post(f"/profile/api-tokens/{token.pk}/revoke/").status_code == 302
    assert plain not in browser.get("/profile/api-tokens/").content.decode()
    problem(Api(plain)("get", "appeals"), 401)
    empty = browser.post("/profile/api-tokens/", {"name": " ", "scope": "read"})
    assert empty.status_code == 400 and "Обязательное поле." in empty.content.decode()


def test_the_api_s_own_error_pages_are_problem_details_too(db):
    unknown = problem(Client().get("/api/v1/nothing-here"), 404)
    assert unknown["title"] == "Страница не найдена"
    problem(Client().get("/api/v1/appeals", {"q": "a\x00b"}), 400)  # the request guard, before any view
    assert Client().get("/no-such-page/")["Content-Type"].startswith("text/html")  # the faces keep their pages
