# FieldKit: a newcomer needs two commands, `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FIELDKIT := $(VENV)/bin/fieldkit
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
VAULT_NOT_FOUND := 5

.PHONY: run cli hq test lint demo bench i18n report-samples screenshots console-screenshots system-tools dist clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "FieldKit needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || \
		{ echo "Cannot create a virtual environment: sudo apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

$(TEST_STAMP): $(PY) pyproject.toml
	$(PY) -m pip install -q -e '.[test,dist]'
	touch $@ $(STAMP)

## run: the desktop app on your vault (first run creates it)
run: $(STAMP)
	$(VENV)/bin/fieldkit-app

## cli: the command line's view of your vault (creates it on first run)
cli: $(STAMP)
	@$(FIELDKIT) info; rc=$$?; \
	if [ $$rc -eq $(VAULT_NOT_FOUND) ]; then $(FIELDKIT) init && $(FIELDKIT) info; else exit $$rc; fi

## hq: a development headquarters on this computer (plain HTTP on 127.0.0.1:8443, data in ./hq-data, its key in ./hq-data.key)
hq: $(STAMP)
	mkdir -p -m 700 hq-data
	test -f hq-data.key || $(VENV)/bin/fieldkit-hq make-key --out hq-data.key
	$(VENV)/bin/fieldkit-hq serve --data hq-data --key-file hq-data.key --host 127.0.0.1 --port 8443

# Debian packages the tests need (qpdf, poppler-utils, Qt's libraries); installs what is missing.
system-tools:
	@bash build/system_deps.sh

## test: lint, type-check and run the whole suite
test: $(TEST_STAMP) system-tools
	$(VENV)/bin/ruff check fieldkit tests bench build
	$(VENV)/bin/ruff format --check fieldkit tests bench build
	$(VENV)/bin/mypy
	@# pytest exits 5 when it collected nothing: that is a broken suite, not a pass.
	@$(PY) -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

## demo: a vault full of demo data in ./demo-vault (passphrase: demo-passphrase)
demo: $(STAMP)
	rm -rf demo-vault
	FIELDKIT_PASSPHRASE=demo-passphrase $(FIELDKIT) --vault demo-vault demo
	FIELDKIT_PASSPHRASE=demo-passphrase $(FIELDKIT) --vault demo-vault info

## bench: print the benchmark figures (BENCH_ARGS=--quick for small sizes)
bench: $(TEST_STAMP)
	$(PY) bench/storage.py $(BENCH_ARGS)
	$(PY) bench/reports.py $(BENCH_ARGS)
	$(PY) bench/startup.py $(BENCH_ARGS)
	$(PY) bench/sync.py $(BENCH_ARGS)

## report-samples: sample PDF reports from the demo data, first pages as PNG, in docs/reports
report-samples: $(TEST_STAMP) system-tools
	$(PY) build/report_samples.py

## screenshots: every main screen in English and Spanish, with demo data, in docs/screenshots
screenshots: $(TEST_STAMP) system-tools
	$(PY) build/screenshots.py

## console-screenshots: the HQ console's pages in English and Spanish (headless chromium)
console-screenshots: $(TEST_STAMP) system-tools
	FIELDKIT_CONSOLE_SCREENSHOTS=1 $(PY) -m pytest tests/hq/test_console.py -q

## dist: the frozen bundle and this system's installers in dist/ (Linux: .tar.gz, .deb; docs/installers.md)
dist: $(TEST_STAMP) system-tools
	$(PY) build/dist.py

## i18n: extract strings and merge them into the translation catalogs
i18n: $(TEST_STAMP)
	$(PY) build/i18n.py

clean:
	rm -rf $(VENV) demo-vault build/_work dist .mypy_cache .ruff_cache .pytest_cache
