"""core.wsgi: loading the application freezes the objects of its start-up, the URLconf included."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.db_independent

PROBE = """
import gc, json, sys
before = gc.get_freeze_count()
import core.wsgi
print(json.dumps({"before": before, "frozen": gc.get_freeze_count(), "urls": "core.urls" in sys.modules,
                  "cabinet": "admin_site.admin.appeals" in sys.modules}))
"""


def test_loading_the_application_freezes_its_start_up_objects():
    """A fresh process (the test's own must not be frozen): after `import core.wsgi`, the URLconf is imported and
    the collector no longer walks the start-up's objects — Django's, the apps', the cabinet's admin."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "PYTEST"))}
    env |= {"DJANGO_SETTINGS_MODULE": "core.settings", "DEBUG": "true"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120, check=True)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["urls"] and seen["cabinet"]
    assert seen["frozen"] - seen["before"] > 50_000, seen  # the interpreter itself freezes a few hundred
