# Two commands: `make run` (the demo clinic at http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in e-mails point at the port the demo is served on, unless SITE_URL is set in the
# environment (or on the command line: make run SITE_URL=https://...).
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test install lint typecheck check-migrations ci clean bench

# Create the virtual environment and install the pinned dependencies (again only when a lock changes).
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: PYTHON=python3.11 make ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

.env:
	cp .env.example .env

# Migrate, load the demo clinic, then serve it with a Celery worker (embedded beat) beside it.
# Without REDIS_URL the worker uses a file-system queue in .celery/, so no Redis server is needed.
# E-mails (invitations, reminders) are printed in this terminal, with links to SITE_URL.
# Ctrl-C stops both.
run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@mkdir -p .celery; \
	SITE_URL='$(SITE_URL)' $(BIN)/celery -A portal worker -B --pool=solo --without-mingle --without-gossip \
		--schedule .celery/beat-schedule --loglevel INFO & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest -n 2

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	DEBUG=true $(BIN)/mypy apps portal tests

check-migrations: install
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# A developer tool, never part of `make test` or CI: builds (or reuses) a synthetic clinic in
# PostgreSQL (BENCH_DATABASE_URL, default portal_bench), serves it with gunicorn (2 workers,
# DEBUG=false) and loads each page with wrk (apt-get install wrk). README: "Reading make bench".
bench: install
	$(BIN)/python scripts/bench.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) .celery staticfiles .pytest_cache .mypy_cache .ruff_cache
