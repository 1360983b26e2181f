# The two commands of the quickstart are `make run` and `make test`; `make check` is the quick loop.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv lives in a small venv of its own, so `uv sync` (which removes whatever the lock does not
# name) never removes the tool doing the sync.
TOOLS := .uv
UV := $(TOOLS)/bin/uv
STAMP := $(VENV)/.installed
# One environment with every extra: `make run`, `make test` and `make bench` never reinstall
# each other's packages away.
SYNC := $(UV) sync --frozen --all-extras --python $(PYTHON)

.PHONY: install run test check lint bench asyncapi demo-files lock clean

install: $(STAMP)

$(UV): deploy/uv-requirements.txt
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes -r deploy/uv-requirements.txt
	touch $(UV)

# Installs exactly what uv.lock names (versions and hashes), and again only when the lock or
# pyproject.toml changed, so a second `make` is instant.
$(STAMP): $(UV) uv.lock pyproject.toml
	UV_PROJECT_ENVIRONMENT=$(VENV) $(SYNC)
	touch $(STAMP)

run: install
	$(BIN)/podium up --demo

# The lock must agree with pyproject.toml: a dependency added without `make lock` fails here.
lint: install
	$(UV) lock --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The inner loop: the checks and every test but the faults and the browser's, in minutes, on
# WORKERS processes (pytest-xdist): these tests take free ports and temp dirs, and each worker
# starts its own servers.
WORKERS ?= 2
check: lint
	$(BIN)/pytest -n $(WORKERS) -m "not faults and not browser"

# Everything, on WORKERS processes too, a module to a worker (`--dist loadscope`: a browser
# module's stack is started once). The long faults and browser tests come first so the short
# ones fill in beside them. An empty selection fails (pytest's exit 5), and so does CI.
test: lint
	$(BIN)/pytest -n $(WORKERS) --dist loadscope

# On purpose only: every dependency to its newest release that pyproject.toml allows. Run the
# whole suite after it and commit uv.lock with the fixes the new versions need.
lock: $(UV)
	$(UV) lock --upgrade
	{ sed -n '1,2p' deploy/uv-requirements.txt; \
	  echo uv | $(UV) pip compile --generate-hashes --no-header --quiet -; } > deploy/uv.tmp
	mv deploy/uv.tmp deploy/uv-requirements.txt

# Figures, not tests: mark to screen against two baselines, intake, replay, memory, on real
# servers (bench-results/: JSON and a PNG). Choose with ARGS, e.g. `make bench ARGS="--only
# screens --screens 1,500"`; `make bench ARGS=-h` lists the options.
bench: install
	$(BIN)/python -m tests.bench $(ARGS)

asyncapi: install
	$(BIN)/python -m services.tools.asyncapi > docs/asyncapi.json

# The demo championship's TOML, workbooks and people list, and the JSON made from them.
demo-files: install
	$(BIN)/python -m services.tools.demo.files

clean:
	rm -rf $(VENV) $(TOOLS) .podium .mypy_cache .ruff_cache .pytest_cache
