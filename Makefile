# hamfoot — every task a student, educator or contributor needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export MATPLOTLIBRC := $(CURDIR)/tests/mplrc
export SOURCE_DATE_EPOCH := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1
PYTEST_ARGS ?=
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help start test notebooks check bench handouts clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the dependency list changes, so a second `make start` takes seconds.
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.run-installed

start: $(VENV)/.run-installed ## Open the course in JupyterLab (127.0.0.1 only, with a token)
	@$(BIN)/python tools/start.py

test: $(VENV)/.test-installed ## Run every test: content check, unit tests, nbval and a real browser over every lesson
	$(BIN)/python -m hamfoot check
	$(BIN)/python -m pytest tests notebooks $(NBVAL) -p no:cacheprovider $(PYTEST_ARGS)

notebooks: $(VENV)/.test-installed ## Re-execute every lesson in place (outputs come from the code)
	$(BIN)/python tools/sync_nav.py
	$(BIN)/python tools/execute_notebooks.py

check: $(VENV)/.run-installed ## Validate the content files in data/
	$(BIN)/python -m hamfoot check

handouts: $(VENV)/.test-installed ## Build offline HTML handouts and slide decks of every lesson into build/
	$(BIN)/python tools/handouts.py

bench: $(VENV)/.test-installed ## Measure speed budgets; writes bench/RESULTS.md
	$(BIN)/python bench/bench.py

clean: ## Remove the virtual environment and build output
	rm -rf $(VENV) build .pytest_cache
