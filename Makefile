# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve worker test bench install install-test install-bench translations browser-deps clean

# The background worker (mail, scheduled jobs) runs beside the development server and stops with it:
# on Ctrl-C, when the server exits, and (--stop-with-parent) even when this shell is killed outright.
run: install translations
	$(BIN)/flask --app wsgi seed
	$(BIN)/flask --app wsgi worker --stop-with-parent & worker=$$!; \
	trap 'kill $$worker 2> /dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# Production server: gunicorn with workers from the core count (gunicorn.conf.py). Set SECRET_KEY
# (the same in every process) and DATABASE_URL; run `flask --app wsgi init-db` (or seed) first.
# Mail and scheduled jobs need the background worker too: run `make worker` beside it (its own
# service, same DATABASE_URL, REDIS_URL and MAIL_* settings).
serve: install translations
	$(BIN)/flask --app wsgi init-db
	@echo "Mail and scheduled jobs need the background worker: run 'make worker' beside this server."
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Production background worker: delivers the outbox, runs the scheduled jobs (WORKERS threads).
WORKERS ?= 2
worker: install
	$(BIN)/flask --app wsgi worker --workers $(WORKERS)

# lint-imports first: an import that breaks the layers of docs/architecture.md fails the build, saying which.
test: install-test translations browser-deps
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: install-bench translations
	@command -v wrk > /dev/null || { [ "$$(id -u)" = "0" ] && apt-get install -y -q wrk > /dev/null; } || \
	  echo "wrk missing: the HTTP benchmark will be skipped (apt-get install wrk)"
	$(BIN)/python -m bench

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test
install-bench: $(VENV)/.installed-bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

translations: | $(BIN)/python
	$(BIN)/pybabel compile --use-fuzzy -d directory/translations -D messages > /dev/null

# Browser tests drive Debian's Chromium; install it when we can (root), else the tests say how.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get > /dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei; \
	  else \
	    echo "Chromium missing and not root: browser tests will be skipped (sudo apt-get install chromium fonts-wqy-microhei)"; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) instance .pytest_cache
