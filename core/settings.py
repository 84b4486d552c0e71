"""Settings of «Зелёный коридор», all from the environment (django-environ).

The embedded default (SQLite in var/, console email, ORM broker) needs no configuration with DEBUG on;
production sets the variables listed in README.md. Nothing secret has a production default.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.region import pack_path
from core.storage import storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production-zelenyi-koridor"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "core.http_guard.csrf_failure"  # the Russian 403 page for a stale or cookieless form
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The region pack (core/region.py, docs/adr/0007-region-pack.md): a folder name under regions/ or a path. It names
# the region and the agency on every page, letter and file; `manage.py install_region` loads its reference data.
REGION_PACK = env.str("REGION_PACK", default="leningrad")

INSTALLED_APPS = [
    # unfold must come before django.contrib.admin (here: its replacement admin_site), else every
    # admin page 404s while `check` passes. BasicAppConfig leaves the default site to admin_site.
    "unfold.apps.BasicAppConfig",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "admin_site.apps.CorridorAdminConfig",
    # Before django.contrib.auth: Django takes a management command from the first application that has it, and core's
    # createsuperuser (Django's, said in Russian) must win over auth's.
    "core.apps.CoreConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "import_export",
    "django_q",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # django-ninja (the REST API, core/api/): listed so its Swagger UI page renders from its own static files,
    # not from a CDN (docs/adr/0006-rest-api.md).
    "ninja",
]

MIDDLEWARE = [
    # The request id, its X-Request-ID header and the access line (core/request_id.py); then /healthz and /readyz
    # answered before anything else runs: no HTTPS redirect, host check, session or login (core/probes.py).
    "core.request_id.RequestIdMiddleware",
    "core.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a per-response nonce; the cabinet's variant by path (core/csp.py).
    "core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Too many files or too big a body: a Russian page before the form is parsed by anyone (issue 11).
    "core.upload_guard.UploadGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # idle and absolute session timeouts per face (core/sessions.py); after messages: it tells why you were logged out
    "core.sessions.SessionTimeoutMiddleware",
    # A NUL or another control character in the path, the query or a form: a Russian 400 before any view (issue 11).
    "core.http_guard.BadInputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # axes last: it turns a lockout raised in authentication into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # The app-directories loader, with unfold's buttons that name a model in the accusative
            # («Удалить организацию», admin_site/template_loader.py); cached as Django's default is.
            "loaders": [("django.template.loaders.cached.Loader", [
                "django.template.loaders.filesystem.Loader", "admin_site.template_loader.Loader"])],
            # admin_site's app config is django.contrib.admin's, so its tag libraries are named here
            "libraries": {"cabinet_grammar": "admin_site.templatetags.cabinet_grammar",
                          "cabinet_list": "admin_site.templatetags.cabinet_list",
                          "cabinet_sidebar": "admin_site.templatetags.cabinet_sidebar",
                          "cabinet_cells": "admin_site.templatetags.cabinet_cells"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.portal.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web process and the q2 worker share the file without locking out.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # short OLTP queries: PostgreSQL's JIT compiled one report's query for 1.25 s to run it in 0.15 s
        # (docs/performance.md); off per connection, whatever postgresql.conf says
        # pg_trgm's word similarity for the search (core.search.backends): «Зинит» finds «Зенит-Порт» at 0.3
        # (one wrong letter of five), the default 0.6 would not
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "options", "-c jit=off -c pg_trgm.word_similarity_threshold=0.3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache keeps the abuse limits (core/services/throttle.py), so every process must share it: the database
# cache by default (table zk_cache, created by migration core.0011_cache_table), Redis when CACHE_URL says so
# (redis://127.0.0.1:6379/1). Culling must not forget counters under a flood, hence room for many entries.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://zk_cache")}
if CACHES["default"]["BACKEND"].endswith(("db.DatabaseCache", "locmem.LocMemCache")):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 200_000)

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the person with their organisation and the permissions with the roles
    "core.auth.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = reverse_lazy("portal:login")
LOGIN_REDIRECT_URL = reverse_lazy("portal:after_login")
LOGOUT_REDIRECT_URL = reverse_lazy("portal:landing")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
EMAIL_CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 3  # three days
# Account letters (password reset, confirmation resend, «someone tried to register with your address») an hour:
# per address, and per client IP for all addresses together; beyond them no letter, a Russian message instead.
ACCOUNT_LETTERS_PER_ADDRESS_HOUR = env.int("ACCOUNT_LETTERS_PER_ADDRESS_HOUR", default=3)
ACCOUNT_REQUESTS_PER_IP_HOUR = env.int("ACCOUNT_REQUESTS_PER_IP_HOUR", default=20)

LANGUAGE_CODE = "ru"
FORMAT_MODULE_PATH = ["core.formats"]  # «7 декабря» where Django writes «7 Декабрь»
LANGUAGES = [("ru", _("Русский"))]
# The project's plural forms first (they win where a msgid is in both), then Russian for the third-party apps;
# both come before every app's own catalogue (locale/README.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "thirdparty"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# The pack's static/ (the agency's logo), when it has one, is served under static/region/.
REGION_STATIC_DIR = pack_path(REGION_PACK, BASE_DIR) / "static"
STATICFILES_DIRS = [BASE_DIR / "static", *([("region", REGION_STATIC_DIR)] if REGION_STATIC_DIR.is_dir() else [])]
# Uploaded files are private: stored outside any public URL and served only by permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "private"))
# Where `manage.py backup` writes when not told (--output): the archives hold personal data, so never the working
# directory (the code's, under systemd); created readable by the application's user only.
BACKUP_DIR = env.path("BACKUP_DIR", default=str(VAR_DIR / "backups"))
MEDIA_URL = None
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Or an S3-compatible bucket, still private (core/storage.py, docs/adr/0005-object-storage.md):
# STORAGE_URL=s3://bucket?endpoint_url=…&region=…, credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
STORAGE_URL = env.str("STORAGE_URL", default="")
if STORAGE_URL:
    STORAGES["default"] = storage_from_url(STORAGE_URL)
# Behind nginx: the download views check the permission, then hand the bytes to nginx with X-Accel-Redirect to this
# internal location (deploy/nginx/zk.conf, docs/operations.md «Two nodes»). Empty: the application streams them.
PRIVATE_FILES_ACCEL_PREFIX = env.str("PRIVATE_FILES_ACCEL_PREFIX", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# Upload limits (core/services/attachments.py): per file; per request and per appeal (count and size); per user a day.
UPLOAD_MAX_FILE_MB = env.int("UPLOAD_MAX_FILE_MB", default=25)
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=20)
UPLOAD_MAX_TOTAL_MB = env.int("UPLOAD_MAX_TOTAL_MB", default=100)
UPLOAD_DAILY_QUOTA_MB = env.int("UPLOAD_DAILY_QUOTA_MB", default=500)
# Files chosen in a form shown again with an error are kept this long for the person to send it again
# (core/services/held_uploads.py); the daily «Уборка» removes older ones.
UPLOAD_HOLD_HOURS = env.int("UPLOAD_HOLD_HOURS", default=24)
# Django parses up to this many files, so a few too many get the form's Russian error; beyond it (or a body over
# the request limit) core/upload_guard.py answers with a Russian page before anything is stored.
DATA_UPLOAD_MAX_NUMBER_FILES = 5 * UPLOAD_MAX_FILES
# Per investor company a Moscow day (core/services/content_limits.py); staff registrations are not counted.
COMPANY_APPEALS_PER_DAY = env.int("COMPANY_APPEALS_PER_DAY", default=20)
COMPANY_COMMENTS_PER_DAY = env.int("COMPANY_COMMENTS_PER_DAY", default=100)
# The REST API (core/api/): calls per token (or per signed-in person) a minute, beyond which it answers 429
# with Retry-After; and how long a new personal token lives unless its owner picks a date.
API_RATE_PER_MINUTE = env.int("API_RATE_PER_MINUTE", default=120)
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=365)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="«Зелёный коридор» <noreply@zk.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # seconds; a hung mail server must not hold a worker
# a letter the mail server refuses is tried again with backoff (1, 5, 15 min, 1, 3, 6, 12 h), then marked failed
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
NOTIFICATION_DIGEST_HOUR = env.int("NOTIFICATION_DIGEST_HOUR", default=8)  # Moscow time
# Retention (core/services/housekeeping.py, the daily «Уборка» at HOUSEKEEPING_HOUR Moscow time), in days.
HOUSEKEEPING_HOUR = env.int("HOUSEKEEPING_HOUR", default=3)
RETENTION_EXPORT_DAYS = env.int("RETENTION_EXPORT_DAYS", default=7)  # register downloads made in the background
RETENTION_NOTICE_DAYS = env.int("RETENTION_NOTICE_DAYS", default=365)  # in-app notices, counted from reading
RETENTION_AXES_DAYS = env.int("RETENTION_AXES_DAYS", default=90)  # login attempts, logins, failures
RETENTION_TASK_DAYS = env.int("RETENTION_TASK_DAYS", default=30)  # the worker's successful task rows
RETENTION_TASK_FAILURE_DAYS = env.int("RETENTION_TASK_FAILURE_DAYS", default=90)  # and its failed ones
RETENTION_WEBHOOK_DAYS = env.int("RETENTION_WEBHOOK_DAYS", default=30)  # delivered webhook events, from delivery

# Webhooks (docs/integrations/webhooks.md): a delivery the receiver refuses is tried again with the letters'
# backoff, then marked failed. WEBHOOK_ALLOW_LOCAL also accepts http:// and addresses inside the network
# (loopback, private, link-local): for DEBUG and tests only; in production only https to public hosts.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=10)  # seconds a receiver has to answer
WEBHOOK_ALLOW_LOCAL = env.bool("WEBHOOK_ALLOW_LOCAL", default=DEBUG)

# An optional language model (docs/documents.md, «Черновики с языковой моделью»): an OpenAI-compatible chat
# completions endpoint base (http://127.0.0.1:8081/v1); empty — off, no draft button anywhere.
LLM_URL = env.str("LLM_URL", default="").rstrip("/")
LLM_MODEL = env.str("LLM_MODEL", default="")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_TIMEOUT_SECONDS = env.int("LLM_TIMEOUT_SECONDS", default=60)  # one request to the model; then the draft fails

# Reverse proxy: the number of proxies in front of the app that append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Session lifetimes (core/sessions.py): staff, and investors (without «Запомнить меня» until the browser closes).
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)
INVESTOR_SESSION_IDLE_MINUTES = env.int("INVESTOR_SESSION_IDLE_MINUTES", default=120)
INVESTOR_SESSION_REMEMBER_DAYS = env.int("INVESTOR_SESSION_REMEMBER_DAYS", default=14)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp; docs/adr/0003-content-security-policy.md). Both faces: scripts and <style>
# elements only from our own static files or carrying the response's nonce ({{ request.csp_nonce }}); no inline
# event handlers, and no style attributes on the portal. Browsers report violations to /csp-report/ (the log).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # QR codes and charts as data: URLs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": reverse_lazy("csp_report"),
    },
}
# The cabinet (/admin/) only: unfold 0.110 ships Alpine's standard build, which compiles every x-* expression with
# `new Function` ('unsafe-eval'), and unfold's templates and Alpine's x-bind:style write style attributes
# ('unsafe-inline' for style attributes only; <style> elements still need the nonce).
CSP_CABINET_DIRECTIVES = {
    "script-src": [SELF, NONCE, UNSAFE_EVAL],
    "style-src-attr": [UNSAFE_INLINE],
}
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# django-axes: lock out repeated failed logins per user name and per address.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# Two rules: a user name from one address (AXES_FAILURE_LIMIT), and password spraying — every failure from one
# address, whatever the user name (AXES_IP_FAILURE_LIMIT, higher); the handler gives each rule its own limit.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_HANDLER = "core.login_lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "core.login_lockout.lockout_response"  # each face its own page

# Second factor for the manager cabinet (django-otp, core/services/two_factor.py): on unless DEBUG (the demo).
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Зелёный коридор"
# django-otp's own exponential delays are off: after OTP_FAILURE_LIMIT wrong codes in a row every next try waits
# OTP_PAUSE_MINUTES, and the person is told until when.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_FAILURE_LIMIT = env.int("OTP_FAILURE_LIMIT", default=5)
OTP_PAUSE_MINUTES = env.int("OTP_PAUSE_MINUTES", default=15)

# django-auditlog: who changed what; the actor comes from the request (middleware) or is set explicitly.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# django-q2: ORM broker by default; Redis when Q_REDIS_URL is set. `retry` must exceed `timeout`.
Q_CLUSTER = {
    "name": "zk",
    "workers": env.int("Q_WORKERS", default=2),
    # a big register export may write for minutes; retry (re-delivery) must stay above timeout
    "timeout": 900,
    "retry": 1200,
    "max_attempts": 5,
    "queue_limit": 50,
    "catch_up": False,
    # successful task rows are kept for RETENTION_TASK_DAYS by the daily housekeeping; q2's own limit (250 rows by
    # default, about two hours of this product's tasks) would cut them first
    "save_limit": 0,
    "label": _("Фоновые задачи"),
    "orm": "default",
}
if env.str("Q_REDIS_URL", default=""):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = env.str("Q_REDIS_URL")

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# One JSON object per line in production, readable text in DEBUG (core/log_format.py); every line carries the
# request id and the user id (core/request_id.py), a q2 task's lines the id of the request that queued it.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "core.request_id.RequestContextFilter"},
        "client_mistake": {"()": "core.log_format.ClientMistakeFilter"},
        "routine_tasks": {"()": "core.log_format.RoutineTaskFilter"},
    },
    "formatters": {
        "json": {"()": "core.log_format.JsonFormatter"},
        "text": {"()": "core.log_format.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django.security.DisallowedHost": {"filters": ["client_mistake"]},
                "django-q": {"filters": ["routine_tasks"]}},
}

from admin_site.unfold_config import UNFOLD  # noqa: E402,F401  (the manager cabinet's look and sidebar)
