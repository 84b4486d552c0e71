# Two commands: `make run` (demo on 127.0.0.1:8000 with a worker) and `make test` (the whole suite).
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# make is the developer's entry point: DEBUG defaults on here, never in production (see README).
export DEBUG ?= true
# Python writes the bytecode of what it imports (__pycache__/, ignored by git), even where the machine sets
# PYTHONDONTWRITEBYTECODE=1: otherwise every process make starts (each test worker, each `manage.py` a test runs)
# compiles the project and its packages again — collecting the suite took 10.9 s instead of 4.4 s.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test bootstrap lint e2e-browser clean messages

# The packages go in with uv (pinned in pyproject.toml's dev group, installed by pip first): 6 s against pip's 44 s
# here, most of pip's time compiling every module of every package to bytecode. uv compiles nothing; Python compiles
# the modules it imports when it first imports them, and writes them to __pycache__/ because make's recipes do not
# inherit PYTHONDONTWRITEBYTECODE (the export above). docs/adr/0008-installer.md.
UV_PIN := $(shell grep -o '"uv==[^"]*"' pyproject.toml | tr -d '"')
$(STAMP): pyproject.toml scripts/requirements.py
	@PYTHON_BIN=$$(sh scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Создаю .venv ($$PYTHON_BIN)"; "$$PYTHON_BIN" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check $(UV_PIN)
	$(PY) scripts/requirements.py > $(VENV)/requirements.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r $(VENV)/requirements.txt
	@touch $(STAMP)

bootstrap: $(STAMP) .env
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_reference
	$(PY) manage.py setup_schedules


run: bootstrap
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@sh scripts/run.sh $(PY)

# Test-only tools from npm, pinned in package-lock.json: axe-core, which the browser tests inject (docs/accessibility.md).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

# A development checkout gets DEBUG on for hand-run manage.py commands too; production sets its own environment.
.env:
	@printf '# Development settings written by make (not committed). Real environment variables win.\nDEBUG=true\n' > .env

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --settings=core.settings_test

# The suite runs in parallel (pytest-xdist): one worker per CPU that nproc counts, at most 4 (each worker builds
# its own test database and starts its own browser, so more would cost more than they save). Every worker has its
# own database, upload directory and ports; tests that must not run beside each other share an
# @pytest.mark.xdist_group, which --dist loadgroup keeps on one worker. PYTEST_ARGS come last and win:
# `PYTEST_ARGS="-n 0"` runs the suite in one process, and --pdb does so by itself.
# The tests build their own databases, so `make test` needs the virtualenv but not bootstrap's migrated var/
# database. TEST_LINT= leaves the lint out (both of CI's passes: .ci/run lints the tree once before them).
PYTEST_XDIST ?= -n logical --maxprocesses=4 --dist loadgroup
TEST_LINT ?= lint
test: $(STAMP) .env $(TEST_LINT) $(NODE_STAMP)
	$(VENV)/bin/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# Pages and jobs as ratios against hand-written SQL, per size on its own database (var/bench-<size>.sqlite3, or
# <BENCH_DATABASE_URL>_<size>); fails when a ratio exceeds its goal by more than 50 %. Not part of `make test`.
# Pass options in BENCH_ARGS, e.g. `make bench BENCH_ARGS="--sizes 100000,300000"`. See docs/performance.md.
.PHONY: bench
bench: $(STAMP)
	@mkdir -p var
	$(PY) scripts/bench.py $(BENCH_ARGS)

# The two-node rehearsal (docs/operations.md «Two nodes»): nginx, two gunicorn nodes, two workers, PostgreSQL,
# Redis and a local S3 server under 50 locust users for 3 minutes while a node and a worker are killed; about six
# minutes, not part of `make test`. CLUSTER_ARGS="--dry-run" for 10 users and 30 seconds.
.PHONY: cluster-demo
cluster-demo: $(STAMP)
	$(PY) scripts/cluster_demo.py $(CLUSTER_ARGS)

# Merges the plural msgids of the code into locale/ru and the installed third-party apps' strings into
# locale/thirdparty, keeping every translation, and compiles both .mo (needs gettext; the .mo files are committed).
# Safe to rerun: a second run changes nothing. Exits non-zero while some entry waits for its Russian (locale/README.md).
messages: $(STAMP)
	$(PY) scripts/project_messages.py
	$(PY) scripts/thirdparty_messages.py

# Retakes the user guide's screenshots (docs/guide/img) by walking the demo data in Chromium as each role.
.PHONY: guide
guide: $(STAMP)
	GUIDE_SCREENSHOTS=$(CURDIR)/docs/guide/img $(VENV)/bin/pytest -n 0 -q -p no:cacheprovider tests/e2e/test_guide_screens.py

clean:
	rm -rf $(VENV) var/db.sqlite3*
