# One place for every check, run the same way locally and in CI (.ci/run).
# `make demo` and `make check` install what they need into .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo check lint types contracts test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/fordring demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

test: $(STAMP)
	$(BIN)/pytest

check: lint types contracts test

bench: $(STAMP)
	$(BIN)/python bench/bench_invoice_import.py
	$(BIN)/python bench/bench_interest.py
	$(BIN)/python bench/bench_letters.py
	$(BIN)/python bench/bench_daily_run.py
	$(BIN)/python bench/bench_bank_files.py
	$(BIN)/python bench/bench_payments.py
	$(BIN)/python bench/bench_ehf.py
	$(BIN)/python bench/bench_invoice_pdf.py
	$(BIN)/python bench/bench_delivery.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
