# One place for every check, run the same way locally and in CI (.ci/run).
# `make demo` installs what running fordring needs into .venv (no development tools);
# `make check` (and `make install`) adds the development tools: tests, linters, mypy.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed-dev
# The suite in this many processes (pytest-xdist; one per core: CI has 2). 1 runs it in one.
PYTEST_WORKERS ?= 2

.PHONY: install install-runtime demo check lint types contracts test bench bench-workers clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUNTIME)

install: $(STAMP)

install-runtime: $(RUNTIME)

demo: $(RUNTIME)
	$(BIN)/fordring demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

test: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

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
	$(BIN)/python bench/bench_api.py
	$(MAKE) bench-workers

# The workers on PostgreSQL (127.0.0.1:5432, FORDRING_BENCH_POSTGRES): each prints one summary line last.
bench-workers: $(STAMP)
	$(BIN)/python bench/bench_job_throughput.py
	$(BIN)/python bench/bench_stall_recovery.py
	$(BIN)/python bench/bench_workers_day.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
