"""A real SMTP server inside the test process (aiosmtpd), and a fixture that points Django's mail at it.

The handler keeps every accepted letter (parsed with the modern email policy), and can be told to refuse the
next N letters with «451 4.3.0 Try again later» or to hold letters in DATA until released. A held letter is
never counted as delivered: once released it is refused. The server can be stopped (connection refused) and
started again on the same port.

Import the fixture explicitly where it is needed: `from tests.smtp_server import smtp_fixture  # noqa: F401`;
tests then ask for `smtp`.
"""

import asyncio
import email
import os
import random
import socket
import threading
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

REFUSAL = "451 4.3.0 Try again later"
ACCEPTED = "250 2.0.0 Message accepted for delivery"
WAIT = 10  # seconds; far more than anything here needs
_PICK = random.Random()  # its own generator: a test seeding `random` must not make two runs pick alike


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default start of the range


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A free port of 127.0.0.1 for one server, chosen below the kernel's ephemeral range.

    A server is stopped and started again on the same port (the outage test); while it is down, a port of the
    ephemeral range may become the local end of any outgoing connection (another xdist worker's Chromium, its
    database or its live server), and the restart would fail. Below that range only such probes compete, and
    under pytest-xdist each worker (PYTEST_XDIST_WORKER=gwN) draws from its own slice, so two workers never
    pick the same port; another run on the machine is avoided by the bind probe. Without room below the range
    the kernel picks (port 0).
    """
    low, high = 10000, min(_ephemeral_low(), 32768)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    size = (high - low) // max(workers, 1)
    if worker.isdigit() and size >= 100:
        start = low + int(worker) * size
        for port in _PICK.sample(range(start, start + size), 50):
            if _bindable(port):
                return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """aiosmtpd handler: records what it accepts; refuses or holds letters on demand. Thread-safe: the hooks
    run in the server's thread, the test reads and steers from its own."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.sessions = 0  # EHLO/HELO: how many times a client actually talked to us
        self.data_attempts = 0  # letters offered in DATA, accepted or not
        self.stalled = threading.Event()  # set while a letter is being held in DATA
        self._refuse = 0
        self._stall = False
        self._held: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._lock = threading.Lock()

    # --- steering (test thread) ---
    def refuse_next(self, count: int) -> None:
        """Answer 451 to the next `count` letters."""
        with self._lock:
            self._refuse = count

    def stall(self) -> None:
        """Hold every letter in DATA until `release()`; a held letter is then refused, never delivered."""
        with self._lock:
            self._stall = True

    def release(self) -> None:
        with self._lock:
            self._stall = False
            held, self._held = self._held, []
        for loop, event in held:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)
        self.stalled.clear()

    # --- reading ---
    def with_message_id(self, message_id: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["Message-ID"] == message_id]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    # --- aiosmtpd hooks (server thread) ---
    async def handle_HELO(self, server, session, envelope, hostname):
        session.host_name = hostname
        with self._lock:
            self.sessions += 1
        return f"250 {server.hostname}"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self._lock:
            self.sessions += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.data_attempts += 1
            if self._refuse:
                self._refuse -= 1
                return REFUSAL
            if self._stall:
                event = asyncio.Event()
                self._held.append((asyncio.get_running_loop(), event))
                self.stalled.set()
            else:
                event = None
        if event is not None:
            await event.wait()
            return REFUSAL  # the letter held back is not delivered
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return ACCEPTED


class SmtpServer:
    """One handler on one port; `stop()` makes the port refuse connections, `start()` listens again."""

    def __init__(self, port: int | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> "SmtpServer":
        assert self._controller is None, "already running"
        # a stopped controller's loop is closed, so every start needs a fresh one
        controller = Controller(self.handler, hostname=self.host, port=self.port, ready_timeout=WAIT)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is None:
            return
        self.handler.release()  # let a held DATA finish (refused) so the server closes cleanly
        self._controller.stop()
        self._controller = None

    def email_settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }


@pytest.fixture(name="smtp")
def smtp_fixture(settings):
    """A running SMTP server on a free port of 127.0.0.1, with Django's mail sent to it over SMTP."""
    server = SmtpServer().start()
    for name, value in server.email_settings().items():
        setattr(settings, name, value)
    try:
        yield server
    finally:
        server.stop()
