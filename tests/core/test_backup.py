"""Backups that restore: `manage.py backup` of the demo data with uploaded files, then `manage.py restore` into a
fresh, empty installation — a database nobody has migrated and an empty media directory, opened by a separate
process as an operator would — and every row and every file byte compared with the original.

The source is the run's own test database (SQLite in memory, or PostgreSQL in CI's second run); the restore target
is a SQLite file in tmp_path or a PostgreSQL database created for the test and dropped after it. A damaged archive
(a changed byte, a missing file, a truncated archive, a path out of the media directory, a tampered count) fails
loudly and leaves the empty installation empty.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from core.models import Appeal, AppealEvent, AppealFile, Project, User

pytestmark = pytest.mark.django_db(transaction=True)  # the dump and the other process see committed rows

BASE_DIR = Path(settings.BASE_DIR)
SQLITE = connection.vendor == "sqlite"
BIG = os.urandom(3 * 1024 * 1024 + 17)  # bigger than the streaming chunk: read and written in pieces


@dataclass
class Installation:
    """An empty installation beside the test's: its DATABASE_URL, its MEDIA_ROOT, and a way to run manage.py."""

    url: str
    media: Path

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "core.settings", "DEBUG": "true",
            "SECRET_KEY": settings.SECRET_KEY, "DATABASE_URL": self.url, "MEDIA_ROOT": str(self.media),
            "EMAIL_URL": "dummymail://",
        }
        return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                              text=True, timeout=180, check=False)

    def tables(self) -> int:
        if self.url.startswith("sqlite:"):
            path = Path(self.url.removeprefix("sqlite:///"))
            if not path.exists():
                return 0
            with closing(sqlite3.connect(path)) as db:
                return db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        import psycopg  # only on PostgreSQL runs

        with psycopg.connect(self.url) as db:
            return db.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]


@pytest.fixture
def media(tmp_path, settings):
    """The test's own MEDIA_ROOT: the backup takes exactly the files this test stores."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root), "base_url": None},
    }}
    return root


@pytest.fixture
def installation(tmp_path):
    media = tmp_path / "restored-media"
    if SQLITE:
        yield Installation(f"sqlite:///{tmp_path / 'restored.sqlite3'}", media)
        return
    db = connection.settings_dict
    name = f"zk_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    try:
        yield Installation(f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}", media)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def attach(appeal: Appeal, name: str, data: bytes) -> AppealFile:
    return AppealFile.objects.create(appeal=appeal, uploaded_by=appeal.applicant, original_name=name,
                                     content_type="application/pdf", size=len(data),
                                     file=ContentFile(data, name=name))


def files_in(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def dump_rows(output: str) -> dict[tuple[str, object], dict]:
    return {(row["model"], row["pk"]): row["fields"] for row in json.loads(output)}


def backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


def test_the_demo_with_its_files_is_backed_up_wiped_and_restored_row_for_row(settings, media, installation,
                                                                              tmp_path):
    settings.DEBUG = True
    call_command("seed_reference", verbosity=0)
    call_command("seed_demo", "--no-history", verbosity=0)
    reworked = Appeal.objects.get(subject="Продление договора аренды участка под склад")
    attach(reworked, "скан письма.pdf", b"%PDF-1.4 \xd1\x81\xd0\xba\xd0\xb0\xd0\xbd")
    attach(reworked, "чертёж.pdf", BIG)
    source_files = files_in(media)
    assert len(source_files) >= 3 and BIG in source_files.values()  # the demo's project documents and ours
    source = io.StringIO()
    call_command("dumpdata", "--all", stdout=source)

    archive = backup(tmp_path)
    assert archive.name.endswith(".tar.gz") and archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    counts = {label: entry["rows"] for label, entry in manifest["models"].items()}
    assert counts == {model._meta.label: model._base_manager.count()
                      for model in apps.get_models(include_auto_created=True)
                      if model._meta.managed and not model._meta.proxy}
    assert counts["core.Appeal"] >= 9 and counts["core.Project"] >= 12 and counts["core.User"] >= 12
    assert {entry["path"] for entry in manifest["files"]} == set(source_files)
    assert manifest["migrations"]["core"] and manifest["database"]["vendor"] == connection.vendor

    # a damaged archive leaves the fresh installation as it was: no table, no file
    damaged = installation.manage("restore", str(rewrite(archive, change_big_file)))
    assert damaged.returncode != 0
    assert "не прошёл проверку" in damaged.stderr and "повреждён" in damaged.stderr
    assert installation.tables() == 0 and not installation.media.exists()

    restored = installation.manage("restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Восстановлено и проверено" in restored.stdout

    assert files_in(installation.media) == source_files
    target = installation.manage("dumpdata", "--all")
    assert target.returncode == 0, target.stderr
    before, after = dump_rows(source.getvalue()), dump_rows(target.stdout)
    assert after == before  # every row of every model, field by field
    # what a person would look for first: the investor can log in, the appeal keeps its history, the project
    investor = User.objects.get(email="investor@zk.example")
    assert after[("core.user", investor.pk)]["password"] == investor.password
    events = {key for key, row in after.items() if key[0] == "core.appealevent" and row["appeal"] == reworked.pk}
    assert len(events) == AppealEvent.objects.filter(appeal=reworked).count() > 3
    project = Project.objects.order_by("pk").first()
    assert after[("core.project", project.pk)]["name"] == project.name

    # --force over the restored installation, from an archive whose manifest counts one appeal too many: the
    # members are intact, so it restores, and the verification finds the difference
    def one_appeal_more(manifest: dict) -> None:
        manifest["models"]["core.Appeal"]["rows"] += 1

    tampered = installation.manage("restore", str(rewrite(archive, manifest_change(one_appeal_more))), "--force")
    assert tampered.returncode != 0
    assert f"обращения (core.Appeal): строк {counts['core.Appeal']}, а в описи {counts['core.Appeal'] + 1}" in (
        tampered.stderr)
    assert "Восстановление не прошло проверку" in tampered.stderr



@pytest.fixture
def archive(media, file_appeal, tmp_path) -> Path:
    appeal = file_appeal()
    attach(appeal, "письмо.pdf", b"%PDF-1.4 letter")
    attach(appeal, "чертёж.pdf", BIG)
    return backup(tmp_path)


def rewrite(archive: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the archive whose members went through change(name, data) (None drops the member)."""
    copy = archive.with_name(f"changed-{uuid.uuid4().hex}.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(copy, "w:gz") as target:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
    return copy


def flip_byte(data: bytes) -> bytes:
    return data[:100] + bytes([data[100] ^ 1]) + data[101:]


def big_file(name: str, data: bytes) -> bool:
    return name.startswith("files/") and len(data) == len(BIG)  # stored under a random name


def change_big_file(name: str, data: bytes) -> bytes:
    return flip_byte(data) if big_file(name, data) else data


def manifest_change(edit: Callable[[dict], None]) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


def escape_media(manifest: dict) -> None:
    manifest["files"][0]["path"] = "../../outside.pdf"


CORRUPTIONS = {
    "a changed byte in a file": (change_big_file, "повреждён .*: files/appeals/"),
    "a missing file": (lambda name, data: None if big_file(name, data) else data, "нет в архиве: files/appeals/"),
    "a changed byte in the database": (
        lambda name, data: flip_byte(data) if name.startswith("database/") else data, "повреждён .*: database/"),
    "no manifest": (lambda name, data: None if name == "manifest.json" else data, "нет описи"),
    "a path out of the media directory": (manifest_change(escape_media), "Опись архива .* повреждена"),
}


def test_a_damaged_archive_is_refused_before_anything_changes(archive):
    truncated = archive.with_name("truncated.tar.gz")
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    damaged = {name: (rewrite(archive, change), message) for name, (change, message) in CORRUPTIONS.items()}
    damaged["a truncated archive"] = (truncated, "повреждён или обрезан")

    for corruption, (path, message) in damaged.items():
        for options in ({"check": True}, {"force": True}):
            with pytest.raises(CommandError, match=message):
                call_command("restore", str(path), **options)
            assert Appeal.objects.count() == 1, corruption  # the test database was not touched, even with --force
    out = io.StringIO()
    call_command("restore", str(archive), check=True, stdout=out)  # the original is fine
    assert "Архив цел" in out.getvalue()


def test_an_installation_with_data_is_not_overwritten_without_force(archive, file_appeal):
    file_appeal(subject="Подано после резервной копии")

    with pytest.raises(CommandError, match=r"Установка не пуста \(есть данные: .*обращения \(core.Appeal\)"):
        call_command("restore", str(archive))
    assert Appeal.objects.filter(subject="Подано после резервной копии").exists()


def test_without_output_the_archive_goes_to_backup_dir_not_the_working_directory(settings, tmp_path, monkeypatch):
    """Under systemd the working directory is the code's; an archive of personal data must not land there."""
    from core.management.commands import backup as command

    settings.BACKUP_DIR = str(tmp_path / "backups")
    written = []

    def fake_create(*, output: Path):
        written.append(output)
        archive = output / "zk-backup-20261207-013000.tar.gz"
        archive.write_bytes(b"archive")
        return archive, {"models": {}, "files": []}

    monkeypatch.setattr(command, "backup_create", fake_create)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    call_command("backup", stdout=out)

    assert written == [tmp_path / "backups"]
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert out.getvalue().strip().splitlines()[-1] == str(tmp_path / "backups" / "zk-backup-20261207-013000.tar.gz")
