# Every target creates .venv on first use from the pinned requirements.lock.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench validate eval sets-table clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e . --config-settings editable_mode=compat
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)  ## Telegram bot when BOT_TOKEN is set (env or .env), terminal chat otherwise
	$(PY) -m bot start

test: $(STAMP)  ## lint, format check and the whole test suite
	$(PY) -m ruff check bot tests benchmarks
	$(PY) -m ruff format --check bot tests benchmarks
	$(PY) -m bot validate
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check bot tests benchmarks
	$(PY) -m ruff format --check bot tests benchmarks

format: $(STAMP)
	$(PY) -m ruff check --fix bot tests benchmarks
	$(PY) -m ruff format bot tests benchmarks

validate: $(STAMP)
	$(PY) -m bot validate

eval: $(STAMP)  ## every labelled set of tests/data/sets.yaml: one line each, floors checked
	$(PY) -m bot eval --manifest tests/data/sets.yaml

sets-table: $(STAMP)  ## rewrite the README's quality table from tests/data/sets.yaml
	$(PY) -m bot eval --manifest tests/data/sets.yaml --update-readme README.md

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
