"""A local stand-in for an OpenAI-compatible chat completions server (core.services.drafts tests): it listens on a
free port of 127.0.0.1, records every request and answers what the test sets; nothing reaches the network."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeModel:
    """An OpenAI-compatible /v1/chat/completions on 127.0.0.1: answers `reply` (a dict → JSON, bytes as they are)
    with `status` after `delay` seconds, and keeps every request body."""

    def __init__(self):
        self.requests: list[dict] = []
        self.reply: dict | bytes = {"choices": [{"message": {"role": "assistant", "content": "Уважаемый инвестор!"}}]}
        self.status, self.delay = 200, 0.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append({"path": self.path, "body": json.loads(body),
                                      "authorization": self.headers.get("Authorization")})
                time.sleep(fake.delay)
                data = fake.reply if isinstance(fake.reply, bytes) else json.dumps(fake.reply).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def prompt(self) -> str:
        return self.requests[-1]["body"]["messages"][1]["content"]


def serve(settings):
    """The body of a test's `fake_model` fixture: the server, with the LLM_* settings pointing at it."""
    fake = FakeModel()
    settings.LLM_URL, settings.LLM_MODEL, settings.LLM_API_KEY = fake.url, "local-test", "secret-key"
    settings.LLM_TIMEOUT_SECONDS = 5
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
