# atis: `make run` (demo on http://127.0.0.1:8000) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt | sha1sum | cut -c1-12)
MANAGE := $(BIN)/python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/atis

.PHONY: run test install messages messages-update lint test-sqlite test-postgres test-browser totp shell demo-data check-deploy bench

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Compiled catalogues are build output (git-ignored): made from the .po files every time.
messages: install
	@ATIS_MODE=test $(MANAGE) compilemessages --ignore=.venv -v 0

# After changing interface strings: refresh the catalogues, then translate what is new.
messages-update: install
	ATIS_MODE=test $(MANAGE) makemessages -l ro -l en --ignore=.venv --ignore=var --no-location --no-wrap

demo-data: install messages
	ATIS_MODE=demo $(MANAGE) migrate --noinput -v 0
	ATIS_MODE=demo $(MANAGE) load_reference
	ATIS_MODE=demo $(MANAGE) seed_demo

run: demo-data
	@echo "Serving atis on http://127.0.0.1:8000 (demo mode, loopback only). Stop with Ctrl+C."
	ATIS_MODE=demo $(MANAGE) runserver 127.0.0.1:8000

totp: install
	@ATIS_MODE=demo $(MANAGE) demo_totp $(USER)

shell: install
	ATIS_MODE=demo $(MANAGE) shell

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	ATIS_MODE=test $(BIN)/mypy .

check-deploy: install
	ATIS_MODE=test $(BIN)/pytest -q atis/core/tests/test_deploy_checks.py

test-sqlite: install messages
	ATIS_MODE=test DATABASE_URL= $(BIN)/pytest -m "not browser"

test-postgres: install messages
	@if scripts/pg-ready "$(PG_URL)"; then \
		echo "== PostgreSQL"; ATIS_MODE=test DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL does not answer at $(PG_URL) and CI=true: failing."; exit 1; \
	else \
		echo "== PostgreSQL does not answer at $(PG_URL): its run is left out (CI=true makes this fatal)."; \
	fi

test-browser: install messages
	@scripts/ensure-chromium
	@npm ci --prefix scripts/axe --no-audit --no-fund --silent
	ATIS_MODE=test DATABASE_URL= DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser

test: lint test-sqlite test-postgres test-browser

# Case list and CNP search at 100,000 and 1,000,000 cases, on its own PostgreSQL database
# (see benchmarks/README.md). Seeding 1,000,000 cases takes about half an hour.
bench: install messages
	@scripts/pg-ready "$(PG_URL)" || { echo "PostgreSQL does not answer at $(PG_URL)"; exit 1; }
	$(BIN)/python -m benchmarks.cases_list --server $(patsubst %/,%,$(dir $(PG_URL)))

