# FieldKit: two commands get a newcomer going: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint demo bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

$(TEST_STAMP): $(PY) pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(STAMP)

## run: start FieldKit on your vault (creates it on first run)
run: $(STAMP)
	$(VENV)/bin/fieldkit info || $(VENV)/bin/fieldkit init

## test: lint, type-check and run the whole suite
test: $(TEST_STAMP)
	$(VENV)/bin/ruff check fieldkit tests bench
	$(VENV)/bin/ruff format --check fieldkit tests bench
	$(VENV)/bin/mypy
	$(PY) -m pytest

## demo: a vault full of demo data in a throwaway folder (passphrase: demo-passphrase)
demo: $(STAMP)
	rm -rf demo-vault
	FIELDKIT_PASSPHRASE=demo-passphrase $(VENV)/bin/fieldkit --vault demo-vault demo
	FIELDKIT_PASSPHRASE=demo-passphrase $(VENV)/bin/fieldkit --vault demo-vault info

## bench: print the benchmark figures
bench: $(STAMP)
	$(PY) bench/storage.py

clean:
	rm -rf $(VENV) demo-vault build/_work dist .mypy_cache .ruff_cache .pytest_cache
