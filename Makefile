# hamfoot — every task a student, educator or contributor needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# `make test-latest` sets this: install the newest releases instead of requirements/lock.txt
LATEST ?=
export MATPLOTLIBRC := $(CURDIR)/tests/mplrc
export SOURCE_DATE_EPOCH := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1
PYTEST_ARGS ?=
export PYTEST_ARGS
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
LINTED := hamfoot tests tools bench notebooks
# Lessons executed by `make notebooks` and the tests save learner progress into a fresh store of
# their own, never the user's, and ignore any class or local folder set in the environment.
SANDBOX := rm -rf build/sandbox && mkdir -p build/sandbox && env -u HAMFOOT_CLASS_DIR -u HAMFOOT_LOCAL \
	-u HAMFOOT_STUDENT HAMFOOT_PROGRESS=$(CURDIR)/build/sandbox/progress.json
COURSE := my-course

.PHONY: help start present bench-class test test-latest lint lock notebooks check bench handouts clean FORCE

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# A .venv copied or moved here with its course folder still runs the OLD folder's code and data
# (its editable install points there): tools/venv.py rebuilds it. .venv/.home names its folder.
ifneq ($(wildcard $(BIN)/python),)
ifneq ($(shell cat $(VENV)/.home 2>/dev/null),$(CURDIR))
MOVED := FORCE
endif
endif

# Re-install only when the dependencies or the lock change, so a second `make start` takes seconds.
$(VENV)/.run-installed: pyproject.toml requirements/lock.txt $(MOVED)
	@$(PYTHON) tools/venv.py --venv $(VENV) $(LATEST)
	@touch $@

$(VENV)/.test-installed: pyproject.toml requirements/lock.txt $(MOVED)
	@$(PYTHON) tools/venv.py --venv $(VENV) --extra test $(LATEST)
	@touch $@ $(VENV)/.run-installed

start: $(VENV)/.run-installed ## Open the course in JupyterLab (127.0.0.1 only, with a token), in my-course/
	@$(BIN)/hamfoot start $(COURSE)

LESSON ?= 00
present: $(VENV)/.run-installed ## Present a lesson as slides with live widgets: make present LESSON=02
	@$(BIN)/hamfoot present $(LESSON)

lint: $(VENV)/.test-installed ## ruff: lint and format check of the code and the notebooks' code cells
	$(BIN)/ruff check --quiet $(LINTED)
	$(BIN)/ruff format --check --quiet $(LINTED)

# configurable-http-proxy for the local JupyterHub of the hub tests, at the version in the lock.
HUB_PROXY := deploy/node_modules/.bin/configurable-http-proxy
$(HUB_PROXY): deploy/package-lock.json
	npm ci --prefix deploy --no-audit --no-fund --loglevel=error
	@touch $@

test: $(VENV)/.test-installed ## Run every test: lint, content check, unit tests, nbval, a real browser and a local hub
	@$(PYTHON) tools/browser_setup.py
	@$(MAKE) --no-print-directory $(HUB_PROXY)
	$(BIN)/ruff check --quiet $(LINTED)
	$(BIN)/ruff format --check --quiet $(LINTED)
	$(SANDBOX) $(BIN)/hamfoot check
	$(SANDBOX) $(BIN)/python -m pytest tests notebooks $(NBVAL) -p no:cacheprovider $(PYTEST_ARGS)

test-latest: ## The whole suite on the newest releases (its own .venv-latest; the lock is untouched)
	$(MAKE) test VENV=.venv-latest LATEST=--latest

lock: $(VENV)/.test-installed ## Refresh requirements/lock.txt to the newest releases (then run make test)
	$(BIN)/python tools/lock.py --upgrade

notebooks: $(VENV)/.test-installed ## Re-execute every lesson in place (outputs come from the code)
	$(BIN)/python tools/sync_nav.py
	$(SANDBOX) $(BIN)/python tools/execute_notebooks.py

check: $(VENV)/.run-installed ## Validate the content files in data/
	$(BIN)/hamfoot check

handouts: $(VENV)/.test-installed ## Build offline HTML handouts and slide decks of every lesson into build/
	$(BIN)/python tools/handouts.py

bench: $(VENV)/.test-installed ## Measure speed budgets; writes bench/RESULTS.md
	$(BIN)/python bench/bench.py

bench-class: $(VENV)/.test-installed $(HUB_PROXY) ## Load-test a 40-student class on a local JupyterHub; writes bench/RESULTS-class.md
	$(BIN)/python bench/bench_class.py

clean: ## Remove the virtual environments and build output (never your my-course/ copies)
	rm -rf $(VENV) .venv-latest build .pytest_cache
