# safeplan — developer targets. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
# Test processes: one per core (pytest-xdist); `make test JOBS=0` runs them in this process.
# worksteal: a process that runs out of tests takes half of another's queue (with the default
# `load`, tests already handed to a busy process wait for it while the other core idles).
JOBS   ?= auto
DIST   ?= worksteal

.DEFAULT_GOAL := help
.PHONY: help install lint format typecheck test test-fast check bench bench-100k goldens i18n schemas clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv/ with safeplan (editable) and the dev tools

lint: $(STAMP) ## ruff, ruff format --check, and the import-linter layer contracts
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

typecheck: $(STAMP) ## mypy (strict) on the package
	$(BIN)/mypy

test: $(STAMP) ## Run the test suite, every test, across the cores
	$(BIN)/pytest -n $(JOBS) --dist $(DIST)

test-fast: $(STAMP) ## The tests not marked slow (processes, pip, git, Chromium), for the edit-test loop
	$(BIN)/pytest -n $(JOBS) --dist $(DIST) -m "not slow"

check: lint typecheck test ## Everything CI runs: lint, typecheck, test

bench: $(STAMP) ## Benchmark validate and status on 10,000 generated hazard files, and a 10-town roll-up
	$(PY) bench/bench.py

bench-100k: $(STAMP) ## The 100,000-hazard rows and a 20-town × 5,000 roll-up (minutes; not part of check)
	$(PY) bench/bench.py -n 100000 --reps 1 --rollup 20x5000

goldens: $(STAMP) ## Rewrite golden files and expected messages from the current output (on purpose only)
	SAFEPLAN_UPDATE_GOLDENS=1 $(BIN)/pytest -q -n 0 tests

i18n: $(STAMP) ## Extract messages into the zh_CN catalog and compile it
	$(BIN)/pybabel extract -F babel.cfg --no-location --omit-header -k N_ -k _ -k NP_:1,2 -o src/safeplan/locale/safeplan.pot src/safeplan
	$(BIN)/pybabel update --no-wrap --ignore-obsolete --no-fuzzy-matching -i src/safeplan/locale/safeplan.pot -d src/safeplan/locale -D safeplan -l zh_CN
	$(BIN)/pybabel compile --statistics -d src/safeplan/locale -D safeplan -l zh_CN

schemas: $(STAMP) ## Write schemas/ (JSON Schema of the files) from the models
	$(BIN)/safeplan schema --root .

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .bench src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
