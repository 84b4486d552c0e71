"""The bad-input walker (issue 11): no bad input ends in a 500, on any page of either face.

Every URL pattern of the URLconf (django.urls.get_resolver(), recursively: the portal, the cabinet's own pages,
the admin's per-model pages, reports, downloads) is requested with real object ids from the demo world
(seed_demo plus the objects it lacks), as a guest, as an investor and as a staff member, with

* every query parameter the page reads: the ones its links and GET forms name (list filters, search `q`,
  ordering `o`, pages `p`/`page`, report filters, portal filters), the ones in KNOWN_PARAMS, and a generic set;
* every field of the page's own POST forms;

each set to values from a corpus of bad input (control characters, non-ASCII digits, huge and negative numbers,
dates at year 1 and 9999, a 100 KB string, wrong types, empty values, repeated keys). The corpus is sampled per
parameter, deterministically (a parameter sees a different slice of it in each of a few rounds), so the walk
stays fast. Any 500, or a page that shows a traceback, fails the test with the URL, the role and the input.

A pattern the walker cannot fill (a URL keyword it does not know how to give a real value) fails
test_every_url_pattern_is_covered with the pattern's name: a new page is walked the day it lands, or the
walker is taught its keyword here.
"""

import itertools
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import HASH_SESSION_KEY
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import module_transaction

# --- the corpus -------------------------------------------------------------------------------------------------
CONTROL = ["\x00", "1\x00", "a\x00b", "\x01", "\x1f\x08", "2024-01-01\x00"]
BAD = [
    "²", "٣", "１２", "4²", "٣-٠١",  # non-ASCII digits (int() takes «٣» and «１», not «²»)
    str(10**30), "-" + str(10**30), "-1", "0", "2147483648", "9223372036854775808", "1e309", "1.5", "NaN", "inf",
    "0001-01-01", "9999-12-31", "9999-12", "0001-01", "0000-00-00", "2024-02-30", "31.12.9999", "01.01.0001",
    "9999-12-31T23:59:59", "10000-01-01", "2024-13", "2024-00",
    "abc", "", " ", "[]", "{}", "null", "true", "../../etc/passwd", "%", "<b>x</b>", "'\"", "Ы" * 300,
    "x" * 100_000,  # 100 KB
]
DATES = ["0001-01-01", "9999-12-31", "31.12.9999", "9999-12"]
# Rounds for a page the role actually opens (200). GET: a value per parameter, then two values per parameter (a list
# where one is expected), the second of which is what a page reading one value reads — so two GET rounds give every
# parameter two values of the corpus to read and a third. POST: three values per field.
GET_ROUNDS_REACHED = 2
POST_ROUNDS_REACHED = 3
ROUNDS_OTHER = 1  # a redirect to the login page or a 403/404: one round proves the answer is not a 500
GENERIC_PARAMS = ["p", "page", "o", "q", "month", "open", "format", "status", "unread", "next", "all", "e",
                  "_changelist_filters", "_popup", "_to_field", "date_from", "date_to", "id", "pk"]
# Parameters a page reads that neither its links nor its forms name.
KNOWN_PARAMS = {
    "admin:notifications": ["open", "unread", "page"],
    "admin:report": ["format", "date_from", "date_to", "period", "seed", "year", "quarter", "month"],
    "admin:core_appeal_register_appeal": ["fact"],
    "admin:core_appeal_people": ["organisation", "role", "term", "page"],
    "admin:core_project_change": ["month", "kind", "tab"],
    "portal:project_meetings": ["month"],
    "portal:appeal_create": ["category", "subcategory", "fact"],
    "portal:appeal_director": ["category", "subcategory", "fact"],
    "portal:resend_confirmation": ["email"],
    "portal:project_history": ["kind", "date_from", "date_to", "page"],
}
# Extra fixed parameters combined with the rounds: the report downloads go through the same filters.
FIXED = {"admin:report": [{}, {"format": "xlsx"}, {"format": "ods"}, {"format": "docx"}]}
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/[^\"]+\.py\", line \d+")
# Walked last: they end the session or delete the object the other pages use.
LAST = re.compile(r"delete|remove|logout|withdraw|consent|password_change|reset")


def pick(key: str, round_: int) -> str:
    """The corpus value a parameter gets in a round: deterministic, a different slice for every parameter."""
    return BAD[(zlib.crc32(key.encode()) + round_ * 7) % len(BAD)]


# --- the URLconf ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pattern:
    name: str  # namespace:name, or the route when it has no name
    route: str
    keywords: tuple[str, ...]
    pattern: URLPattern = field(compare=False, hash=False)
    prefixes: tuple = field(compare=False, hash=False)  # the resolvers above it (their own keywords)


def url_patterns(patterns=None, route="", namespace=None, prefixes=()) -> Iterator[Pattern]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            yield from url_patterns(entry.url_patterns, route + str(entry.pattern), inner, (*prefixes, entry))
        else:
            keywords = tuple(_keywords(entry)) + tuple(k for p in prefixes for k in _keywords(p))
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or route + str(
                entry.pattern))
            yield Pattern(name, route + str(entry.pattern), keywords, entry, prefixes)


def _keywords(entry) -> list[str]:
    return list(entry.pattern.regex.groupindex)


ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


def admin_model(route: str):
    match = ADMIN_MODEL.match(route)
    if not match:
        return None
    try:
        return apps.get_model(match["app"], match["model"])
    except LookupError:
        return None


# How each URL keyword gets real values: keyword -> (pattern, world) -> list of values. A keyword missing here
# (or a filler that answers no value) leaves the pattern uncovered.
def _first(model_label: str, **filters) -> Callable:
    def fill(pattern, world):
        obj = apps.get_model(model_label).objects.filter(**filters).order_by("pk").first()
        return [str(obj.pk)] if obj else []
    return fill


def _object_id(pattern: Pattern, world) -> list[str]:
    if pattern.route.startswith("admin/r/"):  # view on site: the content type's object
        return [str(world["appeal"].pk)]
    model = admin_model(pattern.route)
    if model is None:
        return []
    objects = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:1])
    return [str(pk) for pk in objects]


def _portal_pk(pattern: Pattern, world) -> list[str]:
    name = pattern.name.removeprefix("portal:")
    if name.startswith("api_token"):
        return [str(apps.get_model("core.ApiToken").objects.filter(user=world["investor"]).get().pk)]
    if name.startswith("notification"):
        return [str(world["notification"].pk)]
    if name == "appeal_file":
        return [str(world["appeal_file"].pk)]
    if name.startswith("legacy_appeal"):
        return [str(world["legacy_appeal"].pk)]
    if name.startswith("appeal"):
        return [str(world["appeal"].pk)]
    if name.startswith("project"):
        return [str(world["project"].pk)]
    return []


def _op(pattern, world) -> list[str]:
    from admin_site.views.projects import OPERATIONS

    return sorted(OPERATIONS)


def _target_id(pattern, world) -> list[str]:
    # one real target of each kind the operations act on; an operation without a target answers 404
    project = world["project"]
    ids = [project.roadmap.first(), project.meetings.first(), project.measures.first(), project.land_plots.first(),
           apps.get_model("core.ChecklistItem").objects.first()]
    return sorted({str(obj.pk) for obj in ids if obj is not None})


def _report_slug(pattern, world) -> list[str]:
    from core.reports.registry import reports

    return sorted(reports())


def _section(pattern, world) -> list[str]:
    from core.portal.navigation import CABINET_TABS

    return sorted({tab.slug for tab in CABINET_TABS} | {"no-such-section"})


def _action(pattern, world) -> list[str]:
    from core.portal.appeal_forms import ACTION_FORMS

    return [*ACTION_FORMS, "no-such-action"]


FILLERS: dict[str, Callable] = {
    "object_id": lambda p, w: _object_id(p, w),
    "id": lambda p, w: _object_id(p, w),
    "fact_id": _first("core.Fact"),
    "file_id": lambda p, w: [str(w["appeal_file"].pk)],
    "document_id": _first("core.ProjectDocument"),
    "document_pk": lambda p, w: [str(w["project"].documents.order_by("pk").first().pk)],
    "task_pk": lambda p, w: [str(w["project"].tasks.order_by("pk").first().pk)],
    "meeting_pk": lambda p, w: [str(w["project"].meetings.order_by("pk").first().pk)],
    "plot_pk": lambda p, w: [str(plot.pk) if (plot := w["project"].land_plots.order_by("pk").first()) else "1"],
    "fmt": lambda p, w: ["xlsx", "ods", "csv", "pdf"],
    "pk": lambda p, w: [str(w["saved_filter"].pk)] if "saved-filters" in p.route else _portal_pk(p, w),
    "op": _op,
    "target_id": _target_id,
    "uid": lambda p, w: [str(w["export_job"].uid)],
    "slug": _report_slug,
    "app_label": lambda p, w: ["core", "auth"],
    "url": lambda p, w: ["no-such-page/"],
    "content_type_id": lambda p, w: [str(w["content_type"].pk)],
    "token": lambda p, w: [w["feed_token"] if "calendar" in p.route else
                           w["reset_token"] if "password-reset" in p.route else w["token"]],
    "uidb64": lambda p, w: [w["uidb64"]],
    "user_id": lambda p, w: [str(w["investor"].pk)],
    "section": _section,
    "action": _action,
    # the REST API (core/api/)
    "number": lambda p, w: [str(w["appeal"].number), "0", "99999999999999999999"],
    "organisation_id": lambda p, w: [str(w["investor"].organisation_id)],
    "project_id": lambda p, w: [str(w["project"].pk)],
    "job_id": lambda p, w: [str(w["export_job"].uid), "not-a-uuid"],
    "draft_id": _first("core.DraftJob"),  # language model drafts (404 with LLM_URL empty, as here)
    "name": lambda p, w: ["appeals", "nothing"] if "registers" in p.route else ["comment", "assign", "fly"],
}


def uncovered(patterns: list[Pattern]) -> list[str]:
    return sorted({f"{p.name} ({p.route}): {k}" for p in patterns for k in p.keywords if k not in FILLERS})


def test_every_url_pattern_is_covered():
    """A new URL keyword makes the walk fail here, naming the pattern: teach FILLERS how to give it real ids."""
    patterns = list(url_patterns())
    assert len(patterns) > 100
    assert any(p.name == "admin:core_appeal_changelist" for p in patterns)
    assert any(p.name == "portal:project_meetings" for p in patterns)
    assert uncovered(patterns) == []


# --- the world --------------------------------------------------------------------------------------------------
def build_world() -> dict:
    """seed_demo's agency, companies, appeals and projects, and the objects it does not make."""
    from django.contrib.auth.tokens import default_token_generator
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from core.models import Appeal, AppealFile, ExportJob, Notification, Project, SavedFilter, User
    from core.roles import Role
    from core.services.calendar_feed import calendar_feed_token_for
    from core.services.roles import user_set_roles

    call_command("seed_reference", verbosity=0)
    call_command("seed_demo", "--no-history", verbosity=0)  # the named demo is enough, and fast
    investor = User.objects.get(email="investor@zk.example")
    # The staff member who sees most: the administrator's screens, a coordinator's appeals, a director's reports.
    staff = user_set_roles(user=User.objects.get(email="admin@zk.example"),
                           roles={Role.ADMINISTRATOR, Role.COORDINATOR, Role.DIRECTOR})
    appeal = Appeal.objects.filter(applicant=investor, is_legacy=False).order_by("pk").first()
    legacy = Appeal.objects.get(pk=appeal.pk)  # a copy marked as brought over from the old system
    legacy.pk = None
    legacy.number = 990_000_001
    legacy.is_legacy = True
    legacy.save()
    appeal_file = AppealFile.objects.create(
        appeal=appeal, uploaded_by=investor, original_name="письмо.pdf", content_type="application/pdf", size=15,
        file=ContentFile(b"%PDF-1.4 walker", name="walker.pdf"))
    projects = Project.objects.filter(investor=investor.organisation).order_by("pk")
    project = projects.filter(documents__isnull=False, tasks__isnull=False, meetings__isnull=False).first()
    assert project is not None, "the demo world needs a project with documents, tasks and meetings"
    job = ExportJob.objects.create(user=staff, register="appeals", file_format="xlsx", query="status__exact=new")
    saved = SavedFilter.objects.create(user=staff, list_key="core.appeal", name="Мой фильтр", query="status__exact=new")
    notification = Notification.objects.filter(recipient=investor, channel="site").order_by("pk").first()
    _objects_the_demo_lacks(investor)
    return {
        "investor": investor, "staff": staff, "appeal": appeal, "legacy_appeal": legacy,
        "appeal_file": appeal_file, "project": project, "export_job": job, "saved_filter": saved,
        "notification": notification, "content_type": ContentType.objects.get_for_model(Appeal),
        "feed_token": calendar_feed_token_for(investor),
        "token": "walker-token", "uidb64": urlsafe_base64_encode(force_bytes(investor.pk)),
        "reset_token": default_token_generator.make_token(investor), "now": timezone.now(),
    }


def _objects_the_demo_lacks(investor) -> None:
    """One row for every admin list the demo leaves empty, so each change/history/delete page has a real id."""
    import datetime
    import uuid

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone
    from django_q.models import OrmQ, Schedule, Task

    from core.models import (
        CalendarOverride,
        DocumentTemplate,
        DraftJob,
        PersonalDataConsent,
        WebhookDelivery,
        WebhookSubscription,
    )
    from core.services.api_tokens import api_token_create

    now = timezone.now()
    seen = {"username": investor.email, "ip_address": "192.0.2.1", "user_agent": "walker", "http_accept": "*/*",
            "path_info": "/login/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen, locked_out=False)
    CalendarOverride.objects.create(date=datetime.date(2030, 1, 9), kind=CalendarOverride.Kind.DAY_OFF,
                                    comment="Перенос")
    PersonalDataConsent.objects.create(user=investor, version="1", text="Согласие", ip_address="192.0.2.1")
    Schedule.objects.create(name="walker", func="math.floor", args="1")
    for success in (True, False):
        Task.objects.create(id=uuid.uuid4().hex, name=f"walker-{success}", func="math.floor", started=now,
                            stopped=now, success=success)
    OrmQ.objects.create(key="walker", payload="x")
    api_token_create(user=investor, name="walker", scope="write")
    subscription = WebhookSubscription.objects.create(
        organisation=investor.organisation, name="walker", url="https://hooks.example.org/zk", secret="walker",
        events=["appeal_created"])
    WebhookDelivery.objects.create(subscription=subscription, event="appeal_created", object_kind="appeal",
                                   object_id=1, body="{}", status="failed", attempts=1, last_error="walker")
    DocumentTemplate.objects.create(kind="brief", title="walker", file="templates/walker.docx",
                                    original_name="walker.docx", size=1)
    DraftJob.objects.create(kind="appeal_answer", object_id=1, user=investor, status="done", text="Черновик")


# --- the pages' parameters and forms ----------------------------------------------------------------------------
class FormParser(HTMLParser):
    """The parameter names a page reads: from its links to itself and its GET forms; and its POST forms' fields."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.get_params: set[str] = set()
        self.post_fields: set[str] = set()
        self._form: str | None = None  # "get", "post" or None (a form posting elsewhere is skipped)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            parts = urlsplit(attrs["href"])
            if parts.query and parts.path in ("", self.path):
                self.get_params.update(key for key, _ in parse_qsl(parts.query, keep_blank_values=True))
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = urlsplit(attrs.get("action") or "").path
            self._form = method if action in ("", self.path) else None
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name") and self._form:
            if attrs.get("type") == "file" or attrs["name"] == "csrfmiddlewaretoken":
                return
            (self.get_params if self._form == "get" else self.post_fields).add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


# --- the walk ---------------------------------------------------------------------------------------------------
@dataclass
class Walk:
    client: Client
    login: Callable[[], None]
    role: str
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def check(self, method: str, url: str, data, response) -> None:
        self.requests += 1
        body = b"" if getattr(response, "streaming", False) else response.content
        shown = {k: (v if len(str(v)) < 60 else f"{str(v)[:20]}…({len(str(v))})") for k, v in (data or {}).items()}
        if response.status_code >= 500 and not (url == "/readyz" and response.status_code == 503):
            # /readyz answers 503 while no q2 worker runs (core/probes.py): its answer, not a failure
            self.failures.append(f"{self.role} {method} {url} {shown} -> {response.status_code}")
        elif TRACEBACK.search(body.decode("utf-8", "replace")):
            self.failures.append(f"{self.role} {method} {url} {shown} -> a traceback in the page")

    def get(self, url: str, data: dict | None = None):
        response = self.client.get(url, data or {})
        self.check("GET", url, data, response)
        return response

    def post(self, url: str, data: dict):
        response = self.client.post(url, data)
        self.check("POST", url, data, response)
        return response

    def page(self, name: str, url: str) -> None:
        self.login()
        response = self.get(url)
        path = urlsplit(url).path
        parser = FormParser(path)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser.feed(response.content.decode("utf-8", "replace"))
        params = sorted(parser.get_params | set(KNOWN_PARAMS.get(name, ())) | set(GENERIC_PARAMS))
        # control characters anywhere: the guard's 400
        control = {key: CONTROL[i % len(CONTROL)] for i, key in enumerate(params)}
        answer = self.get(url, control)
        if answer.status_code != 400:
            self.failures.append(f"{self.role} GET {url} with control characters -> {answer.status_code}, not 400")
        reached = response.status_code == 200
        known = KNOWN_PARAMS.get(name, ())
        if known and response.status_code == 200:  # the parameters the page is known to parse: the whole corpus
            for value in BAD:
                self.get(url, dict.fromkeys(known, value))
            for fixed in FIXED.get(name, [{}])[1:]:
                for value in DATES:
                    self.get(url, dict.fromkeys(known, value) | fixed)
        for fixed in FIXED.get(name, [{}]):
            for round_ in range(GET_ROUNDS_REACHED if reached else ROUNDS_OTHER):
                data = {key: pick(key, round_) for key in params} | fixed
                if round_ == 1:  # repeated keys: a list where one value is expected
                    data = {key: [pick(key, 1), pick(key, 2)] for key in params} | fixed
                self.get(url, data)
        if parser.post_fields:
            self.post(url, {key: CONTROL[i % len(CONTROL)] for i, key in enumerate(sorted(parser.post_fields))})
            for round_ in range(POST_ROUNDS_REACHED if reached else ROUNDS_OTHER):
                self.login()
                self.post(url, {key: pick(key, round_ + 3) for key in sorted(parser.post_fields)})


def concrete_urls(world) -> list[tuple[str, str]]:
    """(name, url) for every pattern with every combination of its keywords' real values."""
    result, missing = [], []
    for pattern in url_patterns():
        values = {k: FILLERS[k](pattern, world) for k in pattern.keywords}
        missing += [f"{pattern.name} ({pattern.route}): no real value for {k}" for k, v in values.items() if not v]
        for combination in itertools.product(*values.values()):
            kwargs = dict(zip(values, combination, strict=True))
            url = "/" + _reverse_route(pattern.route, kwargs)
            result.append((pattern.name, url))
    assert missing == [], "\n".join(missing)
    return sorted(set(result), key=lambda item: (bool(LAST.search(item[0] + item[1])), item[1]))


def _reverse_route(route: str, kwargs: dict) -> str:
    """The route with its keywords filled: `<int:pk>` and regex groups `(?P<name>…)` alike."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m[1]]), route)
    return route.replace("^", "").replace("$", "")


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The world, built once per module (per pytest-xdist worker); each test starts from it (module_transaction)."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock(), override_settings(DEBUG=True):  # seed_demo refuses without DEBUG
            world = build_world()
        yield world  # the requests run with DEBUG off


@pytest.fixture
def world(demo_world, db):
    return demo_world


# The staff walk is the longest: two shards (every other URL), so pytest-xdist runs them side by side.
@pytest.mark.parametrize(("role", "shard", "shards"),
                         [("anonymous", 0, 1), ("investor", 0, 1), ("staff", 0, 2), ("staff", 1, 2)])
def test_no_bad_input_ends_in_a_500(world, role, shard, shards):
    client = Client()
    client.raise_request_exception = False
    user = world.get(role)

    def login():
        """Signed in again only when a page ended the session (a login writes the session and the user's row)."""
        if user is not None and client.session.get(HASH_SESSION_KEY) != user.get_session_auth_hash():
            client.force_login(user)

    walk = Walk(client, login, role)
    for name, url in concrete_urls(world)[shard::shards]:
        walk.page(name, url)
    assert walk.requests > 300
    assert walk.failures == [], "\n".join(walk.failures[:80]) + f"\n… {len(walk.failures)} in all"

# --- the cases the probe found (issue 11), each by name ---------------------------------------------------------
@pytest.fixture
def quiet_client():
    client = Client()
    client.raise_request_exception = False
    return client


def test_the_probes_cases_get_a_russian_answer_not_a_500(world, quiet_client):
    staff, investor, project = world["staff"], world["investor"], world["project"]
    quiet_client.force_login(staff)
    for value in ("²", "٣", "１"):
        assert quiet_client.get("/admin/notifications/", {"open": value}).status_code == 404
    for month in ("9999-12", "0001-01", "٢٠٢٤-٠١"):
        assert quiet_client.get(f"/admin/core/project/{project.pk}/change/", {"month": month}).status_code == 200
    bounded = 0
    for slug in _report_slug(None, world):
        for fmt in ("", "xlsx", "ods", "docx"):
            response = quiet_client.get(f"/admin/reports/{slug}/", {"date_to": "9999-12-31", "format": fmt})
            assert response.status_code in (200, 404), (slug, fmt, response.status_code)
            page = response.content.decode() if "html" in response["Content-Type"] else ""
            if 'name="date_to"' in page:  # the report has a period: the bound is a form error, no file
                assert "Дата должна быть не позже 31.12.2100." in page
                bounded += 1
    assert bounded > 0
    quiet_client.force_login(investor)
    for month in ("9999-12", "0001-01", "2024-13", "٢٠٢٤-٠١"):
        assert quiet_client.get(f"/cabinet/projects/{project.pk}/meetings/", {"month": month}).status_code == 200
    quiet_client.logout()
    assert quiet_client.get("/calendar/%00.ics").status_code == 400
