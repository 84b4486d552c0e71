"""Settings for the test suite: same as production code paths, with inline background tasks."""

import os

os.environ.setdefault("DEBUG", "true")

from core.settings import *  # noqa: F403
from core.settings import Q_CLUSTER

# django-q2 reads Q_CLUSTER at import, so tests need their own module: tasks run inline.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
AXES_ENABLED = False
OTP_REQUIRED = False  # staff tests sign in with force_login; tests of the second factor switch it on
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Under pytest-xdist every worker (PYTEST_XDIST_WORKER=gw0, gw1, …) writes its uploads and static files into
# its own directory; its test database gets the same suffix from pytest-django (test_<name>_gw0 on PostgreSQL,
# SQLite's is in memory). The directory names the database too: CI runs the SQLite and the PostgreSQL pass side by
# side in one tree (.ci/run), each with its own gw0, gw1.
_DATABASE = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]  # noqa: F405 (sqlite3, postgresql)
_WORKER = f"{_DATABASE}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
MEDIA_ROOT = str(BASE_DIR / "var" / "test-private" / _WORKER)  # noqa: F405
STORAGES["default"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
}
STATIC_ROOT = BASE_DIR / "var" / "test-static" / _WORKER  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Fixtures file dozens of appeals for one company in one day; the tests of the daily limits set them explicitly.
COMPANY_APPEALS_PER_DAY = COMPANY_COMMENTS_PER_DAY = 10_000
# Test databases are thrown away, so on PostgreSQL no commit waits for the disk: a transactional test's flush, each
# request of a browser journey and each migration commit (~5 ms apiece on a busy CI disk, 0.2 ms without the wait).
# What every other connection reads is the same; only a crash of the server could lose the last commits.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
