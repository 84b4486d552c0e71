"""Settings sanity: production values pass `check --deploy`, secrets are required, files stay private."""

import os
import secrets
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve

from core.http import client_ip

ROOT = Path(settings.BASE_DIR)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def _production_env(tmp_path) -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "crm.zk.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "EMAIL_URL": "smtp+tls://robot:secret@smtp.zk.example:587",
        "SITE_URL": "https://crm.zk.example",
        "DEFAULT_FROM_EMAIL": "Зелёный коридор <noreply@crm.zk.example>",
    }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A SQLite database migrated once by a production `manage.py migrate` (some 15 s); tests take copies."""
    env = _production_env(tmp_path_factory.mktemp("migrated"))
    result = _manage("migrate", "--noinput", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return Path(env["DATABASE_URL"].removeprefix("sqlite:///"))


def _migrated_env(migrated: Path, tmp_path) -> dict[str, str]:
    """Production settings over a fresh copy of the migrated database."""
    env = _production_env(tmp_path)
    with closing(sqlite3.connect(migrated)) as source, closing(sqlite3.connect(tmp_path / "deploy.sqlite3")) as copy:
        source.backup(copy)
    return env


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    # the test pack gives its agency's address; the Leningrad pack does not (zk.W004, below)
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env(tmp_path),
                     REGION_PACK="test_zarechye")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_of_mail_left_to_the_log_and_links_to_this_machine(tmp_path):
    """An install that forgot EMAIL_URL, SITE_URL or DEFAULT_FROM_EMAIL passed the check: its letters went to the
    worker's log (with live confirmation links) and their links to 127.0.0.1."""
    env = {key: value for key, value in _production_env(tmp_path).items()
           if key not in {"EMAIL_URL", "SITE_URL", "DEFAULT_FROM_EMAIL"}}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    for code, words in (("zk.W001", "EMAIL_URL не задан"), ("zk.W002", "SITE_URL указывает на http://127.0.0.1"),
                        ("zk.W003", "DEFAULT_FROM_EMAIL — пример")):
        assert code in result.stderr and words in result.stderr, code


def test_check_deploy_warns_while_the_consent_names_no_address_of_the_operator(tmp_path):
    """152-ФЗ asks the consent to name the operator's address; the Leningrad pack has none to give it."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env(tmp_path))
    assert result.returncode != 0
    assert "zk.W004" in result.stderr and "не указан адрес агентства" in result.stderr
    assert "regions/leningrad/region.toml" in result.stderr
    assert [code for code in ("zk.W001", "zk.W002", "zk.W003") if code in result.stderr] == []


def test_missing_secret_key_refuses_to_start_in_production(tmp_path):
    env = _production_env(tmp_path)
    env["SECRET_KEY"] = ""
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.xdist_group("production-migrate")  # one worker migrates once for both tests
def test_demo_data_is_refused_in_production(migrated, tmp_path):
    env = _migrated_env(migrated, tmp_path)
    result = _manage("seed_demo", **env)
    assert result.returncode != 0
    assert "только при DEBUG=true" in result.stderr


def test_russian_moscow_defaults():
    assert settings.LANGUAGE_CODE == "ru"
    assert settings.TIME_ZONE == "Europe/Moscow"
    assert settings.USE_TZ
    assert settings.AUTH_USER_MODEL == "core.User"
    assert settings.LOGIN_REDIRECT_URL


def test_unfold_comes_before_the_admin_app():
    apps = settings.INSTALLED_APPS
    assert apps.index("unfold.apps.BasicAppConfig") < apps.index("admin_site.apps.CorridorAdminConfig")
    assert "django.contrib.admin" not in apps  # replaced by the cabinet's AdminConfig


def test_uploaded_files_have_no_public_url():
    assert settings.MEDIA_URL in (None, "")
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert not media_root.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    for path in ("/media/x.pdf", "/var/private/x.pdf", "/private/x.pdf"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert "serve" not in match.func.__name__, path


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_client_ip_behind_a_reverse_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "10.0.0.1"  # no trusted proxy: the header is ignored
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.7"  # the spoofed left-most entry is not trusted
    with override_settings(TRUSTED_PROXY_COUNT=3):
        assert client_ip(request) == "10.0.0.1"  # fewer entries than proxies: fall back


@pytest.mark.xdist_group("production-migrate")
def test_caches_come_from_cache_url(migrated, tmp_path):
    """The database cache by default (shared by every process, room for many counters); Redis when CACHE_URL
    says so. A production install's `migrate` creates the cache table."""
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] == "zk_cache"
    assert settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] >= 100_000

    env = _migrated_env(migrated, tmp_path)
    show = "from django.conf import settings; from django.db import connection; " + (
        "print(settings.CACHES['default']['BACKEND'], 'zk_cache' in connection.introspection.table_names())"
    )
    default = _manage("shell", "--no-imports", "-c", show, **env)
    assert default.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "True"]
    redis = _manage("shell", "--no-imports", "-c", show, CACHE_URL="redis://127.0.0.1:6379/1", **env)
    assert redis.stdout.split()[0] == "django.core.cache.backends.redis.RedisCache"
