"""gunicorn for one web node of «Зелёный коридор» (deploy/systemd/zk-web@.service; docs/operations.md «Two nodes»).

`gunicorn -c deploy/gunicorn.conf.py` with the node's address in ZK_BIND. The application's settings come from the
environment as usual (README); nothing here is secret. Threads rather than more processes: a request mostly waits
for PostgreSQL, Redis or the bucket, and every process holds its own database connections (CONN_MAX_AGE).
"""

import os

wsgi_app = "core.wsgi:application"
bind = os.environ.get("ZK_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A register export is made by the worker, not in a request: a minute is generous for any page, and a stuck worker is
# replaced rather than holding a thread of the node forever. nginx waits a little longer (proxy_read_timeout 75s).
timeout = 60
graceful_timeout = 30  # systemd's stop: finish the requests in flight, then exit (TimeoutStopSec is above this)
# nginx keeps idle connections to the node (upstream keepalive) and closes them after 60 s; the node must wait
# longer, else it closes one just as nginx sends a request on it — a reset, and a 502 for a POST (seen in the
# rehearsal with gunicorn's default of a few seconds).
keepalive = 75
# A process is replaced after this many requests, each at a different moment: a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# Django writes one access line per request with its id, user and duration (core/request_id.py); gunicorn's own
# access log would say the same thing again, less well.
accesslog = None
errorlog = "-"
# gunicorn's own lines (the master starting, a worker booting, timing out or exiting) in the application's format:
# with LOG_FORMAT=json, as production has it unless DEBUG is on (core/settings.py), one JSON object per line with the
# same keys as Django's (core/log_format.py), so the log pipeline reads one format. gunicorn adds the working
# directory (WorkingDirectory=/srv/zk in the unit) to sys.path before it configures logging, so `core` imports.
_debug = os.environ.get("DEBUG", "").strip().lower() in ("1", "true", "on", "ok", "y", "yes")  # as environ reads it
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "core.log_format.JsonFormatter"}},
        "handlers": {
            "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
            "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
            "nowhere": {"class": "logging.NullHandler"},
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            # With a logging configuration gunicorn writes its access lines even though accesslog is None; they go
            # nowhere, as above (a second line per request, without its id or user).
            "gunicorn.access": {"level": "INFO", "handlers": ["nowhere"], "propagate": False},
        },
    }
# Only nginx on this machine may say who the client is and that the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = f"zk-web {bind}"
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl): two nodes on one machine
# would take it from each other. systemd's signals (reload, stop) are enough.
control_socket_disable = True
