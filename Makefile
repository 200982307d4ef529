# Kabinet: `make run` serves the demo portal, `make test` runs every test; both set themselves up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export KABINET_MODE ?= demo

.PHONY: setup run test check lint types imports format demo bench fuzz clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/python app.py demo
	$(BIN)/python app.py serve

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports --no-cache

check: lint types imports test

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python -m bench

# 20,000 mutants of a valid file of every import format through the importers (every 20th also through the
# database); a crash is saved for tests/fixtures/hostile and fails the run.
fuzz: setup
	$(BIN)/python -m tests.fuzz --mutants 20000

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
