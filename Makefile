# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve test bench install install-test install-bench translations browser-deps clean

run: install translations
	$(BIN)/flask --app wsgi seed
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# Production server: gunicorn with workers from the core count (gunicorn.conf.py). Set SECRET_KEY
# (the same in every process) and DATABASE_URL; run `flask --app wsgi init-db` (or seed) first.
serve: install translations
	$(BIN)/flask --app wsgi init-db
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

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
