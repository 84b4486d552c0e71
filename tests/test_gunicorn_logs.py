"""gunicorn's own lines (deploy/gunicorn.conf.py): one JSON object per line with the application's keys in production,
gunicorn's plain text when DEBUG is on; nothing else on the web node's log stream is in another format, and gunicorn
writes no access line of its own beside Django's."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.db_independent
CONF = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
FIELDS = {"time", "level", "logger", "message", "request_id", "user_id", "path", "method", "status", "duration_ms"}
TINY_APP = '''def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
'''


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answered(address: str) -> bool:
    """Whether a worker has answered a request: only then has it put its own signal handlers in place. A worker
    stopped while it is still booting keeps the master's inherited ones, ignores the SIGTERM and is killed only after
    graceful_timeout (30 s) — the race that once failed CI."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{address}/", timeout=5) as response:
                return response.read() == b"ok"
        except OSError:
            time.sleep(0.1)
    return False


def gunicorn_lines(tmp_path: Path, **env: str) -> list[str]:
    """Starts gunicorn with our config and a tiny application, waits for its worker to answer a request, stops it with
    SIGTERM as systemd does, and returns every line it wrote to standard error and output."""
    (tmp_path / "tinyapp.py").write_text(TINY_APP, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_FORMAT"}}
    address = f"127.0.0.1:{_free_port()}"
    clean.update(env, PYTHONPATH=str(tmp_path), ZK_BIND=address, WEB_CONCURRENCY="1")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", str(CONF), "tinyapp:app"],
        cwd=settings.BASE_DIR, env=clean, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = []
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if "Booting worker" in line:
                break
        assert _answered(address), "the worker never answered"
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    return lines + rest.splitlines()


def test_gunicorn_writes_one_json_object_per_line_in_production(tmp_path):
    lines = gunicorn_lines(tmp_path, DEBUG="false")
    entries = [json.loads(line) for line in lines]  # a line that is not JSON fails here
    messages = [entry["message"] for entry in entries]
    assert any(message.startswith("Starting gunicorn") for message in messages)
    assert any(message.startswith("Booting worker") for message in messages)
    assert "Shutting down: Master" in messages
    for entry in entries:
        assert set(entry) >= FIELDS and entry["logger"] == "gunicorn.error" and entry["level"] == "INFO"


def test_gunicorn_keeps_its_text_lines_when_debug_is_on(tmp_path):
    lines = gunicorn_lines(tmp_path, DEBUG="true")
    assert any("Booting worker" in line and not line.startswith("{") for line in lines)
