"""The rehearsal's load (scripts/cluster_demo.py, `make cluster-demo`): investors filing appeals with a file and
downloading it back, staff assigning the new appeals and taking them into work through the cabinet, lists, the
dashboard and the reports. Run by the script through nginx; ZK_LOADTEST_PLAN names the JSON the script wrote
(logins, the classifier's fact to file under, the agency and its manager), ZK_LOADTEST_OUT the folder where
every success page an investor saw (filed.jsonl) and every failed request (errors.jsonl) are written down for
the checks.
"""

import json
import os
import random
import re
import time
import uuid
from html import unescape
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["ZK_LOADTEST_PLAN"]).read_text())
OUT = Path(os.environ["ZK_LOADTEST_OUT"])
LOAD_SUBJECT = "Нагрузочная проверка "  # scripts/cluster_demo.py finds the load's appeals by it
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]+)"')
FILED = re.compile(r"Обращение №(\d+) зарегистрировано")
PORTAL_APPEAL = re.compile(r"/cabinet/appeals/(\d+)/$")
PORTAL_FILE = re.compile(r'href="(/cabinet/appeals/files/\d+/)"')
CABINET_APPEAL = re.compile(r'/admin/core/appeal/(\d+)/change/')


def _input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return unescape(value.group(1)) if value else ""


def _write(name: str, row: dict) -> None:
    with (OUT / name).open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


@events.request.add_listener
def _record_failure(request_type, name, response_time, response_length, exception=None, **kwargs):
    if exception is not None:
        _write("errors.jsonl", {"t": time.time(), "name": f"{request_type} {name}", "error": str(exception)[:300]})


class Person(HttpUser):
    abstract = True
    logins: list[str] = []

    signed_in = False

    def on_start(self) -> None:
        self.sign_in()

    def sign_in(self) -> bool:
        """As a person would: a login page that failed (a 502 while a node died) is simply tried again later."""
        if self.signed_in:
            return True
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text)
        answer = self.client.post("/login/", name="/login/ POST", data={
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": random.choice(self.logins), "password": PLAN["password"],
        })
        self.signed_in = answer.status_code == 200 and "/login/" not in (answer.url or "/login/")
        return self.signed_in

    def form_post(self, url: str, name: str, data: dict, **kwargs):
        """GET the form for its CSRF token and the version the page shows, then POST it as a browser does."""
        page = self.client.get(url, name=name)
        if page.status_code != 200:
            return None, page
        csrf, version = CSRF.search(page.text), VERSION.search(page.text)
        data = {"csrfmiddlewaretoken": csrf.group(1) if csrf else "", **data}
        if version:
            data["version"] = unescape(version.group(1))
        return page, self.client.post(url, name=f"{name} POST", data=data, **kwargs)


class Investor(Person):
    weight = 3
    wait_time = between(2, 6)
    logins = PLAN["investors"]

    def on_start(self) -> None:
        super().on_start()
        self.mine: list[int] = []

    @task(3)
    def file_an_appeal(self) -> None:
        if not self.sign_in():
            return
        fact = PLAN["fact"]
        url = "/cabinet/appeals/new/?" + "&".join(f"{key}={value}" for key, value in fact.items())
        page = self.client.get(url, name="/cabinet/appeals/new/")
        if page.status_code != 200:
            return
        token = uuid.uuid4().hex[:12]
        data = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            **fact,
            "subject": LOAD_SUBJECT + token,
            "description": "Просим согласовать примыкание подъездной дороги к региональной трассе.",
            "organisation_name": _input_value(page.text, "organisation_name"),
            "organisation_inn": _input_value(page.text, "organisation_inn"),
        }
        files = [("files", ("Схема примыкания.pdf", PDF, "application/pdf"))]
        with self.client.post("/cabinet/appeals/new/", name="/cabinet/appeals/new/ POST", data=data, files=files,
                              catch_response=True) as response:
            filed, opened = FILED.search(response.text), PORTAL_APPEAL.search(response.url or "")
            if response.status_code != 200 or not filed or not opened:
                response.failure(f"no success page (HTTP {response.status_code}, {response.url})")
                return
            _write("filed.jsonl", {"t": time.time(), "number": int(filed.group(1)), "token": token})
            self.mine.append(int(opened.group(1)))

    @task(2)
    def read_the_list(self) -> None:
        if not self.sign_in():
            return
        self.client.get("/cabinet/appeals/", name="/cabinet/appeals/")

    @task(1)
    def download_a_file(self) -> None:
        if not self.sign_in():
            return
        if not self.mine:
            return
        page = self.client.get(f"/cabinet/appeals/{random.choice(self.mine)}/", name="/cabinet/appeals/[id]/")
        link = PORTAL_FILE.search(page.text)
        if not link:
            return
        with self.client.get(link.group(1), name="/cabinet/appeals/files/[id]/", catch_response=True) as download:
            named = "filename*=utf-8''" in download.headers.get("Content-Disposition", "")
            typed = download.headers.get("Content-Type") == "application/pdf"
            if download.status_code != 200 or download.content != PDF or not named or not typed:
                headers = f"{download.headers.get('Content-Type')}, {download.headers.get('Content-Disposition')}"
                download.failure(f"file not as uploaded (HTTP {download.status_code}, {len(download.content)} B, "
                                 f"{headers})")


class Staff(Person):
    abstract = True
    wait_time = between(2, 6)

    def pick(self, status: str) -> int | None:
        listed = self.client.get(f"/admin/core/appeal/?status__exact={status}", name=f"/admin/core/appeal/ {status}")
        found = CABINET_APPEAL.findall(listed.text)
        return int(random.choice(found[:10])) if found else None

    @task(2)
    def appeals_list(self) -> None:
        if not self.sign_in():
            return
        self.client.get("/admin/core/appeal/", name="/admin/core/appeal/")

    @task(1)
    def dashboard(self) -> None:
        if not self.sign_in():
            return
        self.client.get("/admin/", name="/admin/")

    @task(1)
    def report(self) -> None:
        if not self.sign_in():
            return
        self.client.get(f"/admin/reports/{random.choice(PLAN['reports'])}/", name="/admin/reports/[slug]/")


class Assigner(Staff):
    """A lead of the agency: assigns the appeals waiting for moderation to the agency's manager."""

    weight = 1
    logins = PLAN["assigners"]

    @task(3)
    def assign(self) -> None:
        if not self.sign_in():
            return
        pk = self.pick("moderation")
        if pk:
            self.form_post(f"/admin/core/appeal/{pk}/assign/", "/admin/core/appeal/[id]/assign/",
                           {"executor_organisation": PLAN["agency"], "manager": PLAN["manager"], "comment": ""})


class Manager(Staff):
    """The agency's manager: takes the assigned appeals into work and reads each one's card."""

    weight = 1
    logins = PLAN["workers"]

    @task(3)
    def take_into_work(self) -> None:
        if not self.sign_in():
            return
        pk = self.pick("assigned")
        if pk:
            self.client.get(f"/admin/core/appeal/{pk}/change/", name="/admin/core/appeal/[id]/change/")
            self.form_post(f"/admin/core/appeal/{pk}/take_into_work/", "/admin/core/appeal/[id]/take_into_work/",
                           {"comment": ""})
