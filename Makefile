# The two commands of the README. Both set up what they need on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/tipline/html/static/vendor/.built

.PHONY: run test setup lint bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(ASSETS): frontend/package.json frontend/package-lock.json scripts/build-assets.sh
	bash scripts/build-assets.sh
	touch $(ASSETS)

setup: $(STAMP) $(ASSETS)

run: $(STAMP) $(ASSETS)
	bash scripts/run.sh

test: $(STAMP) $(ASSETS)
	bash scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
