# evidence-kg — two commands: `make run` (set up and serve) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint format bench bench-full browser clean

# uv resolves the same versions from PyPI as pip (pip list compared) in a fifth of the time: 16 s vs 81 s on a
# fresh 2-core machine with no cache. --compile-bytecode writes the .pyc files pip would: without them, where
# PYTHONDONTWRITEBYTECODE is set, every process compiles its imports from source (`import api.app` 1.65 s vs 0.85 s).
# Where uv itself cannot be installed, pip does the whole install.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	{ $(BIN)/python -m pip install --quiet uv && \
	  $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[test]"; } \
	  || $(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Set everything up and start the API and graph view on http://$(HOST):$(PORT)
run: install
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

## Debian's chromium for the graph-view tests (root or passwordless sudo; never a downloaded browser)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium not installed and no root: browser tests will be skipped (apt-get install chromium)"; fi; }

## Lint, format check, type check, then the whole test suite (offline; installs what it needs first)
test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/kg lint

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Benchmarks: quick (1× and 10×) and full (adds 100×); results in benchmarks/RESULTS.md
bench: install
	$(BIN)/python -m benchmarks --scales 1 10

bench-full: install
	$(BIN)/python -m benchmarks --scales 1 10 100

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
