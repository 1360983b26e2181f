# The two commands of the quickstart are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench asyncapi clean

install: $(STAMP)

# Reinstalls only when pyproject.toml changed, so a second `make` is instant.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/podium up --demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Figures, not tests: mark to screen against two baselines, intake, replay, memory, on real
# servers (bench-results/: JSON and a PNG).
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m services.bench

asyncapi: install
	$(BIN)/python -m services.asyncapi > docs/asyncapi.json

clean:
	rm -rf $(VENV) .podium .mypy_cache .ruff_cache .pytest_cache
