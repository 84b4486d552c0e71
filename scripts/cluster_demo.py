"""`make cluster-demo`: the two-node rehearsal (docs/operations.md «Two nodes», figures in docs/performance.md).

nginx (deploy/nginx/zk.conf) in front of two gunicorn nodes (deploy/gunicorn.conf.py) and two django-q2 workers,
sharing PostgreSQL, Redis (cache and broker) and a local S3 server (moto's server mode); private files go out
through nginx's X-Accel-Redirect, letters to a local SMTP sink. Locust (loadtest/locustfile.py) plays investors
filing appeals with files and staff acting on them, reading lists and reports, while this script SIGKILLs one web
node and one worker and starts them again after RESTART_SECONDS (what systemd's Restart= does). Then it checks:
every appeal an investor saw a success page for exists, no appeal number twice, every letter sent, and request
errors only while a node was down; prints the figures and exits non-zero when a check fails.

    .venv/bin/python scripts/cluster_demo.py             # 50 users, 3 minutes
    .venv/bin/python scripts/cluster_demo.py --dry-run   # 10 users, 30 seconds

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Redis on 127.0.0.1:6379; installs the Debian package
nginx when it is missing (as root, or through sudo). Everything else comes from the venv. Its own database
(zk_cluster_demo, dropped and made again), a Redis database it claims for the run, files under var/cluster/.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checks read the database through Django
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python")
RUN = ROOT / "var" / "cluster"

DATABASE = "zk_cluster_demo"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379"
REDIS_DATABASES = range(2, 15)  # claimed as tests/core/test_redis.py claims them, so a test run never shares one
REDIS_CLAIM = "zk-test:redis-db:{}"
BUCKET = "zk-cluster"
REGION = "ru-central1"
PORTS = {"nginx": 18480, "web1": 18481, "web2": 18482, "s3": 18490, "smtp": 18491}
RESTART_SECONDS = 10  # a killed process is started again after this long (systemd: RestartSec)
GRACE_SECONDS = 10  # errors this long after a node is back still belong to its outage (nginx's fail_timeout, retries)
DRAIN_SECONDS = 150  # letters must all be sent within this after the load stops (the outbox schedule runs each minute)


@dataclass
class Plan:
    users: int
    seconds: int
    spawn_rate: float
    kill_web_at: float  # seconds after the load starts
    kill_worker_at: float


FULL = Plan(users=50, seconds=180, spawn_rate=5, kill_web_at=60, kill_worker_at=100)
DRY = Plan(users=10, seconds=30, spawn_rate=5, kill_web_at=8, kill_worker_at=14)


# --- the verdict: pure, tested in tests/test_cluster_demo.py ---------------------------------------------------
@dataclass
class Findings:
    filed: list[dict]  # {"t", "number", "token"} per success page an investor saw (loadtest/locustfile.py)
    numbers_in_db: dict[int, str]  # appeal number -> subject, every appeal of the database
    duplicate_numbers: list[int]
    letters: dict[str, int]  # Notification email rows by status after the drain
    errors: list[dict]  # {"t", "name", "error"} per failed request
    outages: list[tuple[float, float]]  # (down, back) per killed process, epoch seconds
    requests: int = 0
    letters_sent_by_the_cluster: int = 0  # rows marked sent since the workers started
    letters_at_the_sink: int = 0  # distinct Message-IDs the SMTP sink received
    extra: dict = field(default_factory=dict)


def in_outage(moment: float, outages: list[tuple[float, float]], grace: float = GRACE_SECONDS) -> bool:
    return any(down <= moment <= back + grace for down, back in outages)


def verdict(findings: Findings) -> dict:
    """The figures and whether each check passed."""
    lost = sorted(row["number"] for row in findings.filed if row["number"] not in findings.numbers_in_db)
    tokens_seen = {row["token"] for row in findings.filed}
    unseen = sorted(number for number, subject in findings.numbers_in_db.items()
                    if subject.startswith(LOAD_SUBJECT) and subject.removeprefix(LOAD_SUBJECT) not in tokens_seen)
    unsent = {status: count for status, count in findings.letters.items() if status != "sent" and count}
    stray = [error for error in findings.errors if not in_outage(error["t"], findings.outages)]
    figures = {
        "appeals_filed": len(findings.filed),
        "appeals_lost": len(lost),
        "lost_numbers": lost[:20],
        "appeals_saved_without_success_page": len(unseen),
        "duplicate_numbers": findings.duplicate_numbers,
        "letters": findings.letters,
        "letters_unsent": sum(unsent.values()),
        "letters_sent_by_the_cluster": findings.letters_sent_by_the_cluster,
        "letters_at_the_sink": findings.letters_at_the_sink,
        "requests": findings.requests,
        "errors": len(findings.errors),
        "errors_during_outages": len(findings.errors) - len(stray),
        "errors_outside_outages": len(stray),
        "stray_errors": stray[:10],
        **findings.extra,
    }
    checks = {
        "no appeal lost": not lost,
        "no duplicate number": not findings.duplicate_numbers,
        "every letter sent": not unsent and bool(findings.letters.get("sent")),
        "every letter marked sent reached the SMTP sink":
            findings.letters_at_the_sink >= findings.letters_sent_by_the_cluster,
        "errors only while a node was down": not stray,
        "appeals were filed": bool(findings.filed),
    }
    return {"figures": figures, "checks": checks, "ok": all(checks.values())}


LOAD_SUBJECT = "Нагрузочная проверка "  # + the token the investor user wrote into the subject


# --- processes -----------------------------------------------------------------------------------------------
def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


class Process:
    """A named process in its own process group (so SIGKILL takes its children too), its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict):
        self.name, self.argv, self.env = name, argv, env
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        output = open(RUN / "logs" / f"{self.name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        self.popen = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        output.close()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen and self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def reap(self, deadline: float) -> None:
        """After SIGTERM: wait for a graceful exit until the deadline, then SIGKILL."""
        if self.popen:
            try:
                self.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill(signal.SIGKILL)
                self.popen.wait()


def run(argv: list[str], env: dict, what: str) -> None:
    log(what)
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{what}: failed\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def http_ok(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(check, what: str, seconds: float = 60) -> float:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return time.time()
        time.sleep(0.25)
    sys.exit(f"{what}: not ready after {seconds:.0f} s (see {RUN / 'logs'})")


# --- preparation ---------------------------------------------------------------------------------------------
def ensure_nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if found:
        return found
    log("nginx is missing: apt-get install nginx")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "nginx"], check=True, env=env)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def claim_redis_database() -> tuple[int, str]:
    import redis

    claims = redis.Redis.from_url(f"{REDIS}/0", socket_connect_timeout=2)
    try:
        claims.ping()
    except redis.RedisError as error:
        sys.exit(f"Redis is not reachable at {REDIS}: {error}")
    token = f"cluster-demo-{secrets.token_hex(8)}"
    for number in REDIS_DATABASES:
        if claims.set(REDIS_CLAIM.format(number), token, nx=True, ex=3600):
            redis.Redis.from_url(f"{REDIS}/{number}").flushdb()
            return number, token
    sys.exit("Every Redis database 2–14 is claimed by test runs; try again in a few minutes.")


def release_redis_database(number: int, token: str) -> None:
    import redis

    redis.Redis.from_url(f"{REDIS}/{number}").flushdb()
    claims = redis.Redis.from_url(f"{REDIS}/0")
    if claims.get(REDIS_CLAIM.format(number)) == token.encode():
        claims.delete(REDIS_CLAIM.format(number))


def fresh_database() -> None:
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL is not reachable at {POSTGRES} as postgres: {error}")


def app_environment(redis_db: int) -> dict:
    """The environment of every node and worker: production settings (DEBUG off) over plain HTTP on 127.0.0.1."""
    site = f"http://127.0.0.1:{PORTS['nginx']}"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "core.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site,
        "CSRF_TRUSTED_ORIGINS": site,
        "SECURE_SSL_REDIRECT": "false",  # no TLS on the loopback; production keeps all three on
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "OTP_REQUIRED": "false",  # the load's staff sign in with a password only
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "CACHE_URL": f"{REDIS}/{redis_db}",
        "Q_REDIS_URL": f"{REDIS}/{redis_db}",
        "Q_WORKERS": "2",
        "STORAGE_URL": f"s3://{BUCKET}?endpoint_url=http://127.0.0.1:{PORTS['s3']}&region={REGION}"
                       "&addressing_style=path",
        "AWS_ACCESS_KEY_ID": "zk-cluster-key",
        "AWS_SECRET_ACCESS_KEY": "zk-cluster-secret",
        "PRIVATE_FILES_ACCEL_PREFIX": "/_private/",
        "STATIC_ROOT": str(RUN / "static"),
        "EMAIL_URL": f"smtp://127.0.0.1:{PORTS['smtp']}",
        "COMPANY_APPEALS_PER_DAY": "100000",  # 50 simulated people file far more than a company's daily limit
        "UPLOAD_DAILY_QUOTA_MB": "100000",
        "LOG_FORMAT": "json",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
    }


def render_nginx(nginx: str) -> Path:
    """deploy/nginx/zk.conf with this run's ports and paths, inside a main config of its own (no system nginx)."""
    site = (ROOT / "deploy" / "nginx" / "zk.conf").read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{PORTS['nginx']};",
        "127.0.0.1:8001": f"127.0.0.1:{PORTS['web1']}",
        "127.0.0.1:8002": f"127.0.0.1:{PORTS['web2']}",
        "127.0.0.1:9000": f"127.0.0.1:{PORTS['s3']}",
        "/srv/zk/staticfiles/": f"{RUN / 'static'}/",
        "/var/log/nginx/zk.access.log": str(RUN / "logs" / "nginx.access.log"),
        "/var/log/nginx/zk.error.log": str(RUN / "logs" / "nginx.error.log"),
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/zk.conf no longer has {old!r}"
        site = site.replace(old, new)
    (RUN / "zk.conf").write_text(site)
    temp = RUN / "nginx-temp"
    temp.mkdir(exist_ok=True)
    main = f"""
daemon off;
worker_processes 1;
pid {RUN / 'nginx.pid'};
error_log {RUN / 'logs' / 'nginx.error.log'} warn;
{'user root;' if os.geteuid() == 0 else ''}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    log_format timed '$msec $status $upstream_addr $request_time "$request"';
    include {RUN / 'zk.conf'};
}}
"""
    (RUN / "nginx.conf").write_text(main)
    checked = subprocess.run([nginx, "-t", "-c", str(RUN / "nginx.conf")], capture_output=True, text=True)
    if checked.returncode:
        sys.exit(f"nginx -t: {checked.stderr}")
    return RUN / "nginx.conf"


def make_bucket() -> None:
    import boto3

    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{PORTS['s3']}", region_name=REGION,
                          aws_access_key_id="zk-cluster-key", aws_secret_access_key="zk-cluster-secret")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})


def write_plan(env: dict) -> Path:
    """Who the load signs in as and what it files: read from the seeded database (loadtest/locustfile.py)."""
    script = """
import json
from core.models import Fact, User
from core.services.demo import DEMO_PASSWORD
fact = Fact.objects.select_related("subcategory").filter(is_active=True, subcategory__is_active=True,
    subcategory__category__is_active=True).order_by("pk").first()
manager = User.objects.get(email="manager@zk.example")
print(json.dumps({
    "password": DEMO_PASSWORD,
    "investors": ["investor@zk.example", "terminal@zk.example"],
    "assigners": ["head@zk.example", "director@zk.example", "coordinator@zk.example"],
    "workers": ["manager@zk.example"],
    "fact": {"category": fact.subcategory.category_id, "subcategory": fact.subcategory_id, "fact": fact.pk},
    "agency": manager.organisation_id,
    "manager": manager.pk,
    "reports": ["appeals-by-type", "appeals-by-executor", "staff-workload", "project-pool", "authorities"],
}))
"""
    done = subprocess.run([PY, "manage.py", "shell", "-c", script], env=env, cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode:
        sys.exit(f"plan: {done.stderr[-3000:]}")
    path = RUN / "plan.json"
    path.write_text(done.stdout.strip().splitlines()[-1])
    return path


# --- the run -------------------------------------------------------------------------------------------------
class Chaos(threading.Thread):
    """Kills one web node and one worker during the load and starts them again; records each outage."""

    def __init__(self, plan: Plan, web: Process, worker: Process, started: float):
        super().__init__(daemon=True)
        self.plan, self.web, self.worker, self.started = plan, web, worker, started
        self.outages: list[tuple[float, float]] = []  # the web node's: requests may fail only then
        self.worker_killed_at: float | None = None
        self.events: list[str] = []

    def _sleep_until(self, offset: float) -> None:
        time.sleep(max(0.0, self.started + offset - time.time()))

    def run(self) -> None:
        self._sleep_until(self.plan.kill_web_at)
        down = time.time()
        self.web.kill()
        log(f"SIGKILL {self.web.name}")
        time.sleep(RESTART_SECONDS)
        self.web.start()
        back = wait_until(lambda: http_ok(f"http://127.0.0.1:{PORTS['web1']}/healthz"), self.web.name, 90)
        self.outages.append((down, back))
        self.events.append(f"{self.web.name}: killed at +{down - self.started:.0f} s, answering /healthz again "
                           f"{back - down:.1f} s later")
        log(self.events[-1])

        self._sleep_until(self.plan.kill_worker_at)
        down = time.time()
        self.worker.kill()
        log(f"SIGKILL {self.worker.name}")
        time.sleep(RESTART_SECONDS)
        self.worker.start()
        back = time.time()
        self.worker_killed_at = down
        self.events.append(f"{self.worker.name}: killed at +{down - self.started:.0f} s, started again "
                           f"{back - down:.1f} s later")
        log(self.events[-1])


def run_load(plan: Plan, env: dict, plan_path: Path) -> subprocess.CompletedProcess:
    load_env = {**os.environ, "ZK_LOADTEST_PLAN": str(plan_path), "ZK_LOADTEST_OUT": str(RUN / "results")}
    argv = [str(VENV_BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
            "-u", str(plan.users), "-r", str(plan.spawn_rate), "-t", f"{plan.seconds}s",
            "--host", f"http://127.0.0.1:{PORTS['nginx']}", "--csv", str(RUN / "results" / "locust"),
            "--only-summary", "--stop-timeout", "30", "--exit-code-on-error", "0"]
    return subprocess.run(argv, env=load_env, cwd=ROOT, capture_output=True, text=True)


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def letters_by_status() -> dict[str, int]:
    from django.db.models import Count

    from core.models import Notification
    from core.models.notifications import Channel

    rows = Notification.objects.filter(channel=Channel.EMAIL).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def drain_letters(killed_at: float) -> dict:
    """Waits for the outbox to empty. A letter the killed worker had claimed stays `sending` for its 10-minute lease;
    the rehearsal moves that lease to now instead of waiting (counted as `orphaned_by_the_killed_worker`), and the
    live workers' one-minute outbox schedule sends it like any due letter."""
    from django.utils import timezone

    from core.models import Notification
    from core.models.notifications import OutboxStatus
    from core.services.notifications import LEASE

    time.sleep(15)  # a letter a live worker is sending is done in well under this
    killed = datetime.fromtimestamp(killed_at, tz=UTC)
    orphaned = Notification.objects.filter(status=OutboxStatus.SENDING, claimed_until__lte=killed + LEASE,
                                           claimed_until__gt=timezone.now())
    fast_forwarded = orphaned.update(claimed_until=timezone.now() - timedelta(seconds=1))
    started = time.monotonic()
    while time.monotonic() - started < DRAIN_SECONDS:
        letters = letters_by_status()
        if not letters.get("pending") and not letters.get("sending"):
            break
        time.sleep(5)
    return {"orphaned_by_the_killed_worker": fast_forwarded, "drain_seconds": round(time.monotonic() - started)}


def gather(chaos: Chaos, drained: dict, load_requests: int, cluster_started: float) -> Findings:
    from django.db.models import Count

    from core.models import Appeal, Notification
    from core.models.notifications import Channel

    numbers = dict(Appeal.objects.values_list("number", "subject"))
    duplicates = list(Appeal.objects.values("number").annotate(n=Count("pk")).filter(n__gt=1)
                      .values_list("number", flat=True))
    return Findings(
        filed=read_jsonl(RUN / "results" / "filed.jsonl"), numbers_in_db=numbers, duplicate_numbers=duplicates,
        letters=letters_by_status(), errors=read_jsonl(RUN / "results" / "errors.jsonl"), outages=chaos.outages,
        requests=load_requests,
        # the demo's own history is written as sent when seeded; these are the letters the workers sent
        letters_sent_by_the_cluster=Notification.objects.filter(
            channel=Channel.EMAIL, status="sent", sent_at__gte=datetime.fromtimestamp(cluster_started, tz=UTC)
        ).count(),
        letters_at_the_sink=sink_count()["distinct"],
        extra={**drained, "outages": chaos.events, "letters_at_sink": sink_count()},
    )


def sink_count() -> dict:
    """Letters the SMTP sink received: all of them and distinct Message-IDs (a letter sent twice is counted once)."""
    text = (RUN / "logs" / "smtp.log").read_text(errors="replace")
    ids = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("message-id:")]
    return {"received": len(ids), "distinct": len(set(ids))}


def locust_totals() -> dict:
    import csv

    path = RUN / "results" / "locust_stats.csv"
    if not path.exists():
        return {}
    rows = {row["Name"]: row for row in csv.DictReader(path.open())}
    total = rows.get("Aggregated", {})
    return {
        "requests": int(total.get("Request Count", 0)),
        "failures": int(total.get("Failure Count", 0)),
        "median_ms": total.get("Median Response Time"),
        "p95_ms": total.get("95%"),
        "rps": total.get("Requests/s"),
        "by_name": {name: {"n": int(row["Request Count"]), "fail": int(row["Failure Count"]),
                           "median_ms": row["Median Response Time"], "p95_ms": row["95%"]}
                    for name, row in rows.items() if name != "Aggregated"},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="10 users for 30 seconds")
    parser.add_argument("--history", action="store_true", help="seed 18 months of demo appeals (minutes longer)")
    args = parser.parse_args()
    plan = DRY if args.dry_run else FULL

    nginx = ensure_nginx()
    RUN.mkdir(parents=True, exist_ok=True)
    for stale in RUN.iterdir():  # the collected static files stay: collecting them again takes a minute or two
        if stale.name != "static":
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    (RUN / "logs").mkdir()
    (RUN / "results").mkdir()
    redis_db, claim = claim_redis_database()
    env = app_environment(redis_db)
    os.environ.update(env)  # this script reads the database through Django for the checks
    processes: list[Process] = []
    try:
        log(f"PostgreSQL database {DATABASE}, Redis database {redis_db}, files in {RUN}")
        fresh_database()
        s3 = Process("s3", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(PORTS["s3"])], env)
        smtp = Process("smtp", [PY, "-u", "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{PORTS['smtp']}"], env)
        for process in (s3, smtp):
            process.start()
            processes.append(process)
        wait_until(lambda: http_ok(f"http://127.0.0.1:{PORTS['s3']}/moto-api/"), "moto_server")
        make_bucket()

        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env, "migrate")
        run([PY, "manage.py", "seed_reference"], env, "seed_reference")
        seed = [PY, "manage.py", "seed_demo"] + ([] if args.history else ["--no-history"])
        run(seed, {**env, "DEBUG": "true"}, " ".join(seed[1:]) + " (seed_demo runs with DEBUG only)")
        run([PY, "manage.py", "setup_schedules"], env, "setup_schedules")
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env, "collectstatic")
        plan_path = write_plan(env)

        cluster_started = time.time()
        gunicorn = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        web = [Process(name, gunicorn, {**env, "ZK_BIND": f"127.0.0.1:{PORTS[name]}"}) for name in ("web1", "web2")]
        workers = [Process(f"worker{n}", [PY, "manage.py", "qcluster"], env) for n in (1, 2)]
        front = Process("nginx", [nginx, "-c", str(render_nginx(nginx))], env)
        for process in (*web, *workers, front):
            process.start()
            processes.append(process)
        for name in ("web1", "web2"):
            wait_until(lambda name=name: http_ok(f"http://127.0.0.1:{PORTS[name]}/healthz"), name)
        wait_until(lambda: http_ok(f"http://127.0.0.1:{PORTS['nginx']}/healthz"), "nginx")
        wait_until(lambda: http_ok(f"http://127.0.0.1:{PORTS['nginx']}/readyz", timeout=10), "readyz", 120)

        log(f"load: {plan.users} users for {plan.seconds} s; {web[0].name} killed at +{plan.kill_web_at:.0f} s, "
            f"{workers[0].name} at +{plan.kill_worker_at:.0f} s, each started again after {RESTART_SECONDS} s")
        chaos = Chaos(plan, web[0], workers[0], time.time())
        chaos.start()
        load = run_load(plan, env, plan_path)
        (RUN / "logs" / "locust.log").write_text(load.stdout + load.stderr)
        chaos.join(timeout=120)
        log("load done; waiting for the outbox to empty")

        import django

        django.setup()
        drained = drain_letters(chaos.worker_killed_at or time.time())
        totals = locust_totals()
        findings = gather(chaos, drained, totals.get("requests", 0), cluster_started)
        result = verdict(findings)
        result["figures"]["load"] = {key: value for key, value in totals.items() if key != "by_name"}
        result["figures"]["by_name"] = totals.get("by_name", {})
        result["plan"] = plan.__dict__
        (RUN / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
        report(result)
        return 0 if result["ok"] else 1
    finally:
        for process in processes:  # all at once: a q2 cluster takes its time finishing what it runs
            process.kill(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in processes:
            process.reap(deadline)
        release_redis_database(redis_db, claim)


def report(result: dict) -> None:
    figures = result["figures"]
    load = figures.get("load", {})
    print()
    print(f"requests {load.get('requests')}, failed {load.get('failures')}, {load.get('rps')} req/s, "
          f"median {load.get('median_ms')} ms, p95 {load.get('p95_ms')} ms")
    for line in figures.get("outages", []):
        print(f"outage: {line}")
    print(f"appeals filed with a success page: {figures['appeals_filed']}, lost: {figures['appeals_lost']}, "
          f"saved without a success page: {figures['appeals_saved_without_success_page']}, "
          f"duplicate numbers: {len(figures['duplicate_numbers'])}")
    print(f"letters: {figures['letters']}, {figures['letters_sent_by_the_cluster']} of them sent by the workers; "
          f"at the SMTP sink {figures['letters_at_sink']}; "
          f"orphaned by the killed worker and sent after its lease: {figures['orphaned_by_the_killed_worker']}")
    print(f"request errors: {figures['errors']} ({figures['errors_during_outages']} while a node was down, "
          f"{figures['errors_outside_outages']} outside)")
    for error in figures["stray_errors"]:
        print(f"  outside an outage: {datetime.fromtimestamp(error['t']):%H:%M:%S} {error['name']}: {error['error']}")
    for check, passed in result["checks"].items():
        print(f"{'ok  ' if passed else 'FAIL'} {check}")
    print(f"details: {RUN / 'result.json'}, logs in {RUN / 'logs'}")


if __name__ == "__main__":
    sys.exit(main())
