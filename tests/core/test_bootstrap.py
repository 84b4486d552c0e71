"""The Makefile's interpreter finder: a fresh machine without Python 3.12 gets a clear bilingual message."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "find-python.sh"


def _find(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)


def test_no_suitable_python_gives_a_clear_error(tmp_path):
    result = _find({"PATH": "/nonexistent", "HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "Не найден Python 3.12 или новее" in result.stderr
    assert "Python 3.12 or newer was not found" in result.stderr


def test_an_explicit_interpreter_is_used_when_new_enough(tmp_path):
    result = _find({"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHON": sys.executable})
    assert result.returncode == 0
    assert Path(result.stdout.strip()).resolve() == Path(sys.executable).resolve()


def test_too_old_interpreter_is_skipped(tmp_path):
    old = tmp_path / "python3"
    old.write_text("#!/bin/sh\nexit 1\n")  # behaves like a Python < 3.12 failing the version check
    old.chmod(0o755)
    result = _find({"PATH": str(tmp_path), "HOME": str(tmp_path)})
    assert result.returncode == 1
